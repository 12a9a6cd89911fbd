"""Panels that other apps add to a member company's page in the admin (its change page), so
members shows, e.g., the company's engagement without importing the app that counts it.

An app registers a panel in its ``AppConfig.ready()`` with :func:`register_company_panel`: a
title, a template and a function ``context(request, company)`` giving the template's context
(a fixed number of queries: the page shows one company). Panels are shown in ``order``, below
the company's fields; one whose ``permission`` the user lacks is left out.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class CompanyPanel:
    name: str
    title: str
    order: int
    template: str
    context: Callable | None = None  # (request, company) -> dict for ``template``
    permission: str | None = None  # e.g. "reports.view_engagement"


_panels: dict[str, CompanyPanel] = {}


def register_company_panel(
    name: str,
    *,
    title,
    template: str,
    order: int = 50,
    context: Callable | None = None,
    permission: str | None = None,
) -> None:
    """Add (or, under the same name, replace) a panel of the company's admin page."""
    _panels[name] = CompanyPanel(
        name=name,
        title=title,
        order=order,
        template=template,
        context=context,
        permission=permission,
    )


def company_panels(request, company) -> list[dict]:
    """The panels the user may see for ``company``, rendered: ``{"panel", "html"}``. The
    template gets the panel's context, ``company`` and ``panel``."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.name)):
        if panel.permission and not request.user.has_perm(panel.permission):
            continue
        context = panel.context(request, company) if panel.context else {}
        html = render_to_string(
            panel.template, {**context, "company": company, "panel": panel}, request=request
        )
        shown.append({"panel": panel, "html": html})
    return shown
