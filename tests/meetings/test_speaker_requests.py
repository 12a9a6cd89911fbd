"""Speakers from the member companies: the coordinators see which companies offered matching
expertise for a meeting or a topic wish („Passende Angebote“), ask one of them (form,
confirmation, mail with signed links), the contact accepts or declines on the link's page, and
an accepted contribution shows on the meeting's agenda."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, Meeting, SpeakerRequest
from members.models import Company
from network_portal.models import ActivityEntry
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    ExpertiseOfferFactory,
    ExpertiseTopicFactory,
    MembershipFactory,
)
from tests.meetings.factories import MeetingFactory, TopicProposalFactory
from tests.utils import message_texts

pytestmark = pytest.mark.django_db

QUERIES_OFFERS = 10


@pytest.fixture
def setting():
    """A meeting about "Ausbildung in Teilzeit"; Moselblick offered to report on it, Olewig on
    another topic, Porta to host; a paused company's offer on the topic is not shown."""
    ausbildung = ExpertiseTopicFactory(name="Ausbildung in Teilzeit")
    ausland = ExpertiseTopicFactory(name="Fachkräfte aus dem Ausland")
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    anna = ContactPersonFactory(
        company=moselblick, first_name="Anna", last_name="Schmitt", email="anna@moselblick.example"
    )
    report = ExpertiseOfferFactory(
        company=moselblick,
        contact=anna,
        topics=[ausbildung],
        description="Zwei Azubis in Teilzeit seit 2023.",
    )
    ExpertiseOfferFactory(company=CompanyFactory(name="Schreinerei Olewig"), topics=[ausland])
    host = ExpertiseOfferFactory(
        company=CompanyFactory(name="Porta Digital Werkstatt UG"),
        kind="host",
        room="Kantine, EG",
        seats=45,
    )
    ExpertiseOfferFactory(
        company=CompanyFactory(name="Pausierte Bau AG", status=Company.Status.PAUSED),
        topics=[ausbildung],
    )
    meeting = MeetingFactory(title="Ausbildung neu denken")
    meeting.expertise_topics.set([ausbildung])
    return {"meeting": meeting, "report": report, "host": host, "anna": anna, "topic": ausbildung}


def offers_url(meeting):
    return reverse("admin:meetings_meeting_offers", args=[meeting.pk])


def ask_url(meeting, offer):
    return reverse("admin:meetings_meeting_ask", args=[meeting.pk, offer.pk])


def links_in(message):
    lines = message.body.splitlines()
    accept = next(line for line in lines if line.startswith("Zusagen: "))
    decline = next(line for line in lines if line.startswith("Absagen: "))
    return accept.removeprefix("Zusagen: "), decline.removeprefix("Absagen: ")


def ask(coordinator, setting, **changes):
    return services.speaker_request_create(
        meeting=setting["meeting"],
        contact=setting["anna"],
        talk_title=changes.get("talk_title", "Ausbildung in Teilzeit: unsere Erfahrungen"),
        message=changes.get("message", "Die Mitglieder fragen oft danach."),
        offer=setting["report"],
        by_user=coordinator,
    )


# --- Passende Angebote -------------------------------------------------------------------------


def test_the_meeting_lists_the_matching_offers_and_the_hosts(coordinator_client, setting):
    change = coordinator_client.get(
        reverse("admin:meetings_meeting_change", args=[setting["meeting"].pk])
    ).content.decode()
    assert f'href="{offers_url(setting["meeting"])}"' in change

    html = coordinator_client.get(offers_url(setting["meeting"])).content.decode()

    assert "Passende Angebote" in html
    assert "Moselblick Pflege GmbH" in html and "Zwei Azubis in Teilzeit seit 2023." in html
    assert "Schreinerei Olewig" not in html  # another topic
    assert "Pausierte Bau AG" not in html  # not an active member
    assert "Porta Digital Werkstatt UG" in html and "Kantine, EG" in html and ">45<" in html
    assert f'href="{ask_url(setting["meeting"], setting["report"])}"' in html
    assert "Um einen Beitrag bitten" in html


