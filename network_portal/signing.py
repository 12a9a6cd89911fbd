"""Signed links: one place that makes and checks every token sent by mail.

Each purpose has its own salt, so a token made for one purpose (say a colleague invitation) is
worthless for another (say an unsubscribe link), and every token carries its own expiry.

A view reached by such a link reads it with :func:`read_link` and inherits
:class:`LinkProblemPageMixin`: whatever makes the link unusable (forged, expired, or naming
something that is gone) is a :class:`LinkProblem`, shown on the view's own page as "Gone" (410).
"""

from django.conf import settings
from django.core import signing
from django.shortcuts import render


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


class LinkProblem(Exception):
    """A link from a mail that can't be used, with the message the visitor reads."""

    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.message = message
        self.expired = expired


def read_link(
    token: str, *, purpose: str, max_age_seconds: int, expired_message: str, invalid_message: str
) -> dict:
    """The payload of a link opened in a view, or :class:`LinkProblem` with the fitting message."""
    try:
        return read_token(purpose=purpose, token=token, max_age_seconds=max_age_seconds)
    except LinkExpired as error:
        raise LinkProblem(expired_message, expired=True) from error
    except LinkInvalid as error:
        raise LinkProblem(invalid_message) from error


class LinkProblemPageMixin:
    """For a view reached by a signed link: a :class:`LinkProblem` raised while it answers
    becomes its ``template_name`` with ``problem`` (the message) and ``expired``, status 410."""

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except LinkProblem as problem:
            return render(
                request,
                self.template_name,
                {"problem": problem.message, "expired": problem.expired},
                status=410,
            )


def absolute_url(path: str) -> str:
    """A link for a mail or a calendar entry: SITE_URL plus the path."""
    return settings.SITE_URL + path


def site_domain() -> str:
    """The host name of SITE_URL, e.g. for calendar UIDs and List-Id headers."""
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
