"""The meetings' mails whose standard text coordinators may word themselves (see
``network_portal.mail_texts``): subject and opening text of each kind, shipped in German and
English, with the placeholders they may use and a sample meeting for the preview. Imported by
the plumbing when the apps are ready."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network_portal.mail_texts import NAME, Placeholder, register_mail_kind
from network_portal.signing import absolute_url

from . import mails
from .models import Meeting


def _date(value) -> str:
    """A date as the recipient's language writes it: "12. März 2031", "March 12, 2031"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def _time(value) -> str:
    return formats.time_format(timezone.localtime(value), "TIME_FORMAT") if value else ""


TITLE = Placeholder("titel", _("the meeting’s title"), lambda c: c["meeting_title"])
TOPIC = Placeholder("thema", _("the meeting’s topic"), lambda c: c["meeting_topic"])
DATE = Placeholder(
    "datum", _("the day of the meeting, e.g. 12. März 2031"), lambda c: _date(c["starts_at"])
)
TIME = Placeholder("uhrzeit", _("when it starts, e.g. 16:00"), lambda c: _time(c["starts_at"]))
VENUE = Placeholder("ort", _("the venue, e.g. the host company"), lambda c: c["venue"])
DEADLINE = Placeholder(
    "anmeldeschluss", _("the day of the RSVP deadline"), lambda c: _date(c["rsvp_deadline"])
)
MEETING = (TITLE, TOPIC, DATE, TIME, VENUE, DEADLINE, NAME)
PLACES = Placeholder(
    "plaetze",
    _("the places (seats) each company may take, e.g. 2"),
    lambda c: c["per_company_limit"],
)
EVENT = (*MEETING, PLACES)


def _when(context) -> str:
    days = context["days"]
    return ngettext("Tomorrow", "In %(days)d days", days) % {"days": days}


WHEN = Placeholder("wann", _("“Tomorrow” or “In 7 days”"), _when)
TOPIC_WISH = Placeholder("wunsch", _("the topic the company proposed"), lambda c: c["topic_title"])


def sample_meeting() -> Meeting:
    """A meeting as the previews show it: fictional, a month ahead, never saved."""
    starts = timezone.make_aware(
        datetime.combine(timezone.localdate() + timedelta(days=30), time(16, 0))
    )
    return Meeting(
        title="Weiterbildung und Mitarbeiterbindung",
        slug="beispiel",
        topic="Wie kleine Betriebe Fachkräfte halten",
        introduction="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2, minutes=30),
        rsvp_deadline=starts - timedelta(days=7),
        venue_name="Moselblick Pflege GmbH",
        venue_street="Zurmaiener Straße 44",
        venue_postcode="54292",
        venue_city="Trier",
        room="Seminarraum 2",
        capacity=40,
        per_company_limit=3,
        status=Meeting.Status.PUBLISHED,
    )


SAMPLE_AGENDA = [
    {"time": time(16, 0), "title": "Begrüßung", "speaker": ""},
    {
        "time": time(16, 15),
        "title": "Bericht aus der Praxis: Weiterbildung im Pflegealltag",
        "speaker": "Jana Beispiel (Moselblick Pflege GmbH)",
    },
    {
        "time": time(17, 0),
        "title": "Fördermöglichkeiten für Weiterbildung",
        "speaker": "Tobias Muster, Agentur für Arbeit",
    },
    {"time": time(18, 0), "title": "Austausch und Imbiss", "speaker": ""},
]


def sample_context(**extra) -> dict:
    meeting = sample_meeting()
    rsvp = absolute_url(reverse("meetings:rsvp", args=["vorschau"]))
    return {
        **mails.meeting_context(meeting, agenda=SAMPLE_AGENDA, seats_left=27),
        "recipient_name": "Frau Dr. Neumann",
        "yes_url": rsvp,
        "no_url": rsvp,
        "note": "",
        "changes": [],
        "answer": "",
        **extra,
    }


