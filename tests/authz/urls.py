"""Every URL pattern of the project, found by walking the root URL resolver."""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Unnamed patterns are keyed by their full route after this prefix.
UNNAMED = "<unnamed> "


@dataclass(frozen=True)
class Pattern:
    key: str  # "namespace:name", or UNNAMED + the full route
    route: str  # the full route, e.g. "members/company/contacts/<int:pk>/edit/"


def _walk(resolver: URLResolver, prefix: str, namespace: str):
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = UNNAMED + route
            yield Pattern(key=key, route=route)


def url_patterns() -> list[Pattern]:
    return list(_walk(get_resolver(), "", ""))
