"""A passkey in the browser (Chromium's virtual authenticator): a coordinator sets one up as
the second factor, then logs in with it alone, under the strict Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import COORDINATOR_GROUP
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"
SHOTS = Path("/tmp/shots_ha")


def virtual_authenticator(page):
    """A platform authenticator that holds passkeys and confirms the user (as a fingerprint
    reader would)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp


@pytest.mark.parametrize("width", [1280, 390])
def test_a_coordinator_sets_up_a_passkey_and_logs_in_with_it(page, live_server, settings, width):
    settings.SITE_URL = live_server.url
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test server speaks http
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    coordinator = UserFactory(email="koordination@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    virtual_authenticator(page)

    page.goto("/admin/")
    page.fill("#id_login", coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    # Without a second factor the portal insists on one; allauth asks for the password again.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Bestätigen").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))

    # No app at hand: a passkey instead.
    page.get_by_role("link", name="Passkey hinzufügen").click()
    expect(page.get_by_role("heading", name="Passkey hinzufügen")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"passkey_add_{width}.png"), full_page=True)
    page.fill("#id_name", "Laptop Büro")
    page.get_by_role("button", name="Passkey erstellen").click()
    # Saved once the browser has left the page that creates it.
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    expect(page).to_have_url(re.compile(r"/accounts/2fa/"))
    passkey = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == "Laptop Büro"

    # Setting it up proved the second factor: the administration opens.
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Verwaltung des Netzwerks")).to_be_visible()

    # Log out; the passkey alone logs in, and counts as the second factor.
    page.context.clear_cookies()
    page.goto("/accounts/login/?next=/admin/")
    page.screenshot(path=str(SHOTS / f"login_{width}.png"), full_page=True)
    page.get_by_role("button", name="Passkey verwenden").click()
    expect(page.get_by_role("heading", name="Verwaltung des Netzwerks")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert Authenticator.objects.get(
        user=coordinator, type=Authenticator.Type.WEBAUTHN
    ).last_used_at
