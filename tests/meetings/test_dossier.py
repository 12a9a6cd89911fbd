"""The dossier after a meeting ("Nachlese"): the coordinators publish the short minutes, the
materials and the experts' answers; every member company's contacts, those who came and those
who did not, get one mail with the link, once; members read it on its page."""

import re
from datetime import time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import AgendaItem, ExpertGuest, ExpertQuestion, Material, Meeting
from members.models import Company
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.seal.factories import TINY_PDF
from tests.utils import message_texts, only_link

pytestmark = pytest.mark.django_db

MINUTES = (
    "Frau Neumann berichtete, wie Moselblick Sprachkurse im Schichtbetrieb organisiert.\n\n"
    "Verabredet: ein gemeinsamer Kurs ab März, Anmeldung über das Portal."
)


def past_meeting(*, days_ago=10, status=Meeting.Status.HELD, **kwargs) -> Meeting:
    starts = timezone.now().replace(microsecond=0) - timedelta(days=days_ago)
    kwargs.setdefault("minutes", MINUTES)
    return MeetingFactory(
        title="Sprachkurse im Verbund",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
        status=status,
        **kwargs,
    )


def add_material(meeting, title="Folien Sprachkurs") -> Material:
    material = Material.objects.create(meeting=meeting, title=title, content_type="application/pdf")
    material.file.save("folien.pdf", ContentFile(TINY_PDF), save=True)
    return material


def answered(meeting, company, *, text, answer, show_company=True, expert=None):
    return ExpertQuestion.objects.create(
        meeting=meeting,
        company=company,
        expert=expert,
        text=text,
        answer=answer,
        show_company=show_company,
        sent_at=meeting.starts_at - timedelta(days=2),
        answered_at=meeting.ends_at,
    )


def publish(meeting, django_capture_on_commit_callbacks, by_user=None):
    with django_capture_on_commit_callbacks(execute=True):
        return services.dossier_publish(meeting=meeting, by_user=by_user)


@pytest.fixture
def held(network):
    """A past meeting Anna of Moselblick came to (checked in); nobody came from Olewig."""
    meeting = past_meeting()
    anna = network["invited"][0]
    RegistrationFactory(
        meeting=meeting,
        company=network["moselblick"],
        contact=anna,
        email=anna.email,
        checked_in_at=meeting.starts_at,
    )
    return meeting


# --- Publishing: who gets the mail -----------------------------------------------------------


def test_every_active_members_contacts_get_the_mail_absentees_included(
    held, network, coordinator, django_capture_on_commit_callbacks
):
    mail_ids = publish(held, django_capture_on_commit_callbacks, by_user=coordinator)

    # Not the contact who wants no meeting mails, nor those of paused, former or pending
    # companies.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@moselblick.example",
        "jonas@olewig.example",
        "lukas@moselblick.example",
    ]
    assert len(mail_ids) == 3
    held.refresh_from_db()
    assert held.dossier_published_at is not None
    keys = set(OutboxMail.objects.values_list("key", flat=True))
    assert {f"meeting:{held.pk}:dossier:contact:{c.pk}" for c in network["invited"]} == keys


def test_the_mail_says_whether_one_came_and_links_the_dossier(
    held, django_capture_on_commit_callbacks
):
    publish(held, django_capture_on_commit_callbacks)
    mails = {m.to[0]: m for m in mail.outbox}
    url = reverse("meetings:dossier", args=[held.slug])

    anna, jonas = mails["anna@moselblick.example"], mails["jonas@olewig.example"]
    assert anna.subject.endswith("] Nachlese: Sprachkurse im Verbund")
    assert "vielen Dank, dass Sie bei „Sprachkurse im Verbund“ am" in anna.body
    assert "Bitte geben Sie den Link an Kolleginnen und Kollegen weiter" in anna.body
    assert jonas.subject.endswith("] Das haben Sie verpasst: Sprachkurse im Verbund")
    assert "Hier ist, was Sie verpasst haben" in jonas.body
    assert "Zum nächsten Treffen laden wir Sie wie immer ein" in jonas.body
    for message in (anna, jonas):
        assert only_link(message, url).endswith(url)
        assert "- das Kurzprotokoll des Treffens" in message.body
        ((html, _mimetype),) = message.alternatives
        assert f'href="{only_link(message, url)}"' in html and "Nachlese lesen" in html


