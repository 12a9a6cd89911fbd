"""The coordinators' actions on companies and join requests that send mail pass a confirmation
page naming the objects and counting the mails exactly as the services then write them (an
approval also invites the company's contacts to the open meetings). The page changes nothing."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from members.models import Company, JoinRequest
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyAdminFactory, CompanyFactory, ContactPersonFactory, UserFactory
from tests.meetings.factories import MeetingFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

COMPANIES = reverse("admin:members_company_changelist")
JOIN_REQUESTS = reverse("admin:members_joinrequest_changelist")


@pytest.fixture
def pending():
    """A registration waiting for approval: its admin, and a contact who wants invitations to
    the meeting that is open for answers."""
    company = CompanyFactory(name="Saarblick Sanitär GmbH", status=Company.Status.PENDING)
    CompanyAdminFactory(company=company, user__email="katrin@saarblick.example")
    ContactPersonFactory(company=company, email="technik@saarblick.example")
    MeetingFactory(title="Fachkräfte halten")
    return company


def stated(html: str) -> int:
    return int(re.search(r"(\d+) E-Mails? werden? verschickt", html).group(1))


def test_approving_is_confirmed_with_the_mails_it_writes(
    coordinator_client, pending, django_capture_on_commit_callbacks
):
    selected = {"action": "approve", "_selected_action": [pending.pk]}

    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(COMPANIES, selected)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Diese Anmeldungen freigeben?" in html and "Saarblick Sanitär GmbH" in html
    # The approval to the admin and the invitation to the open meeting for the contact.
    assert "2 E-Mails werden verschickt (Empfänger: 2)." in html
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING
    assert mail.outbox == [] and not OutboxMail.objects.exists()
    assert not ActivityEntry.objects.filter(action="members.company.approved").exists()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(COMPANIES, {**selected, "post": "yes"})

    pending.refresh_from_db()
    assert pending.status == Company.Status.ACTIVE
    assert len(mail.outbox) == OutboxMail.objects.count() == stated(html)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "katrin@saarblick.example",
        "technik@saarblick.example",
    ]


def test_rejecting_takes_the_note_as_the_reason(
    coordinator_client, pending, django_capture_on_commit_callbacks
):
    selected = {"action": "reject", "_selected_action": [pending.pk]}
    page = coordinator_client.post(COMPANIES, selected).content.decode()
    assert "1 E-Mail wird verschickt (Empfänger: 1)." in page
    assert 'name="note"' in page

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            COMPANIES, {**selected, "post": "yes", "note": "Kein Sitz in der Region Trier."}
        )

    pending.refresh_from_db()
    assert pending.status == Company.Status.REJECTED
    assert [m.to for m in mail.outbox] == [["katrin@saarblick.example"]]
    assert "Kein Sitz in der Region Trier." in mail.outbox[0].body


def test_a_company_that_is_not_pending_is_not_offered(coordinator_client, company):
    page = coordinator_client.post(
        COMPANIES, {"action": "approve", "_selected_action": [company.pk]}
    )
    assert "Keines der ausgewählten Unternehmen wartet auf Freigabe." in page.content.decode()
    response = coordinator_client.post(
        COMPANIES, {"action": "approve", "_selected_action": [company.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not OutboxMail.objects.exists()


def test_declining_join_requests_is_confirmed(
    coordinator_client, company, django_capture_on_commit_callbacks
):
    join_request = JoinRequest.objects.create(
        user=UserFactory(email="jonas@example.org"), company=company
    )
    selected = {"action": "decline", "_selected_action": [join_request.pk]}

    page = coordinator_client.post(JOIN_REQUESTS, selected).content.decode()
    assert "Diese Beitrittsanfragen ablehnen?" in page
    assert "1 E-Mail wird verschickt (Empfänger: 1)." in page
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.PENDING
    assert not OutboxMail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(JOIN_REQUESTS, {**selected, "post": "yes"})
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert [m.to for m in mail.outbox] == [["jonas@example.org"]]


def test_staff_who_may_only_view_companies_cannot_approve(
    client, pending, django_capture_on_commit_callbacks
):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_company"))
    login_with_second_factor(client, viewer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            COMPANIES, {"action": "approve", "_selected_action": [pending.pk], "post": "yes"}
        )
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING
    assert mail.outbox == [] and not OutboxMail.objects.exists()
