"""Coordinators reach nothing but the second-factor pages until their session has passed one."""

from .second_factor import second_factor_refusal

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