@pytest.mark.parametrize("n", [1, 4])
def test_the_offers_page_runs_a_constant_number_of_queries(
    coordinator_client, setting, django_assert_num_queries, n
):
    meeting, topic = setting["meeting"], setting["topic"]
    for number in range(n):
        company = CompanyFactory(name=f"Gefragt {number} GmbH")
        contact = ContactPersonFactory(company=company, email=f"gefragt{number}@example.org")
        offer = ExpertiseOfferFactory(company=company, contact=contact, topics=[topic])
        SpeakerRequest.objects.create(
            meeting=meeting, offer=offer, company=company, contact=contact, talk_title="Bericht"
        )
    url = offers_url(meeting)
    coordinator_client.get(url)  # the session and permissions cached as on any later visit
    with django_assert_num_queries(QUERIES_OFFERS):
        html = coordinator_client.get(url).content.decode()
    assert html.count("angefragt (") == n


def test_a_meeting_without_topics_says_so(coordinator_client):
    meeting = MeetingFactory()
    html = coordinator_client.get(offers_url(meeting)).content.decode()
    assert "Es sind noch keine Fachthemen gesetzt" in html


def test_asking_shows_a_form_then_a_confirmation_and_only_then_mails(
    coordinator_client, coordinator, setting, django_capture_on_commit_callbacks
):
    url = ask_url(setting["meeting"], setting["report"])
    form = coordinator_client.get(url).content.decode()
    assert "Praxisbericht: Ausbildung in Teilzeit" in form  # the title proposed
    assert "Anna Schmitt (anna@moselblick.example)" in form

    data = {
        "contact": setting["anna"].pk,
        "talk_title": "Ausbildung in Teilzeit: unsere Erfahrungen",
        "message": "Liebe Frau Schmitt,\nwir würden uns sehr freuen.",
    }
    confirm = coordinator_client.post(url, data).content.decode()
    assert "Anfrage senden" in confirm
    assert "1 E-Mail an anna@moselblick.example." in confirm
    assert not SpeakerRequest.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, {**data, "confirmed": "yes"})

    assert response["Location"] == offers_url(setting["meeting"])
    assert message_texts(response) == [
        "Anna Schmitt wurde per E-Mail angefragt; Sie erhalten Bescheid, sobald die Antwort da ist."
    ]
    speaker_request = SpeakerRequest.objects.get()
    assert (speaker_request.status, speaker_request.requested_by, speaker_request.offer) == (
        "pending",
        coordinator,
        setting["report"],
    )
    (message,) = mail.outbox
    assert message.to == ["anna@moselblick.example"]
    assert message.subject.endswith("Möchten Sie bei „Ausbildung neu denken“ berichten?")
    assert "Ihr Unternehmen „Moselblick Pflege GmbH“ hat angeboten" in message.body
    assert "wir würden uns sehr freuen." in message.body
    accept, decline = links_in(message)
    assert accept != decline
    # The offers page now says the company was asked, instead of offering to ask again.
    html = coordinator_client.get(offers_url(setting["meeting"])).content.decode()
    assert "angefragt (offen)" in html


def test_a_second_open_request_to_the_same_person_is_refused(coordinator, setting):
    ask(coordinator, setting)
    with pytest.raises(ValidationError, match="bereits angefragt"):
        ask(coordinator, setting)


def test_nobody_is_asked_for_a_meeting_that_has_begun(coordinator, setting):
    meeting = setting["meeting"]
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        rsvp_deadline=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="bereits begonnen"):
        ask(coordinator, setting)


# --- The asked person's link -------------------------------------------------------------------


