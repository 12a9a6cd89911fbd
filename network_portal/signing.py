"""Signed links: one place that makes and checks every token sent by mail.

Each purpose has its own salt, so a token made for one purpose (say a colleague invitation) is
worthless for another (say an unsubscribe link), and every token carries its own expiry.
"""

from django.conf import settings
from django.core import signing


class LinkInvalid(Exception):
    """The token was forged, altered or made for another purpose."""


class LinkExpired(LinkInvalid):
    """The token is genuine but older than its purpose allows."""


def _salt(purpose: str) -> str:
    return f"network_portal.link.{purpose}"


def make_token(*, purpose: str, payload: dict) -> str:
    return signing.dumps(payload, salt=_salt(purpose), compress=True)


def read_token(*, purpose: str, token: str, max_age_seconds: int) -> dict:
    """Return the payload of ``token`` or raise :class:`LinkExpired` / :class:`LinkInvalid`."""
    try:
        return signing.loads(token, salt=_salt(purpose), max_age=max_age_seconds)
    except signing.SignatureExpired as exc:
        raise LinkExpired(str(exc)) from exc
    except signing.BadSignature as exc:
        raise LinkInvalid(str(exc)) from exc


def absolute_url(path: str) -> str:
    """A link for a mail or a calendar entry: SITE_URL plus the path."""
    return settings.SITE_URL + path


def site_domain() -> str:
    """The host name of SITE_URL, e.g. for calendar UIDs and List-Id headers."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
