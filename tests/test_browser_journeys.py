"""The company users' journeys of issue 15, clicked through in the browser at a laptop's width
(1,280 px) and a phone's (390 px): every page on the way fits the screen.

- a new company: sign-up → company registration → approval → the first answer to a meeting;
- a newcomer asks to join a member company → its admin accepts → the company page.
(Changing the login address: tests/accounts/test_browser_my_account.py; the newsletter sign-up
reached from the start page: tests/network_portal/test_start_page_links.py.)
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import Registration
from members.models import Company, CompanyMembership
from tests.factories import CompanyAdminFactory, CompanyFactory, CoordinatorFactory
from tests.meetings.factories import MeetingFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.utils import (
    assert_no_sideways_scrolling,
    only_link,
    submit_company_registration,
    submit_sign_up,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [pytest.param(1280, id="laptop"), pytest.param(390, id="phone")]
PASSWORD = "Moselsteig-2026!"


@pytest.fixture
def open_page(browser, live_server):
    """A page of its own browser context at the given width."""
    contexts = []

    def open_page(width):
        context = browser.new_context(
            locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 860}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def menu(page, name):
    """Follow a link of the main navigation, opening the menu first where it is folded."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.locator("#main-nav").get_by_role("link", name=name, exact=True).click()


def sign_up(page, *, first_name, last_name, email):
    assert_no_sideways_scrolling(page)
    page.get_by_role("link", name="Jetzt mitmachen").first.click()
    assert_no_sideways_scrolling(page)
    submit_sign_up(page, first_name=first_name, last_name=last_name, email=email, password=PASSWORD)
    page.goto(only_link(mail.outbox[-1], "/accounts/confirm-email/"))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(re.compile(r"/members/welcome/$"))
    assert_no_sideways_scrolling(page)


def approve_in_the_admin(browser, live_server, coordinator, company):
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": 1280, "height": 860}
    )
    admin = context.new_page()
    browser_log_in(
        admin, coordinator.email, "geheim-123-trier", totp_secret=enroll_totp(coordinator)
    )
    admin.goto("/admin/members/company/?status__exact=pending")
    admin.check(f"input[name=_selected_action][value='{company.pk}']")
    admin.select_option("select[name=action]", "approve")
    admin.get_by_role("button", name="Ausführen").click()
    admin.get_by_role("button", name="Ja, freigeben und benachrichtigen").click()
    expect(admin.get_by_text("1 Unternehmen freigegeben und benachrichtigt.")).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_new_company_signs_up_is_approved_and_answers_its_first_meeting(
    open_page, browser, live_server, settings, width
):
    settings.SITE_URL = live_server.url  # links in mails written by the portal itself
    coordinator = CoordinatorFactory(email="koordination@example.org")
    meeting = MeetingFactory(title="Fachkräfte halten in der Pflege")

    page = open_page(width)
    page.goto("/")
    sign_up(page, first_name="Katrin", last_name="Lenz", email="katrin.lenz@saarblick.example")

    page.get_by_role("link", name="Unternehmen registrieren").last.click()
    assert_no_sideways_scrolling(page)
    submit_company_registration(page, name="Saarblick Sanitär GmbH")
    expect(page.get_by_text("wartet auf Freigabe", exact=True)).to_be_visible()
    assert_no_sideways_scrolling(page)
    # While the company waits, the menu offers nothing that would be refused.
    expect(page.locator("#main-nav").get_by_role("link", name="Netzwerktreffen")).to_have_count(0)

    company = Company.objects.get(name="Saarblick Sanitär GmbH")
    approve_in_the_admin(browser, live_server, coordinator, company)
    approval = next(m for m in mail.outbox if "ist freigegeben" in m.subject)
    assert approval.to == ["katrin.lenz@saarblick.example"]

    page.goto(only_link(approval, "/members/company/"))
    expect(page.get_by_text("aktiv", exact=True)).to_be_visible()
    menu(page, "Netzwerktreffen")
    assert_no_sideways_scrolling(page)
    page.get_by_role("link", name=meeting.title).first.click()
    assert_no_sideways_scrolling(page)
    page.get_by_role("button", name="Ich nehme teil").click()

    expect(page.get_by_text("Sie sind angemeldet").first).to_be_visible()
    assert_no_sideways_scrolling(page)
    registration = Registration.objects.get(meeting=meeting)
    assert (registration.email, registration.company) == ("katrin.lenz@saarblick.example", company)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_newcomer_asks_to_join_and_the_company_admin_accepts(
    open_page, live_server, settings, width
):
    settings.SITE_URL = live_server.url
    company = CompanyFactory(name="Moselblick Pflege GmbH", directory_consent=True)
    admin_user = CompanyAdminFactory(
        company=company, user__email="personal@moselblick.example"
    ).user

    page = open_page(width)
    page.goto("/")
    sign_up(page, first_name="Jonas", last_name="Reuter", email="jonas.reuter@example.org")
    page.get_by_role("link", name="Beitritt anfragen").click()
    assert_no_sideways_scrolling(page)
    page.get_by_label("Name Ihres Unternehmens").fill("Moselblick Pflege GmbH")
    page.get_by_role("button", name="Anfrage senden").click()
    expect(page.get_by_text("Moselblick Pflege GmbH").first).to_be_visible()
    request_mail = mail.outbox[-1]
    assert request_mail.to == ["personal@moselblick.example"]

    admin = open_page(width)
    browser_log_in(admin, admin_user.email, "geheim-123-trier")
    admin.goto(only_link(request_mail, "/members/company/"))
    assert_no_sideways_scrolling(admin)
    admin.get_by_role("button", name="Annehmen").click()
    # The request is no longer open; Jonas now has an access of the company.
    expect(admin.get_by_text("Keine offenen Anfragen.")).to_be_visible()
    expect(admin.locator("td[data-label=Name]", has_text="Jonas Reuter")).to_be_visible()
    assert_no_sideways_scrolling(admin)

    decision = mail.outbox[-1]
    assert decision.to == ["jonas.reuter@example.org"]
    page.goto(only_link(decision, "/members/company/"))
    expect(page.get_by_role("heading", name="Moselblick Pflege GmbH")).to_be_visible()
    assert_no_sideways_scrolling(page)
    assert CompanyMembership.objects.filter(
        company=company, user__email="jonas.reuter@example.org"
    ).exists()
