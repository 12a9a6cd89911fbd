"""What a request may answer, and how a matrix entry describes one URL."""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from .world import ROLES

OK = 200
CREATED = 201
BAD_REQUEST = 400
UNAUTHORIZED = 401
FORBIDDEN = 403
NOT_FOUND = 404
GONE = 410  # the portal's answer to a link whose token is invalid or used up
SERVICE_UNAVAILABLE = 503


@dataclass(frozen=True)
class Redirect:
    """A 302 to ``target``: a URL name (reversed without arguments), a path, or a function of
    the world and the requested path. ``login`` means the login page with ``?next=`` the
    requested path (or ``next``)."""

    target: object = None
    login: bool = False
    next: str | None = None
    status: int = 302

    def matches(self, world, requested: str, location: str | None) -> bool:
        if not self.login:
            return location == self.location(world, requested)
        # Django's and allauth's login redirects quote "next" differently: compare its value.
        parts = urlsplit(location or "")
        return parts.path == resolve_url(settings.LOGIN_URL) and parse_qs(parts.query) == {
            "next": [self.next or requested]
        }

    def location(self, world, requested: str) -> str:
        if callable(self.target):
            return self.target(world, requested)
        if self.target.startswith("/"):
            return self.target
        return reverse(self.target)

    def __str__(self):
        if self.login:
            return f"302 to the login (next={self.next or 'the page'})"
        name = getattr(self.target, "__name__", self.target)
        return f"{self.status} to {name}"


LOGIN = Redirect(login=True)


def to(target, status=302) -> Redirect:
    return Redirect(target=target, status=status)


def login_next(path: str) -> Redirect:
    return Redirect(login=True, next=path)


def _check_roles(names, *, all_required: bool) -> None:
    unknown = sorted(set(names) - set(ROLES))
    missing = [role for role in ROLES if role not in names] if all_required else []
    if unknown or missing:
        raise TypeError(f"roles are {ROLES}; unknown: {unknown}, missing: {missing}")


def by_role(**outcomes) -> dict:
    """The expected outcome per role, every role named: ``by_role(anonymous=LOGIN, ...)``."""
    _check_roles(outcomes, all_required=True)
    return {role: outcomes[role] for role in ROLES}


def everyone(outcome, **overrides) -> dict:
    """``outcome`` for every role but the ones named: ``everyone(OK, anonymous=LOGIN)``."""
    _check_roles(overrides, all_required=False)
    return by_role(**{**dict.fromkeys(ROLES, outcome), **overrides})


@dataclass(frozen=True)
class Extra:
    """One more cell for a URL: another object, query or credential, requested as ``role``.

    ``kwargs``/``query``/``data``/``headers``/``method`` replace the entry's own when given
    (``method``: the other verb of a URL whose GET confirms what its POST does).
    """

    label: str
    role: str
    expect: object
    method: str | None = None
    kwargs: Callable | None = None
    query: Callable | str | None = None
    data: Callable | dict | None = None
    headers: Callable | dict | None = None


@dataclass(frozen=True)
class Entry:
    """How to request one URL pattern and what each role gets.

    ``kwargs``, ``query``, ``data`` and ``headers`` are values or functions of the world.
    ``token``: the URL carries a credential (a signed token, a secret feed address); its page is
    the token holder's, whoever is logged in, and a bogus credential must be refused (an
    ``Extra`` with label "bogus token").
    ``path``: for an unnamed pattern, a function of the world giving the path to request.
    """

    expect: dict
    kwargs: Callable | dict | None = None
    method: str = "get"
    query: Callable | str = ""
    data: Callable | dict | None = None
    headers: Callable | dict | None = None
    token: bool = False
    path: Callable | None = None
    extras: tuple = field(default_factory=tuple)
    # Log in afresh for the cell: allauth's pages ask for the password again when the login is
    # older than ACCOUNT_REAUTHENTICATION_TIMEOUT, and the module's shared logins may be.
    fresh_login: bool = False
    why: str = ""  # why an outcome departs from the rule

    def __post_init__(self):
        assert set(self.expect) == set(ROLES), f"expectations for {sorted(self.expect)}"
