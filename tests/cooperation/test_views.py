"""The board's pages as company users and coordinators use them: the board with filters and
pagination, a project's page with places, cost share and waitlist, booking and giving back,
interest, proposals, the owner's message with its confirmation, attendance; another
company's booking does not exist for a user (404), another company's project is not theirs
to change (403)."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from cooperation import services
from cooperation.models import Booking, Interest, Participant, Project
from network_portal.models import ActivityEntry
from tests.cooperation.factories import (
    BookingFactory,
    InterestFactory,
    LanguageCourseFactory,
    ProjectFactory,
)
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

BOARD = reverse("cooperation:board")


def detail(project):
    return reverse("cooperation:detail", args=[project.pk])


def _token(page):
    """The one-time token of a confirmation page."""
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_the_board_lists_projects_with_filters_and_pagination(client, company_user):
    LanguageCourseFactory(title="Deutschkurs B1 im Frühjahr")
    ProjectFactory(title="Stellen für Partner", status=Project.Status.PLANNING)
    for n in range(21):
        ProjectFactory(title=f"Idee {n}", kind=Project.Kind.OTHER)
    client.force_login(company_user)

    page = client.get(BOARD).content.decode()
    assert "Kooperationsbörse" in page
    assert "Seite 1 von 2" in page

    page = client.get(BOARD, {"kind": "language_course"}).content.decode()
    assert "Deutschkurs B1 im Frühjahr" in page
    assert "Stellen für Partner" not in page
    assert "0 von 3 Plätzen gebucht" in page

    page = client.get(BOARD, {"status": "planning"}).content.decode()
    assert "Stellen für Partner" in page
    assert "Deutschkurs" not in page

    page = client.get(BOARD, {"status": "completed"}).content.decode()
    assert "Kein Projekt passt zu diesen Filtern." in page


def test_an_empty_board_invites_the_first_proposal(client, company_user):
    client.force_login(company_user)
    page = client.get(BOARD).content.decode()
    assert "Es gibt noch keine Kooperationsprojekte. Schlagen Sie das erste vor!" in page
    # The main menu leads there (short: „Kooperationen“).
    home = client.get(reverse("home")).content.decode()
    assert f'href="{BOARD}">Kooperationen</a>' in home


def test_a_company_proposes_a_project_and_owns_it(client, company_user, company):
    client.force_login(company_user)
    response = client.post(
        reverse("cooperation:propose"),
        {
            "kind": "language_course",
            "title": "Deutschkurs für Pflegekräfte",
            "description": "Abends, zweimal die Woche.",
            "total_places": "8",
            "max_places_per_company": "3",
            "total_cost": "2400",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    assert (project.company, project.status) == (company, Project.Status.PLANNING)
    page = client.get(detail(project)).content.decode()
    assert "Idee / in Planung" in page
    assert "300,00 €" in page  # cost per place
    assert "Projekt bearbeiten" in page


def test_the_detail_shows_places_cost_share_and_waitlist_position(client):
    course = LanguageCourseFactory(total_places=3, max_places_per_company=2)
    a = CompanyFactory()
    BookingFactory(project=course, company=a, places=2)
    user = MembershipFactory().user
    client.force_login(user)

    page = client.get(detail(course)).content.decode()
    assert "Jeder Platz kostet Ihr Unternehmen 300,00 €" in page
    assert "der Rest kommt auf die Warteliste" in page

    client.post(reverse("cooperation:book", args=[course.pk]), {"places": "2"})
    booking = Booking.objects.get(company=user.membership.company)
    assert (booking.places, booking.waiting_places) == (1, 1)
    response = client.get(detail(course))
    page = response.content.decode()
    assert '<dd class="col-5" id="own-places">1</dd>' in page
    assert '<dd class="col-5" id="own-share">300,00 €</dd>' in page
    assert '<dd class="col-5" id="own-position">1</dd>' in page


def test_booking_reports_the_waitlist(client, company_user):
    course = LanguageCourseFactory(total_places=1)
    BookingFactory(project=course, places=1)
    client.force_login(company_user)
    response = client.post(
        reverse("cooperation:book", args=[course.pk]), {"places": "1"}, follow=True
    )
    assert "1 Platz steht auf der Warteliste" in response.content.decode()


def test_giving_back_confirms_first_and_promotes_with_a_mail(
    client, company_user, company, django_capture_on_commit_callbacks
):
    course = LanguageCourseFactory(total_places=2)
    own = BookingFactory(project=course, company=company, places=2)
    waiting_company = CompanyFactory(name="Saarburger Feinmechanik KG")
    MembershipFactory(company=waiting_company, user__email="b@saarburg.example")
    waiting = BookingFactory(project=course, company=waiting_company, places=0, waiting_places=1)
    waiting.waitlisted_at = waiting.created_at
    waiting.save()
    client.force_login(company_user)
    url = reverse("cooperation:cancel", args=[course.pk, own.pk]) + "?places=1"

    page = client.get(url).content.decode()
    assert "1 gebuchter Platz wird zurückgegeben." in page
    assert "Jedes nachrückende Unternehmen erhält eine E-Mail." in page
    assert Booking.objects.get(pk=own.pk).places == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert (waiting.places, waiting.waiting_places) == (1, 0)
    assert [m.to for m in mail.outbox] == [["b@saarburg.example"]]


def test_another_companys_booking_does_not_exist_for_a_user(client, company_user):
    booking = BookingFactory(places=1)
    client.force_login(company_user)
    url = reverse("cooperation:cancel", args=[booking.project.pk, booking.pk]) + "?places=1"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert Booking.objects.get(pk=booking.pk).places == 1


def test_another_company_cannot_change_a_project(client, company_user):
    project = LanguageCourseFactory()
    booking = BookingFactory(project=project)
    client.force_login(company_user)
    assert client.get(reverse("cooperation:edit", args=[project.pk])).status_code == 403
    assert client.post(reverse("cooperation:edit", args=[project.pk]), {}).status_code == 403
    status = reverse("cooperation:status", args=[project.pk]) + "?status=running"
    assert client.post(status).status_code == 403
    assert client.get(reverse("cooperation:message", args=[project.pk])).status_code == 403
    attendance = reverse("cooperation:attendance", args=[project.pk, booking.pk])
    assert client.get(attendance).status_code == 403
    assert client.get(reverse("cooperation:detail", args=[9999])).status_code == 404
    project.refresh_from_db()
    assert project.status == Project.Status.OPEN


def test_the_owner_changes_the_status_after_a_confirmation(client, company_user, company):
    project = ProjectFactory(company=company, status=Project.Status.OPEN)
    client.force_login(company_user)
    url = reverse("cooperation:status", args=[project.pk]) + "?status=running"
    page = client.get(url).content.decode()
    assert "Das Projekt wechselt von „Offen für Anmeldungen“ zu „Läuft“." in page
    client.post(url)
    project.refresh_from_db()
    assert project.status == Project.Status.RUNNING


def test_interest_is_marked_and_withdrawn(client, company_user):
    project = ProjectFactory()
    client.force_login(company_user)
    url = reverse("cooperation:interest", args=[project.pk])
    page = client.post(url, {"interested": "yes"}, follow=True).content.decode()
    assert "Ihr Unternehmen ist als interessiert vermerkt" in page
    assert "1 Unternehmen ist interessiert." in page
    client.post(url, {"interested": "no"})
    assert not Interest.objects.exists()
    assert client.post(url, {"interested": "vielleicht"}).status_code == 400


def test_the_owner_writes_to_the_interested_companies_after_a_confirmation(
    client, company_user, company, django_capture_on_commit_callbacks
):
    project = ProjectFactory(company=company, title="Jobs für Angehörige")
    for n in range(2):
        interested = CompanyFactory()
        MembershipFactory(company=interested, user__email=f"interessiert{n}@example.org")
        InterestFactory(project=project, company=interested)
    client.force_login(company_user)
    url = reverse("cooperation:message", args=[project.pk])
    data = {"subject": "Erstes Treffen", "text": "Wir treffen uns am Montag um 10 Uhr."}

    page = client.post(url, data).content.decode()
    assert "Diese Nachricht senden?" in page
    assert "2 E-Mails gehen hinaus" in page
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "confirmed": "yes", "token": _token(page)})
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "interessiert0@example.org",
        "interessiert1@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject.endswith("Jobs für Angehörige: Erstes Treffen")
    assert "Wir treffen uns am Montag um 10 Uhr." in message.body
    assert "Moselblick Pflege GmbH als Träger schreibt" in message.body


def test_coordinators_record_attendance_and_the_company_sees_it(
    coordinator_client, company_user, company
):
    client = coordinator_client
    course = LanguageCourseFactory()
    booking = BookingFactory(project=course, company=company, places=2)
    url = reverse("cooperation:attendance", args=[course.pk, booking.pk])
    page = client.get(url).content.decode()
    assert "Teilnahme erfassen" in page
    client.post(
        url,
        {
            "p-TOTAL_FORMS": "2",
            "p-INITIAL_FORMS": "2",
            "p-0-name": "Ana Costa",
            "p-0-attended": "on",
            "p-1-name": "Jomon Thomas",
        },
    )
    assert list(Participant.objects.values_list("name", "attended")) == [
        ("Ana Costa", True),
        ("Jomon Thomas", False),
    ]
    client.force_login(company_user)
    page = client.get(detail(course)).content.decode()
    assert 'Ana Costa: <span class="text-success">teilgenommen</span>' in page
    assert "Jomon Thomas: nicht teilgenommen" in page


def test_my_cooperations_lists_own_interested_and_booked_projects(client, company_user, company):
    own = ProjectFactory(company=company, title="Eigenes Projekt")
    interested = InterestFactory(company=company, project__title="Mit Interesse").project
    booked = BookingFactory(company=company, project__title="Gebuchter Kurs").project
    ProjectFactory(title="Fremdes Projekt")
    client.force_login(company_user)
    page = client.get(reverse("cooperation:mine")).content.decode()
    for project in (own, interested, booked):
        assert project.title in page
    assert "Fremdes Projekt" not in page


@pytest.mark.parametrize("n", [1, 12])
def test_board_query_count_is_constant(client, company_user, django_assert_num_queries, n):
    for i in range(n):
        course = LanguageCourseFactory()
        BookingFactory(project=course)
        InterestFactory(project=course)
        ProjectFactory(company=None if i % 2 else CompanyFactory())
    client.force_login(company_user)
    # session, user with company account and company, count, projects with figures
    with django_assert_num_queries(4):
        response = client.get(BOARD)
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 8])
def test_detail_query_count_is_constant(client, django_assert_num_queries, n):
    course = LanguageCourseFactory(total_places=20, max_places_per_company=2)
    owner_user = MembershipFactory(company=course.company).user
    for i in range(n):
        booking = BookingFactory(project=course, places=2)
        Participant.objects.create(booking=booking, name=f"Person {i}", attended=True)
        InterestFactory(project=course)
        services.interest_mark(project=course, company=booking.company, by_user=None)
    BookingFactory(project=course, company=course.company, places=1)
    client.force_login(owner_user)
    with django_assert_num_queries(10):
        response = client.get(detail(course))
    assert response.context["project"].booked == 2 * n + 1
    assert response.context["project"].cost_per_place == Decimal("45.00")


def test_a_second_post_of_the_confirmed_message_sends_nothing(
    client, company_user, company, django_capture_on_commit_callbacks
):
    project = ProjectFactory(company=company)
    interested = CompanyFactory()
    MembershipFactory(company=interested, user__email="interessiert@example.org")
    InterestFactory(project=project, company=interested)
    client.force_login(company_user)
    url = reverse("cooperation:message", args=[project.pk])
    data = {"subject": "Erstes Treffen", "text": "Wir treffen uns am Montag."}
    confirmed = {
        **data,
        "confirmed": "yes",
        "token": _token(client.post(url, data).content.decode()),
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, confirmed)
        second = client.post(url, confirmed)

    assert (first.status_code, second.status_code) == (302, 302)
    assert project.messages.count() == 1
    assert [message.to for message in mail.outbox] == [["interessiert@example.org"]]
    assert ActivityEntry.objects.filter(action="cooperation.project.message_sent").count() == 1
    # Without a token the confirmation page comes again; nothing is sent.
    page = client.post(url, {**data, "confirmed": "yes"}).content.decode()
    assert "Diese Nachricht senden?" in page
    assert project.messages.count() == 1


def test_the_board_shows_open_and_running_first_then_planning_then_completed(client, company_user):
    titles = [
        ("Abgeschlossen alt", Project.Status.COMPLETED),
        ("Laufend alt", Project.Status.RUNNING),
        ("Geplante Fahrgemeinschaft", Project.Status.PLANNING),
        ("Offen neu", Project.Status.OPEN),
        ("Abgeschlossen neu", Project.Status.COMPLETED),
    ]
    for title, status in titles:
        ProjectFactory(title=title, status=status)
    client.force_login(company_user)

    page = client.get(BOARD).content.decode()

    positions = [
        page.index(title)
        for title in (
            "Offen neu",
            "Laufend alt",
            "Geplante Fahrgemeinschaft",
            "Abgeschlossen neu",
            "Abgeschlossen alt",
        )
    ]
    assert positions == sorted(positions)


def test_the_share_on_the_cancel_page_follows_the_language():
    from cooperation.views.bookings import _cancel_confirmation

    course = LanguageCourseFactory(total_places=2, total_cost=Decimal("4000.00"))
    booking = BookingFactory(project=course, places=2)
    with translation.override("en"):
        english = " ".join(str(text) for text in _cancel_confirmation(booking, 1).consequences)
    with translation.override("de"):
        german = " ".join(str(text) for text in _cancel_confirmation(booking, 1).consequences)
    assert "2,000.00 EUR" in english
    assert "2.000,00 EUR" in german
