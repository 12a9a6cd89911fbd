"""axe-core finds no WCAG 2.0/2.1 A or AA violation on the internship pages: the public page
„Praktikumsplätze“ (with offers and empty), the company's offers with the form showing its
errors and the withdrawal's confirmation, and the coordinators' placement screen with the
confirmation before the lists go out."""

import pytest
from playwright.sync_api import expect

from tests.accessibility.conftest import assert_no_axe_violations
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    MembershipFactory,
)
from tests.internships.factories import (
    InternshipOfferFactory,
    PlacementFactory,
    PupilFactory,
    SchoolStayFactory,
)
from tests.mfa import browser_log_in, enroll_totp

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


def test_public_and_company_pages(page, live_server, settings):
    settings.SITE_URL = live_server.url
    company = CompanyFactory(name="Moselblick Pflege GmbH", website="https://moselblick.example")
    user = MembershipFactory(company=company).user
    ContactPersonFactory(company=company)
    offer = InternshipOfferFactory(company=company, field="care", field_detail="Altenpflege")
    InternshipOfferFactory(field="it")
    PlacementFactory(offer=offer, sent_at=offer.created_at)

    check(page, "/internships/", "Praktikumsplätze")
    check(page, "/internships/?field=crafts", "Praktikumsplätze")  # nothing offered

    browser_log_in(page, user.email, PASSWORD)
    check(page, "/internships/offers/", "Praktikumsplätze für Schülerinnen und Schüler")
    check(page, f"/internships/offers/{offer.pk}/withdraw/", "Praktikumsangebot zurückziehen?")
    check(page, "/internships/offers/new/", "Praktikumsplätze anbieten")
    page.locator("#id_periods-0-starts_on").fill("2027-06-30")
    page.locator("#id_periods-0-ends_on").fill("2027-06-01")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Der Zeitraum endet, bevor er beginnt.")).to_be_visible()
    assert_no_axe_violations(page)


def test_placement_screen_and_send_confirmation(page):
    coordinator = CoordinatorFactory(email="koordination@example.org")
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    stay = SchoolStayFactory()
    InternshipOfferFactory(company=CompanyFactory(name="Porta Digital UG"), field="it")
    PupilFactory(stay=stay, first_name="Jon", last_name="Garay")
    PlacementFactory(pupil=PupilFactory(stay=stay, first_name="Ane", last_name="Garay"))

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        check(page, f"/admin/internships/schoolstay/{stay.pk}/placements/", "Zuteilung")
    page.set_viewport_size({"width": 1280, "height": 900})
    check(page, f"/admin/internships/schoolstay/{stay.pk}/send/", "Zuteilung an die Unternehmen")