def _update_sample() -> dict:
    context = sample_context(answer="confirmed")
    starts = context["starts_at"]
    context["changes"] = [
        {
            "what": "when",
            "old": (starts - timedelta(days=1), context["ends_at"] - timedelta(days=1)),
            "new": (starts, context["ends_at"]),
        },
        {
            "what": "venue",
            "old": "Schreinerei Olewig, Olewiger Straße 12, 54295 Trier",
            "new": "Moselblick Pflege GmbH, Seminarraum 2, Zurmaiener Straße 44, 54292 Trier",
        },
    ]
    return context


def _status_is(status):
    return lambda context: context.get("status") == status


def _event_kind_is(kind):
    """The mail is about an event of ``kind`` (``Meeting.kind``; a network meeting when the
    context does not say)."""
    return lambda context: context.get("event_kind", Meeting.Kind.NETWORK_MEETING) == kind


register_mail_kind(
    key="meetings.invitation",
    template="meetings/emails/invitation",
    applies=_event_kind_is(Meeting.Kind.NETWORK_MEETING),
    label=_("Invitation to a network meeting"),
    where=_("To every contact person who wants invitations, when a meeting is published."),
    subject=_("Invitation: {{ titel }} on {{ datum }}"),
    body=_("We warmly invite you to our next network meeting “{{ titel }}”."),
    placeholders=MEETING,
    sample=sample_context,
)
register_mail_kind(
    key="meetings.update",
    template="meetings/emails/update",
    label=_("Update of a network meeting"),
    where=_(
        "To everyone invited, when the date, time or venue of a published meeting changes; "
        "the changes follow the text."
    ),
    subject=_("Changed: {{ titel }} on {{ datum }}"),
    body=_("Something has changed for “{{ titel }}”. This is what is new:"),
    placeholders=MEETING,
    sample=_update_sample,
)
register_mail_kind(
    key="meetings.cancellation",
    template="meetings/emails/cancellation",
    label=_("Cancellation of a network meeting"),
    where=_("To everyone invited, when a published meeting is cancelled."),
    subject=_("Cancelled: {{ titel }} on {{ datum }}"),
    body=_(
        "Unfortunately we have to cancel the network meeting “{{ titel }}” on {{ datum }}. "
        "We are sorry for the inconvenience."
    ),
    placeholders=MEETING,
    sample=sample_context,
)
register_mail_kind(
    key="meetings.reminder",
    template="meetings/emails/reminder",
    applies=_event_kind_is(Meeting.Kind.NETWORK_MEETING),
    label=_("Reminder before a network meeting"),
    where=_("To everyone with a seat, on the days before the meeting set for it."),
    subject=_("{{ wann }}: {{ titel }}"),
    body=_(
        "A short reminder: you are registered for the network meeting “{{ titel }}”. "
        "We look forward to seeing you!"
    ),
    placeholders=(*MEETING, WHEN),
    sample=lambda: sample_context(days=1),
)
register_mail_kind(
    key="meetings.registered",
    template="meetings/emails/registered",
    applies=lambda context: context.get("status") != "waitlisted",
    label=_("Registration confirmed"),
    where=_("When a colleague or a one-click link registered someone and a seat was free."),
    subject=_("Registered: {{ titel }}"),
    body=_("You are registered for the network meeting “{{ titel }}”."),
    placeholders=MEETING,
    sample=lambda: sample_context(status="confirmed"),
)
register_mail_kind(
    key="meetings.waitlisted",
    template="meetings/emails/registered",
    applies=_status_is("waitlisted"),
    label=_("On the waitlist"),
    where=_("When someone registered for a fully booked meeting."),
    subject=_("Waitlist: {{ titel }}"),
    body=_(
        "The network meeting “{{ titel }}” is fully booked, so you are on the waitlist. "
        "You move up automatically when a seat frees up, and we will let you know by email."
    ),
    placeholders=MEETING,
    sample=lambda: sample_context(status="waitlisted"),
)
register_mail_kind(
    key="meetings.promoted",
    template="meetings/emails/promoted",
    label=_("Moved up from the waitlist"),
    where=_("When a seat frees up and the next person on the waitlist gets it."),
    subject=_("A seat for you: {{ titel }}"),
    body=_(
        "Good news: a seat has become free, and you have moved up from the waitlist. "
        "You are now registered for the network meeting “{{ titel }}”."
    ),
    placeholders=MEETING,
    sample=lambda: sample_context(status="confirmed"),
)
register_mail_kind(
    key="meetings.deadline_reminder",
    template="meetings/emails/deadline_reminder",
    label=_("Reminder of the RSVP deadline"),
    where=_("Before the RSVP deadline, to the contacts of companies that have not answered."),
    subject=_("Please answer by {{ anmeldeschluss }}: {{ titel }}"),
    body=_(
        "We have not yet heard from your company about “{{ titel }}”. Registration closes on "
        "{{ anmeldeschluss }}."
    ),
    placeholders=MEETING,
    sample=sample_context,
)
register_mail_kind(
    key="meetings.answer_reminder",
    template="meetings/emails/answer_reminder",
    label=_("Reminder to answer, sent by hand"),
    where=_("When coordinators remind everyone who has not answered yet."),
    subject=_("Will you come? Please answer by {{ anmeldeschluss }}: {{ titel }}"),
    body=_(
        "We have not yet heard from you whether you will come to “{{ titel }}”. Registration "
        "closes on {{ anmeldeschluss }}."
    ),
    placeholders=MEETING,
    sample=sample_context,
)
register_mail_kind(
    key="meetings.feedback_request",
    template="meetings/emails/feedback_request",
    label=_("Request for feedback"),
    where=_("After a meeting, to everyone who attended."),
    subject=_("How was it? {{ titel }}"),
    body=_(
        "Thank you for attending the network meeting “{{ titel }}”. We would like to know "
        "how useful it was for you – it takes one minute:"
    ),
    placeholders=MEETING,
    sample=lambda: sample_context(
        feedback_url=absolute_url(reverse("meetings:feedback", args=["vorschau"]))
    ),
)
register_mail_kind(
    key="meetings.topic_scheduled",
    template="meetings/emails/topic_scheduled",
    label=_("Proposed topic on the agenda"),
    where=_("To whoever proposed a topic, when it is put on a meeting’s agenda."),
    subject=_("Your topic is on the agenda: {{ wunsch }}"),
    body=_(
        "Thank you for your topic wish “{{ wunsch }}”. It is on the agenda of the network "
        "meeting “{{ titel }}” on {{ datum }}."
    ),
    placeholders=(*MEETING, TOPIC_WISH),
    sample=lambda: sample_context(topic_title="KI im Recruiting"),
)


