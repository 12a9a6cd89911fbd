"""The booking rules of the cooperation board: places, waitlist in order, promotion with a
mail, cost shares, status steps, interest and the message to the interested companies."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from cooperation import selectors, services
from cooperation.models import Booking, Interest, Message, Project
from network_portal.models import OutboxMail
from tests.cooperation.factories import (
    BookingFactory,
    InterestFactory,
    LanguageCourseFactory,
    ProjectFactory,
)
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


def _company_with_user(name, email):
    company = CompanyFactory(name=name)
    user = MembershipFactory(company=company, user__email=email).user
    return company, user


def test_free_places_are_booked_and_the_rest_waits_in_order():
    course = LanguageCourseFactory(total_places=3, max_places_per_company=2)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    c, c_user = _company_with_user("Porta Digital UG", "c@porta.example")

    first = services.booking_book(project=course, company=a, places=2, by_user=a_user)
    second = services.booking_book(project=course, company=b, places=2, by_user=b_user)
    third = services.booking_book(project=course, company=c, places=1, by_user=c_user)

    assert (first.places, first.waiting_places) == (2, 0)
    assert (second.places, second.waiting_places) == (1, 1)
    # Nobody jumps the waitlist: no place is free, C waits behind B.
    assert (third.places, third.waiting_places) == (0, 1)
    assert selectors.free_places(course) == 0
    assert selectors.waitlist_position(second) == 1
    assert selectors.waitlist_position(third) == 2
    assert selectors.waitlist_position(first) is None


def test_a_company_cannot_hold_more_than_the_limit():
    course = LanguageCourseFactory(total_places=5, max_places_per_company=2)
    company, user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    services.booking_book(project=course, company=company, places=1, by_user=user)

    with pytest.raises(ValidationError, match="höchstens 2 Plätze"):
        services.booking_book(project=course, company=company, places=2, by_user=user)

    assert Booking.objects.get().places == 1


def test_bookings_need_an_open_project_with_places_and_an_active_company():
    company, user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    planning = LanguageCourseFactory(status=Project.Status.PLANNING)
    without_places = ProjectFactory()
    with pytest.raises(ValidationError):
        services.booking_book(project=planning, company=company, places=1, by_user=user)
    with pytest.raises(ValidationError):
        services.booking_book(project=without_places, company=company, places=1, by_user=user)
    company.status = company.Status.PAUSED
    company.save()
    with pytest.raises(ValidationError):
        services.booking_book(
            project=LanguageCourseFactory(), company=company, places=1, by_user=user
        )
    assert not Booking.objects.exists()


def test_cancelling_moves_the_waitlist_up_in_order_and_mails_the_company(
    django_capture_on_commit_callbacks,
):
    course = LanguageCourseFactory(total_places=3, max_places_per_company=2)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    c, c_user = _company_with_user("Porta Digital UG", "c@porta.example")
    booking_a = services.booking_book(project=course, company=a, places=2, by_user=a_user)
    booking_b = services.booking_book(project=course, company=b, places=2, by_user=b_user)
    booking_c = services.booking_book(project=course, company=c, places=1, by_user=c_user)

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking_a, places=1, by_user=a_user)

    booking_a.refresh_from_db()
    booking_b.refresh_from_db()
    booking_c.refresh_from_db()
    assert (booking_a.places, booking_b.places, booking_b.waiting_places) == (1, 2, 0)
    assert (booking_c.places, booking_c.waiting_places) == (0, 1)
    assert selectors.waitlist_position(booking_c) == 1
    assert [message.to for message in mail.outbox] == [["b@saarburg.example"]]
    body = mail.outbox[0].body
    assert "Deutschkurs" in mail.outbox[0].subject
    assert "rückt von der Warteliste nach" in body
    assert "Gebuchte Plätze Ihres Unternehmens: 2" in body
    assert "600,00 EUR" in body  # 2 × 300 €


def test_giving_back_waiting_places_comes_first_and_frees_no_booked_place(
    django_capture_on_commit_callbacks,
):
    course = LanguageCourseFactory(total_places=3, max_places_per_company=2)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    services.booking_book(project=course, company=a, places=2, by_user=a_user)
    booking_b = services.booking_book(project=course, company=b, places=2, by_user=b_user)

    with django_capture_on_commit_callbacks(execute=True):
        booking_b = services.booking_cancel(booking=booking_b, places=1, by_user=b_user)

    assert (booking_b.places, booking_b.waiting_places, booking_b.waitlisted_at) == (1, 0, None)
    assert mail.outbox == []


def test_cancelling_more_than_held_or_after_the_start_is_refused():
    booking = BookingFactory(places=1)
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, places=2, by_user=None)
    booking.project.status = Project.Status.RUNNING
    booking.project.save()
    with pytest.raises(ValidationError, match="läuft bereits"):
        services.booking_cancel(booking=booking, places=1, by_user=None)


def test_cost_shares_are_the_cost_by_places_rounded_once_and_add_up():
    course = LanguageCourseFactory(total_places=3, total_cost=Decimal("1000.00"))
    booking = BookingFactory(project=course, places=2)
    other = BookingFactory(project=course, places=1)
    assert course.cost_per_place == Decimal("333.33")
    assert booking.cost_share == Decimal("666.67")
    assert booking.cost_share + other.cost_share == course.total_cost
    assert ProjectFactory().cost_for(2) is None


def test_more_places_from_the_owner_move_the_waitlist_up(django_capture_on_commit_callbacks):
    course = LanguageCourseFactory(total_places=1, max_places_per_company=1)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    services.booking_book(project=course, company=a, places=1, by_user=a_user)
    waiting = services.booking_book(project=course, company=b, places=1, by_user=b_user)
    assert waiting.waiting_places == 1

    course.total_places = 2
    with django_capture_on_commit_callbacks(execute=True):
        services.project_save(project=course, by_user=a_user, changed=["total_places"])

    waiting.refresh_from_db()
    assert (waiting.places, waiting.waiting_places) == (1, 0)
    assert [message.to for message in mail.outbox] == [["b@saarburg.example"]]


def test_fewer_places_than_booked_are_refused():
    course = LanguageCourseFactory(total_places=3)
    BookingFactory(project=course, places=2)
    course.total_places = 1
    with pytest.raises(ValidationError, match="bereits 2 Plätze gebucht"):
        services.project_save(project=course, by_user=None, changed=["total_places"])


def test_status_steps_follow_the_allowed_transitions():
    coordinator = CoordinatorFactory()
    project = ProjectFactory(status=Project.Status.PLANNING)
    with pytest.raises(ValidationError):
        services.project_set_status(
            project=project, status=Project.Status.COMPLETED, by_user=coordinator
        )
    for status in (Project.Status.OPEN, Project.Status.RUNNING, Project.Status.COMPLETED):
        project = services.project_set_status(project=project, status=status, by_user=coordinator)
        assert project.status == status
    with pytest.raises(ValidationError):
        services.project_set_status(
            project=project, status=Project.Status.OPEN, by_user=coordinator
        )


def test_a_language_course_opens_only_with_places():
    course = LanguageCourseFactory(
        status=Project.Status.PLANNING, total_places=None, max_places_per_company=None
    )
    with pytest.raises(ValidationError, match="Zahl der Plätze"):
        services.project_set_status(project=course, status=Project.Status.OPEN, by_user=None)


def test_a_proposal_belongs_to_the_company_and_starts_in_planning():
    company, user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    project = services.project_propose(
        company=company,
        by_user=user,
        kind=Project.Kind.FAMILY_JOBS,
        title="Jobs für Angehörige",
        description="Wer hat Stellen für Partner unserer Pflegekräfte?",
    )
    assert (project.company, project.status, project.proposed_by) == (
        company,
        Project.Status.PLANNING,
        user,
    )


def test_interest_is_marked_once_and_withdrawn():
    project = ProjectFactory()
    company, user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    services.interest_mark(project=project, company=company, by_user=user)
    services.interest_mark(project=project, company=company, by_user=user)
    assert Interest.objects.filter(project=project).count() == 1
    services.interest_withdraw(project=project, company=company, by_user=user)
    assert not Interest.objects.exists()


def test_attendance_names_at_most_the_booked_places():
    booking = BookingFactory(places=2)
    coordinator = CoordinatorFactory()
    services.attendance_record(
        booking=booking,
        participants=[("Ana Costa", True), ("Jomon Thomas", False), ("", True)],
        by_user=coordinator,
    )
    assert [(p.name, p.attended) for p in booking.participants.all()] == [
        ("Ana Costa", True),
        ("Jomon Thomas", False),
    ]
    with pytest.raises(ValidationError, match="höchstens so viele"):
        services.attendance_record(
            booking=booking,
            participants=[("A", True), ("B", True), ("C", True)],
            by_user=coordinator,
        )


def test_the_message_reaches_each_address_of_the_interested_companies_once(
    django_capture_on_commit_callbacks,
):
    project = ProjectFactory(title="Jobs für Angehörige")
    owner_user = MembershipFactory(company=project.company).user
    interested, user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    ContactPersonFactory(company=interested, email="b@saarburg.example")  # the same person
    ContactPersonFactory(company=interested, email="personal@saarburg.example")
    InterestFactory(project=project, company=interested)
    paused = CompanyFactory(status=CompanyFactory._meta.model.Status.PAUSED)
    MembershipFactory(company=paused, user__email="paused@example.org")
    InterestFactory(project=project, company=paused)
    ProjectFactory()  # another project's interest would not count
    InterestFactory(company=CompanyFactory())

    with django_capture_on_commit_callbacks(execute=True):
        message = services.message_send(
            project=project,
            subject="Erstes Treffen",
            text="Wir treffen uns am Montag.",
            by_user=owner_user,
        )

    assert (message.companies, message.recipients) == (1, 2)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "b@saarburg.example",
        "personal@saarburg.example",
    ]
    assert all("Wir treffen uns am Montag." in m.body for m in mail.outbox)
    keys = set(OutboxMail.objects.values_list("key", flat=True))
    assert f"cooperation:project:{project.pk}:message:{message.pk}:to:b@saarburg.example" in keys
    assert Message.objects.count() == 1


def test_a_message_without_interested_companies_is_refused():
    with pytest.raises(ValidationError, match="Interesse bekundet"):
        services.message_send(project=ProjectFactory(), subject="Hallo", text="Text", by_user=None)
