"""The check-in at the door: the page (search, counts), a tap by fetch (JSON) or as a plain
form, walk-ins recorded through the service, and who may use it."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import selectors, services
from meetings.models import Meeting, Registration
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.mfa import login_with_second_factor
from tests.utils import messages_of

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def door_url(meeting):
    return reverse("admin:meetings_meeting_check_in_page", args=[meeting.pk])


def tap_url(meeting):
    return reverse("admin:meetings_meeting_check_in", args=[meeting.pk])


def walk_in_url(meeting):
    return reverse("admin:meetings_meeting_walk_in", args=[meeting.pk])


@pytest.fixture
def door():
    """Three seated (one of them checked in), one waiting, one who said no."""
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    olewig = CompanyFactory(name="Schreinerei Olewig")
    meeting = MeetingFactory(title="Herbsttreffen", capacity=3, today=True)
    seated = [
        RegistrationFactory(meeting=meeting, company=moselblick, name="Anna Berg"),
        RegistrationFactory(
            meeting=meeting, company=moselblick, name="Lukas Stein", checked_in_at=timezone.now()
        ),
        RegistrationFactory(
            meeting=meeting, company=olewig, name="Jonas Weber", email="jonas@olewig.example"
        ),
    ]
    waiting = RegistrationFactory(
        meeting=meeting,
        company=olewig,
        name="Mia Kurz",
        status=Registration.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    RegistrationFactory(
        meeting=meeting, company=olewig, name="Paul Nein", status=Registration.Status.DECLINED
    )
    return {
        "meeting": meeting,
        "seated": seated,
        "waiting": waiting,
        "moselblick": moselblick,
        "olewig": olewig,
    }


def listed_names(response):
    return [registration.name for registration in response.context["registrations"]]


# --------------------------------------------------------------------------------------------
# The page


def test_the_door_lists_everyone_seated_by_name_with_the_counts(coordinator_client, door):
    response = coordinator_client.get(door_url(door["meeting"]))

    assert response.status_code == 200
    assert listed_names(response) == ["Anna Berg", "Jonas Weber", "Lukas Stein"]
    html = response.content.decode()
    assert (
        '<strong id="count-checked-in">1</strong> von <span id="count-expected">3</span> '
        "eingecheckt"
    ) in html
    assert "Mia Kurz" not in html and "Paul Nein" not in html
    assert "eingecheckt um" in html  # Lukas Stein
    # The script and styles are files of their own: the strict CSP allows no inline code.
    assert '<script src="/static/meetings/check-in.js" defer></script>' in html
    assert "<script>" not in html and " style=" not in html


@pytest.mark.parametrize(
    ("search", "names"),
    [
        ("olewig", ["Jonas Weber"]),
        ("anna", ["Anna Berg"]),
        ("moselblick stein", ["Lukas Stein"]),
        ("niemand", []),
    ],
)
def test_the_search_form_filters_by_name_or_company_without_script(
    coordinator_client, door, search, names
):
    response = coordinator_client.get(door_url(door["meeting"]), {"q": search})

    assert listed_names(response) == names
    html = response.content.decode()
    assert f'name="q" value="{search}"' in html
    assert ('id="check-in-no-match" hidden' in html) == (names != [])


def test_the_door_runs_a_constant_number_of_queries(coordinator_client, django_assert_num_queries):
    small = MeetingFactory()
    RegistrationFactory(meeting=small)
    large = MeetingFactory(capacity=60)
    for index in range(30):
        RegistrationFactory(
            meeting=large,
            company=CompanyFactory() if index % 3 == 0 else None,
            company_name="" if index % 3 == 0 else f"Gastfirma {index}",
            walk_in=index % 3 != 0,
            checked_in_at=timezone.now() if index % 2 else None,
        )
    coordinator_client.get(door_url(small))  # the session settles on the first visit

    for meeting in (small, large):
        with django_assert_num_queries(6):
            response = coordinator_client.get(door_url(meeting), {"q": ""})
        assert response.status_code == 200
    assert len(response.context["registrations"]) == 30


# --------------------------------------------------------------------------------------------
# A tap: with the script (JSON) and as a plain form


def test_a_tap_by_fetch_checks_in_and_answers_with_the_new_counts(coordinator_client, door):
    meeting, anna = door["meeting"], door["seated"][0]

    response = coordinator_client.post(
        tap_url(meeting), {"registration": anna.pk, "present": "1", "back": "check-in"}, **JSON
    )

    assert response.status_code == 200
    data = response.json()
    anna.refresh_from_db()
    assert anna.checked_in_at is not None
    time = timezone.localtime(anna.checked_in_at).strftime("%H:%M")
    assert data == {
        "registration": anna.pk,
        "present": True,
        "time": f"eingecheckt um {time} Uhr",
        "button": "Zurücknehmen",
        "message": "Anna Berg ist eingecheckt.",
        "checked_in": 2,
        "expected": 3,
    }
    # The answer is the message: nothing is left over for the next page.
    assert messages_of(response) == []
    assert ActivityEntry.objects.filter(
        action="meetings.registration.checked_in", object_id=str(anna.pk)
    ).exists()

    response = coordinator_client.post(
        tap_url(meeting), {"registration": anna.pk, "present": "0"}, **JSON
    )

    data = response.json()
    assert (data["present"], data["button"], data["time"], data["checked_in"]) == (
        False,
        "Einchecken",
        "",
        1,
    )
    assert data["message"] == "Das Einchecken von Anna Berg wurde zurückgenommen."
    anna.refresh_from_db()
    assert anna.checked_in_at is None


def test_a_refused_tap_by_fetch_answers_400_with_the_reason(coordinator_client, door):
    meeting, waiting = door["meeting"], door["waiting"]

    response = coordinator_client.post(
        tap_url(meeting), {"registration": waiting.pk, "present": "1"}, **JSON
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "Nur angemeldete Teilnehmende können als anwesend erfasst werden."
    }
    waiting.refresh_from_db()
    assert waiting.checked_in_at is None


def test_a_plain_tap_comes_back_to_the_door_with_the_search_and_a_message(coordinator_client, door):
    meeting, jonas = door["meeting"], door["seated"][2]

    response = coordinator_client.post(
        tap_url(meeting),
        {"registration": jonas.pk, "present": "1", "back": "check-in", "q": "olewig"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{door_url(meeting)}?q=olewig#registration-{jonas.pk}"
    assert messages_of(response) == [("success", "Jonas Weber ist eingecheckt.")]
    jonas.refresh_from_db()
    assert jonas.checked_in_at is not None
    page = coordinator_client.get(response["Location"])
    assert listed_names(page) == ["Jonas Weber"]
    assert 'value="0"' in page.content.decode()  # the button now takes it back


def test_a_tap_for_a_registration_of_another_meeting_is_404(coordinator_client, door):
    stranger = RegistrationFactory()

    response = coordinator_client.post(
        tap_url(door["meeting"]), {"registration": stranger.pk, "present": "1"}, **JSON
    )

    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.checked_in_at is None


# --------------------------------------------------------------------------------------------
# Walk-ins


def test_a_walk_in_from_a_member_company_is_seated_checked_in_and_logged(
    coordinator, door, django_capture_on_commit_callbacks
):
    meeting = door["meeting"]

    with django_capture_on_commit_callbacks(execute=True):
        registration = services.walk_in_add(
            meeting=meeting,
            name="  Eva   Gast ",
            company=door["olewig"],
            email="eva@olewig.example",
            by_user=coordinator,
        )

    assert (registration.name, registration.company, registration.company_name) == (
        "Eva Gast",
        door["olewig"],
        "",
    )
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.walk_in and registration.checked_in_at is not None
    assert registration in selectors.attendees(meeting)
    assert selectors.check_in_counts(meeting) == {"checked_in": 2, "expected": 4}
    entry = ActivityEntry.objects.get(action="meetings.registration.walked_in")
    assert (entry.object_id, entry.actor) == (str(registration.pk), coordinator)
    assert entry.details == {"status": [None, "confirmed"]}
    assert mail.outbox == []  # they are here: no confirmation mail


def test_walk_ins_from_elsewhere_need_no_address(coordinator, door):
    meeting = door["meeting"]

    first = services.walk_in_add(
        meeting=meeting, name="Eva Gast", company_name="Hunsrück Bau", by_user=coordinator
    )
    second = services.walk_in_add(
        meeting=meeting, name="Ole Gast", company_name="Hunsrück Bau", by_user=coordinator
    )

    assert (first.company, first.company_label, first.email) == (None, "Hunsrück Bau", "")
    assert second.pk != first.pk
    assert selectors.check_in_counts(meeting) == {"checked_in": 3, "expected": 5}


def test_a_walk_in_with_the_address_of_an_earlier_answer_takes_that_answer_over(coordinator, door):
    meeting = door["meeting"]
    said_no = RegistrationFactory(
        meeting=meeting,
        company=door["olewig"],
        name="Tom Nein",
        email="tom@olewig.example",
        status=Registration.Status.DECLINED,
    )

    registration = services.walk_in_add(
        meeting=meeting,
        name="Tom Nein",
        company=door["olewig"],
        email="TOM@olewig.example",
        by_user=coordinator,
    )

    assert registration.pk == said_no.pk
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.walk_in and registration.checked_in_at is not None
    assert (
        Registration.objects.filter(meeting=meeting, email__iexact="tom@olewig.example").count()
        == 1
    )


def test_a_walk_in_who_had_a_seat_is_simply_checked_in(coordinator, door):
    jonas = door["seated"][2]

    registration = services.walk_in_add(
        meeting=door["meeting"],
        name="Jonas Weber",
        company=door["olewig"],
        email="jonas@olewig.example",
        by_user=coordinator,
    )

    assert registration.pk == jonas.pk
    assert registration.checked_in_at is not None and not registration.walk_in


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"name": " ", "company_name": "Hunsrück Bau"}, "Bitte geben Sie den Namen ein."),
        (
            {"name": "Eva Gast", "company_name": " "},
            "Bitte wählen Sie das Mitgliedsunternehmen oder geben Sie den Namen des "
            "Unternehmens ein.",
        ),
    ],
)
def test_a_walk_in_needs_a_name_and_a_company(coordinator, door, kwargs, reason):
    with pytest.raises(ValidationError) as refused:
        services.walk_in_add(meeting=door["meeting"], by_user=coordinator, **kwargs)

    assert refused.value.messages == [reason]
    assert not Registration.objects.filter(walk_in=True).exists()


@pytest.mark.parametrize("status", [Meeting.Status.DRAFT, Meeting.Status.CANCELLED])
def test_a_meeting_that_does_not_take_place_has_no_walk_ins(coordinator, status):
    meeting = MeetingFactory(status=status)

    with pytest.raises(ValidationError) as refused:
        services.walk_in_add(
            meeting=meeting, name="Eva Gast", company_name="Hunsrück Bau", by_user=coordinator
        )

    assert refused.value.messages == [
        "Nur bei einem Treffen, das stattfindet, gibt es ein Einchecken."
    ]


def test_a_walk_in_without_address_gets_no_feedback_request(coordinator, door):
    meeting = door["meeting"]
    services.walk_in_add(
        meeting=meeting, name="Eva Gast", company_name="Hunsrück Bau", by_user=coordinator
    )
    services.walk_in_add(
        meeting=meeting,
        name="Ole Gast",
        company_name="Hunsrück Bau",
        email="ole@hunsrueck-bau.example",
        by_user=coordinator,
    )
    now = meeting.ends_at + timezone.timedelta(days=1)

    mail_ids = services.write_feedback_requests(now=now)

    # Lukas Stein and the two walk-ins came (the checked-in); only those with an address.
    assert sorted(OutboxMail.objects.filter(pk__in=mail_ids).values_list("to", flat=True)) == (
        sorted([door["seated"][1].email, "ole@hunsrueck-bau.example"])
    )


def test_the_walk_in_form_matches_a_member_company_by_its_name(coordinator_client, door):
    meeting = door["meeting"]

    response = coordinator_client.post(
        walk_in_url(meeting),
        {"name": "Eva Gast", "company": "schreinerei olewig", "email": ""},
    )

    registration = Registration.objects.get(name="Eva Gast")
    assert response.status_code == 302
    assert response["Location"] == f"{door_url(meeting)}#registration-{registration.pk}"
    assert (registration.company, registration.company_name) == (door["olewig"], "")
    assert messages_of(response) == [("success", "Eva Gast (Schreinerei Olewig) ist eingecheckt.")]
    page = coordinator_client.get(door_url(meeting))
    assert "Eva Gast" in listed_names(page)
    assert "ohne Anmeldung" in page.content.decode()


def test_the_walk_in_form_takes_any_other_company_as_free_text(coordinator_client, door):
    coordinator_client.post(
        walk_in_url(door["meeting"]),
        {"name": "Ole Gast", "company": "Hunsrück Bau", "email": "ole@hunsrueck-bau.example"},
    )

    registration = Registration.objects.get(name="Ole Gast")
    assert (registration.company, registration.company_name, registration.email) == (
        None,
        "Hunsrück Bau",
        "ole@hunsrueck-bau.example",
    )


def test_the_walk_in_form_shows_its_errors_on_the_page(coordinator_client, door):
    response = coordinator_client.post(
        walk_in_url(door["meeting"]), {"name": "", "company": "", "email": "kein-at"}
    )

    assert response.status_code == 400
    form = response.context["walk_in_form"]
    assert form.errors == {
        "name": ["Dieses Feld ist zwingend erforderlich."],
        "company": ["Dieses Feld ist zwingend erforderlich."],
        "email": ["Bitte gültige E-Mail-Adresse eingeben."],
    }
    assert '<details class="check-in-walk-in" id="walk-in" open>' in response.content.decode()
    assert not Registration.objects.filter(walk_in=True).exists()


# --------------------------------------------------------------------------------------------
# Who may use it


@pytest.mark.parametrize("page", ["door", "tap", "walk_in"])
def test_staff_without_meeting_permissions_and_company_users_are_refused(client, door, page):
    meeting = door["meeting"]
    url = {"door": door_url, "tap": tap_url, "walk_in": walk_in_url}[page](meeting)
    data = {"registration": door["seated"][0].pk, "present": "1", "name": "X", "company": "Y"}
    request = client.get if page == "door" else client.post

    login_with_second_factor(client, UserFactory(is_staff=True))
    assert (request(url, data) if page != "door" else request(url)).status_code == 403
    client.logout()
    client.force_login(MembershipFactory(company=door["moselblick"]).user)
    assert (request(url, data) if page != "door" else request(url)).status_code == 403

    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1
    assert not Registration.objects.filter(walk_in=True).exists()


def test_before_the_day_nobody_is_added_at_the_door(coordinator):
    meeting = MeetingFactory(capacity=1)  # in four weeks

    with pytest.raises(ValidationError) as refused:
        services.walk_in_add(
            meeting=meeting, name="Paul Früh", company_name="Irgendwo GmbH", by_user=coordinator
        )

    assert refused.value.messages == ["Personen ohne Anmeldung werden am Tag des Treffens erfasst."]
    assert not meeting.registrations.exists()
