"""axe-core finds no WCAG 2.0/2.1 A or AA violation on the portal's pages (BITV 2.0).

Pages are checked as a person sees them: logged in where needed, after answering, and with
the errors a wrong form submission shows.
"""

import re

import pytest
from playwright.sync_api import expect

from meetings import services as meeting_services
from meetings.models import Registration
from tests.accessibility.conftest import assert_no_axe_violations
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.mfa import browser_log_in
from tests.newsletter.factories import PublicListFactory
from tests.seal.factories import AwardCycleFactory, CategoryFactory, CriterionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe"),
]

PASSWORD = "geheim-123-trier"


def check(page, path, heading):
    """Open ``path``, make sure it is the page meant (not an error or a redirect), run axe."""
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_no_axe_violations(page)


@pytest.mark.usefixtures("legal_pages")
def test_public_pages(page, live_server, settings):
    settings.SITE_URL = live_server.url
    PublicListFactory(name="Fachkräfte-Newsletter")
    AwardCycleFactory(name="2027", slug="2027")
    MeetingFactory(title="Netzwerktreffen Herbst")  # the start page announces it

    check(page, "/", "Netzwerk „Attraktive Unternehmen Trier“")
    check(page, "/accounts/login/", "Anmelden")
    check(page, "/accounts/signup/", "Registrieren")
    check(page, "/seal/", "Das Siegel „Mein Top Job Trier“")
    check(page, "/members/directory/", "Unternehmen im Netzwerk")
    check(page, "/newsletter/subscribe/", "Newsletter")
    check(page, "/newsletter/archive/", "Newsletter")
    check(page, "/impressum/", "Impressum")
    check(page, "/datenschutz/", "Datenschutz")
    check(page, "/barrierefreiheit/", "Erklärung zur Barrierefreiheit")


def test_forms_with_errors(page, live_server, settings):
    settings.SITE_URL = live_server.url
    PublicListFactory(name="Fachkräfte-Newsletter")

    page.goto("/accounts/login/")
    page.fill("#id_login", "niemand@example.org")
    page.fill("#id_password", "falsch-falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(".alert-danger, .invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/accounts/signup/")
    page.fill("#id_email", "kein-gueltiger-name")
    page.fill("#id_password1", "kurz")
    page.fill("#id_password2", "anders")
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)

    page.goto("/newsletter/subscribe/")
    page.get_by_role("button", name=re.compile("Anmelden|Abonnieren")).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)


def test_company_registration(page, live_server, settings):
    settings.SITE_URL = live_server.url
    user = UserFactory(email="katrin.lenz@saarblick.example")

    browser_log_in(page, user.email, PASSWORD)
    check(page, "/", "Netzwerk „Attraktive Unternehmen Trier“")
    check(page, "/members/welcome/", "Willkommen")
    check(page, "/members/register/", "Unternehmen registrieren")
    page.get_by_role("button", name="Registrierung absenden").click()  # everything empty
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)


def test_meetings_and_answer_form_as_company_user(page, live_server, settings):
    settings.SITE_URL = live_server.url
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    user = MembershipFactory(company=company, user__email="petra@moselblick.example").user
    ContactPersonFactory(company=company, first_name="Lea", last_name="Kaspari")
    meeting = MeetingFactory(title="Netzwerktreffen Herbst: KI im Recruiting")
    MeetingFactory(title="Netzwerktreffen Frühjahr", starts_at=meeting.starts_at.replace(year=2025))

    browser_log_in(page, user.email, PASSWORD)
    check(page, "/meetings/", "Netzwerktreffen")
    check(page, f"/meetings/{meeting.slug}/", meeting.title)  # before answering

    page.get_by_role("button", name="Ich nehme teil").click()
    expect(page.get_by_text("Vielen Dank, Sie sind angemeldet.")).to_be_visible()
    assert Registration.objects.filter(meeting=meeting, email=user.email).exists()
    assert_no_axe_violations(page)  # the answer, the company's registrations, colleague form

    page.get_by_role("button", name="Anmelden", exact=True).last.click()  # nobody chosen
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    assert_no_axe_violations(page)

    # A full meeting: the answer puts the user on the waitlist (a yellow notice in Bootstrap).
    full = MeetingFactory(title="Netzwerktreffen Winter", capacity=1)
    RegistrationFactory(meeting=full)
    page.goto(f"/meetings/{full.slug}/")
    page.get_by_role("button", name="Ich nehme teil").click()
    expect(page.locator("aside").get_by_text("Sie stehen auf der Warteliste")).to_be_visible()
    assert_no_axe_violations(page)

    check(page, "/meetings/topics/", "Themenvorschläge")
    check(page, "/members/", "Mitgliederverzeichnis")


