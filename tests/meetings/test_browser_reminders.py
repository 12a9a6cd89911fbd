"""In the browser, on a laptop: a coordinator reminds everyone who has not answered from the
participant overview, through the confirmation page, and sends one person the invitation
again."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots_hg")


def test_coordinator_reminds_those_without_an_answer_and_resends_one_invitation(
    coordinator_page,
):
    page = coordinator_page
    page.set_viewport_size({"width": 1280, "height": 900})
    meeting = MeetingFactory(title="Fachkräfte halten")
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    anna = ContactPersonFactory(
        company=moselblick, first_name="Anna", last_name="Bauer", email="anna@moselblick.example"
    )
    RegistrationFactory(meeting=meeting, company=moselblick, contact=anna, email=anna.email)
    ContactPersonFactory(
        company=moselblick, first_name="Lukas", last_name="Thiel", email="lukas@moselblick.example"
    )
    olewig = CompanyFactory(name="Schreinerei Olewig")
    ContactPersonFactory(
        company=olewig, first_name="Jonas", last_name="Reuter", email="jonas@olewig.example"
    )
    ContactPersonFactory(
        company=olewig, first_name="Mia", last_name="Schuster", email="mia@olewig.example"
    )

    page.goto(f"/admin/meetings/meeting/{meeting.pk}/participants/")
    section = page.locator("#no-answer")
    expect(section.get_by_role("heading")).to_have_text(
        "Eingeladen, noch ohne Antwort (3 Personen)"
    )
    expect(section.locator("tbody tr")).to_have_count(3)
    section.scroll_into_view_if_needed()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "participants-no-answer-1280.png"), full_page=True)

    section.get_by_role("link", name="Alle 3 jetzt erinnern …").click()
    expect(
        page.get_by_role("heading", name="Alle erinnern, die noch nicht geantwortet haben?")
    ).to_be_visible()
    expect(page.locator("#confirm-recipients li")).to_have_count(3)
    page.screenshot(path=str(SHOTS / "remind-confirm-1280.png"), full_page=True)
    assert mail.outbox == []  # the confirmation page sends nothing

    page.get_by_role("button", name="3 Erinnerungen senden").click()
    expect(page.get_by_text("3 Erinnerungen werden versandt.")).to_be_visible()
    expect(page.locator("#all-reminded")).to_have_text("Alle ohne Antwort wurden heute erinnert.")
    assert sorted(m.to[0] for m in mail.outbox) == [
        "jonas@olewig.example",
        "lukas@moselblick.example",
        "mia@olewig.example",
    ]

    row = page.locator("#no-answer tbody tr", has_text="Jonas Reuter")
    row.get_by_role("link", name="Noch einmal senden …").click()
    expect(page.locator("#confirm-mails")).to_contain_text(
        "Jonas Reuter (jonas@olewig.example) erhält die Einladung noch einmal"
    )
    page.screenshot(path=str(SHOTS / "resend-confirm-1280.png"), full_page=True)
    page.get_by_role("button", name="Einladung noch einmal senden").click()
    expect(
        page.get_by_text("Die Einladung wird noch einmal an Jonas Reuter versandt.")
    ).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/meeting/{meeting.pk}/participants/#no-answer$"))
    assert [m.to[0] for m in mail.outbox[3:]] == ["jonas@olewig.example"]
    assert mail.outbox[3].attachments[0][0].endswith(".ics")
