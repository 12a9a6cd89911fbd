"""The coordinators' start page in the admin (the cockpit): what needs attention.

The plumbing imports none of the apps; each app registers its section in its AppConfig.ready()
with :func:`register_cockpit_section`. A section either lists counters (:class:`Counter`, each
a link to exactly the filtered list behind it) or renders its own template with a context, or
both. Sections are shown in ``order``; a section whose ``permission`` the user lacks is left out,
and so is a section of counters that offers the user none (each counter asks for the permission
of its list, :func:`may_view`).

A section's functions take the request and run a fixed number of queries (aggregates, never a
query per object), so the page costs the same whatever the size of the network. A counter whose
count is 0 is not shown; a section of counters that are all 0 says "Nichts zu tun".

``template`` is rendered with the section's ``context(request)`` as its context (plus
``section``, and the request for the context processors); what it renders is placed in the
section's box below its title and counters.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .cache_versions import cached, watch

# Counter levels: "attention" asks a coordinator to act (highlighted); "info" reports a state.
ATTENTION = "attention"
INFO = "info"


@dataclass(frozen=True)
class Counter:
    """One number on the cockpit and the list it stands for."""

    label: str
    count: int
    url: str
    # "attention": something waits for a coordinator (shown highlighted while count > 0).
    level: str = INFO
    hint: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.level == ATTENTION and self.count > 0


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    order: int
    counters: Callable | None = None  # request -> list[Counter]
    template: str | None = None
    context: Callable | None = None  # request -> dict for ``template``
    permission: str | None = None  # e.g. "meetings.view_meeting"
    cached: bool = False  # kept in the cache until a watched model changes


_sections: dict[str, Section] = {}


def register_cockpit_section(
    name: str,
    *,
    title,
    order: int,
    counters: Callable | None = None,
    template: str | None = None,
    context: Callable | None = None,
    permission: str | None = None,
    watches: tuple = (),
) -> None:
    """Add (or replace) the section ``name``: ``counters(request)`` returning a list of
    :class:`Counter`, and/or ``template`` rendered with ``context(request)``.

    ``watches``: the models the section reads. A section that names them is kept in the cache
    (per user) until a row of one of them changes, and at most a minute, for what changes
    with time alone (a request turning a week old). Without them it is computed on every
    request (the outbox's and the newsletter's, which the sender writes with plain SQL)."""
    if counters is None and template is None:
        raise ImproperlyConfigured(f"Cockpit section {name!r} shows neither counters nor a page.")
    if context is not None and template is None:
        raise ImproperlyConfigured(f"Cockpit section {name!r} has a context but no template.")
    _sections[name] = Section(
        name=name,
        title=title,
        order=order,
        counters=counters,
        template=template,
        context=context,
        permission=permission,
        cached=bool(watches),
    )
    for model in watches:
        watch(model, _topic(name))


def _topic(section_name: str) -> str:
    return f"cockpit.{section_name}"


def cockpit_sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def cockpit_for(request) -> list[dict]:
    """The sections the user may see, evaluated: ``{"section", "counters", "context", "html",
    "shown", "is_empty", "attention"}``. ``counters`` are all the section's counters, ``shown``
    those with a count; ``html`` is the section's template, rendered ("" without one);
    ``is_empty``: nothing to show; ``attention``: the sum of the shown counters that ask a
    coordinator to act."""
    evaluated = []
    for section in cockpit_sections():
        if section.permission and not request.user.has_perm(section.permission):
            continue
        if section.cached:
            # Per user (what they may see) and minute (what turns due with time alone).
            minute = timezone.now().replace(second=0, microsecond=0)
            counters, context, html = cached(
                _topic(section.name),
                lambda section=section: _evaluate(section, request),
                topics=[_topic(section.name)],
                parts=[request.user.pk, minute.isoformat()],
                timeout=120,
            )
        else:
            counters, context, html = _evaluate(section, request)
        if section.counters and not counters and not section.template:
            continue  # none of its lists is the user's to see
        shown = [counter for counter in counters if counter.count]
        evaluated.append(
            {
                "section": section,
                "counters": counters,
                "context": context,
                "html": html,
                "shown": shown,
                "is_empty": not shown and not html.strip(),
                "attention": sum(c.count for c in shown if c.needs_attention),
            }
        )
    return evaluated


def _evaluate(section: Section, request) -> tuple[list, dict, str]:
    """The section's counters, its template's context and the rendered template."""
    counters = section.counters(request) if section.counters else []
    if section.counters and not counters and not section.template:
        return counters, {}, ""
    context = section.context(request) if section.context else {}
    html = ""
    if section.template:
        html = render_to_string(section.template, {**context, "section": section}, request=request)
        if section.cached and "csrfmiddlewaretoken" in html:
            raise ImproperlyConfigured(
                f"Cockpit section {section.name!r} is cached: its template may hold no form "
                "with a CSRF token (the token is per visitor)."
            )
    return counters, context, html


def changelist_url(model, **filters) -> str:
    """The admin list of ``model`` with ``filters`` as its query (the parameters of the list's
    own filters, so the list shows what the counter counts)."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def may_view(request, model) -> bool:
    """Whether the user may open ``model``'s list (a counter is only shown to them if so)."""
    opts = model._meta
    return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or (
        request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    )


# --- The plumbing's own section: the outbox -----------------------------------------------


def outbox_counters(request) -> list[Counter]:
    from .models import OutboxMail

    if not may_view(request, OutboxMail):
        return []
    failed = OutboxMail.objects.filter(status=OutboxMail.Status.FAILED).count()
    return [
        Counter(
            label=_("Emails that could not be sent"),
            count=failed,
            url=changelist_url(OutboxMail, status__exact=OutboxMail.Status.FAILED),
            level=ATTENTION,
            hint=_("The recipient's server refused them, or every attempt failed."),
        )
    ]


def register_outbox_section() -> None:
    register_cockpit_section(
        "outbox",
        title=_("Outgoing emails"),
        order=50,
        counters=outbox_counters,
        permission="network_portal.view_outboxmail",
    )
