"""A verified user asks to join an existing company; its admin (or a coordinator) decides."""

import pytest
from django.core import mail
from django.urls import reverse

from members.models import CompanyMembership, ContactPerson, JoinRequest
from tests.factories import CompanyFactory, UserFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return UserFactory(email="jonas.reuter@example.org", first_name="Jonas", last_name="Reuter")


def ask_to_join(client, user, company, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            reverse("members:join"), {"company": company.pk, "message": "Ich bin neu in der HR."}
        )
    assert response.status_code == 302
    return JoinRequest.objects.get(user=user)


def test_company_admin_accepts_join_request(
    client, newcomer, company, company_admin, django_capture_on_commit_callbacks
):
    join_request = ask_to_join(client, newcomer, company, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[company_admin.email]]
    assert "Beitrittsanfrage für „Moselblick Pflege GmbH“" in mail.outbox[0].subject
    assert "Jonas Reuter (jonas.reuter@example.org)" in mail.outbox[0].body
    assert "Ich bin neu in der HR." in mail.outbox[0].body

    onboarding = client.get(reverse("members:onboarding")).content.decode()
    assert "wartet auf eine Entscheidung" in onboarding

    mail.outbox.clear()
    client.force_login(company_admin)
    profile = client.get(reverse("members:company")).content.decode()
    assert "jonas.reuter@example.org" in profile
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:join_request_decide", args=[join_request.pk, "accept"])
        )
    assert response.status_code == 302

    membership = CompanyMembership.objects.get(user=newcomer)
    assert membership.company == company
    assert membership.role == CompanyMembership.Role.MEMBER
    assert ContactPerson.objects.filter(company=company, user=newcomer).exists()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert join_request.decided_by == company_admin
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert "Sie gehören jetzt zu „Moselblick Pflege GmbH“" in mail.outbox[0].subject


def test_company_admin_declines_join_request(
    client, newcomer, company, company_admin, django_capture_on_commit_callbacks
):
    join_request = ask_to_join(client, newcomer, company, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:join_request_decide", args=[join_request.pk, "decline"]))
    assert not CompanyMembership.objects.filter(user=newcomer).exists()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert "wurde leider abgelehnt" in mail.outbox[0].body

    # The newcomer is not stuck: a new request is possible.
    client.force_login(newcomer)
    page = client.get(reverse("members:onboarding")).content.decode()
    assert reverse("members:join") in page


def test_coordinators_decide_when_company_has_no_admin(
    client, newcomer, coordinator, django_capture_on_commit_callbacks
):
    orphan = CompanyFactory(name="Gärtnerei ohne Zugang", slug="gaertnerei-ohne-zugang")
    join_request = ask_to_join(client, newcomer, orphan, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    login_with_second_factor(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:members_joinrequest_changelist"),
            {"action": "accept", "_selected_action": [join_request.pk]},
        )
    assert CompanyMembership.objects.get(user=newcomer).company == orphan


def test_only_one_open_request_and_withdraw(client, newcomer, company, company_admin):
    other = CompanyFactory()
    client.force_login(newcomer)
    client.post(reverse("members:join"), {"company": company.pk})
    response = client.post(reverse("members:join"), {"company": other.pk})
    assert response.status_code == 200
    assert "Sie haben bereits eine offene Beitrittsanfrage." in response.content.decode()
    assert JoinRequest.objects.filter(user=newcomer).count() == 1

    join_request = JoinRequest.objects.get(user=newcomer)
    client.post(reverse("members:join_withdraw", args=[join_request.pk]))
    assert not JoinRequest.objects.filter(user=newcomer).exists()


def test_pending_or_left_companies_cannot_be_joined(client, newcomer):
    pending = CompanyFactory(status="pending")
    client.force_login(newcomer)
    response = client.post(reverse("members:join"), {"company": pending.pk})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen." in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_decided_request_cannot_be_decided_again(
    client, newcomer, company, company_admin, django_capture_on_commit_callbacks
):
    join_request = ask_to_join(client, newcomer, company, django_capture_on_commit_callbacks)
    client.force_login(company_admin)
    url = reverse("members:join_request_decide", args=[join_request.pk, "decline"])
    client.post(url)
    response = client.post(
        reverse("members:join_request_decide", args=[join_request.pk, "accept"]), follow=True
    )
    assert "Über diese Anfrage wurde bereits entschieden." in response.content.decode()
    assert not CompanyMembership.objects.filter(user=newcomer).exists()
