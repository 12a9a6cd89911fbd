"""axe-core finds no WCAG 2.0/2.1 A or AA violation on the pages of expertise and speakers:
„Was wir teilen“ (empty, the form with its errors, the list, the removal's confirmation), the
asked person's answer page (open and answered), and the coordinators' „Passende Angebote“, the
request's form and its confirmation, and the withdrawal's confirmation."""

import pytest
from playwright.sync_api import expect

from meetings import services as meeting_services
from tests.accessibility.conftest import assert_no_axe_violations
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    ExpertiseOfferFactory,
    ExpertiseTopicFactory,
    MembershipFactory,
)
from tests.meetings.factories import MeetingFactory
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


def test_what_we_share_as_company_user(page, live_server, settings):
    settings.SITE_URL = live_server.url
    ExpertiseTopicFactory(name="Ausbildung in Teilzeit")
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    ContactPersonFactory(company=company, first_name="Anna", last_name="Schmitt")
    user = MembershipFactory(company=company, user__email="petra@moselblick.example").user

    browser_log_in(page, user.email, PASSWORD)
    check(page, "/members/company/expertise/", "Was wir teilen")  # the empty state
    check(page, "/members/company/expertise/add/", "Angebot hinzufügen")
    page.get_by_label("Ein Treffen ausrichten").check()
    page.get_by_role("button", name="Speichern").click()  # no room, no seats
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_label("Bericht aus der Praxis").check()
    page.get_by_label("Ausbildung in Teilzeit").check()
    page.get_by_label("Ansprechperson für dieses Angebot").select_option(label="Anna Schmitt")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Ihr Angebot wurde gespeichert.")).to_be_visible()
    assert_no_axe_violations(page)  # the list with the offer

    page.get_by_role("link", name="Entfernen: Bericht aus der Praxis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Angebot entfernen")
    assert_no_axe_violations(page)


def test_the_speaker_answer_page(page, live_server, settings):
    settings.SITE_URL = live_server.url
    offer = ExpertiseOfferFactory(company=CompanyFactory(name="Moselblick Pflege GmbH"))
    speaker_request = meeting_services.speaker_request_create(
        meeting=MeetingFactory(title="Ausbildung neu denken"),
        contact=offer.contact,
        talk_title="Ausbildung in Teilzeit",
        message="Die Mitglieder fragen oft danach.",
        offer=offer,
        by_user=CoordinatorFactory(),
    )
    page.goto(meeting_services.speaker_request_url(speaker_request, accept=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anfrage für einen Beitrag")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Zusagen").click()
    expect(page.get_by_role("heading", name="Vielen Dank!")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_coordinators_pages(page, live_server, settings):
    settings.SITE_URL = live_server.url
    coordinator = CoordinatorFactory(email="koordination@example.org")
    topic = ExpertiseTopicFactory(name="Ausbildung in Teilzeit")
    offer = ExpertiseOfferFactory(
        company=CompanyFactory(name="Moselblick Pflege GmbH"), topics=[topic]
    )
    ExpertiseOfferFactory(kind="host", room="Kantine, EG", seats=40)
    meeting = MeetingFactory(title="Ausbildung neu denken")
    meeting.expertise_topics.set([topic])
    asked = meeting_services.speaker_request_create(
        meeting=MeetingFactory(title="Frühjahrstreffen"),
        contact=offer.contact,
        talk_title="Ausbildung in Teilzeit",
        offer=offer,
        by_user=coordinator,
    )

    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    check(page, f"/admin/meetings/meeting/{meeting.pk}/offers/", "Passende Angebote")
    page.get_by_role("link", name="Moselblick Pflege GmbH um einen Beitrag bitten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Um einen Beitrag bitten")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Weiter …").click()
    expect(page.get_by_role("button", name="Anfrage senden")).to_be_visible()
    assert_no_axe_violations(page)

    check(page, f"/admin/meetings/speakerrequest/{asked.pk}/withdraw/", "zurückziehen")
