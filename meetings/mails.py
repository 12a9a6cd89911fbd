"""What a meeting's mails say about it: the context their templates get, the calendar entry
they carry, and for an update what changed.

The services (:mod:`meetings.services`) decide who gets which mail; this module only describes
the meeting. Built once per meeting and mail run, not per recipient: the agenda and the free
seats are read once.
"""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.safestring import mark_safe

from network_portal.mail_texts import mail_html, mail_plain
from network_portal.office import office
from network_portal.signing import absolute_url

from . import calendar
from .models import Meeting
from .selectors import free_seats

# Calendar programs apply an entry from a mail by its MIME type: PUBLISH adds or updates the
# entry (by UID, the higher SEQUENCE wins), CANCEL removes it.
ICS_PUBLISH = "text/calendar; method=PUBLISH"
ICS_CANCEL = "text/calendar; method=CANCEL"


def map_url(meeting: Meeting) -> str:
    """A link to the venue on OpenStreetMap, searched by its address (nothing is loaded into
    the mail: it is a plain link)."""
    address = ", ".join(
        part
        for part in (meeting.venue_street, f"{meeting.venue_postcode} {meeting.venue_city}".strip())
        if part
    )
    return "https://www.openstreetmap.org/search?" + urlencode({"query": address})


def agenda_of(meeting: Meeting) -> list[dict]:
    """The agenda as the mails show it: time, title, the speaker with their company."""
    items = meeting.agenda_items.select_related("speaker_contact__company")
    return [
        {"time": item.starts_at, "title": item.title, "speaker": item.speaker} for item in items
    ]


def meeting_context(
    meeting: Meeting, *, agenda: list[dict] | None = None, seats_left: int | None = None
) -> dict:
    """Everything the meeting's mails show of it. ``agenda`` and ``seats_left`` where the
    caller knows them (the preview of a meeting not saved); else read now."""
    if agenda is None:
        agenda = agenda_of(meeting) if meeting.pk else []
    if seats_left is None:
        seats_left = free_seats(meeting) if meeting.pk else meeting.capacity
    introduction = meeting.introduction.strip()
    return {
        # Subject and opening of invitations and reminders differ per kind (mail_texts).
        "event_kind": meeting.kind,
        "meeting_title": meeting.title,
        "meeting_topic": meeting.topic,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "venue": meeting.venue_name,
        "venue_address": meeting.venue_address,
        "room": meeting.room,
        "directions": meeting.directions.strip(),
        "map_url": map_url(meeting),
        "rsvp_deadline": meeting.rsvp_deadline,
        "detail_url": absolute_url(reverse("meetings:detail", args=[meeting.slug])),
        "agenda": agenda,
        "seats_left": max(seats_left, 0),
        "capacity": meeting.capacity,
        "per_company_limit": meeting.per_company_limit,
        "introduction": mail_plain(introduction) if introduction else "",
        # Cleaned by mail_html: only paragraphs, emphasis, links and lists.
        "introduction_html": mark_safe(mail_html(introduction)) if introduction else "",  # noqa: S308
    }


# --- The calendar entry ----------------------------------------------------------------------


def ics_attachments(meeting: Meeting, *, attendee: str = "") -> list[dict]:
    """The calendar entry a mail about ``meeting`` carries: the meeting as it is now (PUBLISH,
    same UID, its SEQUENCE); for a cancelled meeting the cancellation (CANCEL, STATUS
    CANCELLED, the SEQUENCE raised by cancelling) addressed to ``attendee``, once as the
    mail's calendar part (which mail programs offer to apply) and once as the .ics file."""
    if meeting.status == Meeting.Status.CANCELLED:
        content = calendar.cancellation_ics(meeting, attendee=attendee, organizer=office())
        return [
            {"filename": "", "content": content, "mimetype": ICS_CANCEL, "alternative": True},
            {"filename": f"{meeting.slug}.ics", "content": content, "mimetype": ICS_CANCEL},
        ]
    return [
        {
            "filename": f"{meeting.slug}.ics",
            "content": calendar.meeting_ics(meeting),
            "mimetype": ICS_PUBLISH,
        }
    ]


# --- What an update says changed -------------------------------------------------------------


def meeting_snapshot(meeting: Meeting) -> dict:
    """What participants know of ``meeting`` as it is stored now: taken before a coordinator's
    change is saved, so the update can say what changed (:func:`changes_since`)."""
    return {
        "title": meeting.title,
        "topic": meeting.topic,
        "when": (meeting.starts_at, meeting.ends_at),
        "venue": ", ".join(
            part for part in (meeting.venue_name, meeting.room, meeting.venue_address) if part
        ),
        "rsvp_deadline": meeting.rsvp_deadline,
        "agenda": [(item["time"], item["title"], item["speaker"]) for item in agenda_of(meeting)],
    }


def stored_snapshot(meeting: Meeting) -> dict:
    """:func:`meeting_snapshot` of ``meeting`` as it is in the database, whatever a form has
    set on the instance: the admin takes it before it saves a coordinator's change and hands it
    to :func:`meetings.services.meeting_schedule_changed` as ``previous``."""
    return meeting_snapshot(Meeting.objects.get(pk=meeting.pk))


def changes_since(previous: dict | None, meeting: Meeting) -> list[dict]:
    """What changed in ``meeting`` since ``previous`` (a :func:`meeting_snapshot`), in the
    order the update mail lists it: ``{"what": …, "old": …, "new": …}``; the agenda as the
    items that came (``added``) and went (``removed``)."""
    if previous is None:
        return []
    now = meeting_snapshot(meeting)
    changes = []
    for what in ("title", "topic", "when", "venue", "rsvp_deadline"):
        if previous[what] != now[what]:
            changes.append({"what": what, "old": previous[what], "new": now[what]})
    if previous["agenda"] != now["agenda"]:
        before, after = set(previous["agenda"]), set(now["agenda"])

        def lines(items):
            return [{"time": t, "title": title, "speaker": speaker} for t, title, speaker in items]

        changes.append(
            {
                "what": "agenda",
                "added": lines(item for item in now["agenda"] if item not in before),
                "removed": lines(item for item in previous["agenda"] if item not in after),
            }
        )
    return changes
