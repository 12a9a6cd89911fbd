"""What the meetings' mails say: an invitation a busy owner reads in ten seconds, an update that
lists what changed and repeats the person's answer, a cancellation calendar programs apply, a
waitlist mail without a confirmed calendar entry, all in the recipient's language."""

import re
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from meetings import mails, services
from meetings.models import AgendaItem, Meeting, Registration
from tests.factories import CompanyFactory, ContactPersonFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.meetings.test_admin import change_url, meeting_form
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
STARTS = datetime(2031, 6, 12, 16, 0, tzinfo=BERLIN)  # a Thursday
PREFIX = "[Attraktive Unternehmen Trier] "
MAP_URL = "https://www.openstreetmap.org/search?query=Zurmaiener+Stra%C3%9Fe+44%2C+54292+Trier"


class _Page(HTMLParser):
    """What a reader of the HTML part sees (its text), and where its links and buttons go."""

    def __init__(self, html):
        super().__init__()
        self.text, self.links, self.sources, self._href = [], [], [], None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self._href = attrs.get("href")
            self.links.append([attrs.get("href"), ""])
        if "src" in attrs:
            self.sources.append(attrs["src"])

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        self.text.append(data)
        if self._href is not None:
            self.links[-1][1] += data

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())

    def buttons(self) -> dict[str, str]:
        return {" ".join(label.split()): href for href, label in self.links}


@pytest.fixture
def host():
    return CompanyFactory(name="Moselblick Pflege GmbH")


@pytest.fixture
def anna(host):
    return ContactPersonFactory(
        company=host,
        email="anna@moselblick.example",
        title="Dr.",
        first_name="Anna",
        last_name="Neumann",
    )


def planned_meeting(host, **kwargs):
    meeting = MeetingFactory(
        status=Meeting.Status.DRAFT,
        title="Weiterbildung und Mitarbeiterbindung",
        topic="Wie kleine Betriebe Fachkräfte halten",
        host=host,
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=2, minutes=30),
        rsvp_deadline=STARTS - timedelta(days=7),
        **kwargs,
    )
    return meeting


def publish(meeting, capture):
    with capture(execute=True):
        services.meeting_publish(meeting=meeting)
    meeting.refresh_from_db()


