"""In the browser: a new company from sign-up to an approved profile."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import Company
from tests.factories import CoordinatorFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.utils import only_link, submit_company_registration, submit_sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_company_signs_up_registers_and_is_approved(page, live_server, browser, settings):
    settings.SITE_URL = live_server.url  # links in mails written by the portal itself
    coordinator = CoordinatorFactory(email="koordination@example.org")

    page.goto("/")
    page.get_by_role("link", name="Jetzt mitmachen").click()
    submit_sign_up(
        page,
        first_name="Katrin",
        last_name="Lenz",
        email="katrin.lenz@saarblick.example",
        password="Moselsteig-2026!",
    )

    verification = mail.outbox[-1]
    assert verification.to == ["katrin.lenz@saarblick.example"]
    page.goto(only_link(verification, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(re.compile(r"/members/welcome/$"))

    page.get_by_role("link", name="Unternehmen registrieren").last.click()
    submit_company_registration(page, name="Saarblick Sanitär GmbH")
    expect(page.get_by_text("wartet auf Freigabe", exact=True)).to_be_visible()

    # The coordinator approves in the admin, in a browser of her own.
    admin_context = browser.new_context(locale="de-DE", base_url=live_server.url)
    admin = admin_context.new_page()
    browser_log_in(
        admin, coordinator.email, "geheim-123-trier", totp_secret=enroll_totp(coordinator)
    )
    admin.goto("/admin/members/company/?status__exact=pending")
    company = Company.objects.get(name="Saarblick Sanitär GmbH")
    admin.check(f"input[name=_selected_action][value='{company.pk}']")
    admin.select_option("select[name=action]", "approve")
    admin.get_by_role("button", name="Ausführen").click()
    # The confirmation names the company and the mails (network_portal.admin_views).
    expect(admin.get_by_text("1 E-Mail wird verschickt (Empfänger: 1).")).to_be_visible()
    admin.get_by_role("button", name="Ja, freigeben und benachrichtigen").click()
    expect(admin.get_by_text("1 Unternehmen freigegeben und benachrichtigt.")).to_be_visible()
    admin_context.close()

    approval = mail.outbox[-1]
    assert approval.to == ["katrin.lenz@saarblick.example"]
    assert "ist freigegeben" in approval.subject

    page.goto(only_link(approval, "/members/company/"))
    expect(page.get_by_role("heading", name="Saarblick Sanitär GmbH")).to_be_visible()
    expect(page.get_by_text("aktiv", exact=True)).to_be_visible()
    expect(page.get_by_text("wartet auf Freigabe", exact=True)).to_have_count(0)
