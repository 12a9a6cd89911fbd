"""Logins of coordinators and jurors, who must have passed a second factor (TOTP)."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt

from accounts.second_factor import SECOND_FACTOR_SESSION_KEY

TOTP_PERIOD = 30  # allauth's default MFA_TOTP_PERIOD


def enroll_totp(user) -> str:
    """Give ``user`` a TOTP authenticator, as allauth's enrolment does; returns the secret."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing:
        return decrypt(existing.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, at: float | None = None) -> str:
    """The code an authenticator app shows for ``secret`` now (or at the time ``at``)."""
    counter = int((time.time() if at is None else at) // TOTP_PERIOD)
    return format_hotp_value(hotp_value(secret, counter))


def _log_in(client, user, *, second_factor: bool) -> None:
    client.force_login(user)
    session = client.session
    now = time.time()
    # What allauth records for a login with the password (and the code): its reauthentication
    # reads it.
    methods = [{"method": "password", "at": now, "reauthenticated": True}]
    if second_factor:
        session[SECOND_FACTOR_SESSION_KEY] = now
        methods.append({"method": "mfa", "at": now, "type": "totp"})
    session["account_authentication_methods"] = methods
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def log_in_recently(client, user) -> None:
    """Log ``client`` in as ``user`` with the password just now: allauth asks for nothing
    again for a while (changing the login address, deleting the account)."""
    _log_in(client, user, second_factor=False)


def login_with_second_factor(client, user) -> None:
    """Log ``client`` in as ``user`` with a session that has passed the second factor.

    For coordinators and jurors; company users log in with ``client.force_login`` alone.
    """
    enroll_totp(user)
    _log_in(client, user, second_factor=True)


def browser_log_in(page, email: str, password: str, *, totp_secret: str | None = None) -> None:
    """Log in through the login page, and with the authenticator's code when it asks for it."""
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if totp_secret is not None:
        page.fill("#id_code", code_with_time_left(totp_secret))
        page.get_by_role("button", name="Anmeldung").click()
        page.wait_for_url(lambda url: "/accounts/2fa/" not in url)
    page.wait_for_load_state()


def code_with_time_left(secret: str, *, seconds: float = 5) -> str:
    """The current code, with at least ``seconds`` of its period left: allauth accepts only the
    current period's code (MFA_TOTP_TOLERANCE 0), and a code typed at the very end of a period
    could reach the server in the next one (a slow machine made logins fail at random)."""
    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < seconds:
        time.sleep(left + 0.05)
    return totp_code(secret)