def test_lukas_whose_colleague_came_is_told_what_he_missed_and_to_pass_it_on(
    held, django_capture_on_commit_callbacks
):
    publish(held, django_capture_on_commit_callbacks)
    (lukas,) = [m for m in mail.outbox if m.to == ["lukas@moselblick.example"]]
    assert "Hier ist, was Sie verpasst haben" in lukas.body
    assert "Bitte geben Sie den Link an Kolleginnen und Kollegen weiter" in lukas.body


def test_an_address_of_two_contact_entries_gets_one_mail(
    held, network, django_capture_on_commit_callbacks
):
    ContactPersonFactory(company=CompanyFactory(), email="JONAS@olewig.example")
    publish(held, django_capture_on_commit_callbacks)
    assert sorted(m.to[0].lower() for m in mail.outbox).count("jonas@olewig.example") == 1


def test_colleagues_and_walk_ins_who_came_get_the_mail_once_and_the_count_matches(
    held, network, coordinator_client, django_capture_on_commit_callbacks
):
    RegistrationFactory(
        meeting=held,
        company=network["olewig"],
        contact=None,
        name="Eva Kollegin",
        email="eva@olewig.example",
        checked_in_at=held.starts_at,
    )
    RegistrationFactory(
        meeting=held,
        company=network["moselblick"],
        contact=None,
        name="Max Spontan",
        email="LUKAS@moselblick.example",
        walk_in=True,
        checked_in_at=held.starts_at,
    )
    confirmation = coordinator_client.get(
        reverse("admin:meetings_meeting_dossier", args=[held.pk])
    ).content.decode()
    assert "Nachlese veröffentlichen und 4 E-Mails senden" in confirmation

    publish(held, django_capture_on_commit_callbacks)

    assert sorted(m.to[0].lower() for m in mail.outbox) == [
        "anna@moselblick.example",
        "eva@olewig.example",
        "jonas@olewig.example",
        "lukas@moselblick.example",
    ]
    (eva,) = [m for m in mail.outbox if m.to == ["eva@olewig.example"]]
    assert "vielen Dank, dass Sie bei „Sprachkurse im Verbund“" in eva.body
    assert OutboxMail.objects.filter(key__contains=":dossier:registration:").count() == 1


def test_a_reception_dossier_does_not_speak_of_a_network_meeting(
    network, client, django_capture_on_commit_callbacks
):
    meeting = past_meeting(kind=Meeting.Kind.RECEPTION, venue_name="Hotel Porta Nigra")
    publish(meeting, django_capture_on_commit_callbacks)
    bodies = [m.body for m in mail.outbox]
    assert bodies and not any("Netzwerktreffen" in b or "nächsten Treffen" in b for b in bodies)
    assert "Sie konnten bei „Sprachkurse im Verbund“" in bodies[0]

    user = UserFactory()
    MembershipFactory(user=user, company=network["olewig"])
    client.force_login(user)
    html = client.get(reverse("meetings:dossier", args=[meeting.slug])).content.decode()
    assert "in Hotel Porta Nigra" in html
    assert "Netzwerktreffen fand" not in html and "bei Hotel Porta Nigra" not in html


def test_the_dossier_of_a_meeting_at_a_host_says_at_whose_premises(
    network, client, django_capture_on_commit_callbacks
):
    host = network["moselblick"]
    meeting = past_meeting(host=host, venue_name=host.name)
    publish(meeting, django_capture_on_commit_callbacks)
    user = UserFactory()
    MembershipFactory(user=user, company=network["olewig"])
    client.force_login(user)
    html = client.get(reverse("meetings:dossier", args=[meeting.slug])).content.decode()
    assert "bei Moselblick Pflege GmbH" in html