def _dossier_sample(*, attended: bool):
    return lambda: sample_context(
        dossier_url=absolute_url(reverse("meetings:dossier", args=["beispiel"])),
        has_minutes=True,
        materials=2,
        questions=3,
        attended=attended,
        company_attended=attended,
    )


register_mail_kind(
    key="meetings.dossier_attended",
    template="meetings/emails/dossier",
    applies=lambda context: bool(context.get("attended")),
    label=_("Dossier of a meeting, to those who came"),
    where=_(
        "When coordinators publish a meeting's dossier: to every contact person who was there."
    ),
    subject=_("Dossier: {{ titel }}"),
    body=_(
        "Thank you for being with us at “{{ titel }}” on {{ datum }}. The dossier is now in "
        "the portal – to read again and to pass on to your colleagues:"
    ),
    placeholders=MEETING,
    sample=_dossier_sample(attended=True),
)
register_mail_kind(
    key="meetings.dossier_missed",
    template="meetings/emails/dossier",
    applies=lambda context: not context.get("attended"),
    label=_("Dossier of a meeting, to those who were not there"),
    where=_(
        "When coordinators publish a meeting's dossier: to every contact person of an active "
        "member company who was not there."
    ),
    subject=_("What you missed: {{ titel }}"),
    body=_(
        "You could not be with us at “{{ titel }}” on {{ datum }}? Here is what you missed: "
        "the dossier is now in the portal."
    ),
    placeholders=MEETING,
    sample=_dossier_sample(attended=False),
)


# --- The other kinds of events (meetings.kinds): their own invitation and reminder -----------

