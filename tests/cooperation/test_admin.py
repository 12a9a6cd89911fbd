"""The coordinators' screens: projects with their filters, the status steps as actions with a
confirmation page, a project of the coordinators created in the admin, read-only bookings."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cooperation.models import Booking, Project
from network_portal.models import ActivityEntry
from tests.cooperation.factories import (
    BookingFactory,
    InterestFactory,
    LanguageCourseFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:cooperation_project_changelist")


def test_the_list_filters_by_kind_status_and_owner(coordinator_client):
    LanguageCourseFactory(title="Deutschkurs B1")
    ProjectFactory(title="Jobs der Wirtschaftsförderung", company=None)
    page = coordinator_client.get(CHANGELIST, {"owner": "coordinators"}).content.decode()
    assert "Jobs der Wirtschaftsförderung" in page
    assert "Deutschkurs B1" not in page
    page = coordinator_client.get(CHANGELIST, {"kind__exact": "language_course"}).content.decode()
    assert "Deutschkurs B1" in page
    assert "Jobs der Wirtschaftsförderung" not in page
    page = coordinator_client.get(CHANGELIST, {"status__exact": "open"}).content.decode()
    assert "Deutschkurs B1" in page


def test_a_status_step_asks_first_and_skips_projects_that_cannot_take_it(coordinator_client):
    running = ProjectFactory(title="Läuft schon", status=Project.Status.RUNNING)
    planning = ProjectFactory(title="In Planung", status=Project.Status.PLANNING)
    data = {"action": "open_project", "_selected_action": [running.pk, planning.pk]}

    page = coordinator_client.post(CHANGELIST, data).content.decode()
    assert "Member companies" not in page
    assert "Mitgliedsunternehmen können ab jetzt teilnehmen und Plätze buchen." in page
    assert "In Planung" in page
    assert "Läuft schon" not in page
    planning.refresh_from_db()
    assert planning.status == Project.Status.PLANNING

    coordinator_client.post(CHANGELIST, {**data, "post": "yes"})
    planning.refresh_from_db()
    running.refresh_from_db()
    assert (planning.status, running.status) == (Project.Status.OPEN, Project.Status.RUNNING)
    entry = ActivityEntry.objects.get(action="cooperation.project.status_changed")
    assert entry.details == {"status": ["planning", "open"]}


def test_coordinators_create_their_own_project(coordinator_client, coordinator):
    response = coordinator_client.post(
        reverse("admin:cooperation_project_add"),
        {
            "kind": "family_jobs",
            "title": "Jobs für Angehörige",
            "description": "Die Wirtschaftsförderung sammelt Stellen.",
            "company": "",
            "contact_name": "",
            "contact_email": "",
            "contact_phone": "",
            "total_places": "",
            "max_places_per_company": "",
            "total_cost": "",
            "starts_on": "",
            "schedule": "",
        },
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.company, project.status) == (None, Project.Status.PLANNING)
    entry = ActivityEntry.objects.get(action="cooperation.project.created")
    assert entry.actor == coordinator


def test_fewer_places_than_booked_are_refused_in_the_admin(coordinator_client):
    course = LanguageCourseFactory(total_places=3)
    BookingFactory(project=course, places=2)
    url = reverse("admin:cooperation_project_change", args=[course.pk])
    response = coordinator_client.post(
        url,
        {
            "kind": course.kind,
            "title": course.title,
            "description": course.description,
            "company": course.company.pk,
            "total_places": "1",
            "max_places_per_company": "1",
            "total_cost": "900",
        },
    )
    assert response.status_code == 200
    assert "Es sind bereits 2 Plätze gebucht" in response.content.decode()
    course.refresh_from_db()
    assert course.total_places == 3


def test_bookings_and_interest_are_records(coordinator_client):
    booking = BookingFactory(places=2)
    interest = InterestFactory()
    assert coordinator_client.get(reverse("admin:cooperation_booking_add")).status_code == 403
    page = coordinator_client.get(
        reverse("admin:cooperation_booking_change", args=[booking.pk])
    ).content.decode()
    assert booking.company.name in page
    assert (
        "600,00 €"
        in coordinator_client.get(reverse("admin:cooperation_booking_changelist")).content.decode()
    )
    assert (
        coordinator_client.get(
            reverse("admin:cooperation_interest_delete", args=[interest.pk])
        ).status_code
        == 403
    )
    assert Booking.objects.count() == 1


def test_the_share_in_the_booking_list_follows_the_language():
    from django.contrib import admin

    course = LanguageCourseFactory(total_places=3, total_cost=Decimal("3000.00"))
    booking = BookingFactory(project=course, places=2)
    booking_admin = admin.site._registry[Booking]
    with translation.override("en"):
        assert booking_admin.cost(booking) == "2,000.00 €"
    with translation.override("de"):
        assert booking_admin.cost(booking) == "2.000,00 €"
