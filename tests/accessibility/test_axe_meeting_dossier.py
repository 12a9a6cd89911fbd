"""axe-core finds no WCAG 2.1 A/AA violation on a meeting's dossier ("Nachlese"): the members'
page with minutes, materials, the experts' answers and the agenda, and the coordinators'
confirmation before it is published."""

from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import COORDINATOR_GROUP
from meetings.models import AgendaItem, ExpertQuestion, Material, Meeting
from tests.accessibility.conftest import assert_no_axe_violations
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory
from tests.mfa import browser_log_in, enroll_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe"),
]

PASSWORD = "geheim-123-trier"


def past_meeting(*, published: bool) -> Meeting:
    from django.utils import timezone

    company = CompanyFactory(name="Schreinerei Olewig")
    ContactPersonFactory(company=company)
    starts = timezone.now().replace(microsecond=0) - timedelta(days=5)
    meeting = MeetingFactory(
        title="Sprachkurse im Verbund",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
        status=Meeting.Status.HELD,
        minutes="Verabredet: ein gemeinsamer Kurs ab März.\n\nNächster Schritt: Anmeldung.",
        dossier_published_at=starts + timedelta(days=1) if published else None,
    )
    Material.objects.create(
        meeting=meeting, title="Folien", file="x.pdf", content_type="application/pdf"
    )
    AgendaItem.objects.create(
        meeting=meeting,
        starts_at=time(16, 15),
        title="Bericht aus der Praxis",
        speaker_name="Petra Weiler",
        speaker_organisation="Ausländeramt Trier",
    )
    for show in (True, False):
        ExpertQuestion.objects.create(
            meeting=meeting,
            company=company,
            text="Wie lange dauert die Vorabzustimmung?",
            answer="Rund eine Woche.",
            show_company=show,
            answered_at=meeting.ends_at,
        )
    return meeting, company


def test_the_dossier_page(page):
    meeting, company = past_meeting(published=True)
    user = UserFactory(email="jonas@olewig.example")
    MembershipFactory(user=user, company=company)
    browser_log_in(page, user.email, PASSWORD)

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/meetings/{meeting.slug}/dossier/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Nachlese: Sprachkurse im Verbund"
        )
        assert_no_axe_violations(page)
    page.goto(f"/meetings/{meeting.slug}/")  # with the link to the dossier
    expect(page.get_by_role("link", name="Nachlese lesen", exact=False)).to_be_visible()
    assert_no_axe_violations(page)
    page.goto("/meetings/")
    assert_no_axe_violations(page)


def test_the_confirmation_before_publishing(page):
    meeting, _company = past_meeting(published=False)
    coordinator = UserFactory(email="koordination@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))

    page.goto(f"/admin/meetings/meeting/{meeting.pk}/dossier/")
    expect(page.locator("#confirm-mails")).to_contain_text("1 E-Mail mit dem Link zur Nachlese")
    assert_no_axe_violations(page)
