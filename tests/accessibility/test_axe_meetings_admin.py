"""axe-core finds no WCAG 2.0/2.1 A or AA violation on the coordinators' pages at the door and
before publishing: the check-in on a phone (with a walk-in form showing its errors) and the
publish confirmation."""

import pytest
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.accessibility.conftest import assert_no_axe_violations
from tests.factories import CompanyFactory, ContactPersonFactory, CoordinatorFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.mfa import browser_log_in, enroll_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe"),
]


def test_check_in_and_publish_confirmation(page):
    coordinator = CoordinatorFactory(email="koordination@example.org")
    browser_log_in(
        page, coordinator.email, "geheim-123-trier", totp_secret=enroll_totp(coordinator)
    )
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    ContactPersonFactory(company=company)
    meeting = MeetingFactory(title="Herbsttreffen")
    RegistrationFactory(meeting=meeting, company=company, name="Anna Berg")
    draft = MeetingFactory(title="Frühjahrstreffen", status=Meeting.Status.DRAFT)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/check-in/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Einchecken: Herbsttreffen")
    assert_no_axe_violations(page)

    page.get_by_text("Person ohne Anmeldung hinzufügen").click()
    page.get_by_label("E-Mail").fill("kein-at")
    page.get_by_role("button", name="Hinzufügen und einchecken").click()
    expect(page.locator(".check-in-walk-in .errorlist").first).to_be_visible()
    assert_no_axe_violations(page)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/admin/meetings/meeting/{draft.pk}/publish/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Frühjahrstreffen")
    assert_no_axe_violations(page)
