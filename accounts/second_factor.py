"""Two-factor authentication for coordinators and jurors.

Staff accounts (coordinators) and jurors see company data, seal evidence and mailing consents of
the whole network, so a stolen password alone must not open them. They must enrol a TOTP
authenticator (allauth's MFA, with recovery codes): an authenticator app (TOTP) or a passkey
(WebAuthn), and a session of theirs must have passed the second factor before it gets what
their role grants:

- staff: any page at all, enforced by ``accounts.middleware.SecondFactorRequiredMiddleware``
  (``is_staff`` is on the user row, so this costs no query);
- jurors: the jury's pages and the evidence of their assignments, enforced there through
  ``second_factor_refusal`` (a group lookup that only those pages pay for). Beyond that a juror
  is an ordinary user.

A session has passed the second factor when allauth reports an ``mfa`` authentication step in
it (login with TOTP, a recovery code or a passkey, also the password-free login with a passkey,
which asks the device for its PIN or fingerprint) or when the user enrolled an authenticator
app or a passkey in it (enrolment proves possession). Both are recorded under one session key.
"""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SECOND_FACTOR_SESSION_KEY = "portal_second_factor_at"


# The kinds of authenticator that count as a second factor (recovery codes only stand in for
# one that is lost).
SECOND_FACTOR_TYPES = ("totp", "webauthn")


def has_enrolled_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def mark_second_factor_passed(request) -> None:
    request.session[SECOND_FACTOR_SESSION_KEY] = time.time()


def second_factor_passed(request) -> bool:
    return SECOND_FACTOR_SESSION_KEY in request.session


def second_factor_refusal(request):
    """The way to the second factor for a session that has not passed it, else None.

    Without an authenticator the user is sent to set one up. With one, the session predates it
    (or the rule): only a new login, which asks for the code, can lift it.
    """
    if second_factor_passed(request):
        return None
    if has_enrolled_second_factor(request.user):
        logout(request)
        messages.warning(
            request,
            _(
                "Please log in again, this time with the code from your authenticator app "
                "or with your passkey."
            ),
        )
        return redirect_to_login(request.get_full_path())
    messages.warning(
        request,
        _(
            "Coordinators and jurors must protect their account with a second factor. "
            "Please set up an authenticator app now, or a passkey."
        ),
    )
    return redirect("mfa_activate_totp")


def on_authentication_step(sender, request, method, **kwargs) -> None:
    if method == "mfa" and request is not None:
        mark_second_factor_passed(request)


def on_authenticator_removed(sender, request, authenticator, **kwargs) -> None:
    """Switching the last second factor off (e.g. TOTP for a new phone): for a coordinator or
    juror this session must pass a new authenticator before anything else opens again. With
    another one left (a passkey beside the app), the session stays as it is."""
    if (
        request is not None
        and authenticator.type in SECOND_FACTOR_TYPES
        and not has_enrolled_second_factor(authenticator.user)
    ):
        request.session.pop(SECOND_FACTOR_SESSION_KEY, None)


def on_authenticator_added(sender, request, authenticator, **kwargs) -> None:
    if request is not None and authenticator.type in SECOND_FACTOR_TYPES:
        mark_second_factor_passed(request)
