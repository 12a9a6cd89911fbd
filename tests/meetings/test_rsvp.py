"""Answers, seats, waitlist, per-company limits and the deadline."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import selectors, services
from meetings.models import Registration
from tests.factories import CompanyFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def answer(meeting, company, n, attending=True):
    return services.rsvp_answer(
        meeting=meeting,
        company=company,
        name=f"Person {n}",
        email=f"person{n}@{company.slug}.example",
        attending=attending,
    )


def test_yes_takes_a_seat_until_full_then_waitlist():
    meeting = MeetingFactory(capacity=2, per_company_limit=5)
    company = CompanyFactory()
    first, second, third = (answer(meeting, company, n) for n in range(3))
    assert [r.status for r in (first, second, third)] == ["confirmed", "confirmed", "waitlisted"]
    assert selectors.free_seats(meeting) == 0


def test_waitlist_moves_up_in_order_with_a_mail(django_capture_on_commit_callbacks):
    meeting = MeetingFactory(capacity=1, per_company_limit=5)
    company = CompanyFactory()
    with django_capture_on_commit_callbacks(execute=True):  # the confirmations go out
        seated = answer(meeting, company, 0)
        waiting_first = answer(meeting, company, 1)
        waiting_second = answer(meeting, company, 2)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        answer(meeting, company, 0, attending=False)
    seated.refresh_from_db(), waiting_first.refresh_from_db(), waiting_second.refresh_from_db()
    assert seated.status == "declined"
    assert waiting_first.status == "confirmed"
    assert waiting_second.status == "waitlisted"
    assert [m.to for m in mail.outbox] == [[waiting_first.email]]
    assert mail.outbox[0].subject == (
        f"[Attraktive Unternehmen Trier] Ein Platz für Sie: {meeting.title}"
    )


def test_per_company_limit_counts_seats_and_waitlist():
    meeting = MeetingFactory(capacity=1, per_company_limit=2)
    company = CompanyFactory()
    answer(meeting, company, 0)
    answer(meeting, company, 1)  # waitlisted, still counts
    with pytest.raises(ValidationError) as refused:
        answer(meeting, company, 2)
    assert refused.value.messages == [
        "Jedes Unternehmen kann höchstens 2 Personen zu diesem Treffen anmelden."
    ]
    # Another company is not affected by the first one's limit.
    assert answer(meeting, CompanyFactory(), 0).status == "waitlisted"


def test_no_changes_after_the_deadline():
    meeting = MeetingFactory(rsvp_deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as refused:
        answer(meeting, CompanyFactory(), 0)
    assert "Der Anmeldeschluss ist vorbei." in refused.value.messages[0]
    assert not Registration.objects.exists()


def test_drafts_and_cancelled_meetings_take_no_answers():
    for status in ("draft", "cancelled"):
        meeting = MeetingFactory(status=status)
        with pytest.raises(ValidationError):
            answer(meeting, CompanyFactory(), 0)


def test_answering_yes_twice_keeps_one_registration():
    meeting = MeetingFactory()
    company = CompanyFactory()
    answer(meeting, company, 0)
    answer(meeting, company, 0)
    assert meeting.registrations.count() == 1


@pytest.fixture
def member(company):
    return MembershipFactory(company=company).user


def test_user_answers_for_themselves_and_registers_a_colleague(
    client, member, company, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(capacity=10, per_company_limit=2)
    client.force_login(member)
    response = client.post(
        reverse("meetings:answer", args=[meeting.slug]), {"attending": "yes"}, follow=True
    )
    assert "Vielen Dank, Sie sind angemeldet." in response.content.decode()
    mine = Registration.objects.get(email=member.email)
    assert (mine.status, mine.company) == ("confirmed", company)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:register_colleague", args=[meeting.slug]),
            {"name": "Lea Kaspari", "email": "lea@moselblick.example"},
            follow=True,
        )
    html = response.content.decode()
    assert "Lea Kaspari ist angemeldet." in html
    assert "8 Plätze frei" in html
    assert [m.to for m in mail.outbox] == [["lea@moselblick.example"]]
    assert "Angemeldet: " in mail.outbox[0].subject

    response = client.post(
        reverse("meetings:register_colleague", args=[meeting.slug]),
        {"name": "Dritte Person", "email": "dritte@moselblick.example"},
        follow=True,
    )
    assert "höchstens 2 Personen" in response.content.decode()


def test_company_user_cancels_a_colleague_and_the_waitlist_moves_up(client, member, company):
    meeting = MeetingFactory(capacity=1, per_company_limit=3)
    colleague = answer(meeting, company, 0)
    waiting = answer(meeting, CompanyFactory(), 1)
    client.force_login(member)
    client.post(reverse("meetings:cancel_registration", args=[meeting.slug, colleague.pk]))
    colleague.refresh_from_db(), waiting.refresh_from_db()
    assert colleague.status == "cancelled"
    assert waiting.status == "confirmed"


def test_another_companys_registrations_stay_hidden_and_untouchable(client, member, company):
    meeting = MeetingFactory()
    foreign = answer(meeting, CompanyFactory(name="Saarburger Feinmechanik KG"), 0)
    own = answer(meeting, company, 1)
    client.force_login(member)
    html = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert own.name in html
    assert foreign.name not in html and foreign.email not in html

    response = client.post(reverse("meetings:cancel_registration", args=[meeting.slug, foreign.pk]))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "confirmed"


def test_meetings_are_for_members_of_active_companies(client, db):
    meeting = MeetingFactory()
    assert client.get(reverse("meetings:list"))["Location"].startswith("/accounts/login/")
    pending_user = MembershipFactory(company=CompanyFactory(status="pending")).user
    client.force_login(pending_user)
    assert client.get(reverse("meetings:list")).status_code == 403
    assert client.get(reverse("meetings:detail", args=[meeting.slug])).status_code == 403
    response = client.post(reverse("meetings:answer", args=[meeting.slug]), {"attending": "yes"})
    assert response.status_code == 403
    assert not Registration.objects.exists()


def test_drafts_are_not_visible(client, member):
    draft = MeetingFactory(status="draft")
    client.force_login(member)
    assert client.get(reverse("meetings:detail", args=[draft.slug])).status_code == 404
    assert draft.title not in client.get(reverse("meetings:list")).content.decode()


@pytest.mark.parametrize("n", [1, 12])
def test_meeting_list_query_count_is_constant(client, member, django_assert_num_queries, n):
    for i in range(n):
        meeting = MeetingFactory()
        answer(meeting, CompanyFactory(), i)
        MeetingFactory(
            starts_at=timezone.now() - timedelta(days=30 + i),
            ends_at=timezone.now() - timedelta(days=30 + i) + timedelta(hours=2),
            rsvp_deadline=timezone.now() - timedelta(days=40 + i),
        )
    client.force_login(member)
    # Session, user with company account and company, upcoming meetings with seats and the
    # company's registrations, past meetings: count and page.
    with django_assert_num_queries(5):
        response = client.get(reverse("meetings:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 12])
def test_meeting_detail_query_count_is_constant(
    client, member, company, django_assert_num_queries, n
):
    from meetings.models import AgendaItem
    from tests.factories import ContactPersonFactory

    meeting = MeetingFactory(capacity=100, per_company_limit=50)
    for i in range(n):
        speaker = ContactPersonFactory()
        AgendaItem.objects.create(
            meeting=meeting, starts_at=f"16:{i:02d}", title=f"Punkt {i}", speaker_contact=speaker
        )
        answer(meeting, company, i)
        answer(meeting, CompanyFactory(), i)
    client.force_login(member)
    with django_assert_num_queries(8):  # the session from the cache (cached_db)
        response = client.get(reverse("meetings:detail", args=[meeting.slug]))
    assert response.status_code == 200


def test_a_company_cannot_register_another_companys_contact(client, member, company):
    from tests.factories import ContactPersonFactory

    meeting = MeetingFactory()
    other = ContactPersonFactory(email="anna@saarburg.example")
    client.force_login(member)
    response = client.post(
        reverse("meetings:register_colleague", args=[meeting.slug]),
        {"name": "Anna", "email": "ANNA@saarburg.example"},
        follow=True,
    )
    assert "gehört zu einem anderen Mitgliedsunternehmen" in response.content.decode()
    assert not Registration.objects.exists()
    # Her own company still can.
    registration = services.rsvp_answer(
        meeting=meeting, company=other.company, name="Anna", email=other.email, attending=True
    )
    assert registration.status == "confirmed"


def test_a_declined_answer_does_not_keep_a_person_from_their_own_company():
    meeting = MeetingFactory()
    first, second = CompanyFactory(), CompanyFactory()
    services.rsvp_answer(
        meeting=meeting, company=first, name="Lea", email="lea@example.org", attending=False
    )
    registration = services.rsvp_answer(
        meeting=meeting, company=second, name="Lea", email="lea@example.org", attending=True
    )
    assert (registration.company, registration.status) == (second, "confirmed")


def test_user_with_the_longest_name_can_answer(client, company):
    # Sign-up allows 100 characters each for first and last name: 201 with the space.
    user = MembershipFactory(
        company=company, user__first_name="V" * 100, user__last_name="N" * 100
    ).user
    meeting = MeetingFactory()
    client.force_login(user)
    response = client.post(reverse("meetings:answer", args=[meeting.slug]), {"attending": "yes"})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.name == ("V" * 100 + " " + "N" * 100)[:200]
    assert registration.status == Registration.Status.CONFIRMED


def test_colleague_with_an_overlong_address_is_refused(client, company, company_user):
    # Valid by the standard (up to 320 characters), longer than the address column (254).
    meeting = MeetingFactory()
    client.force_login(company_user)
    response = client.post(
        reverse("meetings:register_colleague", args=[meeting.slug]),
        {"name": "Lea Kaspari", "email": "x" * 236 + "@moselblick.example"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Bitte sicherstellen, dass der Wert aus höchstens 254 Zeichen besteht. "
        "(Er besteht aus 255 Zeichen.)",
        "Bitte wählen Sie eine Ansprechperson oder geben Sie Name und E-Mail-Adresse an.",
    ]
    assert not Registration.objects.exists()
