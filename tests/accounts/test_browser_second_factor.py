"""A coordinator's first login: set up the authenticator app, then the admin opens; later
logins ask for the code (or a recovery code)."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import COORDINATOR_GROUP
from tests.factories import UserFactory
from tests.mfa import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"


def test_coordinator_enrols_totp_and_logs_in_with_a_recovery_code(page, live_server, settings):
    settings.SITE_URL = live_server.url
    coordinator = UserFactory(email="koordination@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    page.fill("#id_login", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    # No authenticator yet: the portal insists on one; allauth asks for the password again.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    expect(page.get_by_text("müssen ihr Konto mit einem zweiten Faktor schützen")).to_be_visible()
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Bestätigen").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_role("img")).to_have_count(1)  # the QR code for the app
    secret = page.input_value("#authenticator_secret")
    page.fill("#id_code", totp_code(secret))
    page.get_by_role("button", name="Aktivieren").click()

    # The recovery codes are shown right away, for a lost phone.
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    codes = page.input_value("#recovery_codes").split()
    assert len(codes) == 10

    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Verwaltung des Netzwerks")).to_be_visible()

    # Log out; the next login asks for a code, and a recovery code will do.
    page.context.clear_cookies()
    page.goto("/admin/")
    page.fill("#id_login", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.goto("/admin/")  # nothing opens before the code: back to the code prompt
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="Anmeldung").click()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Verwaltung des Netzwerks")).to_be_visible()
