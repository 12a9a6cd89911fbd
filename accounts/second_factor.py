"""Two-factor authentication for coordinators and jurors.

Staff accounts (coordinators) and jurors see company data, seal evidence and mailing consents of
the whole network, so a stolen password alone must not open them. They must enrol a TOTP
authenticator (allauth's MFA, with recovery codes), and a session of theirs must have passed the
second factor before it gets what their role grants:

- staff: any page at all, enforced by ``accounts.middleware.SecondFactorRequiredMiddleware``
  (``is_staff`` is on the user row, so this costs no query);
- jurors: the jury's pages and the evidence of their assignments, enforced there through
  ``second_factor_refusal`` (a group lookup that only those pages pay for). Beyond that a juror
  is an ordinary user.

A session has passed the second factor when allauth reports an ``mfa`` authentication step in
it (login with TOTP or a recovery code) or when the user enrolled TOTP in it (enrolment proves
possession of the authenticator). Both are recorded under one session key.
"""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

SECOND_FACTOR_SESSION_KEY = "portal_second_factor_at"


def has_enrolled_second_factor(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


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
            request, _("Please log in again, this time with the code from your authenticator app.")
        )
        return redirect_to_login(request.get_full_path())
    messages.warning(
        request,
        _(
            "Coordinators and jurors must protect their account with a second factor. "
            "Please set up an authenticator app now."
        ),
    )
    return redirect("mfa_activate_totp")


def on_authentication_step(sender, request, method, **kwargs) -> None:
    if method == "mfa" and request is not None:
        mark_second_factor_passed(request)


def on_authenticator_removed(sender, request, authenticator, **kwargs) -> None:
    """Switching TOTP off (e.g. for a new phone): for a coordinator or juror this session must
    pass a new authenticator before anything else opens again."""
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        request.session.pop(SECOND_FACTOR_SESSION_KEY, None)


def on_authenticator_added(sender, request, authenticator, **kwargs) -> None:
    from allauth.mfa.models import Authenticator

    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        mark_second_factor_passed(request)
