"""The page an irreversible action of a portal user shows first.

The admin's actions have theirs (``admin/portal/confirm_action.html`` through
``network_portal.admin_views``); the portal's own pages use this one, built the same way: what
will happen, to whom or what, which mails go out, the button that does it and the way back.
GET shows the page and changes nothing; the view's POST calls the service.
"""

from dataclasses import dataclass, field

from django.shortcuts import render


@dataclass
class Confirmation:
    """What the confirmation page says.

    ``consequences``: what happens, one sentence each. ``facts``: (label, value) pairs naming
    the object (which application, person, meeting). ``mails``: who gets which mail, one line
    each; none says so. ``recipients``: the people the mails go to, one line each, where they
    are few enough to name (a reminder, a resend); the page counts them. ``danger``: the
    button is red (something is taken away).
    """

    title: str
    consequences: list[str]
    submit_label: str
    cancel_url: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    mails: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    danger: bool = True


def confirmation_page(request, confirmation: Confirmation, *, status: int = 200):
    return render(request, "confirm_action.html", {"confirmation": confirmation}, status=status)
