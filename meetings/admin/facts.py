"""What the meetings' confirmation pages (publish, update, cancel, remind, resend) say about a
meeting: the facts that name it, each value as a coordinator reads it."""

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext

from ..models import Meeting


def shown(value) -> str:
    """A value of a meeting's field as the page shows it: a date and time in local time, a
    dash for nothing."""
    if value in (None, ""):
        return "–"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return str(value)


def meeting_facts(meeting: Meeting) -> list[tuple[str, str]]:
    """The meeting, its date and time, its venue and its RSVP deadline, as (label, value)."""
    ends = time_format(timezone.localtime(meeting.ends_at), "TIME_FORMAT")
    return [
        (gettext("Meeting"), meeting.title),
        (gettext("Date"), f"{shown(meeting.starts_at)} – {ends}"),
        (gettext("Venue"), f"{meeting.venue_name}, {meeting.venue_address}"),
        (gettext("RSVP deadline"), shown(meeting.rsvp_deadline)),
    ]
