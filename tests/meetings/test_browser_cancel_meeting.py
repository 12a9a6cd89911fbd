"""In the browser, on a laptop: a coordinator cancels a published meeting from its page,
through the confirmation that counts the notices, with a note that reaches every mail. The
same page on a phone."""

from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.factories import ContactPersonFactory
from tests.meetings.factories import MeetingFactory
from tests.utils import assert_no_sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots_hh")
NOTE = "Die Gastgeberin ist erkrankt. Wir laden bald zu einem neuen Termin ein."


@pytest.mark.usefixtures("network")
def test_coordinator_cancels_a_meeting_through_its_confirmation(coordinator_page):
    page = coordinator_page
    page.set_viewport_size({"width": 1280, "height": 900})
    meeting = MeetingFactory(title="Fachkräfte halten")
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.get_by_role("link", name="Treffen absagen …").click()

    expect(page.get_by_role("heading", name="„Fachkräfte halten“ absagen?")).to_be_visible()
    expect(page.locator("#confirm-mails")).to_have_text(
        "3 Eingeladene erhalten die Absage per E-Mail, mit Ihrer Notiz; ihre Kalenderprogramme "
        "entfernen den Termin."
    )
    page.get_by_label("Notiz für die E-Mail (freiwillig)").fill(NOTE)
    page.screenshot(path=str(SHOTS / "cancel-confirm-1280.png"), full_page=True)
    assert mail.outbox == []  # the confirmation page sends nothing
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED

    page.get_by_role("button", name="Treffen absagen und 3 Personen benachrichtigen").click()

    expect(
        page.get_by_text(
            "„Fachkräfte halten“ ist abgesagt; alle Eingeladenen werden benachrichtigt."
        )
    ).to_be_visible()
    page.screenshot(path=str(SHOTS / "cancel-done-1280.png"), full_page=True)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@moselblick.example",
        "jonas@olewig.example",
        "lukas@moselblick.example",
    ]
    assert all(NOTE in m.body for m in mail.outbox)


def test_the_confirmation_fits_a_phone(coordinator_page):
    page = coordinator_page
    meeting = MeetingFactory(title="Weiterbildung und Mitarbeiterbindung im Handwerk")
    ContactPersonFactory(email="anna@moselblick.example")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/cancel/")
    expect(page.locator("#confirm-mails")).to_contain_text("1 eingeladene Person erhält die Absage")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "cancel-confirm-390.png"), full_page=True)
    assert_no_sideways_scrolling(page)
    assert mail.outbox == []
