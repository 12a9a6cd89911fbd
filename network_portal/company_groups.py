"""Named groups of member companies that one app offers another, without the apps importing
each other: the seal offers "Siegelträger des Jahrgangs 2026" (the companies awarded in that
cycle), and the meetings take such a group as the guests of an event (the seal ceremony).

An app registers a *source* in its ``AppConfig.ready()``: a name and a function that returns
the groups it offers now, each a :class:`CompanyGroup` (a key unique among all groups, a label
for the coordinators, and a function returning the group's companies as a queryset). The
groups are read when asked for, since they live in the database (one group per award cycle).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CompanyGroup:
    """``key``: "<source>:<id>", e.g. "seal:2026"; ``label``: what coordinators read;
    ``companies()``: the member companies in the group now (a queryset of
    ``members.models.Company``)."""

    key: str
    label: Any
    companies: Callable[[], Any]


_sources: dict[str, Callable[[], Iterable[CompanyGroup]]] = {}


def register_company_groups(source: str, groups: Callable[[], Iterable[CompanyGroup]]) -> None:
    """Add (or, under the same name, replace) a source of company groups."""
    _sources[source] = groups


def company_groups() -> list[CompanyGroup]:
    """Every group every source offers now, source by source (by name), in the source's
    order."""
    return [group for source in sorted(_sources) for group in _sources[source]()]


def company_group(key: str) -> CompanyGroup | None:
    """The group with ``key``, or None if no source offers it (any more)."""
    return next((group for group in company_groups() if group.key == key), None)
