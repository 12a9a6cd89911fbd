"""Limits on the forms that send mail to an address anybody may type in.

The account sign-up and the newsletter sign-up each mail the address entered (a link to
confirm it, or a note that the account exists already), so without a limit they would send
mail to strangers for anyone. Each form counts the sign-ups it accepts, per client address and
overall, with allauth's rate limiter: ``SIGNUP_RATE_PER_CLIENT`` and ``SIGNUP_RATE_OVERALL``
(settings.ACCOUNT_RATE_LIMITS under the names below). The counts live in the cache
(``CACHE_URL``): with Redis all processes share them, with the default local memory each
process counts for itself. The newsletter service still sends at most one mail per address per
hour on top of this.
"""

from django.utils.translation import gettext_lazy as _

ACCOUNT_SIGNUP = "portal_signup"
NEWSLETTER_SIGNUP = "portal_newsletter_signup"

REFUSED = _(
    "Too many sign-ups have been sent in a short time. Nothing was saved and no email was "
    "sent. Please try again later."
)


def signup_allowed(request, *, action: str) -> bool:
    """Count one sign-up through the form ``action`` (ACCOUNT_SIGNUP, NEWSLETTER_SIGNUP).

    False once the limit for the client's address or the overall one is reached; a refused
    sign-up is not counted, so a client over its own limit does not use up everyone's.
    """
    from allauth.core import ratelimit

    if not ratelimit.consume(request, action=action, key="all", dry_run=True):
        return False
    return ratelimit.consume(request, action=action, key="all")
