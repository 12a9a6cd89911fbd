"""Every company-scoped view: another company's user gets 404, a non-admin 403, anonymous login."""

import pytest
from django.urls import reverse

from members.models import CompanyInvitation, CompanyMembership, ContactPerson, JoinRequest
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects_of_company(company, company_admin):
    """One object of each company-scoped kind, all belonging to ``company``."""
    contact = ContactPersonFactory(company=company)
    invitation = CompanyInvitation.objects.create(
        company=company,
        email="eingeladen@example.org",
        invited_by=company_admin,
        expires_at="2099-01-01T00:00:00Z",
    )
    join_request = JoinRequest.objects.create(user=UserFactory(), company=company)
    colleague = MembershipFactory(company=company)
    return {
        "contact": contact,
        "invitation": invitation,
        "join_request": join_request,
        "membership": colleague,
    }


def object_urls(objects):
    """(method, url) of every view that acts on one object of a company."""
    return [
        ("get", reverse("members:contact_edit", args=[objects["contact"].pk])),
        ("post", reverse("members:contact_edit", args=[objects["contact"].pk])),
        ("get", reverse("members:contact_delete", args=[objects["contact"].pk])),
        ("post", reverse("members:contact_delete", args=[objects["contact"].pk])),
        ("post", reverse("members:invitation_revoke", args=[objects["invitation"].pk])),
        (
            "post",
            reverse("members:join_request_decide", args=[objects["join_request"].pk, "accept"]),
        ),
        (
            "post",
            reverse("members:join_request_decide", args=[objects["join_request"].pk, "decline"]),
        ),
        (
            "post",
            reverse("members:membership_change", args=[objects["membership"].pk, "make-admin"]),
        ),
        ("get", reverse("members:membership_remove", args=[objects["membership"].pk])),
        ("post", reverse("members:membership_remove", args=[objects["membership"].pk])),
    ]


ADMIN_PAGES = [
    ("get", "members:company_edit"),
    ("post", "members:company_edit"),
    ("get", "members:contact_add"),
    ("post", "members:contact_add"),
    ("get", "members:invitation_add"),
    ("post", "members:invitation_add"),
]


def test_another_companys_admin_gets_404_and_changes_nothing(
    client, objects_of_company, other_company_admin
):
    client.force_login(other_company_admin)
    for method, url in object_urls(objects_of_company):
        response = getattr(client, method)(
            url,
            {"first_name": "Gehackt", "last_name": "X", "email": "x@example.org", "function": "hr"},
        )
        assert response.status_code == 404, (method, url)
    assert ContactPerson.objects.filter(pk=objects_of_company["contact"].pk).exists()
    assert ContactPerson.objects.filter(first_name="Gehackt").count() == 0
    objects_of_company["invitation"].refresh_from_db()
    assert objects_of_company["invitation"].revoked_at is None
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING
    assert CompanyMembership.objects.get(pk=objects_of_company["membership"].pk).role == "member"


def test_company_user_without_admin_role_gets_403(client, objects_of_company, company_user):
    client.force_login(company_user)
    for method, name in ADMIN_PAGES:
        assert getattr(client, method)(reverse(name)).status_code == 403, name
    for method, url in object_urls(objects_of_company):
        assert getattr(client, method)(url).status_code == 403, url
    assert JoinRequest.objects.get().status == JoinRequest.Status.PENDING


def test_company_user_sees_own_profile_but_not_admin_controls(client, company, company_user):
    client.force_login(company_user)
    html = client.get(reverse("members:company")).content.decode()
    assert company.name in html
    assert reverse("members:company_edit") not in html
    assert reverse("members:invitation_add") not in html


def test_anonymous_is_sent_to_login(client, objects_of_company):
    pages = (
        [(m, reverse(n)) for m, n in ADMIN_PAGES]
        + object_urls(objects_of_company)
        + [
            ("get", reverse("members:company")),
            ("get", reverse("members:directory")),
            ("get", reverse("members:register")),
            ("get", reverse("members:join")),
            ("get", reverse("members:onboarding")),
        ]
    )
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_user_without_company_is_led_to_onboarding(client):
    client.force_login(UserFactory())
    response = client.get(reverse("members:company"))
    assert response["Location"] == reverse("members:onboarding")
    response = client.get(reverse("members:company_edit"))
    assert response["Location"] == reverse("members:onboarding")


def test_member_directory_is_for_active_members_and_coordinators(client, company_user, coordinator):
    client.force_login(UserFactory())
    response = client.get(reverse("members:directory"))
    assert response.status_code == 403
    assert "nur Mitglieder aktiver Mitgliedsunternehmen" in response.content.decode()

    pending_user = MembershipFactory(company=CompanyFactory(status="pending")).user
    client.force_login(pending_user)
    assert client.get(reverse("members:directory")).status_code == 403

    client.force_login(company_user)
    assert client.get(reverse("members:directory")).status_code == 200
    login_with_second_factor(client, coordinator)
    assert client.get(reverse("members:directory")).status_code == 200


def test_last_company_admin_cannot_be_removed_or_demoted(client, company, company_admin):
    own = CompanyMembership.objects.get(user=company_admin)
    client.force_login(company_admin)
    response = client.post(
        reverse("members:membership_change", args=[own.pk, "make-member"]), follow=True
    )
    assert "mindestens einen Unternehmens-Admin" in response.content.decode()
    client.post(reverse("members:membership_remove", args=[own.pk]))
    own.refresh_from_db()
    assert own.is_admin


def test_company_admin_manages_contacts(client, company, company_admin):
    client.force_login(company_admin)
    response = client.post(
        reverse("members:contact_add"),
        {
            "salutation": "mr",
            "first_name": "Markus",
            "last_name": "Thiel",
            "function": "training",
            "email": "markus.thiel@example.org",
            "wants_meeting_invitations": "on",
        },
    )
    assert response.status_code == 302
    contact = ContactPerson.objects.get(email="markus.thiel@example.org")
    assert contact.company == company
    assert contact.wants_meeting_invitations and not contact.wants_newsletter

    response = client.post(
        reverse("members:contact_add"),
        {
            "first_name": "Doppelt",
            "last_name": "X",
            "function": "hr",
            "email": "MARKUS.THIEL@example.org",
        },
    )
    assert "Für diese E-Mail-Adresse gibt es in Ihrem Unternehmen schon einen Eintrag." in (
        response.content.decode()
    )

    client.post(reverse("members:contact_delete", args=[contact.pk]))
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
