"""Reminders and resends by hand from the participant overview: a confirmation page first
that names the people and their number (a GET writes nothing), then the mails, each person
once a day; each logged."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Registration
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.utils import message_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    return MeetingFactory(title="Fachkräfte halten")


@pytest.fixture
def people(meeting):
    """Two companies: Anna answered yes, Lukas (her colleague) and Jonas have not answered;
    Ohne wants no invitations."""
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    olewig = CompanyFactory(name="Schreinerei Olewig")
    anna = ContactPersonFactory(company=moselblick, email="anna@moselblick.example")
    lukas = ContactPersonFactory(
        company=moselblick, first_name="Lukas", last_name="Thiel", email="lukas@moselblick.example"
    )
    jonas = ContactPersonFactory(
        company=olewig, first_name="Jonas", last_name="Reuter", email="jonas@olewig.example"
    )
    ContactPersonFactory(
        company=olewig, email="ohne@olewig.example", wants_meeting_invitations=False
    )
    RegistrationFactory(meeting=meeting, company=moselblick, contact=anna, email=anna.email)
    return {"anna": anna, "lukas": lukas, "jonas": jonas}


def remind_url(meeting):
    return reverse("admin:meetings_meeting_remind", args=[meeting.pk])


def resend_url(meeting, contact):
    return reverse("admin:meetings_meeting_resend_invitation", args=[meeting.pk, contact.pk])


def written(meeting, kind) -> list[str]:
    return sorted(
        OutboxMail.objects.filter(key__startswith=f"meeting:{meeting.pk}:{kind}-").values_list(
            "to", flat=True
        )
    )


def test_the_participant_page_lists_who_has_not_answered_with_the_buttons(
    coordinator_client, meeting, people
):
    response = coordinator_client.get(
        reverse("admin:meetings_meeting_participants", args=[meeting.pk])
    )
    page = unescape(response.content.decode())
    section = page[page.index('id="no-answer"') : page.index('id="companies"')]
    assert "Eingeladen, noch ohne Antwort (2 Personen)" in section
    assert "lukas@moselblick.example" in section and "jonas@olewig.example" in section
    assert "anna@moselblick.example" not in section and "ohne@olewig.example" not in section
    assert "Alle 2 jetzt erinnern …" in section
    assert resend_url(meeting, people["jonas"]) in section


def test_remind_all_confirms_the_count_and_writes_exactly_those_mails(
    coordinator_client, meeting, people, django_capture_on_commit_callbacks
):
    before = OutboxMail.objects.count()
    response = coordinator_client.get(remind_url(meeting))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "2 Empfängerinnen und Empfänger" in page
    assert "2 Personen, die noch nicht geantwortet haben, erhalten jetzt eine Erinnerung" in page
    assert "Lukas Thiel" in page and "Jonas Reuter" in page
    shown = int(re.search(r"(\d+) Erinnerungen senden", page).group(1))
    assert OutboxMail.objects.count() == before  # the GET wrote nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(remind_url(meeting))
    assert response.status_code == 302
    assert response["Location"].endswith("#no-answer")
    assert message_texts(response) == ["2 Erinnerungen werden versandt."]
    assert written(meeting, "answer-reminder") == [
        "jonas@olewig.example",
        "lukas@moselblick.example",
    ]
    assert len(written(meeting, "answer-reminder")) == shown
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"jonas@olewig.example", "lukas@moselblick.example"}
    body = sent["jonas@olewig.example"].body
    assert "ob Sie zu „Fachkräfte halten“ kommen" in body
    assert "Ich nehme teil:" in body and "Ich nehme nicht teil:" in body
    entry = ActivityEntry.objects.get(action="meetings.meeting.answer_reminders_sent")
    assert entry.details == {"recipients": 2}

    # The same day: nobody is reminded twice; the page says so.
    response = coordinator_client.get(remind_url(meeting))
    assert "Niemand ist heute noch zu erinnern" in unescape(response.content.decode())
    response = coordinator_client.post(remind_url(meeting))
    assert message_texts(response) == [
        "Niemand ist heute noch zu erinnern: Alle haben geantwortet oder wurden heute erinnert."
    ]
    assert len(written(meeting, "answer-reminder")) == 2
    page = unescape(
        coordinator_client.get(
            reverse("admin:meetings_meeting_participants", args=[meeting.pk])
        ).content.decode()
    )
    assert "Alle ohne Antwort wurden heute erinnert." in page


def test_who_answers_after_a_reminder_is_not_reminded_again(coordinator_client, meeting, people):
    RegistrationFactory(
        meeting=meeting,
        company=people["jonas"].company,
        email="JONAS@olewig.example",
        status=Registration.Status.DECLINED,
    )
    response = coordinator_client.get(remind_url(meeting))
    assert "1 Empfängerin oder Empfänger" in unescape(response.content.decode())
    coordinator_client.post(remind_url(meeting))
    assert written(meeting, "answer-reminder") == ["lukas@moselblick.example"]


def test_resend_goes_to_that_person_only(
    coordinator_client, meeting, people, django_capture_on_commit_callbacks
):
    jonas = people["jonas"]
    response = coordinator_client.get(resend_url(meeting, jonas))
    page = unescape(response.content.decode())
    assert "Jonas Reuter (jonas@olewig.example) erhält die Einladung noch einmal" in page
    assert "1 Empfängerin oder Empfänger" in page
    assert not OutboxMail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(resend_url(meeting, jonas))
    assert message_texts(response) == ["Die Einladung wird noch einmal an Jonas Reuter versandt."]
    assert written(meeting, "invitation-resent") == ["jonas@olewig.example"]
    assert [message.to for message in mail.outbox] == [["jonas@olewig.example"]]
    invitation = mail.outbox[0]
    assert invitation.attachments[0][0].endswith(".ics")
    assert "Ich nehme teil:" in invitation.body
    entry = ActivityEntry.objects.get(action="meetings.meeting.invitation_resent")
    assert (entry.object_id, entry.details) == (str(jonas.pk), {"meeting": str(meeting)})

    # Once a day: a second click writes nothing.
    response = coordinator_client.post(resend_url(meeting, jonas))
    assert message_texts(response)[-1] == (
        "Die Einladung wurde heute schon noch einmal an Jonas Reuter versandt."
    )
    assert len(written(meeting, "invitation-resent")) == 1


def test_someone_without_invitations_cannot_be_sent_one(coordinator_client, meeting, people):
    outsider = ContactPersonFactory(email="x@olewig.example", wants_meeting_invitations=False)
    assert coordinator_client.get(resend_url(meeting, outsider)).status_code == 404
    assert coordinator_client.post(resend_url(meeting, outsider)).status_code == 404
    assert not OutboxMail.objects.exists()


@pytest.mark.parametrize(
    "closed",
    [
        {"rsvp_deadline": timezone.now() - timedelta(hours=1)},
        {"status": Meeting.Status.CANCELLED},
    ],
    ids=["deadline-passed", "cancelled"],
)
def test_no_reminders_once_the_meeting_takes_no_answers(coordinator_client, people, closed):
    meeting = MeetingFactory(**closed)
    for url in (remind_url(meeting), resend_url(meeting, people["jonas"])):
        response = coordinator_client.get(url)
        assert response.status_code == 302
        assert message_texts(response)[-1].startswith(
            "Dieses Netzwerktreffen nimmt keine Antworten mehr an"
        )
        response = coordinator_client.post(url)
        assert response.status_code == 302
    assert not OutboxMail.objects.exists()
    page = coordinator_client.get(
        reverse("admin:meetings_meeting_participants", args=[meeting.pk])
    ).content.decode()
    assert remind_url(meeting) not in page


def test_the_participant_page_runs_a_constant_number_of_queries_with_many_not_answering(
    coordinator_client, django_assert_num_queries
):
    small = MeetingFactory()
    ContactPersonFactory(company=CompanyFactory())
    large = MeetingFactory()
    for _ in range(8):
        company = CompanyFactory()
        ContactPersonFactory.create_batch(3, company=company)
    url = reverse("admin:meetings_meeting_participants", args=[small.pk])
    coordinator_client.post(remind_url(large))
    for meeting in (small, large):
        url = reverse("admin:meetings_meeting_participants", args=[meeting.pk])
        # One page of the people without an answer, counted apart (see test_participant_pages).
        with django_assert_num_queries(10):
            response = coordinator_client.get(url)
        assert response.status_code == 200
    assert len(response.context["no_answer"]) == 25
