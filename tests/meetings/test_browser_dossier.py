"""In the browser: after a meeting with one company there and one not, the coordinator
publishes the dossier through its confirmation; the contact of the company that was not there
gets the mail and reads the dossier logged in, on a laptop (1280 px) and a phone (390 px). The
mail as Chromium shows it. The pictures are kept under /tmp/h3/ to be looked at."""

import re
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import AgendaItem, ExpertGuest, ExpertQuestion, Material, Meeting
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.seal.factories import TINY_PDF
from tests.utils import assert_no_sideways_scrolling, only_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/h3")
TITLE = "Ausländische Fachkräfte: vom Visum bis zur Wohnung"


def held_meeting():
    """The meeting three days ago: Moselblick came, Schreinerei Olewig did not; two questions
    to the immigration office were answered."""
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    olewig = CompanyFactory(name="Schreinerei Olewig")
    anna = ContactPersonFactory(
        company=moselblick, first_name="Anna", last_name="Neumann", email="anna@moselblick.example"
    )
    ContactPersonFactory(
        company=olewig, first_name="Jonas", last_name="Reuter", email="jonas@olewig.example"
    )
    jonas = UserFactory(email="jonas@olewig.example", first_name="Jonas", last_name="Reuter")
    MembershipFactory(user=jonas, company=olewig)
    starts = timezone.now().replace(hour=16, minute=0, second=0, microsecond=0) - timedelta(days=3)
    meeting = MeetingFactory(
        title=TITLE,
        topic="Was Betriebe bei der Anwerbung beachten müssen",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        rsvp_deadline=starts - timedelta(days=7),
        status=Meeting.Status.HELD,
        host=moselblick,
        minutes=(
            "Frau Weiler vom Ausländeramt erklärte das beschleunigte Fachkräfteverfahren.\n\n"
            "Verabredet: Die Betriebe teilen sich eine Liste von Wohnungsangeboten im Portal."
        ),
    )
    RegistrationFactory(
        meeting=meeting,
        company=moselblick,
        contact=anna,
        email=anna.email,
        name="Anna Neumann",
        checked_in_at=starts,
    )
    AgendaItem.objects.create(meeting=meeting, starts_at=time(16, 0), title="Begrüßung")
    AgendaItem.objects.create(
        meeting=meeting,
        starts_at=time(16, 15),
        title="Das beschleunigte Fachkräfteverfahren",
        speaker_name="Petra Weiler",
        speaker_organisation="Ausländeramt Trier",
    )
    material = Material.objects.create(
        meeting=meeting, title="Folien: Das beschleunigte Verfahren", content_type="application/pdf"
    )
    material.file.save("folien.pdf", ContentFile(TINY_PDF), save=True)
    expert = ExpertGuest.objects.create(
        meeting=meeting,
        name="Petra Weiler",
        organisation="Ausländeramt Trier",
        email="weiler@auslaenderamt.example",
    )
    for company, text, answer, show in (
        (
            olewig,
            "Wie lange dauert die Vorabzustimmung der Agentur für Arbeit?",
            "Rund eine Woche, wenn die Unterlagen vollständig sind.",
            True,
        ),
        (
            moselblick,
            "Darf eine Pflegehelferin während der Anerkennung schon arbeiten?",
            "Ja, als Helferin mit einer Aufenthaltserlaubnis zur Anerkennung (§ 16d).",
            False,
        ),
    ):
        ExpertQuestion.objects.create(
            meeting=meeting,
            company=company,
            expert=expert,
            text=text,
            show_company=show,
            sent_at=starts - timedelta(days=2),
            answer=answer,
            answered_at=starts + timedelta(hours=3),
        )
    return meeting


