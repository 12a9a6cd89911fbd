"""The coordinators' admin for meetings: actions, schedule changes, the participant overview,
downloads, check-in, topic scheduling and material uploads."""

import io
import json
import zipfile
from datetime import datetime, timedelta

import pytest
from django.contrib import admin
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader, PdfWriter

from meetings import services
from meetings.models import CalendarFeed, Material, Meeting, Registration, TopicVote
from members.models import Company
from network_portal.uploads import validate_document_upload
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.factories import (
    FeedbackFactory,
    MeetingFactory,
    RegistrationFactory,
    TopicProposalFactory,
    meeting_form_post,
)
from tests.mfa import login_with_second_factor
from tests.utils import messages_of

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:meetings_meeting_changelist")


def participants_url(meeting, what=""):
    name = f"admin:meetings_meeting_participants{'_' + what if what else ''}"
    return reverse(name, args=[meeting.pk])


def check_in_url(meeting):
    return reverse("admin:meetings_meeting_check_in", args=[meeting.pk])


def change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def ics_event(message):
    (filename, content, mimetype) = message.attachments[0]
    assert filename.endswith(".ics") and mimetype.startswith("text/calendar")
    return Calendar.from_ical(content).walk("VEVENT")[0]


def run_action(client, action, meetings, capture, **extra):
    """The list's ``action`` for ``meetings``, confirmed on its confirmation page (``post``;
    the page itself: tests/meetings/test_change_confirmations.py)."""
    data = {"action": action, "_selected_action": [m.pk for m in meetings], "post": "yes"}
    with capture(execute=True):
        response = client.post(CHANGELIST, {**data, **extra})
    assert response.status_code == 302
    return response


def meeting_form(meeting, **changes):
    """The change form of ``meeting`` as a coordinator submits it, with ``changes``."""
    values = {
        "title": meeting.title,
        "topic": meeting.topic,
        "description": meeting.description,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "rsvp_deadline": meeting.rsvp_deadline,
        "reminder_days": json.dumps(meeting.reminder_days),
        "host": meeting.host_id or "",
        "venue_name": meeting.venue_name,
        "venue_street": meeting.venue_street,
        "venue_postcode": meeting.venue_postcode,
        "venue_city": meeting.venue_city,
        "room": meeting.room,
        "directions": meeting.directions,
        "capacity": meeting.capacity,
        "per_company_limit": meeting.per_company_limit,
    }
    if meeting.status == Meeting.Status.DRAFT:
        values["slug"] = meeting.slug
    values.update(changes)
    return meeting_form_post(values)


# --------------------------------------------------------------------------------------------
# Publish, change, cancel, mark held


def test_publish_action_invites_each_eligible_contact_once_with_a_calendar_entry(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="Netzwerktreffen im Frühjahr")

    response = run_action(
        coordinator_client, "publish", [meeting], django_capture_on_commit_callbacks
    )

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.published_at is not None
    assert recipients() == sorted(c.email for c in network["invited"])
    for message in mail.outbox:
        event = ics_event(message)
        assert str(event["SUMMARY"]) == "Netzwerktreffen im Frühjahr"
        assert event["SEQUENCE"] == 0
    assert messages_of(response) == [
        ("success", "1 Netzwerktreffen veröffentlicht; die Einladungen werden verschickt.")
    ]


