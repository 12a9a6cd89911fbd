"""Colleague invitations: the link expires and works once, for the invited address only."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from members.models import CompanyInvitation, CompanyMembership
from tests.factories import UserFactory
from tests.utils import only_link

pytestmark = pytest.mark.django_db

INVITED = "lea.kaspari@example.org"


@pytest.fixture
def invitation_link(client, company_admin, django_capture_on_commit_callbacks):
    client.force_login(company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:invitation_add"), {"email": INVITED})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[INVITED]]
    invitation_mail = mail.outbox[0]
    assert "für „Moselblick Pflege GmbH“" in invitation_mail.subject
    client.logout()
    return only_link(invitation_mail, "/members/invitation/")


def test_invited_colleague_signs_in_and_accepts(client, company, invitation_link):
    response = client.get(invitation_link)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moselblick Pflege GmbH" in html and INVITED in html
    assert reverse("account_signup") in html

    colleague = UserFactory(email=INVITED)
    client.force_login(colleague)
    response = client.post(invitation_link)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:company")
    membership = CompanyMembership.objects.get(user=colleague)
    assert membership.company == company and not membership.is_admin
    invitation = CompanyInvitation.objects.get()
    assert invitation.accepted_by == colleague


def test_invitation_link_works_only_once(client, invitation_link):
    client.force_login(UserFactory(email=INVITED))
    client.post(invitation_link)
    client.logout()

    response = client.get(invitation_link)
    assert response.status_code == 410
    assert "Diese Einladung wurde bereits verwendet." in response.content.decode()


def test_invitation_for_another_address_is_refused(client, invitation_link):
    stranger = UserFactory(email="jemand.anders@example.org")
    client.force_login(stranger)
    response = client.post(invitation_link, follow=True)
    assert "Diese Einladung gilt für lea.kaspari@example.org." in response.content.decode()
    assert not CompanyMembership.objects.filter(user=stranger).exists()


def test_expired_invitation_is_refused(client, invitation_link):
    CompanyInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(UserFactory(email=INVITED))
    response = client.get(invitation_link)
    assert response.status_code == 410
    assert "Dieser Einladungslink ist abgelaufen." in response.content.decode()
    client.post(invitation_link)
    assert not CompanyMembership.objects.filter(user__email=INVITED).exists()


def test_signature_older_than_the_limit_is_refused(client, invitation_link, settings):
    later = timezone.now().timestamp() + (settings.INVITATION_MAX_AGE_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.get(invitation_link)
    assert response.status_code == 410
    assert "Dieser Einladungslink ist abgelaufen." in response.content.decode()


def test_tampered_invitation_link_is_refused(client, invitation_link):
    invitation = CompanyInvitation.objects.get()
    forged = signing.dumps({"i": invitation.pk, "e": INVITED}, salt="something-else")
    response = client.get(reverse("members:invitation_accept", args=[forged]))
    assert response.status_code == 410
    assert "Dieser Einladungslink ist ungültig." in response.content.decode()

    response = client.get(invitation_link[:-3] + "xyz/")
    assert response.status_code == 410


def test_revoked_invitation_is_refused(client, company_admin, invitation_link):
    client.force_login(company_admin)
    invitation = CompanyInvitation.objects.get()
    client.post(reverse("members:invitation_revoke", args=[invitation.pk]))
    client.force_login(UserFactory(email=INVITED))
    response = client.get(invitation_link)
    assert response.status_code == 410
    assert "Diese Einladung wurde zurückgezogen." in response.content.decode()


def test_reinviting_replaces_the_older_link(
    client, company_admin, invitation_link, django_capture_on_commit_callbacks
):
    client.force_login(company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:invitation_add"), {"email": INVITED})
    newest = only_link(mail.outbox[-1], "/members/invitation/")
    client.force_login(UserFactory(email=INVITED))
    assert client.get(invitation_link).status_code == 410
    assert client.get(newest).status_code == 200


def test_open_invitation_shows_on_onboarding_after_sign_up(client, invitation_link):
    colleague = UserFactory(email=INVITED)
    client.force_login(colleague)
    page = client.get(reverse("members:onboarding")).content.decode()
    assert "„Moselblick Pflege GmbH“ lädt Sie ein" in page


def test_cannot_invite_someone_who_already_has_a_company(
    client, company_admin, other_company_admin
):
    client.force_login(company_admin)
    response = client.post(reverse("members:invitation_add"), {"email": other_company_admin.email})
    assert response.status_code == 200
    assert "Diese Adresse hat bereits einen Zugang zu einem Unternehmen." in (
        response.content.decode()
    )
    assert not CompanyInvitation.objects.exists()


def test_overlong_invitation_address_is_refused(client, company_admin):
    # Valid by the standard (up to 320 characters), longer than the address column (254).
    address = "x" * 236 + "@moselblick.example"
    client.force_login(company_admin)
    response = client.post(reverse("members:invitation_add"), {"email": address})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Bitte sicherstellen, dass der Wert aus höchstens 254 Zeichen besteht. "
        "(Er besteht aus 255 Zeichen.)"
    ]
    assert not CompanyInvitation.objects.exists()