def test_the_dossier_reaches_the_company_that_was_not_there(
    coordinator_page, live_server, settings
):
    settings.SITE_URL = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    meeting = held_meeting()
    page = coordinator_page
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    expect(page.get_by_label("Kurzprotokoll")).to_have_value(re.compile("Verabredet: Die Betriebe"))
    page.locator("fieldset", has_text="Kurzprotokoll").screenshot(
        path=str(SHOTS / "dossier-admin-minutes-1280.png")
    )
    page.get_by_role("link", name="Nachlese veröffentlichen …").click()
    expect(
        page.get_by_role("heading", name=f"Nachlese zu „{TITLE}“ veröffentlichen?")
    ).to_be_visible()
    expect(page.locator("#confirm-mails")).to_have_text(
        "2 E-Mails mit dem Link zur Nachlese gehen an die Kontaktpersonen von "
        "2 Mitgliedsunternehmen, davon war 1 Unternehmen nicht beim Treffen."
    )
    expect(page.locator("#confirm-consequences")).to_contain_text(
        "1 Unterlage können alle Mitglieder herunterladen."
    )
    expect(page.locator("#confirm-consequences")).to_contain_text(
        "2 beantwortete Fragen an die Fachleute werden mit ihren Antworten gezeigt"
    )
    page.screenshot(path=str(SHOTS / "dossier-confirm-1280.png"), full_page=True)
    assert mail.outbox == []  # the confirmation sends nothing

    page.get_by_role("button", name="Nachlese veröffentlichen und 2 E-Mails senden").click()
    expect(
        page.get_by_text(
            f"Die Nachlese zu „{TITLE}“ ist veröffentlicht; 2 E-Mails werden versendet."
        )
    ).to_be_visible()
    expect(page.get_by_role("link", name="Nachlese ansehen")).to_be_visible()

    (missed,) = [m for m in mail.outbox if m.to == ["jonas@olewig.example"]]
    assert "Das haben Sie verpasst" in missed.subject
    link = only_link(missed, "/dossier/")
    html, _mimetype = missed.alternatives[0]
    (SHOTS / "dossier-mail.html").write_text(html)

    # Jonas of Schreinerei Olewig opens the link from his mail and logs in.
    page.context.clear_cookies()
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.fill("#id_login", "jonas@olewig.example")
    page.fill("#id_password", "geheim-123-trier")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nachlese: {TITLE}")
    expect(page.locator("#minutes")).to_contain_text("Verabredet: Die Betriebe teilen sich")
    expect(page.get_by_text("Gefragt von Schreinerei Olewig")).to_be_visible()
    expect(page.get_by_text("Gefragt von einem Mitgliedsunternehmen")).to_be_visible()
    expect(
        page.get_by_text("Rund eine Woche, wenn die Unterlagen vollständig sind.")
    ).to_be_visible()
    expect(page.locator("#agenda")).to_contain_text("Petra Weiler, Ausländeramt Trier")
    with page.expect_download() as download:
        page.get_by_role("link", name="Folien: Das beschleunigte Verfahren").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.screenshot(path=str(SHOTS / "dossier-page-1280.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Nachlese: {TITLE}")
    assert_no_sideways_scrolling(page)
    page.screenshot(path=str(SHOTS / "dossier-page-390.png"), full_page=True)

    # The meeting's page links the dossier.
    page.goto(f"/meetings/{meeting.slug}/")
    expect(
        page.get_by_role("link", name="Nachlese lesen: Protokoll, Unterlagen und Antworten")
    ).to_be_visible()


@pytest.mark.parametrize("width", [390, 800])
def test_the_dossier_mail_reads_well(browser, width, django_capture_on_commit_callbacks):
    from meetings import services

    meeting = held_meeting()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_publish(meeting=meeting)
    page = browser.new_page(viewport={"width": width, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    for message in mail.outbox:
        html, _mimetype = message.alternatives[0]
        page.set_content(html)
        overflow = page.evaluate(
            f"""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > {width} + 1)
                .map(e => e.tagName + ' ' + e.textContent.slice(0, 40))"""
        )
        assert overflow == []
        expect(page.get_by_role("link", name="Nachlese lesen", exact=True)).to_be_visible()
        expect(page.get_by_text("In der Nachlese:")).to_be_visible()
        who = message.to[0].split("@")[0]
        page.screenshot(path=str(SHOTS / f"dossier-mail-{who}-{width}.png"), full_page=True)
    page.close()
    assert [url for url in requests if not url.startswith(("about:", "data:"))] == []
