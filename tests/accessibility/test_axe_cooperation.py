"""axe-core on the cooperation board's pages: the board, „Meine Kooperationen“, a proposal with
errors, a language course as the owner and as a company on the waitlist, and the
confirmations (giving back places, a status step, a message to the interested companies),
and the attendance form."""

import pytest
from playwright.sync_api import expect

from cooperation import services
from tests.accessibility.conftest import assert_no_axe_violations
from tests.cooperation.factories import InterestFactory, LanguageCourseFactory, ProjectFactory
from tests.factories import CompanyFactory, MembershipFactory
from tests.mfa import browser_log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe"),
]

PASSWORD = "geheim-123-trier"


def check(page, path, heading):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_no_axe_violations(page)


def test_cooperation_pages(page, live_server, settings):
    settings.SITE_URL = live_server.url
    owner = CompanyFactory(name="Moselblick Pflege GmbH")
    owner_user = MembershipFactory(company=owner, user__email="a@moselblick.example").user
    other = CompanyFactory(name="Saarburger Feinmechanik KG")
    other_user = MembershipFactory(company=other, user__email="b@saarburg.example").user
    course = LanguageCourseFactory(
        company=owner, title="Deutschkurs B1", total_places=3, max_places_per_company=2
    )
    ProjectFactory(title="Jobs für Angehörige", company=None)
    own = services.booking_book(project=course, company=owner, places=2, by_user=owner_user)
    services.booking_book(project=course, company=other, places=2, by_user=other_user)
    InterestFactory(project=course, company=other)
    services.attendance_record(
        booking=own, participants=[("Ana Costa", True), ("Jomon Thomas", False)], by_user=None
    )

    browser_log_in(page, owner_user.email, PASSWORD)
    check(page, "/cooperation/", "Kooperationsbörse")
    check(page, "/cooperation/?kind=other", "Kooperationsbörse")  # the empty state
    check(page, "/cooperation/mine/", "Meine Kooperationen")
    check(page, f"/cooperation/{course.pk}/", "Deutschkurs B1")
    check(page, f"/cooperation/{course.pk}/edit/", "Projekt bearbeiten")
    check(page, f"/cooperation/{course.pk}/status/?status=running", "Status des Projekts ändern")
    check(page, f"/cooperation/{course.pk}/bookings/{own.pk}/attendance/", "Teilnahme erfassen")
    check(
        page, f"/cooperation/{course.pk}/bookings/{own.pk}/cancel/?places=1", "Plätze zurückgeben"
    )
    check(page, f"/cooperation/{course.pk}/message/", "An die interessierten Unternehmen")
    page.fill("#id_subject", "Erster Termin")
    page.fill("#id_text", "Wir beginnen am Dienstag.")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Diese Nachricht senden?")
    assert_no_axe_violations(page)

    check(page, "/cooperation/propose/", "Kooperationsprojekt vorschlagen")
    page.get_by_role("button", name="Projekt vorschlagen").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)


def test_the_course_as_a_company_on_the_waitlist(page, live_server, settings):
    settings.SITE_URL = live_server.url
    course = LanguageCourseFactory(title="Deutschkurs B1", total_places=1)
    services.booking_book(project=course, company=CompanyFactory(), places=1, by_user=None)
    company = CompanyFactory(name="Saarburger Feinmechanik KG")
    user = MembershipFactory(company=company, user__email="b@saarburg.example").user
    services.booking_book(project=course, company=company, places=1, by_user=user)

    browser_log_in(page, user.email, PASSWORD)
    check(page, f"/cooperation/{course.pk}/", "Deutschkurs B1")
    expect(page.locator("#own-position")).to_have_text("1")