def test_the_dossier_of_an_event_by_invitation_goes_to_the_guests_only(
    network, django_capture_on_commit_callbacks
):
    meeting = past_meeting(kind=Meeting.Kind.WORKSHOP)
    meeting.invited_companies.add(network["olewig"])
    publish(meeting, django_capture_on_commit_callbacks)
    assert [m.to[0] for m in mail.outbox] == ["jonas@olewig.example"]


def test_publishing_twice_sends_nothing_twice(held, django_capture_on_commit_callbacks):
    publish(held, django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    with pytest.raises(ValidationError, match="bereits am .* veröffentlicht"):
        publish(held, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == sent == OutboxMail.objects.count()
    assert ActivityEntry.objects.filter(action="meetings.meeting.dossier_published").count() == 1


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"days_ago": -3}, "sobald das Treffen vorbei ist"),
        ({"days_ago": 0}, "sobald das Treffen vorbei ist"),  # begun, not over
        ({"status": Meeting.Status.CANCELLED}, "nur für ein Treffen, das stattgefunden hat"),
        ({"status": Meeting.Status.DRAFT}, "nur für ein Treffen, das stattgefunden hat"),
        ({"minutes": ""}, "Die Nachlese ist noch leer"),
    ],
)
def test_publishing_is_refused(network, changes, reason, django_capture_on_commit_callbacks):
    days_ago = changes.pop("days_ago", 10)
    if days_ago == 0:
        meeting = past_meeting(days_ago=0, **changes)
        meeting.starts_at = timezone.now() - timedelta(minutes=30)
        meeting.rsvp_deadline = meeting.starts_at - timedelta(days=7)
        meeting.save()
    else:
        meeting = past_meeting(days_ago=days_ago, **changes)
    with pytest.raises(ValidationError, match=reason):
        publish(meeting, django_capture_on_commit_callbacks)
    meeting.refresh_from_db()
    assert meeting.dossier_published_at is None
    assert mail.outbox == [] and not OutboxMail.objects.exists()


def test_materials_or_answers_alone_make_a_dossier(network, django_capture_on_commit_callbacks):
    meeting = past_meeting(minutes="")
    add_material(meeting)
    publish(meeting, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    assert "- 1 Unterlage zum Herunterladen" in mail.outbox[0].body
    assert "Kurzprotokoll" not in mail.outbox[0].body


def test_publishing_is_logged_with_what_and_to_how_many(
    held, coordinator, django_capture_on_commit_callbacks
):
    add_material(held)
    answered(
        held, CompanyFactory(), text="Wie lange dauert die Vorabzustimmung?", answer="Vier Wochen."
    )
    publish(held, django_capture_on_commit_callbacks, by_user=coordinator)
    entry = ActivityEntry.objects.get(action="meetings.meeting.dossier_published")
    assert entry.actor == coordinator
    assert entry.details == {
        "recipients": 3,
        "companies_absent": 1,
        "minutes": "yes",
        "materials": 1,
        "questions": 1,
    }


def test_correcting_the_minutes_afterwards_sends_no_mail(
    held, coordinator_client, django_capture_on_commit_callbacks
):
    from tests.meetings.factories import meeting_form_post

    publish(held, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    outbox = OutboxMail.objects.count()
    data = {
        field: getattr(held, field)
        for field in (
            "title",
            "topic",
            "description",
            "introduction",
            "starts_at",
            "ends_at",
            "rsvp_deadline",
            "venue_name",
            "venue_street",
            "venue_postcode",
            "venue_city",
            "room",
            "directions",
            "capacity",
            "per_company_limit",
        )
    }
    data["host"] = held.host_id
    data["reminder_days"] = "7, 1"
    data["minutes"] = MINUTES + "\n\nNachtrag: Der Kurs beginnt erst im April."
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("admin:meetings_meeting_change", args=[held.pk]), meeting_form_post(data)
        )
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [f.errors for f in response.context["inline_admin_formsets"]],
    )
    held.refresh_from_db()
    assert "Nachtrag: Der Kurs beginnt erst im April." in held.minutes
    assert mail.outbox == [] and OutboxMail.objects.count() == outbox
    history = coordinator_client.get(
        reverse("admin:meetings_meeting_history", args=[held.pk])
    ).content.decode()
    assert "Kurzprotokoll" in history and "Nachlese veröffentlicht" in history


