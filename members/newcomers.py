"""Contact persons who become reachable: what the apps above members do about them.

A company approved or reactivated brings its contact persons into the network; a contact
person added to an active member company (by the company, by a coordinator, by the CSV import,
or by a colleague's login joining) is new in it. The apps above members may act on that in
the same transaction, without members importing them: meetings invites them to the meetings
still open for answers. An app registers in its ``AppConfig.ready()``::

    register_newcomers_hook("meetings", meetings.services.invite_newcomers)

and the hook is called as ``hook(contacts=[...], by_user=..., process=...)`` inside the
transaction of the change (a hook that fails rolls it back). Contacts of a company that is
not an active member are left out; a hook gets only a non-empty list.
"""

from collections.abc import Callable, Iterable

from .models import Company, ContactPerson

_hooks: dict[str, Callable] = {}


def register_newcomers_hook(name: str, hook: Callable) -> None:
    """Add (or, under the same name, replace) what an app does for new contact persons."""
    _hooks[name] = hook


def contacts_arrived(
    *, contacts: Iterable[ContactPerson], by_user=None, process: str | None = None
) -> None:
    """Tell the registered apps that ``contacts`` joined the network (see the module); called
    by the members services in the transaction that brings them in."""
    ids = [contact.pk for contact in contacts]
    if not ids or not _hooks:
        return
    arrived = list(
        ContactPerson.objects.filter(pk__in=ids, company__in=Company.objects.active())
        .select_related("company", "user")
        .order_by("pk")
    )
    if not arrived:
        return
    for name in sorted(_hooks):
        _hooks[name](contacts=arrived, by_user=by_user, process=process)
