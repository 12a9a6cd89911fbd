"""Coordinators reach nothing but the second-factor pages until their session has passed one;
everyone's chosen language follows them to their next login."""

from django.conf import settings

from .second_factor import second_factor_refusal

# Set at login (``apply_language_at_login``): the response carries the person's language.
LANGUAGE_AT_LOGIN_SESSION_KEY = "portal_language_at_login"

# Pages a coordinator without a passed second factor may still open: enrolment (which asks for
# the password again), recovery codes, logout, email addresses and their confirmation, the
# language switch and the legal pages.
OPEN_BEFORE_SECOND_FACTOR = {
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_reauthenticate",
    # Passkeys count as a second factor too: adding one (which asks for the password again).
    "mfa_add_webauthn",
    "mfa_list_webauthn",
    "mfa_reauthenticate_webauthn",
    "account_reauthenticate",
    "account_logout",
    "account_email",  # allauth sets up TOTP only once every address is verified
    "account_email_verification_sent",
    "account_confirm_email",
    "set_language",
    "healthz",
    "imprint",
    "privacy",
    "accessibility",
}


class SecondFactorRequiredMiddleware:
    """Staff only; jurors are held at the jury's pages (see accounts.second_factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        # Superusers too, staff or not: they hold every right.
        if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
            return None
        if request.resolver_match.url_name in OPEN_BEFORE_SECOND_FACTOR:
            return None
        return second_factor_refusal(request)


def apply_language_at_login(sender, request, user, **kwargs) -> None:
    """On login (allauth's: with password, passkey or a link; the admin's login is allauth's
    too): the response of this request switches to the person's language."""
    if request is not None and hasattr(request, "session"):
        request.session[LANGUAGE_AT_LOGIN_SESSION_KEY] = True


def set_language_cookie(response, language: str) -> None:
    """The cookie Django's LocaleMiddleware reads: the language of every following page."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    """After a login, the browser is switched to the language stored with the account
    (``User.language``, chosen in „Mein Konto“ or the footer's switch). Until the next login
    the browser's choice holds, as for anyone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or LANGUAGE_AT_LOGIN_SESSION_KEY not in session:
            return response
        session.pop(LANGUAGE_AT_LOGIN_SESSION_KEY)
        user = getattr(request, "user", None)
        chosen_here = settings.LANGUAGE_COOKIE_NAME in response.cookies
        if user is not None and user.is_authenticated and user.language and not chosen_here:
            set_language_cookie(response, user.language)
        return response
