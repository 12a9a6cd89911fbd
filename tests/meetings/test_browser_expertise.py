"""In the browser, on a laptop and on a phone: a company offers its expertise → a coordinator
finds it among the matching offers of a meeting and asks → the contact accepts through the
link in the mail → the meeting's agenda shows the speaker."""

import os
import re
from datetime import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import AgendaItem, SpeakerRequest
from members.models import ExpertiseOffer
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    ExpertiseTopicFactory,
    MembershipFactory,
)
from tests.meetings.factories import MeetingFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.utils import assert_no_sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"
SCREENSHOTS = os.environ.get("H1_SCREENSHOTS", "")


def new_page(browser, live_server, width):
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, violations


def assert_content_fits(page):
    """The page needs no sideways scrolling, the main navigation included."""
    page.wait_for_load_state()
    assert_no_sideways_scrolling(page)


def shot(page, name, width):
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_offer_ask_accept_and_the_agenda_shows_the_speaker(browser, live_server, settings, width):
    settings.SITE_URL = live_server.url
    topic = ExpertiseTopicFactory(name="Ausbildung in Teilzeit")
    ExpertiseTopicFactory(name="Fachkräfte aus dem Ausland")
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    ContactPersonFactory(
        company=company, first_name="Anna", last_name="Schmitt", email="anna@moselblick.example"
    )
    user = MembershipFactory(company=company, user__email="petra@moselblick.example").user
    coordinator = CoordinatorFactory(email="koordination@example.org")
    meeting = MeetingFactory(title="Ausbildung neu denken")
    meeting.expertise_topics.set([topic])
    AgendaItem.objects.create(meeting=meeting, starts_at=time(16, 0), title="Begrüßung")

    # --- The company user offers a report on the topic ---------------------------------------
    page, company_violations = new_page(browser, live_server, width)
    browser_log_in(page, user.email, PASSWORD)
    page.goto("/members/company/")
    page.get_by_role("link", name="Unser Wissen teilen").click()
    expect(page.get_by_text("Ihr Unternehmen hat noch nichts angeboten.")).to_be_visible()
    shot(page, "expertise-empty", width)
    page.get_by_role("link", name="Angebot hinzufügen").click()
    page.get_by_label("Ausbildung in Teilzeit").check()
    page.get_by_label("Was Sie teilen können").fill("Zwei Azubis in Teilzeit seit 2023.")
    page.get_by_label("Ansprechperson für dieses Angebot").select_option(label="Anna Schmitt")
    shot(page, "expertise-form", width)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Ihr Angebot wurde gespeichert.")).to_be_visible()
    expect(page.locator("#expertise-offers")).to_contain_text("Ausbildung in Teilzeit")
    assert_content_fits(page)
    shot(page, "expertise-list", width)
    offer = ExpertiseOffer.objects.get()

    # --- The coordinator finds it and asks ---------------------------------------------------
    admin_page, admin_violations = new_page(browser, live_server, width)
    browser_log_in(admin_page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    admin_page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    admin_page.get_by_role("link", name="Passende Angebote").click()
    expect(admin_page.locator(f"#offer-{offer.pk}")).to_contain_text("Moselblick Pflege GmbH")
    shot(admin_page, "matching-offers", width)
    admin_page.get_by_role("link", name="Moselblick Pflege GmbH um einen Beitrag bitten").click()
    admin_page.get_by_label("Titel des Beitrags").fill("Teilzeitausbildung in der Pflege")
    admin_page.get_by_label("Persönliche Nachricht").fill("Die Mitglieder fragen oft danach.")
    shot(admin_page, "ask-form", width)
    admin_page.get_by_role("button", name="Weiter …").click()
    expect(admin_page.locator("#confirm-mails")).to_contain_text(
        "1 E-Mail an anna@moselblick.example."
    )
    shot(admin_page, "ask-confirm", width)
    assert not SpeakerRequest.objects.exists()
    admin_page.get_by_role("button", name="Anfrage senden").click()
    expect(admin_page.get_by_text("Anna Schmitt wurde per E-Mail angefragt")).to_be_visible()
    expect(admin_page.locator(f"#offer-{offer.pk}")).to_contain_text("angefragt (offen)")

    # --- The contact accepts through the link in the mail ------------------------------------
    request_mail = next(m for m in mail.outbox if m.to == ["anna@moselblick.example"])
    accept_link = re.search(r"Zusagen: (\S+)", request_mail.body).group(1)
    contact_page, contact_violations = new_page(browser, live_server, width)
    contact_page.goto(accept_link)
    expect(contact_page.get_by_role("heading", level=1)).to_have_text("Anfrage für einen Beitrag")
    assert SpeakerRequest.objects.get().status == "pending"  # opening the link changes nothing
    shot(contact_page, "speaker-answer", width)
    contact_page.get_by_role("button", name="Zusagen").click()
    expect(contact_page.get_by_role("heading", name="Vielen Dank!")).to_be_visible()
    assert_content_fits(contact_page)
    shot(contact_page, "speaker-accepted", width)
    assert any(m.to == ["koordination@example.org"] and "Zusage" in m.subject for m in mail.outbox)

    # --- The meeting's agenda shows the speaker ------------------------------------------------
    page.goto(f"/meetings/{meeting.slug}/")
    agenda = page.locator("main")
    expect(agenda).to_contain_text("Teilzeitausbildung in der Pflege")
    expect(agenda).to_contain_text("Anna Schmitt (Moselblick Pflege GmbH)")
    expect(agenda).to_contain_text("16:30")
    shot(page, "meeting-agenda", width)

    for violations in (company_violations, admin_violations, contact_violations):
        assert violations == []
    for each in (page, admin_page, contact_page):
        each.context.close()
