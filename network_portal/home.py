"""What the start page shows of each app, without the plumbing importing the apps.

An app registers a section in its ``AppConfig.ready()``: a name, a function that takes the
request and returns the context the section adds to ``templates/home.html`` (members: the
number of member companies, ``member_count``; meetings: ``next_meeting``), and an order. The
start page calls the functions in that order and merges what they return.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

ContextFunction = Callable[[HttpRequest], Mapping[str, Any]]


@dataclass(frozen=True)
class HomeSection:
    name: str
    context_function: ContextFunction
    order: int


_sections: dict[str, HomeSection] = {}


def register_home_section(name: str, context_function: ContextFunction, *, order: int) -> None:
    """Add (or, under the same name, replace) a section of the start page."""
    _sections[name] = HomeSection(name=name, context_function=context_function, order=order)


def home_sections() -> list[HomeSection]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def home_context(request: HttpRequest) -> dict[str, Any]:
    """The context of every registered section; two sections may not set the same name."""
    context: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for section in home_sections():
        values = section.context_function(request)
        for key in values:
            if key in owner:
                raise ImproperlyConfigured(
                    f"Start page sections {owner[key]!r} and {section.name!r} both set {key!r}."
                )
            owner[key] = section.name
        context.update(values)
    return context
