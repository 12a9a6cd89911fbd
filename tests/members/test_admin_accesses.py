"""The accesses of a company on its admin page go through the members' services: logged, and
a company keeps an admin."""

import pytest
from django.urls import reverse

from members.models import CompanyMembership
from network_portal.models import ActivityEntry
from tests.factories import (
    CompanyAdminFactory,
    MembershipFactory,
    UserFactory,
    company_profile_form,
)

pytestmark = pytest.mark.django_db


def page_data(company, rows, *, extra=()):
    """The company's admin form with its access rows (membership, role, delete) and new ones."""
    data = {
        **company_profile_form(company),
        "status": company.status,
        "slug": company.slug,
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "memberships-TOTAL_FORMS": str(len(rows) + len(extra)),
        "memberships-INITIAL_FORMS": str(len(rows)),
    }
    for n, (membership, role, delete) in enumerate(rows):
        data |= {
            f"memberships-{n}-id": membership.pk,
            f"memberships-{n}-company": company.pk,
            f"memberships-{n}-user": membership.user_id,
            f"memberships-{n}-role": role,
        }
        if delete:
            data[f"memberships-{n}-DELETE"] = "on"
    for n, (user, role) in enumerate(extra, start=len(rows)):
        data |= {
            f"memberships-{n}-company": company.pk,
            f"memberships-{n}-user": user.pk,
            f"memberships-{n}-role": role,
        }
    return data


def post(client, company, data):
    return client.post(reverse("admin:members_company_change", args=[company.pk]), data)


def test_the_only_admin_keeps_the_role_and_nothing_is_saved(coordinator_client):
    admin = CompanyAdminFactory()
    company = admin.company
    member = MembershipFactory(company=company)

    response = post(
        coordinator_client,
        company,
        page_data(company, [(admin, "member", False), (member, "member", True)]),
    )

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][1].formset.non_form_errors() == [
        "Ein Unternehmen braucht mindestens einen Unternehmens-Admin."
    ]
    admin.refresh_from_db()
    assert admin.role == CompanyMembership.Role.ADMIN
    assert CompanyMembership.objects.filter(pk=member.pk).exists()  # not half saved
    assert not ActivityEntry.objects.filter(action__startswith="members.membership.").exists()


def test_accesses_given_changed_and_ended_are_logged(coordinator_client, coordinator):
    admin = CompanyAdminFactory()
    company = admin.company
    member = MembershipFactory(company=company)
    newcomer = UserFactory()

    response = post(
        coordinator_client,
        company,
        page_data(
            company,
            [(admin, "admin", False), (member, "member", True)],
            extra=[(newcomer, "admin")],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert not CompanyMembership.objects.filter(pk=member.pk).exists()
    assert CompanyMembership.objects.get(user=newcomer).role == CompanyMembership.Role.ADMIN
    assert sorted(
        ActivityEntry.objects.filter(action__startswith="members.membership.").values_list(
            "action", "actor"
        )
    ) == [
        ("members.membership.added", coordinator.pk),
        ("members.membership.removed", coordinator.pk),
    ]
