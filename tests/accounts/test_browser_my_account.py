"""In the browser, on a laptop and on a phone: „Mein Konto“, a new name, a new login address
(added, confirmed from the mail, made the login address) that the contact entry and the next
invitation follow."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings import services as meeting_services
from meetings.models import Meeting
from members.models import ContactPerson
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory
from tests.mfa import browser_log_in
from tests.newsletter.factories import MemberListFactory, SubscriberFactory, SubscriptionFactory
from tests.utils import assert_no_sideways_scrolling, only_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots_ha")
PASSWORD = "geheim-123-trier"
OLD = "jonas.weber@moselblick.example"
NEW = "j.weber@moselblick-pflege.example"


def open_menu_if_collapsed(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()


@pytest.mark.parametrize("width", [1280, 390])
def test_new_name_and_login_address_in_my_account(browser, live_server, settings, width):
    settings.SITE_URL = live_server.url  # links in mails written by the portal itself
    SHOTS.mkdir(parents=True, exist_ok=True)
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    CompanyAdminFactory(company=company)
    user = UserFactory(email=OLD, first_name="Jonas", last_name="Weber")
    MembershipFactory(user=user, company=company)
    contact = ContactPersonFactory(
        company=company, user=user, email=OLD, first_name="Jonas", last_name="Weber"
    )
    subscriber = SubscriberFactory(email=OLD, contact=contact)
    SubscriptionFactory(subscriber=subscriber, mailing_list=MemberListFactory(name="Mitglieder"))

    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_violations = []
    page.on(
        "console",
        lambda m: csp_violations.append(m.text) if "Content Security Policy" in m.text else None,
    )

    browser_log_in(page, OLD, PASSWORD)
    open_menu_if_collapsed(page)
    page.get_by_role("link", name="Mein Konto").click()
    page.wait_for_url(re.compile(r"/account/$"))
    expect(page.get_by_role("heading", name="Mein Konto", level=1)).to_be_visible()
    assert_no_sideways_scrolling(page)
    page.screenshot(path=str(SHOTS / f"my_account_{width}.png"), full_page=True)

    # The name.
    page.fill("#id_first_name", "Jonas-Peter")
    page.get_by_role("button", name="Name speichern").click()
    expect(page.get_by_text("Ihr Name ist gespeichert.")).to_be_visible()
    expect(page.locator("#id_first_name")).to_have_value("Jonas-Peter")

    # The login address: add it, confirm it from the mail, make it the login address.
    page.get_by_role("link", name="Anmeldeadresse ändern").click()
    page.fill("#id_email", NEW)
    page.get_by_role("button", name="Adresse hinzufügen").click()
    # A new login address asks for the password again, then the address is added.
    page.wait_for_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_text(NEW).first).to_be_visible()
    confirmation = mail.outbox[-1]
    assert confirmation.to == [NEW]
    page.goto(only_link(confirmation, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Bestätigen").click()
    page.goto("/accounts/email/")
    page.locator("li", has_text=NEW).get_by_role("button", name="Zur Hauptadresse machen").click()

    expect(
        page.get_by_text(
            "Ihre Kontaktangaben bei Moselblick Pflege GmbH und Ihr Newsletter-Abonnement "
            f"nutzen jetzt {NEW}."
        )
    ).to_be_visible()
    assert_no_sideways_scrolling(page)
    page.screenshot(path=str(SHOTS / f"address_changed_{width}.png"), full_page=True)

    page.goto("/account/")
    expect(page.locator("#members")).to_contain_text(NEW)
    expect(page.locator("#members")).to_contain_text("Jonas-Peter Weber")
    assert_no_sideways_scrolling(page)
    page.screenshot(path=str(SHOTS / f"my_account_after_{width}.png"), full_page=True)

    # The pages „Mein Konto“ leads to fit the screen too.
    for path, name in (
        ("/members/my-contact-entry/", "contact"),
        ("/accounts/sessions/", "sessions"),
        ("/accounts/2fa/", "second_factor"),
    ):
        page.goto(path)
        assert_no_sideways_scrolling(page)
        page.screenshot(path=str(SHOTS / f"{name}_{width}.png"), full_page=True)
    page.goto("/account/")

    # The delete page says what happens.
    page.get_by_role("link", name="Konto löschen …").click()
    if "/reauthenticate/" in page.url:
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("heading", name="Konto löschen")).to_be_visible()
    assert_no_sideways_scrolling(page)
    page.screenshot(path=str(SHOTS / f"delete_{width}.png"), full_page=True)
    context.close()

    assert ContactPerson.objects.get(pk=contact.pk).email == NEW
    # The next invitation reaches the new address, and the old one gets none.
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="Netzwerktreffen Herbst")
    outbox_before = len(mail.outbox)
    meeting_services.meeting_publish(meeting=meeting)
    invitations = [m for m in mail.outbox[outbox_before:] if "Netzwerktreffen Herbst" in m.subject]
    assert [m.to for m in invitations] == [[NEW]]
    assert csp_violations == []
