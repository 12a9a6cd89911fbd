"""axe-core finds no WCAG 2.0/2.1 A or AA violation on the pages of the kinds of events: the
public page of public events (for everyone), a ceremony's page for a member of a company not
invited, and the coordinators' choice and confirmation of the guests taken over from the
seal."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.accessibility.conftest import assert_no_axe_violations
from tests.factories import CompanyFactory, CoordinatorFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.seal.factories import AwardCycleFactory, CertificateFactory

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


def test_the_public_events_page(page, live_server, settings):
    settings.SITE_URL = live_server.url
    MeetingFactory(kind=Meeting.Kind.RECEPTION, title="Weihnachtsempfang 2026", is_public=True)
    held = timezone.now() - timedelta(days=20)
    MeetingFactory(
        kind=Meeting.Kind.CEREMONY,
        title="Verleihung des Siegels 2026",
        is_public=True,
        status=Meeting.Status.HELD,
        starts_at=held,
        ends_at=held + timedelta(hours=2),
        rsvp_deadline=held - timedelta(days=7),
    )
    check(page, "/meetings/public/", "Öffentliche Veranstaltungen")
    page.set_viewport_size({"width": 390, "height": 844})
    check(page, "/meetings/public/", "Öffentliche Veranstaltungen")


def test_a_ceremony_for_a_company_not_invited(page):
    ceremony = MeetingFactory(kind=Meeting.Kind.CEREMONY, title="Verleihung des Siegels 2026")
    ceremony.invited_companies.add(CompanyFactory(name="Moselblick Pflege GmbH"))
    user = MembershipFactory(company=CompanyFactory(name="Schreinerei Olewig")).user
    browser_log_in(page, user.email, PASSWORD)
    check(page, "/meetings/", "Netzwerktreffen")
    check(page, f"/meetings/{ceremony.slug}/", "Verleihung des Siegels 2026")
    expect(page.locator("#not-invited")).to_be_visible()


def test_taking_over_the_guests(page):
    coordinator = CoordinatorFactory(email="koordination@example.org")
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    cycle = AwardCycleFactory(name="2026", slug="2026", awarded=True)
    CertificateFactory(
        application__company__name="Moselblick Pflege GmbH", application__cycle=cycle
    )
    ceremony = MeetingFactory(kind=Meeting.Kind.CEREMONY, status=Meeting.Status.DRAFT)

    check(page, f"/admin/meetings/meeting/{ceremony.pk}/guests/", "Gäste übernehmen")
    check(
        page,
        f"/admin/meetings/meeting/{ceremony.pk}/guests/?group=seal:2026",
        "Siegelträger des Jahrgangs 2026",
    )