# --- The page --------------------------------------------------------------------------------


@pytest.fixture
def published(held, network, django_capture_on_commit_callbacks):
    expert = ExpertGuest.objects.create(
        meeting=held, name="Petra Weiler", organisation="Ausländeramt Trier", email="pw@example.org"
    )
    answered(
        held,
        network["moselblick"],
        text="Wie lange dauert die Vorabzustimmung?",
        answer="Rund vier Wochen, mit vollständigen Unterlagen.",
        expert=expert,
    )
    answered(
        held,
        network["olewig"],
        text="Welche Sprachniveaus verlangt die Anerkennung?",
        answer="Für Pflegeberufe B2.",
        show_company=False,
    )
    ExpertQuestion.objects.create(
        meeting=held, company=network["olewig"], text="Unbeantwortet Frage 4711"
    )
    add_material(held)
    AgendaItem.objects.create(
        meeting=held,
        starts_at=time(16, 15),
        title="Bericht aus der Praxis",
        speaker_contact=network["invited"][0],
    )
    publish(held, django_capture_on_commit_callbacks)
    return held


def dossier_url(meeting) -> str:
    return reverse("meetings:dossier", args=[meeting.slug])


def test_a_user_of_a_company_that_was_not_there_reads_the_dossier(client, published, network):
    user = MembershipFactory(company=network["olewig"]).user
    client.force_login(user)

    response = client.get(dossier_url(published))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nachlese: Sprachkurse im Verbund" in html
    assert "Verabredet: ein gemeinsamer Kurs ab März" in html
    material = published.materials.get()
    assert reverse("meetings:material", args=[published.slug, material.pk]) in html
    assert "Wie lange dauert die Vorabzustimmung?" in html
    assert "Rund vier Wochen, mit vollständigen Unterlagen." in html
    assert "Gefragt von Moselblick Pflege GmbH" in html
    assert "Petra Weiler, Ausländeramt Trier" in html
    # The asker who wished it stays unnamed.
    assert "Welche Sprachniveaus verlangt die Anerkennung?" in html
    assert "Gefragt von einem Mitgliedsunternehmen" in html
    assert "Gefragt von Schreinerei Olewig" not in html
    assert "Unbeantwortet Frage 4711" not in html
    assert "Bericht aus der Praxis" in html and network["invited"][0].last_name in html
    # The materials are theirs to download as well.
    download = client.get(reverse("meetings:material", args=[published.slug, material.pk]))
    assert download.status_code == 200


def test_the_coordinator_reads_the_dossier(coordinator_client, published):
    response = coordinator_client.get(dossier_url(published))
    assert response.status_code == 200 and "Verabredet" in response.content.decode()


def test_the_dossier_does_not_exist_before_it_is_published(client, network, coordinator_client):
    meeting = past_meeting()
    assert coordinator_client.get(dossier_url(meeting)).status_code == 404
    client.force_login(MembershipFactory(company=network["olewig"]).user)
    assert client.get(dossier_url(meeting)).status_code == 404


@pytest.mark.parametrize("status", [Company.Status.PAUSED, Company.Status.LEFT])
def test_users_of_paused_or_former_companies_are_refused(client, published, status):
    client.force_login(MembershipFactory(company=CompanyFactory(status=status)).user)
    response = client.get(dossier_url(published))
    assert response.status_code == 403
    assert "Verabredet" not in response.content.decode()


def test_a_user_without_company_is_refused_and_a_visitor_logs_in(client, published):
    assert client.get(dossier_url(published)).url.startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(dossier_url(published)).status_code == 403