def mail_to(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    return message


def html_of(message) -> str:
    return next(content for content, mimetype in message.alternatives if mimetype == "text/html")


def calendar_parts(message) -> list[tuple[str, str]]:
    """The calendar objects a mail carries (as attachment or as a part of the message), with
    their MIME types."""
    parts = [(content, mimetype) for _name, content, mimetype in message.attachments]
    parts += [(c, m) for c, m in message.alternatives if m.startswith("text/calendar")]
    return [(c, m) for c, m in parts if m.startswith("text/calendar")]


def test_the_invitation_says_everything_in_ten_seconds(
    host, anna, django_capture_on_commit_callbacks
):
    meeting = planned_meeting(
        host,
        introduction=(
            "Viele von Ihnen haben sich dieses Thema gewünscht – **endlich** ist es soweit.\n\n"
            "<script>alert('x')</script>"
        ),
    )
    AgendaItem.objects.create(meeting=meeting, starts_at=time(16, 0), title="Begrüßung")
    AgendaItem.objects.create(
        meeting=meeting,
        starts_at=time(16, 15),
        title="Bericht aus der Praxis",
        speaker_contact=anna,
    )
    AgendaItem.objects.create(
        meeting=meeting,
        starts_at=time(17, 0),
        title="Fördermöglichkeiten",
        speaker_name="Tobias Muster",
        speaker_organisation="Agentur für Arbeit",
    )
    RegistrationFactory(meeting=meeting, company=host, email="lukas@moselblick.example")

    publish(meeting, django_capture_on_commit_callbacks)

    invitation = mail_to("anna@moselblick.example")
    assert invitation.subject == (
        f"{PREFIX}Einladung: Weiterbildung und Mitarbeiterbindung am 12. Juni 2031"
    )
    body = invitation.body
    assert body.startswith(
        "Guten Tag Frau Dr. Neumann,\n\nViele von Ihnen haben sich dieses Thema gewünscht – "
        "endlich ist es soweit.\n\nherzlich laden wir Sie zu unserem nächsten Netzwerktreffen "
        "„Weiterbildung und Mitarbeiterbindung“ ein.\n\n"
    )
    assert "Wann: Donnerstag, 12. Juni 2031, 16:00–18:30 Uhr\n" in body
    assert (
        "Wo: Moselblick Pflege GmbH, Seminarraum 2, Zurmaiener Straße 44, 54292 Trier\n"
        f"Karte: {MAP_URL}\n"
    ) in body
    assert (
        "Programm\n"
        "16:00  Begrüßung\n"
        "16:15  Bericht aus der Praxis – Dr. Anna Neumann (Moselblick Pflege GmbH)\n"
        "17:00  Fördermöglichkeiten – Tobias Muster, Agentur für Arbeit\n"
    ) in body
    assert "Bitte antworten Sie bis Donnerstag, 5. Juni 2031, 16:00 Uhr – ein Klick genügt." in body
    assert "Noch 39 von 40 Plätzen sind frei; je Unternehmen können bis zu 3 Personen" in body
    assert re.search(r"^Ich nehme teil: http\S+/meetings/rsvp/\S+/$", body, re.MULTILINE)
    assert re.search(r"^Ich nehme nicht teil: http\S+/meetings/rsvp/\S+/$", body, re.MULTILINE)
    assert "alert" not in body and "<script>" not in body
    # No quotes within quotes, the word "Netzwerktreffen" once.
    assert not re.search(r"„[^“]*„", body) and body.count("Netzwerktreffen") == 1

    page = _Page(html_of(invitation))
    text = page.visible
    for seen in (
        "Viele von Ihnen haben sich dieses Thema gewünscht",
        "Weiterbildung und Mitarbeiterbindung",
        "Donnerstag, 12. Juni 2031 16:00–18:30 Uhr",
        "Moselblick Pflege GmbH , Seminarraum 2 Zurmaiener Straße 44, 54292 Trier",
        "16:15 Bericht aus der Praxis Dr. Anna Neumann (Moselblick Pflege GmbH)",
        "17:00 Fördermöglichkeiten Tobias Muster, Agentur für Arbeit",
        "Bitte antworten Sie bis Donnerstag, 5. Juni 2031, 16:00 Uhr .",
        "Noch 39 von 40 Plätzen sind frei",
    ):
        assert seen in text, seen
    buttons = page.buttons()
    assert buttons["Auf der Karte zeigen (OpenStreetMap)"] == MAP_URL
    yes, no = buttons["Ich nehme teil"], buttons["Ich nehme nicht teil"]
    assert "/meetings/rsvp/" in yes and "/meetings/rsvp/" in no and yes != no
    assert yes in body and no in body  # the same links as in the text part
    # The tokens sit behind the buttons: no link is shown as text, nothing is loaded.
    assert "/meetings/rsvp/" not in text and "http" not in text.replace("(OpenStreetMap)", "")
    assert page.sources == []
    assert "<strong>endlich</strong>" in html_of(invitation)
    assert "<script" not in html_of(invitation)

    ((content, mimetype),) = calendar_parts(invitation)
    assert mimetype == "text/calendar; method=PUBLISH"
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CONFIRMED"


def test_an_english_speaking_contact_gets_the_invitation_in_english(
    host, django_capture_on_commit_callbacks
):
    user = UserFactory(email="sam@moselblick.example", language="en")
    ContactPersonFactory(
        company=host, email=user.email, user=user, first_name="Sam", last_name="Carter"
    )
    meeting = planned_meeting(host)

    publish(meeting, django_capture_on_commit_callbacks)

    invitation = mail_to("sam@moselblick.example")
    assert invitation.subject == (
        f"{PREFIX}Invitation: Weiterbildung und Mitarbeiterbindung on June 12, 2031"
    )
    assert "We warmly invite you to our next network meeting" in invitation.body
    assert "When: Thursday, June 12, 2031, 16:00–18:30\n" in invitation.body
    buttons = _Page(html_of(invitation)).buttons()
    assert "I will attend" in buttons and "I will not attend" in buttons


@pytest.fixture
def answered(host, anna, django_capture_on_commit_callbacks):
    """A published meeting with one seat: Anna said yes, Jonas is on the waitlist, Eva said
    no, Lukas has not answered."""
    meeting = planned_meeting(host, capacity=1)
    AgendaItem.objects.create(meeting=meeting, starts_at=time(16, 0), title="Begrüßung")
    people = {"anna": anna}
    for name in ("jonas", "eva", "lukas"):
        people[name] = ContactPersonFactory(company=host, email=f"{name}@moselblick.example")
    publish(meeting, django_capture_on_commit_callbacks)
    for name, status in [
        ("anna", Registration.Status.CONFIRMED),
        ("jonas", Registration.Status.WAITLISTED),
        ("eva", Registration.Status.DECLINED),
    ]:
        RegistrationFactory(
            meeting=meeting,
            company=host,
            contact=people[name],
            email=people[name].email,
            status=status,
        )
    mail.outbox.clear()
    return meeting


def test_an_update_lists_what_changed_and_repeats_each_answer(
    answered, django_capture_on_commit_callbacks
):
    meeting = answered
    before = mails.stored_snapshot(meeting)
    meeting.starts_at = STARTS + timedelta(days=1, hours=1)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    meeting.venue_name = "Schreinerei Olewig"
    meeting.save()
    AgendaItem.objects.create(
        meeting=meeting, starts_at=time(17, 15), title="KI im Recruiting", speaker_name="Jo Test"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule_changed(
            meeting=meeting,
            changed_fields=["starts_at", "ends_at", "venue_name"],
            previous=before,
            note="Der Raum war zu klein.",
        )

    anna = mail_to("anna@moselblick.example")
    assert (
        anna.subject == f"{PREFIX}Geändert: Weiterbildung und Mitarbeiterbindung am 13. Juni 2031"
    )
    assert (
        "Was sich geändert hat:\n"
        "- Datum und Uhrzeit: Donnerstag, 12. Juni 2031, 16:00–18:30 Uhr → "
        "Freitag, 13. Juni 2031, 17:00–19:00 Uhr\n"
        "- Veranstaltungsort: Moselblick Pflege GmbH, Seminarraum 2, Zurmaiener Straße 44, "
        "54292 Trier → Schreinerei Olewig, Seminarraum 2, Zurmaiener Straße 44, 54292 Trier\n"
        "- Programm:\n"
        "  neu: 17:15 KI im Recruiting – Jo Test\n"
    ) in anna.body
    assert "Eine Nachricht der Koordination:\nDer Raum war zu klein." in anna.body
    assert "Ihre Antwort bisher: Sie haben zugesagt" in anna.body
    assert "Ich nehme nicht teil: http" in anna.body and "Ich nehme teil: http" not in anna.body
    page = _Page(html_of(anna))
    assert "Sie haben zugesagt." in page.visible
    assert list(page.buttons()).count("Ich nehme nicht teil") == 1
    assert "Ich nehme teil" not in page.buttons()
    assert "Donnerstag, 12. Juni 2031, 16:00–18:30 Uhr" in page.visible  # the old date, struck

    assert "Sie stehen auf der Warteliste" in mail_to("jonas@moselblick.example").body
    eva = mail_to("eva@moselblick.example")
    assert "Sie haben abgesagt" in eva.body and "Ich nehme teil: http" in eva.body
    lukas = mail_to("lukas@moselblick.example")
    assert "Sie haben noch nicht geantwortet" in lukas.body
    assert {"Ich nehme teil", "Ich nehme nicht teil"} <= set(_Page(html_of(lukas)).buttons())

    # The new calendar entry goes to those with a seat or without an answer, not to the
    # waitlisted or those who said no.
    def calendar_entries(message):
        return [name for name, _content, _type in message.attachments if name.endswith(".ics")]

    assert calendar_entries(anna) and calendar_entries(lukas)
    assert calendar_entries(mail_to("jonas@moselblick.example")) == []
    assert calendar_entries(eva) == []


def test_the_admin_hands_the_previous_meeting_and_agenda_to_the_update(
    client, coordinator, answered, django_capture_on_commit_callbacks
):
    login_with_second_factor(client, coordinator)
    meeting = answered
    later = STARTS + timedelta(days=7)
    form = meeting_form(meeting, starts_at=later, ends_at=later + timedelta(hours=2))
    form.update(
        {
            "agenda_items-TOTAL_FORMS": "1",
            "agenda_items-0-starts_at": "16:30",
            "agenda_items-0-title": "Fördermöglichkeiten",
            "agenda_items-0-speaker_name": "Tobias Muster",
            "agenda_items-0-speaker_organisation": "Agentur für Arbeit",
            "_update_confirmed": "1",
            "note": "",
        }
    )
    # The existing agenda item stays (it is not in the posted formset: INITIAL_FORMS 0 keeps it).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(meeting), form)

    assert response.status_code == 302
    body = mail_to("lukas@moselblick.example").body
    assert "- Datum und Uhrzeit: Donnerstag, 12. Juni 2031, 16:00–18:30 Uhr → " in body
    assert "Donnerstag, 19. Juni 2031, 16:00–18:00 Uhr" in body
    assert "  neu: 16:30 Fördermöglichkeiten – Tobias Muster, Agentur für Arbeit\n" in body


def test_a_cancellation_carries_the_note_and_a_calendar_cancel_the_programs_apply(
    answered, django_capture_on_commit_callbacks
):
    meeting = answered
    invited_uid = str(
        Calendar.from_ical(mails.ics_attachments(meeting)[0]["content"]).walk("VEVENT")[0]["UID"]
    )
    sequence_before = meeting.sequence

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, note="Die Referentin ist erkrankt.")

    notice = mail_to("anna@moselblick.example")
    assert notice.subject == (
        f"{PREFIX}Abgesagt: Weiterbildung und Mitarbeiterbindung am 12. Juni 2031"
    )
    assert "Eine Nachricht der Koordination:\nDie Referentin ist erkrankt." in notice.body
    assert "Die Referentin ist erkrankt." in _Page(html_of(notice)).visible
    parts = calendar_parts(notice)
    assert {mimetype for _content, mimetype in parts} == {"text/calendar; method=CANCEL"}
    for content, _mimetype in parts:
        cal = Calendar.from_ical(content)
        assert str(cal["METHOD"]) == "CANCEL"
        (event,) = cal.walk("VEVENT")
        assert str(event["UID"]) == invited_uid
        assert int(event["SEQUENCE"]) > sequence_before
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["ATTENDEE"]) == "mailto:anna@moselblick.example"
        assert str(event["ORGANIZER"]).startswith("mailto:")
    raw = notice.message().as_string()
    assert 'Content-Type: text/calendar; method="CANCEL"' in raw
    assert "METHOD:PUBLISH" not in raw


