"""The meetings' section of the coordinators' cockpit (:mod:`network_portal.cockpit`): the
next published meetings with their seats, the companies' answers (yes, only no, none), the
waitlist and the days left until the RSVP deadline, each linked to its participant overview.

Counted as the participant overview counts (:func:`meetings.selectors.participant_overview`):
seats and waitlist over all registrations, the answers over the active member companies. One
query for all the meetings shown, whatever the numbers.
"""

from django.db.models import Count, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from members.models import Company

from .models import Meeting, Registration

NEXT_MEETINGS_SHOWN = 3
# The RSVP deadline is shown as close from this many days before.
DEADLINE_CLOSE_DAYS = 3


def next_meetings(*, now=None, limit: int = NEXT_MEETINGS_SHOWN):
    """The next published meetings that are not over, with ``seated`` and ``waitlisted``
    (people), ``companies_answered`` and ``companies_yes`` (active companies with any answer,
    with a yes) and ``active_companies``."""
    now = now or timezone.now()
    active_companies = (
        Company.objects.active().order_by().values("status").annotate(n=Count("pk")).values("n")
    )
    of_active = Q(registrations__company__status=Company.Status.ACTIVE)
    yes = Q(
        registrations__status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
    )
    return (
        Meeting.objects.filter(status=Meeting.Status.PUBLISHED, ends_at__gte=now)
        .annotate(
            seated=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)
            ),
            waitlisted=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.WAITLISTED)
            ),
            companies_answered=Count("registrations__company", filter=of_active, distinct=True),
            companies_yes=Count("registrations__company", filter=of_active & yes, distinct=True),
            active_companies=Coalesce(Subquery(active_companies), 0),
        )
        .order_by("starts_at", "pk")[:limit]
    )


def deadline_text(meeting: Meeting, now) -> tuple[str, bool]:
    """The days left until the RSVP deadline, in words, and whether it is close."""
    deadline = timezone.localtime(meeting.rsvp_deadline)
    if deadline < now:
        return gettext("RSVP deadline passed on %(date)s") % {
            "date": date_format(deadline, "SHORT_DATE_FORMAT")
        }, False
    days = (deadline.date() - timezone.localdate(now)).days
    when = date_format(deadline, "SHORT_DATETIME_FORMAT")
    if days == 0:
        return gettext("RSVP deadline today (%(when)s)") % {"when": when}, True
    text = ngettext(
        "%(days)d day until the RSVP deadline (%(when)s)",
        "%(days)d days until the RSVP deadline (%(when)s)",
        days,
    ) % {"days": days, "when": when}
    return text, days <= DEADLINE_CLOSE_DAYS


def context(request) -> dict:
    now = timezone.now()
    overview = request.user.has_perm("meetings.view_registration")
    rows = []
    for meeting in next_meetings(now=now):
        deadline, close = deadline_text(meeting, now)
        rows.append(
            {
                "meeting": meeting,
                "url": reverse(
                    "admin:meetings_meeting_participants"
                    if overview
                    else "admin:meetings_meeting_change",
                    args=[meeting.pk],
                ),
                "seated": meeting.seated,
                "capacity": meeting.capacity,
                "waitlisted": meeting.waitlisted,
                "companies_yes": meeting.companies_yes,
                "companies_no": meeting.companies_answered - meeting.companies_yes,
                "companies_no_answer": max(
                    meeting.active_companies - meeting.companies_answered, 0
                ),
                "deadline": deadline,
                "deadline_close": close,
            }
        )
    return {
        "meetings": rows,
        "participant_overview": overview,
        "add_url": reverse("admin:meetings_meeting_add")
        if request.user.has_perm("meetings.add_meeting")
        else "",
    }
