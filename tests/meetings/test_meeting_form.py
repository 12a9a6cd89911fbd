"""The meeting form in plain German: reminders as a comma list, the technical fields read-only
and collapsed, the venue from the host company, speakers as "Name (Firma)", a confirmation
before the seats drop below the people seated, and publishing through a confirmation page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.admin.meeting_form import MeetingFormBase
from meetings.models import AgendaItem, Meeting, Registration
from network_portal.models import OutboxMail
from tests.factories import CompanyFactory, ContactPersonFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory, meeting_form_post
from tests.mfa import login_with_second_factor
from tests.utils import messages_of

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:meetings_meeting_add")


def change_url(meeting):
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def publish_url(meeting):
    return reverse("admin:meetings_meeting_publish", args=[meeting.pk])


def form_data(meeting=None, **changes):
    """The meeting form as a coordinator submits it: ``meeting``'s values (or a new meeting's),
    with ``changes``."""
    starts_at = timezone.localtime(timezone.now() + timedelta(days=30)).replace(
        hour=16, minute=0, second=0, microsecond=0
    )
    values = {
        "title": "Herbsttreffen: Weiterbildung im Betrieb",
        "topic": "Weiterbildung und Mitarbeiterbindung",
        "description": "",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "rsvp_deadline": starts_at - timedelta(days=7),
        "reminder_days": "7, 1",
        "host": "",
        "venue_name": "Moselblick Pflege GmbH",
        "venue_street": "Zurmaiener Straße 44",
        "venue_postcode": "54292",
        "venue_city": "Trier",
        "room": "",
        "directions": "",
        "capacity": 30,
        "per_company_limit": 3,
    }
    if meeting is not None:
        values.update(
            {
                name: getattr(meeting, name)
                for name in values
                if name not in ("host", "reminder_days")
            }
        )
        values["title"] = "Herbsttreffen: Weiterbildung im Betrieb"
        values["host"] = meeting.host_id or ""
        values["reminder_days"] = ", ".join(str(d) for d in meeting.reminder_days)
    values.update(changes)
    return meeting_form_post(values)


def form_errors(response):
    assert response.status_code == 200, response
    return response.context["adminform"].form.errors


# --------------------------------------------------------------------------------------------
# Reminders


@pytest.mark.parametrize(
    ("typed", "days"),
    [("7, 1", [7, 1]), ("1,7", [7, 1]), ("14; 3 1", [14, 3, 1]), ("[7, 1]", [7, 1]), ("", [])],
)
def test_reminders_are_typed_as_a_comma_list_and_stored_largest_first(typed, days):
    field = MeetingFormBase.base_fields["reminder_days"]

    assert field.clean(typed) == days


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        (
            "7, eine Woche",
            "„eine“ ist keine ganze Zahl von Tagen. Bitte geben Sie die Tage durch Kommas "
            "getrennt ein, z. B. 7, 1.",
        ),
        ("0", "Erinnerungen sind 1 bis 60 Tage vor dem Treffen möglich; „0“ geht nicht."),
        ("7, 90", "Erinnerungen sind 1 bis 60 Tage vor dem Treffen möglich; „90“ geht nicht."),
        (
            "-1",
            "„-1“ ist keine ganze Zahl von Tagen. Bitte geben Sie die Tage durch Kommas "
            "getrennt ein, z. B. 7, 1.",
        ),
        ("7, 1, 7", "Der Tag 7 steht mehr als einmal in der Liste."),
    ],
)
def test_impossible_reminders_are_explained_in_german(coordinator_client, typed, error):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, reminder_days=[7, 1])

    response = coordinator_client.post(change_url(meeting), form_data(meeting, reminder_days=typed))

    assert form_errors(response) == {"reminder_days": [error]}
    meeting.refresh_from_db()
    assert meeting.reminder_days == [7, 1]


def test_the_form_shows_the_reminders_as_typed_and_saves_a_new_list(coordinator_client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, reminder_days=[7, 1])

    page = coordinator_client.get(change_url(meeting)).content.decode()
    assert 'name="reminder_days" value="7, 1"' in page
    assert "durch Kommas getrennt, z. B. „7, 1“" in page

    response = coordinator_client.post(
        change_url(meeting), form_data(meeting, reminder_days="3, 14")
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.reminder_days == [14, 3]


# --------------------------------------------------------------------------------------------
# Technical fields


def test_technical_fields_are_read_only_in_a_collapsed_section(coordinator_client):
    meeting = MeetingFactory(slug="herbsttreffen", status=Meeting.Status.DRAFT, sequence=2)

    page = coordinator_client.get(change_url(meeting)).content.decode()

    assert 'name="slug"' not in page and 'name="sequence"' not in page
    technical = page[page.index("<summary>") : page.index("</details>")]
    assert "Technisches" in technical
    assert "Kurzname" in technical and "herbsttreffen" in technical
    assert "Kalender-Revision" in technical
    assert "<details" in page and "<details open" not in page

    response = coordinator_client.post(
        change_url(meeting), form_data(meeting, slug="gekapert", sequence="9")
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.slug, meeting.sequence) == ("herbsttreffen-weiterbildung-im-betrieb", 2)


def test_the_short_name_is_made_from_the_title_and_kept_once_published(coordinator_client):
    MeetingFactory(slug="fruhjahrstreffen-ki-im-recruiting")
    response = coordinator_client.post(
        ADD_URL, form_data(title="Frühjahrstreffen: KI im Recruiting")
    )
    assert response.status_code == 302
    draft = Meeting.objects.get(title="Frühjahrstreffen: KI im Recruiting")
    assert draft.slug == "fruhjahrstreffen-ki-im-recruiting-2"
    assert draft.status == Meeting.Status.DRAFT

    published = MeetingFactory(slug="herbst")
    coordinator_client.post(change_url(published), form_data(published, title="Neuer Titel"))
    published.refresh_from_db()
    assert (published.title, published.slug) == ("Neuer Titel", "herbst")


# --------------------------------------------------------------------------------------------
# Venue from the host


def test_an_empty_venue_is_taken_from_the_host_company(coordinator_client):
    host = CompanyFactory(
        name="Kürenzer Backstube GmbH",
        street="Avelsbacher Straße 12",
        postcode="54295",
        city="Trier-Kürenz",
    )

    response = coordinator_client.post(
        ADD_URL,
        form_data(
            host=host.pk, venue_name="", venue_street="", venue_postcode="", venue_city="Trier"
        ),
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (
        meeting.venue_name,
        meeting.venue_street,
        meeting.venue_postcode,
        meeting.venue_city,
    ) == (
        "Kürenzer Backstube GmbH",
        "Avelsbacher Straße 12",
        "54295",
        "Trier-Kürenz",
    )


def test_a_venue_that_is_filled_in_is_kept(coordinator_client):
    host = CompanyFactory(name="Kürenzer Backstube GmbH")

    coordinator_client.post(
        ADD_URL, form_data(host=host.pk, venue_name="Bürgerhaus Kürenz", room="Saal")
    )

    meeting = Meeting.objects.get()
    assert (meeting.venue_name, meeting.venue_street) == (
        "Bürgerhaus Kürenz",
        "Zurmaiener Straße 44",
    )


def test_without_host_the_venue_is_required(coordinator_client):
    response = coordinator_client.post(
        ADD_URL, form_data(venue_name="", venue_street="", venue_postcode="")
    )

    required = ["Dieses Feld ist zwingend erforderlich."]
    assert form_errors(response) == {
        "venue_name": required,
        "venue_street": required,
        "venue_postcode": required,
    }
    assert not Meeting.objects.exists()
    assert "Adresse des Gastgebers zu übernehmen" in response.content.decode()


# --------------------------------------------------------------------------------------------
# Speakers


@pytest.fixture
def two_daniels():
    return [
        ContactPersonFactory(
            first_name="Daniel",
            last_name="Hansen",
            company=CompanyFactory(name="Moselblick Pflege GmbH"),
        ),
        ContactPersonFactory(
            first_name="Daniel",
            last_name="Hansen",
            company=CompanyFactory(name="Schreinerei Olewig"),
        ),
    ]


def autocomplete(client, term):
    return client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "meetings",
            "model_name": "agendaitem",
            "field_name": "speaker_contact",
            "term": term,
        },
    )


def test_the_speaker_chooser_names_each_person_with_the_company(coordinator_client, two_daniels):
    response = autocomplete(coordinator_client, "Hansen")

    assert sorted(result["text"] for result in response.json()["results"]) == [
        "Daniel Hansen (Moselblick Pflege GmbH)",
        "Daniel Hansen (Schreinerei Olewig)",
    ]
    # The company's name finds its people as well.
    response = autocomplete(coordinator_client, "Olewig")
    assert [r["text"] for r in response.json()["results"]] == ["Daniel Hansen (Schreinerei Olewig)"]


def test_the_speaker_chooser_runs_one_query_for_its_page(
    coordinator_client, two_daniels, django_assert_num_queries
):
    autocomplete(coordinator_client, "Hansen")  # the session settles on the first request
    counts = []
    for extra in (0, 15):
        ContactPersonFactory.create_batch(extra, last_name="Hansen")
        with django_assert_num_queries(4) as captured:
            response = autocomplete(coordinator_client, "Hansen")
        counts.append((len(captured.captured_queries), len(response.json()["results"])))
    assert counts == [(4, 2), (4, 17)]


def test_a_chosen_speaker_is_shown_with_the_company_on_the_form(coordinator_client, two_daniels):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    AgendaItem.objects.create(
        meeting=meeting,
        starts_at="16:30",
        title="Ausbildung im Verbund",
        speaker_contact=two_daniels[1],
    )

    page = coordinator_client.get(change_url(meeting)).content.decode()

    assert (
        f'<option value="{two_daniels[1].pk}" selected>Daniel Hansen (Schreinerei Olewig)</option>'
        in page
    )


# --------------------------------------------------------------------------------------------
# Seats below the people seated


def test_fewer_seats_than_people_seated_are_saved_only_when_confirmed(coordinator_client):
    meeting = MeetingFactory(capacity=10)
    seated = RegistrationFactory.create_batch(3, meeting=meeting)
    data = form_data(meeting, capacity=2)

    response = coordinator_client.post(change_url(meeting), data)

    assert form_errors(response) == {
        "capacity": [
            "3 Personen haben bereits einen Platz, mehr als die 2 Plätze, die Sie eingetragen "
            "haben. Niemand verliert dadurch seinen Platz, aber von der Warteliste rückt erst "
            "wieder jemand nach, wenn weniger Personen angemeldet sind, als es Plätze gibt. Um "
            "trotzdem zu sichern, setzen Sie unten das Häkchen."
        ]
    }
    page = response.content.decode()
    assert 'type="checkbox" name="confirm_fewer_seats"' in page
    assert (
        "Ich weiß, dass bereits 3 Personen einen Platz haben, und möchte trotzdem 2 Plätze "
        "eintragen."
    ) in page
    meeting.refresh_from_db()
    assert meeting.capacity == 10

    response = coordinator_client.post(change_url(meeting), {**data, "confirm_fewer_seats": "on"})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.capacity == 2
    # Nothing is lost: everyone keeps their seat.
    assert set(meeting.registrations.seated()) == set(seated)


def test_seats_down_to_the_people_seated_need_no_confirmation(coordinator_client):
    meeting = MeetingFactory(capacity=10)
    RegistrationFactory.create_batch(3, meeting=meeting)
    RegistrationFactory(meeting=meeting, status=Registration.Status.WAITLISTED)

    page = coordinator_client.get(change_url(meeting)).content.decode()
    assert 'type="hidden" name="confirm_fewer_seats"' in page
    response = coordinator_client.post(change_url(meeting), form_data(meeting, capacity=3))

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.capacity == 3


# --------------------------------------------------------------------------------------------
# Publishing through the confirmation


def test_the_publish_button_saves_the_form_and_leads_to_the_confirmation(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    page = coordinator_client.get(change_url(meeting)).content.decode()
    assert 'name="_publish" value="Veröffentlichen …"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            change_url(meeting), form_data(meeting, room="Saal 3", _publish="Veröffentlichen …")
        )

    assert response.status_code == 302
    assert response["Location"] == publish_url(meeting)
    meeting.refresh_from_db()
    assert (meeting.room, meeting.status) == ("Saal 3", Meeting.Status.DRAFT)
    assert mail.outbox == [] and not OutboxMail.objects.exists()


def test_the_confirmation_says_how_many_invitations_go_out_and_a_get_sends_nothing(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="Herbsttreffen")

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.get(publish_url(meeting))

    assert response.status_code == 200
    html = response.content.decode()
    assert "3 Einladungen gehen per E-Mail mit dem Kalendereintrag" in html
    assert "Veröffentlichen und 3 Einladungen senden" in html
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert mail.outbox == [] and not OutboxMail.objects.exists()


def test_confirming_publishes_and_writes_exactly_the_invitations_announced(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="Herbsttreffen")
    announced = coordinator_client.get(publish_url(meeting)).context["invitations"]

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(publish_url(meeting))

    assert response.status_code == 302
    assert response["Location"] == change_url(meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    written = OutboxMail.objects.filter(key__startswith=f"meeting:{meeting.pk}:invitation:")
    assert announced == written.count() == len(mail.outbox) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in network["invited"])
    assert messages_of(response) == [
        ("success", "„Herbsttreffen“ ist veröffentlicht; 3 Einladungen werden verschickt.")
    ]


def test_a_published_meeting_has_no_publish_button_and_its_confirmation_refuses(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    assert 'name="_publish"' not in coordinator_client.get(change_url(meeting)).content.decode()

    for request in (coordinator_client.get, coordinator_client.post):
        with django_capture_on_commit_callbacks(execute=True):
            response = request(publish_url(meeting))
        assert response.status_code == 302
        assert response["Location"] == change_url(meeting)
        assert messages_of(response) == [("error", "Nur ein Entwurf kann veröffentlicht werden.")]
        coordinator_client.get(change_url(meeting))  # shows (and so consumes) the message
    assert mail.outbox == [] and not OutboxMail.objects.exists()


def test_staff_without_the_meeting_permission_cannot_publish(
    client, network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    login_with_second_factor(client, UserFactory(is_staff=True))

    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(publish_url(meeting)).status_code == 403
        assert client.post(publish_url(meeting)).status_code == 403

    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT
    assert mail.outbox == []
