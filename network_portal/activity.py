"""The activity log (Protokoll): every state change leaves one entry.

A service that changes state calls :func:`log_activity` once, inside its transaction, after
the change and before it enqueues its mails: who (the user passed to the service, or the
process that acted: beat, a worker, a command, a webhook, a signed link, the website's form),
what (an action code such as ``members.company.approved``), on which object, and the details
that matter (old → new status, number of recipients of a mass mail, the reason given). Rolled
back with the change, the entry is gone with it. A call that changes nothing (a second run, a
repeated answer, nothing due) writes no entry.

Each app names its actions in ``<app>/activity.py`` with :func:`register_actions`: a label
(gettext, read in the reader's language) per code, and for each key of the details a
:class:`Detail` saying how to show it and whether it is personal data. The plumbing imports
these modules when the apps are ready (``autodiscover_modules("activity")`` in
``NetworkPortalConfig.ready``), never an app by name. An unregistered action or detail key is
refused, so every entry can be read.

Erasure under the GDPR keeps the event and removes the personal data in it:
:func:`erase_personal_data`.

Reading: :func:`entry_who`, :func:`entry_what`, :func:`entry_details` (as ``(label, text)``
rows) and :func:`object_history` (an object's entries, with the admin's own log of changes
made by hand in its forms), used by the admin's „Protokoll“ and each object's history page.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy, pgettext

from .models import ActivityEntry

Process = ActivityEntry.Process
LABEL_LENGTH = 300


@dataclass(frozen=True)
class Detail:
    """How to show one key of an entry's details.

    ``choices``: stored value → label (a model's ``TextChoices.choices``). ``change``: the value
    is ``[old, new]``, shown as "old → new". ``kind``: ``"text"`` (also numbers and lists),
    ``"datetime"`` and ``"date"`` (ISO strings, shown in the reader's format and time zone),
    ``"fields"`` (names of the object's model fields, shown with their verbose names).
    ``personal``: personal data, removed on erasure.
    """

    label: Any
    choices: Mapping | Iterable | None = None
    change: bool = False
    kind: str = "text"
    personal: bool = False


@dataclass(frozen=True)
class ActionType:
    code: str
    label: Any
    details: Mapping[str, Detail] = field(default_factory=dict)

    @property
    def area(self) -> str:
        return self.code.split(".", 1)[0]


# Details several apps record, with one label.
RECIPIENTS = Detail(gettext_lazy("Recipients"))

_actions: dict[str, ActionType] = {}


def register_actions(
    actions: Mapping[str, Any], *, details: Mapping[str, Detail] | None = None
) -> None:
    """Name ``actions`` (code → label) and the keys of ``details`` their entries may carry.

    A code reads ``<area>.<object>.<verb>``; the area is the app's label (the list's filter
    shows the app's name). Registering a code again replaces it.
    """
    details = dict(details or {})
    for key, detail in details.items():
        if detail.choices is not None and not isinstance(detail.choices, Mapping):
            details[key] = Detail(
                detail.label,
                choices=dict(detail.choices),
                change=detail.change,
                kind=detail.kind,
                personal=detail.personal,
            )
    for code, label in actions.items():
        if code.count(".") < 2:
            raise ImproperlyConfigured(
                f"Action code {code!r} must read <area>.<object>.<verb>, e.g. "
                "'members.company.approved'."
            )
        _actions[code] = ActionType(code=code, label=label, details=details)


def action_type(code: str) -> ActionType | None:
    return _actions.get(code)


def registered_actions() -> list[ActionType]:
    """Every registered action, by area and code."""
    return sorted(_actions.values(), key=lambda action: (action.area, action.code))


def area_label(area: str) -> str:
    """The name of an area: its app's name, where an app has this label."""
    try:
        return str(apps.get_app_config(area).verbose_name)
    except LookupError:
        return area


def areas() -> list[tuple[str, str]]:
    """``(area, name)`` of every area with registered actions, by name."""
    found = {action.area for action in _actions.values()}
    return sorted(((area, area_label(area)) for area in found), key=lambda pair: pair[1])


# --- Writing --------------------------------------------------------------------------------


def _label(value) -> str:
    return Truncator(str(value)).chars(LABEL_LENGTH)


def log_activity(
    *,
    action: str,
    obj=None,
    by_user=None,
    process: str | None = None,
    actor_label: str = "",
    details: Mapping[str, Any] | None = None,
) -> ActivityEntry:
    """Record that ``action`` happened to ``obj``; call it inside the change's transaction.

    Who: ``by_user`` (a user), or ``process`` (a :class:`Process`: beat, a worker, …), and for
    an anonymous person ``actor_label`` (the address that answered, unsubscribed, …: personal
    data, removed on erasure). ``details``: only keys the action registered, with values JSON
    can hold (dates and times are stored as ISO text). Log ``obj`` before deleting it: its type,
    id and label are kept.
    """
    action_kind = _actions.get(action)
    if action_kind is None:
        raise ImproperlyConfigured(
            f"Unknown activity {action!r}: register it in its app's activity.py."
        )
    details = dict(details or {})
    unknown = sorted(set(details) - set(action_kind.details))
    if unknown:
        raise ImproperlyConfigured(f"Activity {action!r} has no details named {unknown}.")
    if process and process not in Process.values:
        raise ImproperlyConfigured(f"Unknown process {process!r}: one of {Process.values}.")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "log_activity() runs inside the transaction of the change it records, so the "
            "entry is rolled back with it."
        )
    if by_user is not None and not by_user.is_authenticated:
        by_user = None
    entry = ActivityEntry(
        action=action,
        actor=by_user,
        actor_label=_label(by_user if by_user is not None else actor_label),
        process=process or "",
        details=details,
    )
    if obj is not None:
        if obj.pk is None:
            raise ValueError("Log the object before it is deleted: it has no id any more.")
        entry.object_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_label = _label(obj)
    entry.save()
    return entry


def erase_personal_data(*, objects: Iterable) -> int:
    """Remove the personal data from every entry about one of ``objects`` (model instances,
    before they are deleted), keeping what happened and when.

    Goes: the object's label, the anonymous person who acted (``actor_label`` of entries
    without a user), and the details the action marks ``personal``. Stays: action, time, the
    user who acted (a coordinator acting on the person), the kind and id of the object, the
    other details. Returns the number of entries changed.
    """
    by_type: dict[int, set[str]] = {}
    for obj in objects:
        content_type = ContentType.objects.get_for_model(obj)
        by_type.setdefault(content_type.pk, set()).add(str(obj.pk))
    if not by_type:
        return 0
    about = Q()
    for type_id, ids in by_type.items():
        about |= Q(object_type_id=type_id, object_id__in=ids)
    entries = list(ActivityEntry.objects.select_for_update().filter(about).order_by("pk"))
    now = timezone.now()
    for entry in entries:
        kind = _actions.get(entry.action)
        personal = (
            {key for key, detail in kind.details.items() if detail.personal}
            if kind is not None
            else set(entry.details)
        )
        entry.details = {key: value for key, value in entry.details.items() if key not in personal}
        entry.object_label = ""
        if entry.actor_id is None:
            entry.actor_label = ""
        entry.personal_data_erased_at = now
    ActivityEntry.objects.bulk_update(
        entries, ["details", "object_label", "actor_label", "personal_data_erased_at"]
    )
    return len(entries)


def erase_actor(*, user) -> int:
    """Remove the name of ``user`` (a person whose account is deleted, before the row goes)
    from the entries of what they did; what happened, when and to what stays. Returns the
    number of entries changed."""
    return ActivityEntry.objects.filter(actor=user).update(
        actor_label="", personal_data_erased_at=timezone.now()
    )


# --- Reading --------------------------------------------------------------------------------


def entry_who(entry: ActivityEntry) -> str:
    """Who acted: the user (as recorded), or the anonymous person and the way the change came,
    or the process."""
    process = entry.get_process_display() if entry.process else ""
    if entry.actor_label and process:
        return f"{entry.actor_label} ({process})"
    if entry.actor_label:
        return entry.actor_label
    if process:
        return process
    if entry.personal_data_erased_at is not None:
        return gettext("(personal data erased)")
    return "–"


def entry_what(entry: ActivityEntry) -> str:
    kind = _actions.get(entry.action)
    return str(kind.label) if kind is not None else entry.action


def entry_object(entry: ActivityEntry) -> str:
    """The object as it was called; erased or unnamed: its kind and id."""
    if entry.object_label:
        return entry.object_label
    if not entry.object_id:
        return ""
    model = entry.object_type.model_class() if entry.object_type_id else None
    kind = str(model._meta.verbose_name) if model is not None else gettext("Object")
    text = f"{kind} #{entry.object_id}"
    if entry.personal_data_erased_at is not None:
        text = f"{text} {gettext('(personal data erased)')}"
    return text


def _choice(detail: Detail | None, value) -> str:
    if detail is not None and detail.choices is not None and value in detail.choices:
        return str(detail.choices[value])
    return _plain(value)


def _plain(value) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return pgettext("activity detail", "yes") if value else pgettext("activity detail", "no")
    if isinstance(value, int | float):
        return formats.number_format(value)
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value) or "–"
    return str(value)


def _moment(detail: Detail, value) -> str:
    """A date or time, stored as ISO text (or not yet stored: the object itself)."""
    if detail.kind == "date":
        day = parse_date(value) if isinstance(value, str) else value
        return formats.date_format(day, "DATE_FORMAT") if isinstance(day, date) else _plain(value)
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return _plain(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "DATETIME_FORMAT")


def _field_names(entry: ActivityEntry, names) -> str:
    model = entry.object_type.model_class() if entry.object_type_id else None
    shown = []
    for name in names if isinstance(names, list) else [names]:
        try:
            shown.append(str(model._meta.get_field(name).verbose_name) if model else str(name))
        except FieldDoesNotExist:
            shown.append(str(name))
    return ", ".join(shown) or "–"


def _value(entry: ActivityEntry, detail: Detail | None, value) -> str:
    if detail is None:
        return _plain(value)
    if detail.change and isinstance(value, list) and len(value) == 2:
        return f"{_value_one(entry, detail, value[0])} → {_value_one(entry, detail, value[1])}"
    return _value_one(entry, detail, value)


def _value_one(entry: ActivityEntry, detail: Detail, value) -> str:
    if detail.kind in ("datetime", "date"):
        return _moment(detail, value)
    if detail.kind == "fields":
        return _field_names(entry, value)
    if isinstance(value, list):
        return ", ".join(_choice(detail, item) for item in value) or "–"
    return _choice(detail, value)


def entry_details(entry: ActivityEntry) -> list[tuple[str, str]]:
    """The details as ``(label, text)``, in the order the action registered them."""
    kind = _actions.get(entry.action)
    registered = kind.details if kind is not None else {}
    keys = [key for key in registered if key in entry.details]
    keys += sorted(key for key in entry.details if key not in registered)
    return [
        (
            str(registered[key].label) if key in registered else key,
            _value(entry, registered.get(key), entry.details[key]),
        )
        for key in keys
    ]


def entry_details_text(entry: ActivityEntry) -> str:
    return "; ".join(f"{label}: {text}" for label, text in entry_details(entry))


@dataclass(frozen=True)
class HistoryRow:
    """One line of an object's history page."""

    at: datetime
    who: str
    what: str
    details: list[tuple[str, str]]


_BY_HAND = {
    ADDITION: gettext_lazy("Added in the admin"),
    CHANGE: gettext_lazy("Changed in the admin"),
    DELETION: gettext_lazy("Deleted in the admin"),
}


def object_history(obj, *, limit: int) -> tuple[list[HistoryRow], bool]:
    """The newest ``limit`` events of ``obj``, newest first: its activity log entries and the
    admin's own records of changes made by hand in its forms. Two queries, whatever the
    number. Returns the rows and whether there are older ones."""
    content_type = ContentType.objects.get_for_model(obj)
    entries = list(
        ActivityEntry.objects.filter(object_type=content_type, object_id=str(obj.pk))
        .select_related("object_type")
        .order_by("-at", "-pk")[: limit + 1]
    )
    by_hand = list(
        LogEntry.objects.filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("user")
        .order_by("-action_time", "-pk")[: limit + 1]
    )
    rows = [
        HistoryRow(
            at=entry.at,
            who=entry_who(entry),
            what=entry_what(entry),
            details=entry_details(entry),
        )
        for entry in entries
    ]
    for record in by_hand:
        message = record.get_change_message()
        rows.append(
            HistoryRow(
                at=record.action_time,
                who=str(record.user) if record.user_id else "–",
                what=str(_BY_HAND.get(record.action_flag, "")),
                details=[(gettext("Changes"), message)] if message else [],
            )
        )
    rows.sort(key=lambda row: row.at, reverse=True)
    return rows[:limit], len(rows) > limit