register_mail_kind(
    key="meetings.invitation_reception",
    template="meetings/emails/invitation",
    applies=_event_kind_is(Meeting.Kind.RECEPTION),
    label=_("Invitation to the Christmas reception"),
    where=_(
        "To every contact person of the member companies who wants invitations, when a "
        "Christmas reception is published."
    ),
    subject=_("Invitation to the Christmas reception: {{ titel }} on {{ datum }}"),
    body=_(
        "We warmly invite you to our Christmas reception “{{ titel }}”. All member companies "
        "are invited; {{ plaetze }} places are reserved for each company."
    ),
    placeholders=EVENT,
    sample=lambda: sample_context(event_kind=Meeting.Kind.RECEPTION),
)
register_mail_kind(
    key="meetings.invitation_ceremony",
    template="meetings/emails/invitation",
    applies=_event_kind_is(Meeting.Kind.CEREMONY),
    label=_("Invitation to the seal ceremony"),
    where=_(
        "To the contact persons of the invited (awarded) companies, when a seal ceremony is "
        "published or guests are added to it."
    ),
    subject=_("Invitation to the seal ceremony: {{ titel }} on {{ datum }}"),
    body=_(
        "Congratulations on the seal! We warmly invite your company to the award ceremony "
        "“{{ titel }}”, with {{ plaetze }} places per company."
    ),
    placeholders=EVENT,
    sample=lambda: sample_context(event_kind=Meeting.Kind.CEREMONY),
)
register_mail_kind(
    key="meetings.invitation_workshop",
    template="meetings/emails/invitation",
    applies=_event_kind_is(Meeting.Kind.WORKSHOP),
    label=_("Invitation to a workshop"),
    where=_(
        "To the contact persons of the invited companies (of all member companies if none are "
        "chosen) who want invitations, when a workshop is published."
    ),
    subject=_("Invitation to the workshop: {{ titel }} on {{ datum }}"),
    body=_(
        "We warmly invite you to the workshop “{{ titel }}”. Each company has {{ plaetze }} "
        "seats; please register early."
    ),
    placeholders=EVENT,
    sample=lambda: sample_context(event_kind=Meeting.Kind.WORKSHOP),
)
register_mail_kind(
    key="meetings.reminder_reception",
    template="meetings/emails/reminder",
    applies=_event_kind_is(Meeting.Kind.RECEPTION),
    label=_("Reminder before the Christmas reception"),
    where=_("To everyone with a place, on the days before the event set for it."),
    subject=_("{{ wann }}: Christmas reception “{{ titel }}”"),
    body=_(
        "A short reminder: you are registered for our Christmas reception “{{ titel }}”. "
        "We look forward to seeing you!"
    ),
    placeholders=(*EVENT, WHEN),
    sample=lambda: sample_context(days=1, event_kind=Meeting.Kind.RECEPTION),
)
register_mail_kind(
    key="meetings.reminder_ceremony",
    template="meetings/emails/reminder",
    applies=_event_kind_is(Meeting.Kind.CEREMONY),
    label=_("Reminder before the seal ceremony"),
    where=_("To everyone with a place, on the days before the event set for it."),
    subject=_("{{ wann }}: seal ceremony “{{ titel }}”"),
    body=_(
        "A short reminder: you are registered for the seal ceremony “{{ titel }}”. "
        "We look forward to celebrating with you!"
    ),
    placeholders=(*EVENT, WHEN),
    sample=lambda: sample_context(days=1, event_kind=Meeting.Kind.CEREMONY),
)
register_mail_kind(
    key="meetings.reminder_workshop",
    template="meetings/emails/reminder",
    applies=_event_kind_is(Meeting.Kind.WORKSHOP),
    label=_("Reminder before a workshop"),
    where=_("To everyone with a place, on the days before the event set for it."),
    subject=_("{{ wann }}: workshop “{{ titel }}”"),
    body=_(
        "A short reminder: you are registered for the workshop “{{ titel }}”. "
        "We look forward to seeing you!"
    ),
    placeholders=(*EVENT, WHEN),
    sample=lambda: sample_context(days=1, event_kind=Meeting.Kind.WORKSHOP),
)
