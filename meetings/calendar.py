"""Calendar entries (iCalendar) for meetings: one stable UID per meeting, a rising SEQUENCE.

No ORGANIZER in an entry that adds or updates a meeting: calendar apps would mail acceptances
to it. Each event carries an alarm the day before. A cancellation is METHOD:CANCEL
(:func:`cancellation_ics`).
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vCalAddress

from network_portal.signing import absolute_url, site_domain

from .models import Meeting

PRODID = "-//Wirtschaftsförderung Trier//Attraktive Unternehmen Trier//DE"


def _calendar(name: str, *, method: str = "PUBLISH") -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def _event(meeting: Meeting, *, location: str | None = None) -> Event:
    """What every calendar object of ``meeting`` says: the same UID in every version (so
    programs update their entry), its SEQUENCE, time, title and place (``location``: another
    wording of it, the public calendar's)."""
    event = Event()
    event.add("uid", f"meeting-{meeting.calendar_uid}@{site_domain()}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    if location is None:
        location = ", ".join(
            p for p in (meeting.venue_name, meeting.room, meeting.venue_address) if p
        )
    event.add("location", location)
    return event


def meeting_event(meeting: Meeting) -> Event:
    event = _event(meeting)
    url = absolute_url(reverse("meetings:detail", args=[meeting.slug]))
    event.add("url", url)
    event.add("description", "\n\n".join(p for p in (meeting.topic, meeting.description, url) if p))
    if meeting.status == Meeting.Status.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", meeting.title)
        alarm.add("trigger", timedelta(days=-1))
        event.add_component(alarm)
    return event


def meeting_ics(meeting: Meeting) -> str:
    cal = _calendar(meeting.title)
    cal.add_component(meeting_event(meeting))
    return cal.to_ical().decode()


def cancellation_ics(meeting: Meeting, *, attendee: str = "", organizer=None) -> str:
    """The cancellation of ``meeting`` as calendar programs apply it: METHOD:CANCEL with the
    meeting's UID and its SEQUENCE (raised by cancelling, so it is newer than any entry sent
    before) and STATUS:CANCELLED. iTIP (RFC 5546) wants the ORGANIZER and the ATTENDEE being
    told in a CANCEL: the coordination office (``organizer``, an :class:`~network_portal.office
    .Office`) and the recipient; nobody is asked to reply to a cancellation."""
    cal = _calendar(meeting.title, method="CANCEL")
    event = _event(meeting)
    event.add("status", "CANCELLED")
    if organizer is not None and organizer.email:
        event.add(
            "organizer", vCalAddress(f"mailto:{organizer.email}"), parameters={"CN": organizer.name}
        )
    if attendee:
        event.add("attendee", vCalAddress(f"mailto:{attendee}"))
    cal.add_component(event)
    return cal.to_ical().decode()


def feed_ics(meetings) -> str:
    cal = _calendar(_("Network meetings Attraktive Unternehmen Trier"))
    for meeting in meetings:
        cal.add_component(meeting_event(meeting))
    return cal.to_ical().decode()


def public_location(meeting: Meeting) -> str:
    """Where a public event takes place, as the public calendar says it: venue and city."""
    return ", ".join(p for p in (meeting.venue_name, meeting.venue_city) if p)


def public_feed_ics(meetings, *, url_of) -> str:
    """The public calendar of the network's public events (``Meeting.is_public``): title, kind,
    time, venue and city, and the public page (``url_of(meeting)``); nothing for members only
    (no topic, no room, no agenda, no seats)."""
    cal = _calendar(_("Public events Attraktive Unternehmen Trier"))
    for meeting in meetings:
        event = _event(meeting, location=public_location(meeting))
        url = url_of(meeting)
        event.add("url", url)
        event.add("categories", [str(meeting.get_kind_display())])
        event.add("description", url)
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical().decode()
