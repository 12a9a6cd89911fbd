"""The HTML parts of an invitation, an update and a cancellation as Chromium shows them, on a
phone (390 px) and a wider window (800 px): nothing wider than the screen, the buttons there,
no token shown. The pictures are kept under /tmp/shots_hi/ to be looked at."""

from datetime import time, timedelta
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings import mails, services
from meetings.models import AgendaItem, Registration
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import RegistrationFactory
from tests.meetings.test_meeting_mails import STARTS, html_of, planned_meeting, publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SHOTS = Path("/tmp/shots_hi")


@pytest.fixture
def three_mails(django_capture_on_commit_callbacks):
    host = CompanyFactory(name="Moselblick Pflege GmbH")
    anna = ContactPersonFactory(
        company=host, email="anna@moselblick.example", title="Dr.", last_name="Neumann"
    )
    meeting = planned_meeting(
        host,
        introduction=(
            "Viele von Ihnen haben sich dieses Thema gewünscht. Diesmal berichtet ein "
            "Mitgliedsunternehmen, wie es **Weiterbildung im Schichtbetrieb** organisiert."
        ),
    )
    AgendaItem.objects.create(meeting=meeting, starts_at=time(16, 0), title="Begrüßung")
    AgendaItem.objects.create(
        meeting=meeting,
        starts_at=time(16, 15),
        title="Bericht aus der Praxis: Weiterbildung im Pflegealltag",
        speaker_contact=anna,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        starts_at=time(17, 0),
        title="Fördermöglichkeiten für Weiterbildung",
        speaker_name="Tobias Muster",
        speaker_organisation="Agentur für Arbeit",
    )
    publish(meeting, django_capture_on_commit_callbacks)
    invitation = html_of(mail.outbox[-1])
    RegistrationFactory(
        meeting=meeting,
        company=host,
        contact=anna,
        email=anna.email,
        status=Registration.Status.CONFIRMED,
    )
    before = mails.stored_snapshot(meeting)
    meeting.starts_at = STARTS + timedelta(days=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2, minutes=30)
    meeting.venue_name = "Schreinerei Olewig"
    meeting.venue_street = "Olewiger Straße 12"
    meeting.venue_postcode = "54295"
    meeting.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule_changed(
            meeting=meeting,
            changed_fields=["starts_at", "venue_name"],
            previous=before,
            note="Der Seminarraum wird renoviert; die Schreinerei Olewig springt ein.",
        )
    update = html_of(mail.outbox[-1])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, note="Die Referentin ist leider erkrankt.")
    cancellation = html_of(mail.outbox[-1])
    return {"invitation": invitation, "update": update, "cancellation": cancellation}


@pytest.mark.parametrize("width", [390, 800])
def test_the_meeting_mails_read_well_on_a_phone_and_a_wide_window(browser, three_mails, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    buttons = {
        "invitation": ["Ich nehme teil", "Ich nehme nicht teil"],
        "update": ["Ich nehme nicht teil"],
        "cancellation": [],
    }
    for name, html in three_mails.items():
        (SHOTS / f"{name}.html").write_text(html)
        page.set_content(html)
        overflow = page.evaluate(
            f"""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > {width} + 1)
                .map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"""
        )
        assert overflow == [], (name, overflow)
        for label in buttons[name]:
            expect(page.get_by_role("link", name=label, exact=True)).to_be_visible()
        assert "/meetings/rsvp/" not in page.locator("body").inner_text()
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.close()
    # A mail loads nothing from elsewhere.
    assert [url for url in requests if not url.startswith(("about:", "data:"))] == []
