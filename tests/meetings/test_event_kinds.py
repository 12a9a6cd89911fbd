"""Kinds of events: who is invited to a reception, a seal ceremony or a workshop, the places
per company, the refusal of companies not invited, the wording of the mails, and the seal
holders taken over as the guests of the ceremony."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import selectors, services
from meetings.models import Meeting, Registration
from network_portal.company_groups import company_group, company_groups
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory
from tests.seal.factories import AwardCycleFactory, CertificateFactory

pytestmark = pytest.mark.django_db

PREFIX = "[Attraktive Unternehmen Trier] "


def publish(meeting, capture):
    with capture(execute=True):
        services.meeting_publish(meeting=meeting)
    meeting.refresh_from_db()


def answer(meeting, company, n, attending=True):
    return services.rsvp_answer(
        meeting=meeting,
        company=company,
        name=f"Person {n}",
        email=f"person{n}@{company.slug}.example",
        attending=attending,
    )


@pytest.fixture
def ceremony(network):
    """A seal ceremony, a draft, with Moselblick (awarded) as its only guest, 2 places each."""
    meeting = MeetingFactory(
        kind=Meeting.Kind.CEREMONY,
        title="Verleihung des Siegels 2026",
        status=Meeting.Status.DRAFT,
        per_company_limit=2,
    )
    meeting.invited_companies.add(network["moselblick"])
    return meeting


# --- Who is invited -------------------------------------------------------------------------


def test_a_ceremony_invites_only_its_guests_with_their_own_wording(
    network, ceremony, django_capture_on_commit_callbacks
):
    publish(ceremony, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@moselblick.example",
        "lukas@moselblick.example",
    ]
    invitation = mail.outbox[0]
    assert invitation.subject.startswith(
        PREFIX + "Einladung zur Siegelverleihung: Verleihung des Siegels 2026 am "
    )
    assert (
        "herzlichen Glückwunsch zum Siegel! Zur feierlichen Verleihung „Verleihung des Siegels "
        "2026“ laden wir Ihr Unternehmen herzlich ein: je Unternehmen 2 Plätze." in invitation.body
    )


def test_a_ceremony_without_guests_cannot_be_published(network):
    meeting = MeetingFactory(kind=Meeting.Kind.CEREMONY, status=Meeting.Status.DRAFT)
    with pytest.raises(ValidationError) as refused:
        services.meeting_publish(meeting=meeting)
    assert "Zu einer Siegelverleihung werden nur ihre Gäste eingeladen" in refused.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT and mail.outbox == []


def test_a_reception_invites_every_member_company_with_its_places(
    network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        kind=Meeting.Kind.RECEPTION,
        title="Weihnachtsempfang 2026",
        status=Meeting.Status.DRAFT,
        per_company_limit=2,
    )
    publish(meeting, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in network["invited"])
    invitation = mail.outbox[0]
    assert invitation.subject.startswith(
        PREFIX + "Einladung zum Weihnachtsempfang: Weihnachtsempfang 2026 am "
    )
    assert "je Unternehmen sind 2 Plätze vorgesehen" in invitation.body


def test_a_workshop_for_some_companies_invites_them_with_their_seats(
    network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(
        kind=Meeting.Kind.WORKSHOP,
        title="Interkulturelles Onboarding",
        status=Meeting.Status.DRAFT,
        per_company_limit=1,
    )
    meeting.invited_companies.add(network["olewig"])
    publish(meeting, django_capture_on_commit_callbacks)

    assert [m.to[0] for m in mail.outbox] == ["jonas@olewig.example"]
    assert mail.outbox[0].subject.startswith(
        PREFIX + "Einladung zum Workshop: Interkulturelles Onboarding am "
    )
    assert "Je Unternehmen stehen 1 Plätze zur Verfügung" in mail.outbox[0].body


def test_a_network_meeting_keeps_its_wording(network, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    publish(meeting, django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject.startswith(PREFIX + "Einladung: ")
    assert "herzlich laden wir Sie zu unserem nächsten Netzwerktreffen" in mail.outbox[0].body


def test_the_reminder_speaks_of_the_kind(network):
    from datetime import timedelta

    from tests.meetings.test_reminders import run_beat_at

    meeting = MeetingFactory(kind=Meeting.Kind.RECEPTION, title="Weihnachtsempfang 2026")
    answer(meeting, network["moselblick"], 1)
    mail.outbox.clear()
    run_beat_at(meeting.starts_at - timedelta(hours=20))
    # (The registration's confirmation went out with the beat's commit as well.)
    [reminder] = [m for m in mail.outbox if "Morgen" in m.subject]
    assert reminder.subject == PREFIX + "Morgen: Weihnachtsempfang „Weihnachtsempfang 2026“"
    assert "Sie sind zu unserem Weihnachtsempfang „Weihnachtsempfang 2026“ angemeldet" in (
        reminder.body
    )


def test_the_ceremony_reminders_and_the_participant_page_count_only_the_guests(network):
    meeting = MeetingFactory(kind=Meeting.Kind.CEREMONY)
    meeting.invited_companies.add(network["olewig"])

    assert [c.email for c in selectors.non_responders(meeting)] == ["jonas@olewig.example"]
    overview = selectors.participant_overview(meeting)
    assert [row["name"] for row in overview["companies"]] == ["Schreinerei Olewig"]
    assert overview["companies_no_answer"] == 1


def test_late_joiners_are_invited_only_where_their_company_is_a_guest(
    network, django_capture_on_commit_callbacks
):
    ceremony = MeetingFactory(kind=Meeting.Kind.CEREMONY)
    ceremony.invited_companies.add(network["olewig"])
    reception = MeetingFactory(kind=Meeting.Kind.RECEPTION)
    newcomer = ContactPersonFactory(company=network["moselblick"], email="neu@moselblick.example")

    with django_capture_on_commit_callbacks(execute=True):
        services.invite_newcomers(contacts=[newcomer])

    keys = set(OutboxMail.objects.filter(to="neu@moselblick.example").values_list("key", flat=True))
    assert keys == {f"meeting:{reception.pk}:invitation:contact:{newcomer.pk}"}


# --- Answers: places per company, and no answer from companies not invited --------------------


def test_each_guest_has_its_places_and_no_more(
    network, ceremony, django_capture_on_commit_callbacks
):
    publish(ceremony, django_capture_on_commit_callbacks)
    moselblick = network["moselblick"]
    first, second = answer(ceremony, moselblick, 1), answer(ceremony, moselblick, 2)
    assert (first.status, second.status) == ("confirmed", "confirmed")
    with pytest.raises(ValidationError) as refused:
        answer(ceremony, moselblick, 3)
    assert refused.value.messages == [
        "Jedes Unternehmen kann höchstens 2 Personen zu diesem Treffen anmelden."
    ]


def test_a_company_not_invited_can_neither_register_nor_answer(network, ceremony):
    ceremony.status = Meeting.Status.PUBLISHED
    ceremony.save()
    olewig = network["olewig"]
    for attending in (True, False):
        with pytest.raises(ValidationError) as refused:
            answer(ceremony, olewig, 1, attending=attending)
        assert refused.value.messages == [
            "Diese Veranstaltung ist nur auf Einladung, und Schreinerei Olewig gehört nicht zu "
            "den eingeladenen Unternehmen. Bitte wenden Sie sich an die Koordination, wenn Sie "
            "das für einen Fehler halten."
        ]
    assert not Registration.objects.filter(meeting=ceremony).exists()


def test_a_company_taken_off_the_list_can_still_take_back_its_answer(network, ceremony):
    ceremony.status = Meeting.Status.PUBLISHED
    ceremony.save()
    registration = answer(ceremony, network["moselblick"], 1)
    ceremony.invited_companies.clear()
    ceremony.invited_companies.add(network["olewig"])

    declined = answer(ceremony, network["moselblick"], 1, attending=False)
    assert declined.pk == registration.pk and declined.status == "declined"


def test_the_page_tells_a_company_not_invited_and_offers_no_answer(client, network, ceremony):
    ceremony.status = Meeting.Status.PUBLISHED
    ceremony.save()
    outsider = MembershipFactory(company=network["olewig"]).user
    client.force_login(outsider)

    page = client.get(reverse("meetings:detail", args=[ceremony.slug])).content.decode()
    assert "Siegelverleihung" in page and "Nur auf Einladung" in page
    assert "Diese Veranstaltung ist nur auf Einladung: Ihr Unternehmen gehört nicht" in page
    assert reverse("meetings:answer", args=[ceremony.slug]) not in page

    listing = client.get(reverse("meetings:list")).content.decode()
    assert "Nur auf Einladung" in listing and "Ihr Unternehmen ist nicht eingeladen." in listing

    response = client.post(
        reverse("meetings:answer", args=[ceremony.slug]), {"attending": "yes"}, follow=True
    )
    assert "Diese Veranstaltung ist nur auf Einladung" in response.content.decode()
    assert not Registration.objects.filter(meeting=ceremony).exists()


def test_the_page_offers_a_guest_its_places(client, network, ceremony):
    ceremony.status = Meeting.Status.PUBLISHED
    ceremony.save()
    client.force_login(MembershipFactory(company=network["moselblick"]).user)

    page = client.get(reverse("meetings:detail", args=[ceremony.slug])).content.decode()
    assert "je Unternehmen 2 Plätze" in page
    assert reverse("meetings:answer", args=[ceremony.slug]) in page
    assert "Ihr Unternehmen gehört nicht" not in page


# --- Guests from the seal ----------------------------------------------------------------------


@pytest.fixture
def awarded(network):
    """The cycle 2026 awarded Moselblick and a third company; Olewig applied in another cycle."""
    cycle = AwardCycleFactory(name="2026", slug="2026", awarded=True)
    third = CompanyFactory(name="Weingut Kesselstatt")
    for company in (network["moselblick"], third):
        CertificateFactory(application__company=company, application__cycle=cycle)
    CertificateFactory(application__company=network["olewig"])
    revoked = CertificateFactory(application__cycle=cycle)
    revoked.revoked_at = revoked.issued_on
    revoked.save()
    return {"cycle": cycle, "companies": [network["moselblick"], third]}


def test_the_seal_offers_its_holders_of_each_cycle(awarded):
    group = company_group("seal:2026")
    assert str(group.label) == "Siegelträger des Jahrgangs 2026"
    assert list(group.companies()) == sorted(awarded["companies"], key=lambda c: c.name)
    assert len(company_groups()) == 2  # 2026 and the cycle of Olewig's seal


def test_taking_over_the_holders_fills_the_guest_list_and_logs_it(
    network, awarded, coordinator, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(kind=Meeting.Kind.CEREMONY, status=Meeting.Status.DRAFT)
    added = services.meeting_guests_take(
        meeting=meeting, group_key="seal:2026", by_user=coordinator
    )

    assert {c.name for c in added} == {"Moselblick Pflege GmbH", "Weingut Kesselstatt"}
    assert set(meeting.invited_companies.all()) == set(awarded["companies"])
    entry = ActivityEntry.objects.get(action="meetings.meeting.guests_taken")
    assert entry.details["group"] == "Siegelträger des Jahrgangs 2026"
    assert sorted(entry.details["companies"]) == ["Moselblick Pflege GmbH", "Weingut Kesselstatt"]
    assert mail.outbox == []  # a draft: publishing invites

    with pytest.raises(ValidationError):  # a second time: nothing left to add
        services.meeting_guests_take(meeting=meeting, group_key="seal:2026", by_user=coordinator)
    with pytest.raises(ValidationError):
        services.meeting_guests_take(meeting=meeting, group_key="seal:1999", by_user=coordinator)


def test_guests_added_to_a_published_event_are_invited_at_once(
    network, awarded, coordinator, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(kind=Meeting.Kind.CEREMONY)
    meeting.invited_companies.add(network["olewig"])
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_guests_take(meeting=meeting, group_key="seal:2026", by_user=coordinator)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@moselblick.example",
        "lukas@moselblick.example",
    ]
    assert (
        ActivityEntry.objects.get(action="meetings.meeting.guests_taken").details["recipients"] == 2
    )


def test_the_admin_confirms_the_guests_first_naming_them(coordinator_client, network, awarded):
    meeting = MeetingFactory(kind=Meeting.Kind.CEREMONY, status=Meeting.Status.DRAFT)
    url = reverse("admin:meetings_meeting_guests", args=[meeting.pk])

    choice = coordinator_client.get(url).content.decode()
    assert "Gäste übernehmen: Siegelträger des Jahrgangs 2026 …" in choice
    assert "Keine Gästeliste: Alle Mitgliedsunternehmen sind eingeladen." in choice

    confirmation = coordinator_client.get(url, {"group": "seal:2026"}).content.decode()
    assert "Moselblick Pflege GmbH, Weingut Kesselstatt" in confirmation
    assert "2 Unternehmen zu den Gästen hinzufügen" in confirmation
    assert "Jetzt geht keine E-Mail hinaus" in confirmation
    assert not meeting.invited_companies.exists()  # the page changed nothing

    response = coordinator_client.post(url, {"group": "seal:2026"}, follow=True)
    assert "2 Unternehmen stehen jetzt auf der Gästeliste." in response.content.decode()
    assert set(meeting.invited_companies.all()) == set(awarded["companies"])


def test_the_form_of_a_published_event_does_not_change_its_guest_list(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    from tests.meetings.factories import meeting_form_post
    from tests.meetings.test_meeting_form import form_data

    meeting = MeetingFactory(kind=Meeting.Kind.WORKSHOP)
    meeting.invited_companies.add(network["olewig"])
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    page = coordinator_client.get(url).content.decode()
    assert 'name="invited_companies"' not in page  # read-only once published
    assert "ändert sich die Liste nur noch dort, nach einer Bestätigung" in page

    data = form_data(meeting)
    data["invited_companies"] = [network["moselblick"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, meeting_form_post(data))
    assert response.status_code == 302
    assert list(meeting.invited_companies.all()) == [network["olewig"]]
    assert mail.outbox == []
    assert not ActivityEntry.objects.filter(action__startswith="meetings.meeting.guests").exists()


def test_the_form_of_a_draft_edits_its_guest_list_without_mail(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    from django.contrib.admin.models import LogEntry

    from tests.meetings.factories import meeting_form_post
    from tests.meetings.test_meeting_form import form_data

    meeting = MeetingFactory(kind=Meeting.Kind.WORKSHOP, status=Meeting.Status.DRAFT)
    meeting.invited_companies.add(network["olewig"])
    data = form_data(meeting)
    data["invited_companies"] = [network["moselblick"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("admin:meetings_meeting_change", args=[meeting.pk]), meeting_form_post(data)
        )
    assert response.status_code == 302
    assert list(meeting.invited_companies.all()) == [network["moselblick"]]
    assert mail.outbox == []  # a draft: publishing invites
    change = LogEntry.objects.get(object_id=str(meeting.pk))
    assert "Eingeladene Unternehmen" in change.get_change_message()  # the admin history


def test_the_admin_list_filters_by_kind(coordinator_client):
    MeetingFactory(kind=Meeting.Kind.RECEPTION, title="Weihnachtsempfang 2026")
    MeetingFactory(title="Fachkräfte finden")
    page = coordinator_client.get(
        reverse("admin:meetings_meeting_changelist"), {"kind__exact": "reception"}
    ).content.decode()
    assert "Weihnachtsempfang 2026" in page and "Fachkräfte finden" not in page
    assert re.search(r'<td class="field-kind">Weihnachtsempfang</td>', page)
