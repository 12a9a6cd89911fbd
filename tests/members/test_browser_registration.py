"""In the browser: a new company from sign-up to an approved profile."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from members.models import Company
from tests.factories import CoordinatorFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.utils import only_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_company_signs_up_registers_and_is_approved(page, live_server, browser, settings):
    settings.SITE_URL = live_server.url  # links in mails written by the portal itself
    coordinator = CoordinatorFactory(email="koordination@example.org")

    page.goto("/")
    page.get_by_role("link", name="Jetzt mitmachen").click()
    page.fill("#id_first_name", "Katrin")
    page.fill("#id_last_name", "Lenz")
    page.fill("#id_email", "katrin.lenz@saarblick.example")
    page.fill("#id_password1", "Moselsteig-2026!")
    page.fill("#id_password2", "Moselsteig-2026!")
    page.get_by_role("button", name="Zugang anlegen").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))

    verification = mail.outbox[-1]
    assert verification.to == ["katrin.lenz@saarblick.example"]
    page.goto(only_link(verification, "/accounts/confirm-email/"))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(re.compile(r"/members/welcome/$"))

    page.get_by_role("link", name="Unternehmen registrieren").last.click()
    page.fill("#id_name", "Saarblick Sanitär GmbH")
    page.select_option("#id_legal_form", "gmbh")
    page.select_option("#id_industry", "crafts")
    page.select_option("#id_size_class", "small")
    page.fill("#id_street", "Saarstraße 12")
    page.fill("#id_postcode", "54290")
    page.fill("#id_city", "Trier")
    page.check("#id_directory_consent")
    page.select_option("#id_function", "management")
    page.get_by_role("button", name="Registrierung absenden").click()
    page.wait_for_url(re.compile(r"/members/company/$"))
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
    expect(admin.get_by_text("1 Unternehmen freigegeben und benachrichtigt.")).to_be_visible()
    admin_context.close()

    approval = mail.outbox[-1]
    assert approval.to == ["katrin.lenz@saarblick.example"]
    assert "ist freigegeben" in approval.subject

    page.goto(only_link(approval, "/members/company/"))
    expect(page.get_by_role("heading", name="Saarblick Sanitär GmbH")).to_be_visible()
    expect(page.get_by_text("aktiv", exact=True)).to_be_visible()
    expect(page.get_by_text("wartet auf Freigabe", exact=True)).to_have_count(0)
