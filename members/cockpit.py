"""The members' section of the coordinators' cockpit (:mod:`network_portal.cockpit`):
registrations to approve, and join requests nobody has decided for a week.

The querysets counted here are the ones the admin's list filters show
(:mod:`members.admin.join_requests`), so a counter's link lists exactly what it counts.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_portal.cockpit import ATTENTION, Counter, changelist_url, may_view

from .models import Company, JoinRequest

# A join request is normally decided by the company's admins; after this long the
# coordinators look into it.
JOIN_REQUEST_PATIENCE = timedelta(days=7)


def companies_awaiting_approval():
    return Company.objects.filter(status=Company.Status.PENDING)


def join_requests_waiting(queryset=None, *, now=None):
    """Open join requests (of ``queryset``, default all) made more than
    :data:`JOIN_REQUEST_PATIENCE` ago."""
    queryset = JoinRequest.objects.all() if queryset is None else queryset
    now = now or timezone.now()
    return queryset.filter(
        status=JoinRequest.Status.PENDING, created_at__lt=now - JOIN_REQUEST_PATIENCE
    )


def counters(request) -> list[Counter]:
    from .admin.join_requests import WaitingFilter

    shown = []
    if may_view(request, Company):
        shown.append(
            Counter(
                label=_("Companies awaiting approval"),
                count=companies_awaiting_approval().count(),
                url=changelist_url(Company, status__exact=Company.Status.PENDING),
                level=ATTENTION,
            )
        )
    if may_view(request, JoinRequest):
        shown.append(
            Counter(
                label=_("Join requests waiting longer than a week"),
                count=join_requests_waiting().count(),
                url=changelist_url(
                    JoinRequest, **{WaitingFilter.parameter_name: WaitingFilter.OVER_A_WEEK}
                ),
                level=ATTENTION,
                hint=_("Usually the company's admins decide; these have not."),
            )
        )
    return shown
