"""A guest list that changes on a published event: taking over guests on an event open to all
names who loses the invitation; companies no longer invited keep their registrations (and may
cancel them) but move up from the waitlist no more, register nobody and ask no questions; the
start page announces to visitors only network meetings and public events."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Registration
from network_portal.models import ActivityEntry
from tests.factories import CompanyFactory, MembershipFactory
from tests.meetings.factories import ExpertGuestFactory, MeetingFactory
from tests.seal.factories import AwardCycleFactory, CertificateFactory

pytestmark = pytest.mark.django_db


def answer(meeting, company, n, attending=True):
    return services.rsvp_answer(
        meeting=meeting,
        company=company,
        name=f"Person {n}",
        email=f"person{n}@{company.slug}.example",
        attending=attending,
    )


@pytest.fixture
def holders(network):
    """The cycle 2026 awarded Moselblick only."""
    cycle = AwardCycleFactory(name="2026", slug="2026", awarded=True)
    CertificateFactory(application__company=network["moselblick"], application__cycle=cycle)
    return cycle


# --- Taking over guests on an event open to all ------------------------------------------------


def test_taking_over_guests_names_the_companies_losing_their_invitation(
    coordinator_client, network, holders, coordinator, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(kind=Meeting.Kind.RECEPTION, per_company_limit=3)
    answer(meeting, network["olewig"], 1)
    answer(meeting, network["olewig"], 2)
    url = reverse("admin:meetings_meeting_guests", args=[meeting.pk])

    page = coordinator_client.get(url, {"group": "seal:2026"}).content.decode()
    # Olewig and the host lose their invitation.
    assert "bisher allen Mitgliedsunternehmen offen: 2 Unternehmen verlieren ihre Einladung" in page
    assert "2 Personen dieser Unternehmen sind angemeldet oder auf der Warteliste" in page
    assert "Schreinerei Olewig (2 angemeldet)" in page
    assert not meeting.invited_companies.exists()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url, {"group": "seal:2026"})
    assert list(meeting.invited_companies.all()) == [network["moselblick"]]
    entry = ActivityEntry.objects.get(action="meetings.meeting.guests_taken")
    assert entry.details["dropped"] == 2 and entry.details["dropped_registered"] == 2
    # Olewig's people keep their places; nobody of them is written to.
    assert Registration.objects.filter(company=network["olewig"], status="confirmed").count() == 2
    assert not [m for m in mail.outbox if "olewig" in m.to[0]]


def test_a_guest_list_that_exists_drops_nobody(coordinator_client, network, holders):
    meeting = MeetingFactory(kind=Meeting.Kind.CEREMONY)
    meeting.invited_companies.add(network["olewig"])
    page = coordinator_client.get(
        reverse("admin:meetings_meeting_guests", args=[meeting.pk]), {"group": "seal:2026"}
    ).content.decode()
    assert "verliert seine Einladung" not in page and "Nicht mehr eingeladene" not in page


# --- Companies no longer invited ----------------------------------------------------------------


@pytest.fixture
def dropped(network):
    """A published workshop with one seat: Moselblick holds it, Olewig waits; then only
    Moselblick stays on the guest list."""
    meeting = MeetingFactory(kind=Meeting.Kind.WORKSHOP, capacity=1, per_company_limit=2)
    seated = answer(meeting, network["moselblick"], 1)
    waiting = answer(meeting, network["olewig"], 1)
    assert waiting.status == Registration.Status.WAITLISTED
    meeting.invited_companies.add(network["moselblick"], CompanyFactory(name="Dritte GmbH"))
    return {"meeting": meeting, "seated": seated, "waiting": waiting}


def test_the_waitlist_moves_up_only_people_still_invited(network, dropped):
    meeting = dropped["meeting"]
    invited_waiting = answer(meeting, network["moselblick"], 2)
    services.registration_cancel(registration=dropped["seated"], by_user=None)

    dropped["waiting"].refresh_from_db()
    invited_waiting.refresh_from_db()
    assert dropped["waiting"].status == Registration.Status.WAITLISTED
    assert invited_waiting.status == Registration.Status.CONFIRMED


def test_a_company_dropped_from_the_list_sees_and_cancels_its_registration(
    client, network, dropped
):
    meeting = dropped["meeting"]
    client.force_login(MembershipFactory(company=network["olewig"]).user)
    page = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert "Ihr Unternehmen steht nicht mehr auf der Gästeliste" in page
    assert "Person 1" in page
    cancel_url = reverse("meetings:cancel_registration", args=[meeting.slug, dropped["waiting"].pk])
    assert cancel_url in page
    assert "Kollegin oder Kollegen anmelden" not in page
    assert reverse("meetings:register_colleague", args=[meeting.slug]) not in page
    assert "Ihr Unternehmen gehört nicht zu den eingeladenen" not in page

    services.registration_cancel(registration=dropped["waiting"], by_user=None)
    dropped["waiting"].refresh_from_db()
    assert dropped["waiting"].status == Registration.Status.CANCELLED


def test_a_company_never_registered_gets_the_notice(client, network, dropped):
    meeting = dropped["meeting"]
    Registration.objects.filter(company=network["olewig"]).delete()
    client.force_login(MembershipFactory(company=network["olewig"]).user)
    page = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert "Diese Veranstaltung ist nur auf Einladung: Ihr Unternehmen gehört nicht" in page
    assert "Ihr Unternehmen steht nicht mehr auf der Gästeliste" not in page


# --- Questions to the experts --------------------------------------------------------------------


def test_a_company_not_invited_asks_no_questions(client, network):
    expert = ExpertGuestFactory(meeting__kind=Meeting.Kind.CEREMONY)
    meeting = expert.meeting
    meeting.invited_companies.add(network["moselblick"])
    with pytest.raises(ValidationError) as refused:
        services.question_submit(
            meeting=meeting, company=network["olewig"], user=None, text="Wie geht das?"
        )
    assert refused.value.messages == [
        "Diese Veranstaltung ist nur auf Einladung, und Schreinerei Olewig gehört nicht zu den "
        "eingeladenen Unternehmen. Bitte wenden Sie sich an die Koordination, wenn Sie das für "
        "einen Fehler halten."
    ]

    client.force_login(MembershipFactory(company=network["olewig"]).user)
    url = reverse("meetings:questions", args=[meeting.slug])
    page = client.get(url).content.decode()
    assert 'id="question-form"' not in page
    assert "Ihr Unternehmen gehört nicht zu den eingeladenen Unternehmen und kann daher" in page
    detail = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert "kann daher keine Fragen stellen" in detail
    response = client.post(url, {"text": "Wie geht das?", "expert": "", "show_company": "on"})
    assert response.status_code == 302
    assert not meeting.questions.exists()


def test_a_guest_asks_questions(client, network):
    expert = ExpertGuestFactory(meeting__kind=Meeting.Kind.CEREMONY)
    expert.meeting.invited_companies.add(network["moselblick"])
    client.force_login(MembershipFactory(company=network["moselblick"]).user)
    page = client.get(reverse("meetings:questions", args=[expert.meeting.slug])).content.decode()
    assert 'id="question-form"' in page


# --- The start page ------------------------------------------------------------------------------


def test_visitors_are_not_told_of_a_ceremony_by_invitation(client, network):
    soon = timezone.now() + timedelta(days=3)
    ceremony = MeetingFactory(
        kind=Meeting.Kind.CEREMONY,
        title="Verleihung des Siegels 2026",
        starts_at=soon,
        ends_at=soon + timedelta(hours=2),
        rsvp_deadline=soon - timedelta(days=1),
    )
    ceremony.invited_companies.add(network["moselblick"])
    MeetingFactory(title="Herbsttreffen im Hafen")  # later, a network meeting

    page = client.get("/").content.decode()
    assert "Verleihung des Siegels 2026" not in page
    assert "Herbsttreffen im Hafen" in page and "Nächstes Netzwerktreffen" in page

    client.force_login(MembershipFactory(company=network["moselblick"]).user)
    member_page = client.get("/").content.decode()
    assert "Verleihung des Siegels 2026" in member_page
    assert "Nächste Veranstaltung: Siegelverleihung" in member_page

    client.logout()  # the visitors' entry is cached apart from the members'
    assert "Verleihung des Siegels 2026" not in client.get("/").content.decode()
    ceremony.is_public = True
    ceremony.save()
    assert "Verleihung des Siegels 2026" in client.get("/").content.decode()
