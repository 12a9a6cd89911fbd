"""The waitlist's order and who moves up: no company passes those that started waiting
after it, companies no longer members keep waiting, each promotion is logged and mailed
once, and nothing moves up once the course runs."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperation import selectors, services
from cooperation.models import Booking, Project
from members.models import Company
from network_portal.models import ActivityEntry, OutboxMail
from tests.cooperation.factories import LanguageCourseFactory
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _company_with_user(name, email):
    company = CompanyFactory(name=name)
    user = MembershipFactory(company=company, user__email=email).user
    return company, user


def test_a_waiting_company_cannot_ask_for_more_places_and_pass_later_companies():
    course = LanguageCourseFactory(total_places=2, max_places_per_company=2)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    c, c_user = _company_with_user("Porta Digital UG", "c@porta.example")
    services.booking_book(project=course, company=a, places=2, by_user=a_user)
    waiting_b = services.booking_book(project=course, company=b, places=1, by_user=b_user)
    waiting_c = services.booking_book(project=course, company=c, places=1, by_user=c_user)

    with pytest.raises(ValidationError, match="wartet bereits auf 1 Platz"):
        services.booking_book(project=course, company=b, places=1, by_user=b_user)

    waiting_b.refresh_from_db()
    assert waiting_b.waiting_places == 1
    assert selectors.waitlist_position(waiting_b) == 1
    assert selectors.waitlist_position(waiting_c) == 2


def test_a_company_that_gave_back_its_waiting_places_queues_behind_the_others():
    course = LanguageCourseFactory(total_places=2, max_places_per_company=2)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    c, c_user = _company_with_user("Porta Digital UG", "c@porta.example")
    services.booking_book(project=course, company=a, places=2, by_user=a_user)
    waiting_b = services.booking_book(project=course, company=b, places=1, by_user=b_user)
    waiting_c = services.booking_book(project=course, company=c, places=1, by_user=c_user)
    services.booking_cancel(booking=waiting_b, places=1, by_user=b_user)

    waiting_b = services.booking_book(project=course, company=b, places=2, by_user=b_user)

    assert selectors.waitlist_position(waiting_c) == 1
    assert selectors.waitlist_position(waiting_b) == 2


def test_companies_no_longer_members_keep_waiting_and_the_next_moves_up(
    django_capture_on_commit_callbacks,
):
    course = LanguageCourseFactory(total_places=1, max_places_per_company=1)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    c, c_user = _company_with_user("Porta Digital UG", "c@porta.example")
    booking_a = services.booking_book(project=course, company=a, places=1, by_user=a_user)
    waiting_b = services.booking_book(project=course, company=b, places=1, by_user=b_user)
    waiting_c = services.booking_book(project=course, company=c, places=1, by_user=c_user)
    Company.objects.filter(pk=b.pk).update(status=Company.Status.LEFT)

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking_a, places=1, by_user=a_user)

    waiting_b.refresh_from_db()
    waiting_c.refresh_from_db()
    assert (waiting_b.places, waiting_b.waiting_places) == (0, 1)
    assert (waiting_c.places, waiting_c.waiting_places) == (1, 0)
    assert [message.to for message in mail.outbox] == [["c@porta.example"]]


def test_each_promotion_is_logged_and_mailed_once_per_promotion(
    django_capture_on_commit_callbacks,
):
    course = LanguageCourseFactory(total_places=2, max_places_per_company=2)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    c, c_user = _company_with_user("Porta Digital UG", "c@porta.example")
    booking_a = services.booking_book(project=course, company=a, places=2, by_user=a_user)
    waiting_b = services.booking_book(project=course, company=b, places=1, by_user=b_user)
    waiting_c = services.booking_book(project=course, company=c, places=1, by_user=c_user)

    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=booking_a, places=2, by_user=a_user)

    entries = ActivityEntry.objects.filter(action="cooperation.booking.promoted").order_by("pk")
    assert [(entry.object_id, entry.details) for entry in entries] == [
        (str(waiting_b.pk), {"places": [0, 1], "waiting_places": [1, 0]}),
        (str(waiting_c.pk), {"places": [0, 1], "waiting_places": [1, 0]}),
    ]
    assert all(entry.actor == a_user for entry in entries)
    keys = sorted(OutboxMail.objects.values_list("key", flat=True))
    assert keys == sorted(
        f"cooperation:project:{course.pk}:booking:{booking.pk}:promoted:{entry.pk}:user:{user.pk}"
        for booking, entry, user in [
            (waiting_b, entries[0], b_user),
            (waiting_c, entries[1], c_user),
        ]
    )
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("status", [Project.Status.RUNNING, Project.Status.COMPLETED])
def test_nothing_moves_up_once_the_course_runs(status):
    course = LanguageCourseFactory(total_places=1, max_places_per_company=1)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    services.booking_book(project=course, company=a, places=1, by_user=a_user)
    waiting_b = services.booking_book(project=course, company=b, places=1, by_user=b_user)
    Project.objects.filter(pk=course.pk).update(status=status)
    # A's participant did not come; the place is free, but the course runs already.
    Booking.objects.filter(project=course, company=a).update(places=0)
    course.refresh_from_db()
    course.title = "Deutschkurs B1, neuer Raum"

    services.project_save(project=course, by_user=None, changed=["title"])

    waiting_b.refresh_from_db()
    assert (waiting_b.places, waiting_b.waiting_places) == (0, 1)
    assert not ActivityEntry.objects.filter(action="cooperation.booking.promoted").exists()
    course.refresh_from_db()
    assert course.title == "Deutschkurs B1, neuer Raum"


def test_a_waiting_company_is_told_when_it_can_ask_for_more(client):
    course = LanguageCourseFactory(total_places=1, max_places_per_company=2)
    a, a_user = _company_with_user("Moselblick Pflege GmbH", "a@moselblick.example")
    b, b_user = _company_with_user("Saarburger Feinmechanik KG", "b@saarburg.example")
    services.booking_book(project=course, company=a, places=1, by_user=a_user)
    services.booking_book(project=course, company=b, places=1, by_user=b_user)
    client.force_login(b_user)

    page = client.get(reverse("cooperation:detail", args=[course.pk])).content.decode()

    assert "sobald seine Plätze auf der Warteliste nachgerückt sind" in page
    assert 'name="places" id="id_places"' not in page