def test_the_waitlist_mail_has_no_calendar_entry_until_a_seat_is_given(
    host, django_capture_on_commit_callbacks
):
    meeting = planned_meeting(host, capacity=1)
    publish(meeting, django_capture_on_commit_callbacks)
    seated = RegistrationFactory(meeting=meeting, company=host, email="erste@moselblick.example")
    colleague = UserFactory(email="kollege@moselblick.example")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        waiting = services.rsvp_answer(
            meeting=meeting,
            company=host,
            name="Wanda Warte",
            email="wanda@moselblick.example",
            attending=True,
            by_user=colleague,
        )
    assert waiting.status == Registration.Status.WAITLISTED
    waitlist_mail = mail_to("wanda@moselblick.example")
    assert waitlist_mail.subject.startswith(f"{PREFIX}Warteliste: ")
    confirmed = [
        content
        for content, _mimetype in calendar_parts(waitlist_mail)
        if "STATUS:CONFIRMED" in content
    ]
    assert confirmed == []
    assert "Den Kalendereintrag erhalten Sie mit dem Platz" in waitlist_mail.body
    assert "Von der Warteliste austragen" in _Page(html_of(waitlist_mail)).buttons()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_answer(
            meeting=meeting, company=host, name=seated.name, email=seated.email, attending=False
        )
    promoted = mail_to("wanda@moselblick.example")
    assert promoted.subject.startswith(f"{PREFIX}Ein Platz für Sie: ")
    ((content, _mimetype),) = calendar_parts(promoted)
    assert str(Calendar.from_ical(content).walk("VEVENT")[0]["STATUS"]) == "CONFIRMED"
