"""Changes to a project: only the form's fields reach the stored project (a status step taken
meanwhile stays), and places and cost stay fixed once the project runs, on the board and in
the admin."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperation import services
from cooperation.forms import ProjectForm
from cooperation.models import Project
from tests.cooperation.factories import BookingFactory, LanguageCourseFactory

pytestmark = pytest.mark.django_db


def _form_data(project, **changes):
    data = {
        "kind": project.kind,
        "title": project.title,
        "description": project.description,
        "contact_name": "",
        "contact_email": "",
        "contact_phone": "",
        "total_places": project.total_places or "",
        "max_places_per_company": project.max_places_per_company or "",
        "total_cost": project.total_cost if project.total_cost is not None else "",
        "starts_on": "",
        "schedule": project.schedule,
    }
    return {**data, **changes}


def test_a_status_step_taken_while_the_owner_edits_stays():
    course = LanguageCourseFactory(status=Project.Status.OPEN)
    form = ProjectForm(_form_data(course, title="Deutschkurs B1, neuer Raum"), instance=course)
    assert form.is_valid(), form.errors
    # Meanwhile the coordinators mark the course as running.
    services.project_set_status(project=course, status=Project.Status.RUNNING, by_user=None)

    services.project_save(project=form.instance, by_user=None, changed=form.changed_data)

    course.refresh_from_db()
    assert (course.title, course.status) == ("Deutschkurs B1, neuer Raum", Project.Status.RUNNING)


@pytest.mark.parametrize("status", [Project.Status.RUNNING, Project.Status.COMPLETED])
@pytest.mark.parametrize(
    "change", [{"total_places": 4}, {"total_cost": Decimal("1200.00")}], ids=["places", "cost"]
)
def test_places_and_cost_stay_once_the_project_runs(status, change):
    course = LanguageCourseFactory(status=status, total_places=3, total_cost=Decimal("900.00"))
    for name, value in change.items():
        setattr(course, name, value)

    with pytest.raises(ValidationError, match="Plätze und seine Gesamtkosten"):
        services.project_save(project=course, by_user=None, changed=list(change))

    course.refresh_from_db()
    assert (course.total_places, course.total_cost) == (3, Decimal("900.00"))


def test_places_may_change_while_the_course_is_open():
    course = LanguageCourseFactory(status=Project.Status.OPEN, total_places=3)
    course.total_places = 4
    services.project_save(project=course, by_user=None, changed=["total_places"])
    course.refresh_from_db()
    assert course.total_places == 4


def test_the_owner_is_told_that_places_stay_once_the_course_runs(client, company_user, company):
    course = LanguageCourseFactory(company=company, status=Project.Status.RUNNING, total_places=3)
    client.force_login(company_user)
    url = reverse("cooperation:edit", args=[course.pk])

    response = client.post(url, _form_data(course, total_places=5))

    assert response.status_code == 200
    assert "lassen sich nicht mehr ändern" in response.content.decode()
    course.refresh_from_db()
    assert course.total_places == 3


def test_the_admin_refuses_new_places_for_a_running_course_without_an_error_page(
    coordinator_client,
):
    course = LanguageCourseFactory(status=Project.Status.RUNNING, total_places=3)
    BookingFactory(project=course, places=2)
    url = reverse("admin:cooperation_project_change", args=[course.pk])

    response = coordinator_client.post(
        url, {**_form_data(course, total_places=5), "company": course.company.pk}
    )

    assert response.status_code == 200
    assert "lassen sich nicht mehr ändern" in response.content.decode()
    course.refresh_from_db()
    assert course.total_places == 3


def test_the_admin_changes_the_owner_and_keeps_the_status(coordinator_client):
    course = LanguageCourseFactory(status=Project.Status.RUNNING)
    other = BookingFactory(project=course).company
    url = reverse("admin:cooperation_project_change", args=[course.pk])

    response = coordinator_client.post(url, {**_form_data(course), "company": other.pk})

    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.company, course.status) == (other, Project.Status.RUNNING)