def test_publishing_twice_is_refused_and_mails_nothing_more(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    run_action(coordinator_client, "publish", [meeting], django_capture_on_commit_callbacks)
    coordinator_client.get(CHANGELIST)  # shows (and so consumes) the success message
    mail.outbox.clear()

    response = run_action(
        coordinator_client, "publish", [meeting], django_capture_on_commit_callbacks
    )

    assert mail.outbox == []
    assert messages_of(response) == [
        (
            "warning",
            "Keines der ausgewählten Netzwerktreffen kann veröffentlicht werden: nur künftige "
            "Entwürfe.",
        )
    ]


def test_changing_the_date_of_a_published_meeting_mails_an_update_to_everyone_invited_once(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(host=network["moselblick"])
    # A colleague registered by a company, not a contact person: invited as well.
    RegistrationFactory(
        meeting=meeting, company=network["olewig"], email="gast@olewig.example", name="Eva Gast"
    )
    later = meeting.starts_at + timedelta(days=1)
    form = meeting_form(meeting, starts_at=later, ends_at=later + timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        # Confirmed on the page the first save shows (tests/meetings/test_change_confirmations.py).
        response = coordinator_client.post(change_url(meeting), {**form, "_update_confirmed": "1"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert meeting.starts_at == later
    assert recipients() == sorted([*(c.email for c in network["invited"]), "gast@olewig.example"])
    for message in mail.outbox:
        event = ics_event(message)
        assert event["SEQUENCE"] == 1
        assert event.decoded("DTSTART") == later
    assert (
        "info",
        "Datum, Uhrzeit oder Ort wurden geändert: Alle Eingeladenen erhalten eine Aktualisierung "
        "mit dem neuen Kalendereintrag.",
    ) in messages_of(response)

    # Writing the update again (a retry) sends nothing twice.
    with django_capture_on_commit_callbacks(execute=True):
        services.write_meeting_mails(meeting=meeting, kind="update")
    assert len(mail.outbox) == 4


def test_saving_without_a_schedule_change_mails_nothing(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            change_url(meeting),
            meeting_form(meeting, title="Neuer Titel", description="Mit Imbiss.", capacity=50),
        )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.capacity, meeting.sequence) == ("Neuer Titel", 50, 0)
    assert mail.outbox == []
    assert [level for level, _text in messages_of(response)] == ["success"]


def test_changing_a_draft_mails_nothing(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    later = meeting.starts_at + timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            change_url(meeting),
            meeting_form(meeting, starts_at=later, ends_at=later + timedelta(hours=1)),
        )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.sequence == 0
    assert mail.outbox == []


def test_the_form_explains_impossible_dates(coordinator_client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)

    response = coordinator_client.post(
        change_url(meeting),
        meeting_form(
            meeting,
            ends_at=meeting.starts_at - timedelta(hours=1),
            rsvp_deadline=meeting.starts_at + timedelta(days=1),
            reminder_days="[7, 0]",
        ),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["ends_at"] == ["Das Treffen muss nach seinem Beginn enden."]
    assert errors["rsvp_deadline"] == ["Der Anmeldeschluss darf nicht nach dem Beginn liegen."]
    assert errors["reminder_days"] == [
        "Erinnerungen sind 1 bis 60 Tage vor dem Treffen möglich; „0“ geht nicht."
    ]


def test_cancel_action_notifies_everyone_invited(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()

    response = run_action(
        coordinator_client, "cancel", [meeting], django_capture_on_commit_callbacks
    )

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert recipients() == sorted(c.email for c in network["invited"])
    for message in mail.outbox:
        assert str(ics_event(message)["STATUS"]) == "CANCELLED"
    assert messages_of(response) == [
        ("success", "1 Netzwerktreffen abgesagt; alle Eingeladenen werden benachrichtigt.")
    ]


def test_mark_held_action_accepts_a_meeting_that_took_place_and_refuses_a_future_one(
    coordinator_client, django_capture_on_commit_callbacks
):
    past_start = timezone.now() - timedelta(days=1)
    held = MeetingFactory(
        starts_at=past_start,
        ends_at=past_start + timedelta(hours=2),
        rsvp_deadline=past_start - timedelta(days=7),
    )
    future = MeetingFactory()

    response = run_action(
        coordinator_client, "mark_held", [held, future], django_capture_on_commit_callbacks
    )

    held.refresh_from_db()
    future.refresh_from_db()
    assert (held.status, future.status) == (Meeting.Status.HELD, Meeting.Status.PUBLISHED)
    # The confirmation listed only the meeting that took place; the future one is left alone.
    assert messages_of(response) == [("success", "1 Netzwerktreffen als stattgefunden markiert.")]


def test_only_drafts_can_be_deleted(coordinator_client):
    published = MeetingFactory()
    draft = MeetingFactory(status=Meeting.Status.DRAFT)

    assert (
        coordinator_client.get(
            reverse("admin:meetings_meeting_delete", args=[published.pk])
        ).status_code
        == 403
    )
    assert (
        coordinator_client.get(
            reverse("admin:meetings_meeting_delete", args=[draft.pk])
        ).status_code
        == 200
    )


def test_changelist_shows_seats_taken_and_links_the_participant_overview(coordinator_client):
    meeting = MeetingFactory(title="Fachkräfte finden", capacity=30)
    RegistrationFactory.create_batch(2, meeting=meeting)
    RegistrationFactory(meeting=meeting, status=Registration.Status.DECLINED)

    response = coordinator_client.get(CHANGELIST)

    [row] = response.context["cl"].result_list
    assert (row.title, row.seated) == ("Fachkräfte finden", 2)  # one seat-count annotation
    content = response.content.decode()
    assert '<td class="field-seats_taken">2</td>' in content
    assert f'<a href="{participants_url(meeting)}">Teilnehmerübersicht</a>' in content


@pytest.mark.parametrize("meetings", [1, 30])
def test_changelist_counts_and_filters_without_the_seats(
    coordinator_client, django_assert_num_queries, meetings
):
    """Only the page's rows count their seats (sortable by them); the list's count, the
    date hierarchy and the hosts' filter run on the bare meetings: the same queries at 1 and
    at 30 meetings."""
    for n in range(meetings):
        RegistrationFactory.create_batch(n % 3, meeting=MeetingFactory(capacity=30))

    with django_assert_num_queries(8) as queries:
        response = coordinator_client.get(CHANGELIST)

    assert response.status_code == 200
    seat_queries = [
        q["sql"] for q in queries.captured_queries if "meetings_registration" in q["sql"]
    ]
    assert len(seat_queries) == 1  # the page's rows
    assert "COUNT(" not in seat_queries[0].split("FROM", 1)[1].split("meetings_registration")[0]
    by_seats = coordinator_client.get(CHANGELIST, {"o": "-6"})  # seats taken, most first
    seats = [row.seated for row in by_seats.context["cl"].result_list]
    assert seats == sorted(seats, reverse=True) and seats[0] == min(meetings - 1, 2)


def test_change_form_links_the_participant_overview(coordinator_client):
    meeting = MeetingFactory()

    response = coordinator_client.get(change_url(meeting))

    assert f'<a href="{participants_url(meeting)}">Teilnehmerübersicht</a>' in (
        response.content.decode()
    )


# --------------------------------------------------------------------------------------------
# Participant overview


@pytest.fixture
def answered_meeting():
    """Two seats: Moselblick has two seated and one waiting; Olewig said no; Kürenz cancelled;
    Pallien did not answer; a paused company is not listed."""
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    meeting = MeetingFactory(title="Netzwerktreffen Herbst", capacity=2, host=moselblick)
    olewig = CompanyFactory(name="Schreinerei Olewig")
    kuerenz = CompanyFactory(name="Kürenzer Backstube")
    CompanyFactory(name="Palliener Elektro KG")
    CompanyFactory(name="Ruwertal Logistik", status=Company.Status.PAUSED)
    now = timezone.now()
    seated = [
        RegistrationFactory(
            meeting=meeting, company=moselblick, name="Anna Berg", email="anna@moselblick.example"
        ),
        RegistrationFactory(
            meeting=meeting,
            company=moselblick,
            name="Lukas Stein",
            email="lukas@moselblick.example",
        ),
    ]
    waiting = [
        RegistrationFactory(
            meeting=meeting,
            company=moselblick,
            name="Mia Kurz",
            email="mia@moselblick.example",
            status=Registration.Status.WAITLISTED,
            waitlisted_at=now - timedelta(hours=1),
        ),
        RegistrationFactory(
            meeting=meeting,
            company=olewig,
            name="Aaron Früh",
            email="aaron@olewig.example",
            status=Registration.Status.WAITLISTED,
            waitlisted_at=now - timedelta(hours=2),
        ),
    ]
    RegistrationFactory(
        meeting=meeting,
        company=olewig,
        name="Jonas Weber",
        email="jonas@olewig.example",
        status=Registration.Status.DECLINED,
    )
    RegistrationFactory(
        meeting=meeting,
        company=kuerenz,
        name="Paula Brot",
        email="paula@kuerenz.example",
        status=Registration.Status.CANCELLED,
    )
    FeedbackFactory(registration=seated[0], rating=5, comment="Sehr praxisnah.")
    FeedbackFactory(registration=seated[1], rating=4)
    # Another meeting's answers and feedback stay out.
    other = RegistrationFactory(
        meeting=MeetingFactory(host=kuerenz), company=kuerenz, email="x@kuerenz.example"
    )
    FeedbackFactory(registration=other, rating=1, comment="Anderes Treffen.")
    return {"meeting": meeting, "seated": seated, "waiting": waiting}


def test_participant_overview_shows_exact_counts(coordinator_client, answered_meeting):
    meeting = answered_meeting["meeting"]

    response = coordinator_client.get(participants_url(meeting))

    assert response.status_code == 200
    context = response.context
    assert [
        (c["name"], c["answer"], c["confirmed"], c["waitlisted"], c["declined"], c["cancelled"])
        for c in context["companies"]
    ] == [
        ("Kürenzer Backstube", "no", 0, 0, 0, 1),
        ("Moselblick Pflege GmbH", "yes", 2, 1, 0, 0),
        ("Palliener Elektro KG", "none", 0, 0, 0, 0),
        ("Schreinerei Olewig", "yes", 0, 1, 1, 0),
    ]
    assert [r.name for r in context["seated"]] == ["Anna Berg", "Lukas Stein"]
    assert [r.name for r in context["waitlist"]] == ["Aaron Früh", "Mia Kurz"]
    assert [r.name for r in context["declined"]] == ["Jonas Weber"]
    assert [r.name for r in context["cancelled"]] == ["Paula Brot"]
    assert [c.comment for c in context["feedback_comments"]] == ["Sehr praxisnah."]

    content = response.content.decode()
    for cell_id, value in {
        "total-capacity": 2,
        "total-seated": 2,
        "total-free": 0,
        "total-waitlisted": 2,
        "total-declined": 1,
        "total-cancelled": 1,
        "total-checked-in": 0,
        "companies-yes": 2,
        "companies-no": 1,
        "companies-no-answer": 1,
    }.items():
        assert f'<td id="{cell_id}">{value}</td>' in content
    assert "Durchschnittliche Bewertung 4,5 von 5 (2 Bewertungen)" in content
    assert "Sehr praxisnah." in content
    assert "Anderes Treffen." not in content
    assert "Ruwertal Logistik" not in content
    assert "Warteliste (in Reihenfolge)" in content
    assert "keine Antwort" in content


def test_participant_overview_runs_a_constant_number_of_queries(
    coordinator_client, django_assert_num_queries
):
    small = MeetingFactory(capacity=5)
    FeedbackFactory(registration=RegistrationFactory(meeting=small), rating=3, comment="Gut.")

    large = MeetingFactory(capacity=15)
    companies = CompanyFactory.create_batch(12)
    for index, company in enumerate(companies):
        for status in (
            Registration.Status.CONFIRMED,
            Registration.Status.WAITLISTED,
            Registration.Status.DECLINED,
            Registration.Status.CANCELLED,
        ):
            registration = RegistrationFactory(
                meeting=large,
                company=company,
                status=status,
                waitlisted_at=timezone.now() if status == Registration.Status.WAITLISTED else None,
                checked_in_at=timezone.now() if index % 2 else None,
            )
        FeedbackFactory(registration=registration, rating=index % 5 + 1, comment=f"Notiz {index}")

    for meeting in (small, large):
        # The session, 5 (one page of the companies' answers with their totals), and 3 for who
        # has not answered (meetings.admin.reminders.no_answer_context: one page and counts).
        with django_assert_num_queries(9):
            response = coordinator_client.get(participants_url(meeting))
        assert response.status_code == 200
    assert len(response.context["companies"]) == Company.objects.active().count() == 15


# --------------------------------------------------------------------------------------------
# Downloads


def test_participant_csv_lists_seated_then_the_waitlist_in_order(
    coordinator_client, answered_meeting
):
    meeting = answered_meeting["meeting"]
    anna = answered_meeting["seated"][0]
    Registration.objects.filter(pk=anna.pk).update(
        checked_in_at=timezone.make_aware(datetime(2031, 3, 4, 16, 5))
    )
    RegistrationFactory(
        meeting=meeting,
        company=anna.company,
        name="=HYPERLINK(1)",
        email="formel@moselblick.example",
        status=Registration.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )

    response = coordinator_client.get(participants_url(meeting, "csv"))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="teilnehmende-{meeting.slug}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    registered = str(Registration.Status.CONFIRMED.label)
    waitlist = str(Registration.Status.WAITLISTED.label)
    assert response.content.decode("utf-8")[1:] == (
        "Name;Unternehmen;E-Mail;Status;Platz auf der Warteliste;Anwesend seit\r\n"
        f"Anna Berg;Moselblick Pflege GmbH;anna@moselblick.example;{registered};;"
        "04.03.2031 16:05\r\n"
        f"Lukas Stein;Moselblick Pflege GmbH;lukas@moselblick.example;{registered};;\r\n"
        f"Aaron Früh;Schreinerei Olewig;aaron@olewig.example;{waitlist};1;\r\n"
        f"Mia Kurz;Moselblick Pflege GmbH;mia@moselblick.example;{waitlist};2;\r\n"
        f"'=HYPERLINK(1);Moselblick Pflege GmbH;formel@moselblick.example;{waitlist};3;\r\n"
    )


def test_participant_pdf_has_title_names_and_a_signature_column(
    coordinator_client, answered_meeting
):
    meeting = answered_meeting["meeting"]

    response = coordinator_client.get(participants_url(meeting, "pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="teilnehmende-{meeting.slug}.pdf"'
    )
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Teilnehmerliste: Netzwerktreffen Herbst" in text
    assert "Name Unternehmen Unterschrift" in text
    assert "Anna Berg Moselblick Pflege GmbH" in text
    assert "Lukas Stein Moselblick Pflege GmbH" in text
    assert meeting.venue_name in text
    assert timezone.localtime(meeting.starts_at).strftime("%Y") in text
    # Only the seated participants sign; the waitlist and those who declined are not listed.
    assert "Mia Kurz" not in text
    assert "Jonas Weber" not in text


# --------------------------------------------------------------------------------------------
# Check-in


def test_check_in_button_toggles_presence(coordinator_client, answered_meeting):
    meeting = answered_meeting["meeting"]
    anna = answered_meeting["seated"][0]

    response = coordinator_client.post(
        check_in_url(meeting), {"registration": anna.pk, "present": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{participants_url(meeting)}#registration-{anna.pk}"
    anna.refresh_from_db()
    assert anna.checked_in_at is not None
    assert messages_of(response) == [("success", "Anna Berg ist eingecheckt.")]
    overview = coordinator_client.get(participants_url(meeting)).content.decode()
    assert '<td id="total-checked-in">1</td>' in overview

    response = coordinator_client.post(
        check_in_url(meeting), {"registration": anna.pk, "present": "0"}
    )

    anna.refresh_from_db()
    assert anna.checked_in_at is None
    assert messages_of(response) == [
        ("success", "Das Einchecken von Anna Berg wurde zurückgenommen.")
    ]


def test_check_in_needs_post_and_a_registration_of_this_meeting(
    coordinator_client, answered_meeting
):
    meeting = answered_meeting["meeting"]
    stranger = RegistrationFactory()

    assert coordinator_client.get(check_in_url(meeting)).status_code == 405
    response = coordinator_client.post(
        check_in_url(meeting), {"registration": stranger.pk, "present": "1"}
    )
    assert response.status_code == 404
    assert coordinator_client.post(check_in_url(meeting), {"registration": "x"}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


def test_checking_in_someone_on_the_waitlist_is_refused_with_a_message(
    coordinator_client, answered_meeting
):
    meeting = answered_meeting["meeting"]
    waiting = RegistrationFactory(meeting=meeting, status="waitlisted", name="Lea Kaspari")

    response = coordinator_client.post(
        check_in_url(meeting), {"registration": waiting.pk, "present": "1"}
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        ("error", "Nur angemeldete Teilnehmende können als anwesend erfasst werden.")
    ]
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


# --------------------------------------------------------------------------------------------
# Who may see it


@pytest.mark.parametrize("what", ["", "csv", "pdf"])
def test_company_users_cannot_reach_the_overview_or_the_downloads(client, what):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, name="Anna Berg")
    client.force_login(MembershipFactory().user)

    response = client.get(participants_url(meeting, what))

    # Logged in, but not a coordinator: refused outright (no admin login form to try).
    assert response.status_code == 403
    assert b"Anna Berg" not in response.content


def test_anonymous_visitors_cannot_check_in(client):
    registration = RegistrationFactory()

    response = client.post(
        check_in_url(registration.meeting), {"registration": registration.pk, "present": "1"}
    )

    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is None


@pytest.mark.parametrize("what", ["", "csv", "pdf"])
def test_staff_without_meeting_permissions_is_refused(client, what):
    meeting = MeetingFactory()
    login_with_second_factor(client, UserFactory(is_staff=True))

    assert client.get(participants_url(meeting, what)).status_code == 403


def test_calendar_feeds_are_not_in_the_admin():
    assert CalendarFeed not in admin.site._registry


# --------------------------------------------------------------------------------------------
# Topics


def test_topic_proposals_are_ranked_by_votes(coordinator_client):
    voters = UserFactory.create_batch(3)
    few = TopicProposalFactory(title="Azubis finden")
    many = TopicProposalFactory(title="Fachkräfte aus dem Ausland")
    TopicProposalFactory(title="Betriebliches Gesundheitsmanagement")
    TopicVote.objects.create(proposal=few, user=voters[0])
    for voter in voters:
        TopicVote.objects.create(proposal=many, user=voter)

    response = coordinator_client.get(reverse("admin:meetings_topicproposal_changelist"))

    assert [(p.title, p.vote_count) for p in response.context["cl"].result_list] == [
        ("Fachkräfte aus dem Ausland", 3),
        ("Azubis finden", 1),
        ("Betriebliches Gesundheitsmanagement", 0),
    ]
    assert '<td class="field-vote_count">3</td>' in response.content.decode()


def test_scheduling_a_topic_mails_the_proposer_once(
    coordinator_client, django_capture_on_commit_callbacks
):
    proposer = UserFactory(email="ideen@moselblick.example")
    proposal = TopicProposalFactory(title="Azubis finden", proposed_by=proposer)
    meeting = MeetingFactory(title="Netzwerktreffen Sommer")
    url = reverse("admin:meetings_topicproposal_change", args=[proposal.pk])
    form = {
        "title": proposal.title,
        "description": proposal.description,
        "scheduled_meeting": meeting.pk,
        "_save": "Sichern",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, form)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.scheduled_meeting == meeting
    assert recipients() == ["ideen@moselblick.example"]
    assert "Netzwerktreffen Sommer" in mail.outbox[0].body
    assert (
        "info",
        "Die vorschlagende Person erfährt per E-Mail, dass das Thema auf der Tagesordnung steht.",
    ) in messages_of(response)

    # Saving again, or editing the text, tells nobody anything new.
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {**form, "description": "Mit Beispielen aus dem Handwerk."})
    assert len(mail.outbox) == 1


# --------------------------------------------------------------------------------------------
# Materials


def real_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def office_file(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(f"{folder}/document.xml", "<x/>")
    return buffer.getvalue()


def upload_material(client, meeting, upload):
    data = meeting_form(meeting)
    data.update(
        {
            "materials-TOTAL_FORMS": "1",
            "materials-0-title": "Folien Weiterbildung",
            "materials-0-file": upload,
        }
    )
    return client.post(change_url(meeting), data)


def test_material_whose_content_is_not_a_pdf_is_refused(coordinator_client, settings):
    meeting = MeetingFactory()

    response = upload_material(
        coordinator_client,
        meeting,
        SimpleUploadedFile("folien.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
    )

    assert response.status_code == 200
    [material_form] = response.context["inline_admin_formsets"][1].formset.forms
    assert material_form.errors["file"] == [
        "Dieser Dateityp ist nicht erlaubt. Bitte laden Sie ein PDF, eine Word-, Excel- oder "
        "PowerPoint-Datei (.docx, .xlsx, .pptx) oder ein Bild (PNG, JPEG) hoch."
    ]
    assert Material.objects.count() == 0


def test_a_real_pdf_is_accepted_and_stored_as_pdf(coordinator_client, settings):
    meeting = MeetingFactory()

    response = upload_material(
        coordinator_client,
        meeting,
        SimpleUploadedFile("Folien final.exe", real_pdf(), "application/octet-stream"),
    )

    assert response.status_code == 302
    [material] = Material.objects.all()
    assert (material.meeting, material.title) == (meeting, "Folien Weiterbildung")
    assert material.content_type == "application/pdf"
    assert material.file.name.endswith(".pdf")
    with material.file.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")


def test_too_large_material_is_refused(coordinator_client, settings):
    settings.MATERIAL_MAX_BYTES = 1024
    meeting = MeetingFactory()

    response = upload_material(
        coordinator_client,
        meeting,
        SimpleUploadedFile("folien.pdf", b"%PDF-1.7\n" + b"0" * 2000, "application/pdf"),
    )

    [material_form] = response.context["inline_admin_formsets"][1].formset.forms
    assert material_form.errors["file"] == ["Die Datei ist zu groß (höchstens 1,0\xa0KB)."]


def image_bytes(image_format: str) -> bytes:
    """A real (tiny) image: documents that start like an image must be one throughout."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format=image_format)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"%PDF-1.4\n%%EOF", "application/pdf"),
        (
            office_file("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (office_file("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            office_file("ppt"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (image_bytes("PNG"), "image/png"),
        (image_bytes("JPEG"), "image/jpeg"),
    ],
)
def test_document_types_are_recognised_by_content(content, content_type):
    upload = SimpleUploadedFile("datei.bin", content)
    assert validate_document_upload(upload, max_bytes=10_000) == content_type
    assert upload.tell() == 0


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"PK\x03\x04 broken zip",
        office_file("other").replace(b"[Content_Types].xml", b"[Content_Typez].xml"),
        office_file("other"),
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"GIF89a",
    ],
)
def test_other_documents_are_refused(content):
    with pytest.raises(ValidationError):
        validate_document_upload(SimpleUploadedFile("folien.pptx", content), max_bytes=10_000)
