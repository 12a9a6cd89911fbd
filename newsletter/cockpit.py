"""The mailing lists' section of the coordinators' cockpit (:mod:`network_portal.cockpit`):
issues scheduled, issues being sent, and the hard bounces of the last 30 days.

The querysets counted here are the ones the admin's lists show (the bounces' filter in
:mod:`newsletter.admin.records`), so a counter's link lists exactly what it counts.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from network_portal.cockpit import ATTENTION, Counter, changelist_url, may_view

from .models import Bounce, Issue

RECENT_BOUNCES = timedelta(days=30)


def received_recently(queryset=None, *, now=None):
    """Bounces (of ``queryset``, default all) received in the last :data:`RECENT_BOUNCES`."""
    queryset = Bounce.objects.all() if queryset is None else queryset
    return queryset.filter(received_at__gte=(now or timezone.now()) - RECENT_BOUNCES)


def counters(request) -> list[Counter]:
    from .admin.records import ReceivedFilter

    shown = []
    if may_view(request, Issue):
        issues = Issue.objects.aggregate(
            scheduled=Count("pk", filter=Q(status=Issue.Status.SCHEDULED)),
            sending=Count("pk", filter=Q(status=Issue.Status.SENDING)),
        )
        shown += [
            Counter(
                label=_("Issues scheduled for sending"),
                count=issues["scheduled"],
                url=changelist_url(Issue, status__exact=Issue.Status.SCHEDULED),
            ),
            Counter(
                label=_("Issues being sent"),
                count=issues["sending"],
                url=changelist_url(Issue, status__exact=Issue.Status.SENDING),
            ),
        ]
    if may_view(request, Bounce):
        shown.append(
            Counter(
                label=_("Hard bounces in the last 30 days"),
                count=received_recently().filter(kind=Bounce.Kind.HARD).count(),
                url=changelist_url(
                    Bounce,
                    kind__exact=Bounce.Kind.HARD,
                    **{ReceivedFilter.parameter_name: ReceivedFilter.LAST_30_DAYS},
                ),
                level=ATTENTION,
                hint=_("These addresses get no more mail; a contact may have a new one."),
            )
        )
    return shown