def test_the_meeting_page_and_the_past_meetings_link_the_published_dossier(
    client, held, network, django_capture_on_commit_callbacks
):
    client.force_login(MembershipFactory(company=network["olewig"]).user)
    url = dossier_url(held)
    assert url not in client.get(reverse("meetings:detail", args=[held.slug])).content.decode()
    assert url not in client.get(reverse("meetings:list")).content.decode()

    publish(held, django_capture_on_commit_callbacks)

    detail = client.get(reverse("meetings:detail", args=[held.slug])).content.decode()
    assert re.search(rf'href="{url}"[^>]*>Nachlese lesen', detail)
    assert f'href="{url}"' in client.get(reverse("meetings:list")).content.decode()


@pytest.mark.parametrize("n", [1, 8])
def test_the_dossier_page_runs_a_constant_number_of_queries(
    client, network, n, django_assert_num_queries, django_capture_on_commit_callbacks
):
    meeting = past_meeting()
    for i in range(n):
        company = CompanyFactory()
        answered(
            meeting, company, text=f"Frage {i}", answer=f"Antwort {i}", show_company=i % 2 == 0
        )
        add_material(meeting, title=f"Unterlage {i}")
        AgendaItem.objects.create(
            meeting=meeting,
            starts_at=time(16, i),
            title=f"Punkt {i}",
            speaker_contact=ContactPersonFactory(company=company),
        )
    publish(meeting, django_capture_on_commit_callbacks)
    client.force_login(MembershipFactory(company=network["olewig"]).user)
    client.get("/")  # what a login leaves to the first page is done
    # Session, user with company account and company; the meeting; agenda, materials,
    # questions.
    with django_assert_num_queries(6):
        html = client.get(dossier_url(meeting)).content.decode()
    assert html.count("Antwort ") == n


# --- The admin: the confirmation ---------------------------------------------------------------


def test_the_confirmation_says_what_is_published_and_to_whom(coordinator_client, held, network):
    add_material(held)
    answered(held, network["olewig"], text="Frage?", answer="Antwort.")
    change = coordinator_client.get(reverse("admin:meetings_meeting_change", args=[held.pk]))
    assert 'id="publish-dossier"' in change.content.decode()

    response = coordinator_client.get(reverse("admin:meetings_meeting_dossier", args=[held.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Nachlese zu „Sprachkurse im Verbund“ veröffentlichen?" in html
    assert "Das Kurzprotokoll wird veröffentlicht." in html
    assert "1 Unterlage können alle Mitglieder herunterladen." in html
    assert "1 beantwortete Frage an die Fachleute" in html
    assert (
        "3 E-Mails mit dem Link zur Nachlese gehen an die Kontaktpersonen von "
        "2 Mitgliedsunternehmen, davon war 1 Unternehmen nicht beim Treffen."
    ) in html
    assert "Nachlese veröffentlichen und 3 E-Mails senden" in html
    assert mail.outbox == [] and not OutboxMail.objects.exists()


def test_the_confirmed_dossier_goes_out_and_a_second_try_is_refused(
    coordinator_client, held, django_capture_on_commit_callbacks
):
    url = reverse("admin:meetings_meeting_dossier", args=[held.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url, follow=True)
    assert (
        "Die Nachlese zu „Sprachkurse im Verbund“ ist veröffentlicht; 3 E-Mails werden "
        "versendet." in message_texts(response)
    )
    assert len(mail.outbox) == 3
    assert "Nachlese ansehen" in response.content.decode()

    again = coordinator_client.get(url, follow=True)
    (text,) = message_texts(again)
    assert "bereits am" in text and "niemand erhält sie zweimal" in text
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url)
    assert len(mail.outbox) == 3


def test_no_dossier_action_before_the_meeting_ended(coordinator_client, network):
    meeting = MeetingFactory()
    change = coordinator_client.get(reverse("admin:meetings_meeting_change", args=[meeting.pk]))
    assert 'id="publish-dossier"' not in change.content.decode()
    response = coordinator_client.get(
        reverse("admin:meetings_meeting_dossier", args=[meeting.pk]), follow=True
    )
    assert message_texts(response) == [
        "Die Nachlese kann veröffentlicht werden, sobald das Treffen vorbei ist."
    ]
