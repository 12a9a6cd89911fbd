"""The demo shows the board: a language course with bookings and a waitlist, and the
coordinators' family-jobs project with interested companies; seeding twice adds nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cooperation.models import Booking, Interest, Project
from cooperation.selectors import free_places, waitlist_position

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_language_course_and_a_family_jobs_project(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (Project.objects.count(), Booking.objects.count(), Interest.objects.count())
    call_command("seed_demo")
    assert (Project.objects.count(), Booking.objects.count(), Interest.objects.count()) == counts

    course = Project.objects.get(kind=Project.Kind.LANGUAGE_COURSE)
    jobs = Project.objects.get(kind=Project.Kind.FAMILY_JOBS)
    assert course.company.name == "Moselblick Pflege GmbH"
    assert jobs.company is None
    assert free_places(course) == 0
    waiting = Booking.objects.waiting().get(project=course)
    assert waitlist_position(waiting) == 1
    assert jobs.interests.count() == 4

    user = course.company.memberships.first().user
    client.force_login(user)
    page = client.get(reverse("cooperation:detail", args=[course.pk])).content.decode()
    assert "Gemeinsamer Deutschkurs B1" in page
    assert "480,00 €" in page  # 2,880 € for 6 places