def test_one_click_rsvp_page(page, live_server, settings):
    settings.SITE_URL = live_server.url
    contact = ContactPersonFactory(email="jonas@olewig.example")
    meeting = MeetingFactory()
    yes = meeting_services.rsvp_url(meeting=meeting, attending=True, contact=contact)

    page.goto(yes)  # the page shows the meeting and waits for the person's click
    expect(page.get_by_role("heading", name="Zusage bestätigen")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Zusage bestätigen").click()
    expect(page.get_by_role("heading", name="Vielen Dank!")).to_be_visible()
    assert_no_axe_violations(page)

    check(page, "/meetings/rsvp/kaputt/", "Ihre Antwort")  # an invalid link


def test_seal_application_as_company_admin(page, live_server, settings):
    settings.SITE_URL = live_server.url
    cycle = AwardCycleFactory(name="2027", slug="2027")
    category = CategoryFactory(cycle=cycle, name="Aus- und Weiterbildung")
    CriterionFactory(category=category, question="Wie planen Sie Weiterbildung?")
    CriterionFactory(
        category=category, question="Wie binden Sie Auszubildende?", evidence_required=True
    )
    admin = CompanyAdminFactory(user__email="chefin@saarblick.example").user
    colleague = MembershipFactory(company=admin.membership.company)

    browser_log_in(page, admin.email, PASSWORD)
    check(page, "/members/company/", admin.membership.company.name)
    # The shared confirmation page of irreversible actions.
    check(page, f"/members/company/accounts/{colleague.pk}/remove/", "Zugang entfernen")
    check(page, "/seal/", "Das Siegel „Mein Top Job Trier“")
    check(page, "/seal/application/", "Bewerbung")
    page.get_by_role("button", name="Bewerbung beginnen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aus- und Weiterbildung")
    assert_no_axe_violations(page)  # the first step with its questions and uploads

    page.get_by_role("button", name="Speichern und zur Übersicht").click()  # nothing answered
    assert_no_axe_violations(page)
    page.goto("/seal/application/")
    expect(page.get_by_text("0 von 2 Kriterien vollständig")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.usefixtures("legal_pages")
def test_pages_in_english(page, live_server, settings):
    settings.SITE_URL = live_server.url
    page.goto("/")
    page.select_option("#language-select", "en")
    page.get_by_role("button", name="Wechseln").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    check(page, "/", "“Attraktive Unternehmen Trier” network")
    check(page, "/accounts/login/", "Log in")
    check(page, "/seal/", "The seal “Mein Top Job Trier”")
    check(page, "/barrierefreiheit/", "Erklärung zur Barrierefreiheit")


def test_the_check_reports_what_is_wrong(page):
    """The assertion fails, naming rule and element, when a page breaks a rule (so a green run
    means axe ran and found nothing, not that it never ran)."""
    page.goto("/")
    page.evaluate(
        """() => {
            const field = document.createElement("input");
            field.id = "unlabelled";
            document.querySelector("main").append(field);
        }"""
    )
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_no_axe_violations(page)
    assert "- label (critical): Form elements must have labels" in str(failure.value)
    assert '["#unlabelled"]' in str(failure.value)