@pytest.fixture
def asked(coordinator, setting, django_capture_on_commit_callbacks):
    AgendaItem.objects.create(meeting=setting["meeting"], starts_at=time(16, 0), title="Begrüßung")
    with django_capture_on_commit_callbacks(execute=True):
        speaker_request = ask(coordinator, setting)
    accept, decline = links_in(mail.outbox[-1])
    mail.outbox.clear()
    return {"request": speaker_request, "accept": accept, "decline": decline, **setting}


def test_accepting_puts_the_speaker_on_the_agenda_and_tells_the_coordinator(
    client, coordinator, asked, django_capture_on_commit_callbacks
):
    page = client.get(asked["accept"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ausbildung in Teilzeit: unsere Erfahrungen" in html
    assert 'value="accept" class="btn btn-primary">Zusagen</button>' in html
    assert "Absagen</button>" in html
    assert SpeakerRequest.objects.get().status == "pending"  # a GET changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(asked["accept"], {"answer": "accept"})

    assert "Sie haben zugesagt." in response.content.decode()
    speaker_request = SpeakerRequest.objects.get()
    item = speaker_request.agenda_item
    assert (speaker_request.status, item.title, item.speaker_contact, item.starts_at) == (
        "accepted",
        "Ausbildung in Teilzeit: unsere Erfahrungen",
        asked["anna"],
        time(16, 30),  # after the last item
    )
    (message,) = mail.outbox
    assert message.to == [coordinator.email]
    assert "Zusage: Anna Schmitt berichtet" in message.subject
    assert "Ihre Anfrage für einen Beitrag wurde zugesagt" in message.body
    entry = ActivityEntry.objects.get(action="meetings.speaker_request.accepted")
    assert (entry.actor, entry.actor_label) == (None, "anna@moselblick.example")

    # Members see the speaker on the meeting's page (cached shared content follows the change).
    member = MembershipFactory(company=asked["anna"].company).user
    client.force_login(member)
    detail = client.get(reverse("meetings:detail", args=[asked["meeting"].slug])).content.decode()
    assert "Ausbildung in Teilzeit: unsere Erfahrungen" in detail
    assert "Anna Schmitt (Moselblick Pflege GmbH)" in detail


def test_the_meeting_page_shows_the_speaker_even_when_it_was_cached_before(client, asked, settings):
    member = MembershipFactory(company=asked["anna"].company).user
    client.force_login(member)
    url = reverse("meetings:detail", args=[asked["meeting"].slug])
    assert "Anna Schmitt (Moselblick Pflege GmbH)" not in client.get(url).content.decode()
    services.speaker_request_answer(speaker_request=asked["request"], accept=True)
    assert "Anna Schmitt (Moselblick Pflege GmbH)" in client.get(url).content.decode()


def test_declining_is_recorded_and_the_coordinator_told(
    client, coordinator, asked, django_capture_on_commit_callbacks
):
    page = client.get(asked["decline"]).content.decode()
    assert 'value="decline" class="btn btn-primary">Absagen</button>' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(asked["decline"], {"answer": "decline"})
    assert "Sie haben abgesagt." in response.content.decode()
    speaker_request = SpeakerRequest.objects.get()
    assert (speaker_request.status, speaker_request.agenda_item) == ("declined", None)
    assert AgendaItem.objects.count() == 1  # only the greeting
    (message,) = mail.outbox
    assert "Absage: Anna Schmitt berichtet nicht" in message.subject


def test_answering_twice_says_it_was_answered(client, asked):
    client.post(asked["accept"], {"answer": "accept"})
    page = client.get(asked["decline"]).content.decode()
    assert "Sie haben dieser Anfrage bereits zugesagt" in page
    assert "<button" not in page.split("<main", 1)[1].split("</main>")[0]
    response = client.post(asked["decline"], {"answer": "decline"})
    assert response.status_code == 409
    assert "Sie haben dieser Anfrage bereits zugesagt" in response.content.decode()
    assert SpeakerRequest.objects.get().status == "accepted"


def test_a_withdrawn_request_cannot_be_answered(client, coordinator, asked):
    services.speaker_request_withdraw(speaker_request=asked["request"], by_user=coordinator)
    response = client.post(asked["accept"], {"answer": "accept"})
    assert response.status_code == 409
    assert "Das Koordinationsteam hat diese Anfrage zurückgezogen" in response.content.decode()
    assert not SpeakerRequest.objects.get().agenda_item


def test_after_the_meeting_began_the_link_says_so(client, asked):
    Meeting.objects.filter(pk=asked["meeting"].pk).update(
        starts_at=timezone.now() - timedelta(minutes=5),
        rsvp_deadline=timezone.now() - timedelta(days=1),
    )
    page = client.get(asked["accept"]).content.decode()
    assert (
        "Das Treffen hat bereits begonnen; die Anfrage kann nicht mehr beantwortet werden." in page
    )
    assert client.post(asked["accept"], {"answer": "accept"}).status_code == 409


def test_a_forged_link_is_gone(client, asked):
    response = client.get(asked["accept"].rstrip("/")[:-3] + "abc/")
    assert response.status_code == 410
    assert "Dieser Link ist ungültig." in response.content.decode()


# --- Withdrawal in the admin -------------------------------------------------------------------


def test_a_coordinator_withdraws_after_confirming(
    coordinator_client, asked, django_capture_on_commit_callbacks
):
    speaker_request = asked["request"]
    change = coordinator_client.get(
        reverse("admin:meetings_speakerrequest_change", args=[speaker_request.pk])
    ).content.decode()
    url = reverse("admin:meetings_speakerrequest_withdraw", args=[speaker_request.pk])
    assert f'href="{url}"' in change

    page = coordinator_client.get(url).content.decode()
    assert "1 E-Mail an anna@moselblick.example: Die Anfrage wurde zurückgezogen." in page
    assert SpeakerRequest.objects.get().status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url)

    assert SpeakerRequest.objects.get().status == "withdrawn"
    (message,) = mail.outbox
    assert message.to == ["anna@moselblick.example"]
    assert "wir haben unsere Anfrage für Ihren Beitrag" in message.body
    assert ActivityEntry.objects.filter(action="meetings.speaker_request.withdrawn").exists()


def test_the_requests_list_filters_by_status(coordinator_client, asked):
    url = reverse("admin:meetings_speakerrequest_changelist")
    assert (
        "Ausbildung in Teilzeit: unsere Erfahrungen"
        in coordinator_client.get(url, {"status__exact": "pending"}).content.decode()
    )
    assert (
        "Ausbildung in Teilzeit: unsere Erfahrungen"
        not in coordinator_client.get(url, {"status__exact": "accepted"}).content.decode()
    )


# --- A topic wish --------------------------------------------------------------------------------


def test_a_topic_wish_asks_for_a_chosen_planned_meeting(
    coordinator_client, setting, django_capture_on_commit_callbacks
):
    proposal = TopicProposalFactory(title="Teilzeitausbildung für Alleinerziehende")
    proposal.expertise_topics.set([setting["topic"]])
    change = coordinator_client.get(
        reverse("admin:meetings_topicproposal_change", args=[proposal.pk])
    ).content.decode()
    offers = reverse("admin:meetings_topicproposal_offers", args=[proposal.pk])
    assert f'href="{offers}"' in change
    html = coordinator_client.get(offers).content.decode()
    assert "Moselblick Pflege GmbH" in html
    url = reverse("admin:meetings_topicproposal_ask", args=[proposal.pk, setting["report"].pk])
    form = coordinator_client.get(url).content.decode()
    assert "Ausbildung neu denken" in form  # the planned meetings to choose from

    data = {
        "meeting": setting["meeting"].pk,
        "contact": setting["anna"].pk,
        "talk_title": "Teilzeit für Alleinerziehende",
        "message": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {**data, "confirmed": "yes"})

    speaker_request = SpeakerRequest.objects.get()
    assert (speaker_request.meeting, speaker_request.topic_proposal) == (
        setting["meeting"],
        proposal,
    )
    assert "Themenvorschlag der Mitglieder: Teilzeitausbildung für Alleinerziehende" in (
        mail.outbox[-1].body
    )


def test_staff_without_permissions_cannot_open_the_offers(client, setting):
    from tests.factories import UserFactory
    from tests.mfa import login_with_second_factor

    staff = UserFactory(is_staff=True)
    login_with_second_factor(client, staff)
    assert client.get(offers_url(setting["meeting"])).status_code == 403
    assert client.get(ask_url(setting["meeting"], setting["report"])).status_code == 403


# --- Answers: once per speaker, one agenda time each, the office's mail in German ------------


def test_a_contact_who_already_accepted_is_not_asked_again(coordinator, asked):
    services.speaker_request_answer(speaker_request=asked["request"], accept=True)
    with pytest.raises(ValidationError) as refused:
        ask(coordinator, asked, talk_title="Noch ein Beitrag")
    assert "hat bereits zugesagt" in " ".join(refused.value.messages)
    assert SpeakerRequest.objects.count() == 1


def test_the_office_hears_of_an_answer_in_german_whatever_the_speaker_page_spoke(
    coordinator, asked, django_capture_on_commit_callbacks
):
    from django.utils import translation

    SpeakerRequest.objects.filter(pk=asked["request"].pk).update(requested_by=None)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.speaker_request_answer(speaker_request=asked["request"], accept=True)
    (message,) = mail.outbox
    assert coordinator.email not in message.to
    assert "Zusage: Anna Schmitt berichtet" in message.subject


@pytest.mark.django_db(transaction=True)
def test_two_accepting_at_once_get_one_agenda_time_each(monkeypatch, coordinator, setting):
    import threading

    from django.db import connection, connections

    from tests.utils import skip_or_fail

    if connection.vendor != "postgresql":
        skip_or_fail("the race needs PostgreSQL's row locks (DATABASE_URL=postgres://…)")
    meeting = setting["meeting"]
    AgendaItem.objects.create(meeting=meeting, starts_at=time(16, 0), title="Begrüßung")
    ben = ContactPersonFactory(company=setting["anna"].company, email="ben@moselblick.example")
    first = ask(coordinator, setting)
    second = services.speaker_request_create(
        meeting=meeting, contact=ben, talk_title="Zweiter Bericht", by_user=coordinator
    )
    computing, go = threading.Event(), threading.Event()
    real = services._next_agenda_time

    def slow_next_time(meeting):
        value = real(meeting)
        if not computing.is_set():
            computing.set()
            go.wait(10)
        return value

    monkeypatch.setattr(services, "_next_agenda_time", slow_next_time)

    def accept(speaker_request):
        try:
            services.speaker_request_answer(speaker_request=speaker_request, accept=True)
        finally:
            connections.close_all()

    one = threading.Thread(target=accept, args=(first,))
    one.start()
    assert computing.wait(10)
    two = threading.Thread(target=accept, args=(second,))
    two.start()
    two.join(timeout=1.5)
    go.set()
    one.join(timeout=30)
    two.join(timeout=30)

    times = sorted(
        AgendaItem.objects.filter(meeting=meeting, speaker_contact__isnull=False).values_list(
            "starts_at", flat=True
        )
    )
    assert times == [time(16, 30), time(17, 0)]


def test_asking_for_a_workshop_does_not_speak_of_a_network_meeting(
    coordinator, setting, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=setting["meeting"].pk).update(kind=Meeting.Kind.WORKSHOP)
    setting["meeting"].refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        ask(coordinator, setting)
    (message,) = mail.outbox
    assert "bei „Ausbildung neu denken“" in message.subject
    assert "Netzwerktreffen" not in message.subject + message.body
