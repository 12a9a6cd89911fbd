"""axe-core on „Mein Konto“ and the pages it leads to (BITV 2.0): no WCAG 2.1 A/AA violation."""

import pytest
from playwright.sync_api import expect

from tests.accessibility.conftest import assert_no_axe_violations
from tests.accessibility.test_axe import PASSWORD, check
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.mfa import browser_log_in
from tests.newsletter.factories import MemberListFactory, PublicListFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe"),
]


def test_my_account_and_its_pages(page, live_server, settings):
    settings.SITE_URL = live_server.url
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    CompanyAdminFactory(company=company)
    user = UserFactory(email="jonas.weber@moselblick.example", first_name="Jonas")
    MembershipFactory(user=user, company=company)
    ContactPersonFactory(company=company, user=user, email=user.email)
    MemberListFactory(name="Alle Mitglieder")
    PublicListFactory(name="Fachkräfte-Newsletter")

    browser_log_in(page, user.email, PASSWORD)
    check(page, "/account/", "Mein Konto")
    check(page, "/members/my-contact-entry/", "Ihr Eintrag als Ansprechperson")
    check(page, "/accounts/sessions/", "Offene Sitzungen")
    check(page, "/accounts/2fa/", "Zweiter Faktor")
    check(page, "/accounts/2fa/webauthn/", "Passkeys")
    # Adding a passkey asks for the password again first.
    check(page, "/accounts/2fa/webauthn/add/", "Zugriff bestätigen")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Passkey hinzufügen")
    assert_no_axe_violations(page)
    check(page, "/account/delete/", "Konto löschen")
