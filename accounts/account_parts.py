"""What the apps above accounts add to a person's own account, without accounts importing them.

„Mein Konto“ (``accounts.views.account``) shows the login itself: name, login address,
language, sessions, second factors, deletion. What else a person has in the portal (their
entry as a company's contact person, their newsletters) belongs to the apps above; each
registers an :class:`AccountPart` in its ``AppConfig.ready()`` with
:func:`register_account_part`, as they do for the start page and the cockpit:

- ``template`` and ``context(request)``: a section of „Mein Konto“ (the template gets the
  context as ``part``); the function runs a fixed number of queries.
- ``address_change_refusal(user, new_email, old_email)``: a reason why the login address
  ``old_email`` cannot become ``new_email`` (asked when the address is added, before anything
  is written, and again when it becomes the login address), else None.
- ``address_changed(user, old_email, new_email)``: make the app's data about the person follow
  the new login address; returns what now uses it, as phrases for the message
  („Ihre Kontaktangaben bei …“). Called inside the transaction of
  :func:`accounts.services.login_address_change`.
- ``profile_changed(user)``: name or language changed; the app's copies follow.
- ``deletion_refusal(user)``: a reason why the account cannot be deleted now, else None.
- ``deletion_notes(user)``: what deleting the account does in the app, for the confirmation page.
- ``delete(user)``: remove or anonymise the app's personal data about the person (and the
  personal data in the activity log's entries about it); called inside the transaction of
  :func:`accounts.services.account_delete`, before the user row goes.

The parts write no activity log entry of their own: the account's service writes the one
entry of the change (``label`` names what followed it).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class AccountPart:
    name: str
    order: int
    # What the part keeps about the person ("Contact entries"), for the activity log.
    label: Any = ""
    template: str = ""
    context: Callable[[HttpRequest], Mapping[str, Any] | None] | None = None
    address_change_refusal: Callable[..., str | None] | None = None
    address_changed: Callable[..., list[str]] | None = None
    profile_changed: Callable[..., None] | None = None
    deletion_refusal: Callable[..., str | None] | None = None
    deletion_notes: Callable[..., list[str]] | None = None
    delete: Callable[..., None] | None = None


_parts: dict[str, AccountPart] = {}


def register_account_part(name: str, *, order: int, **hooks) -> None:
    """Add (or, under the same name, replace) an app's part of the account."""
    _parts[name] = AccountPart(name=name, order=order, **hooks)


def account_parts() -> list[AccountPart]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.name))


def sections(request: HttpRequest) -> list[dict]:
    """The parts' sections of „Mein Konto“ for ``request.user``: template and context; a part
    whose context is None has nothing to show for this person."""
    shown = []
    for part in account_parts():
        if not part.template or part.context is None:
            continue
        context = part.context(request)
        if context is not None:
            shown.append({"name": part.name, "template": part.template, "context": context})
    return shown


class PartLabels(Mapping):
    """The parts' labels by name, read when shown (the activity log's choices for the parts
    that followed a change)."""

    def __getitem__(self, name):
        part = _parts[name]
        return part.label or name

    def __iter__(self):
        return iter(_parts)

    def __len__(self):
        return len(_parts)
