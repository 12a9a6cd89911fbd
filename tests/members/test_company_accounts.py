"""The company page's accounts: removing an access passes a confirmation page, and no button is
offered that the service would refuse (a company keeps at least one company admin)."""

import pytest
from django.core import mail
from django.urls import reverse

from members.models import CompanyMembership, ContactPerson
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyAdminFactory, ContactPersonFactory, MembershipFactory

pytestmark = pytest.mark.django_db

REVOKE = "Admin-Rolle entziehen"
REMOVE = "Zugang entfernen"
SOLE_ADMIN = "Einziger Unternehmens-Admin"


@pytest.fixture
def colleague(company):
    return MembershipFactory(
        company=company,
        user__email="jonas.reuter@moselblick.example",
        user__first_name="Jonas",
        user__last_name="Reuter",
    )


def account_row(html: str, email: str) -> str:
    """The table row of the account with ``email`` on the company page."""
    start = html.index(f">{email}</td>")
    return html[html.rindex("<tr>", 0, start) : html.index("</tr>", start)]


def test_the_sole_admin_is_offered_nothing_the_service_refuses(
    client, company, company_admin, colleague
):
    client.force_login(company_admin)
    html = client.get(reverse("members:company")).content.decode()

    own = account_row(html, company_admin.email)
    assert REVOKE not in own and REMOVE not in own
    assert SOLE_ADMIN in own
    # The colleague can be made admin or removed: both work.
    other = account_row(html, colleague.user.email)
    assert "Zum Admin machen" in other and REMOVE in other
    assert SOLE_ADMIN not in other

    # The rule the page follows is the service's: asked directly, it refuses too.
    own_membership = CompanyMembership.objects.get(user=company_admin)
    response = client.post(
        reverse("members:membership_change", args=[own_membership.pk, "make-member"]), follow=True
    )
    assert "mindestens einen Unternehmens-Admin" in response.content.decode()
    response = client.get(reverse("members:membership_remove", args=[own_membership.pk]))
    assert response["Location"] == reverse("members:company")
    own_membership.refresh_from_db()
    assert own_membership.is_admin


def test_with_a_second_admin_both_can_hand_over(client, company, company_admin, colleague):
    colleague.role = CompanyMembership.Role.ADMIN
    colleague.save()
    client.force_login(company_admin)
    html = client.get(reverse("members:company")).content.decode()
    for email in (company_admin.email, colleague.user.email):
        row = account_row(html, email)
        assert REVOKE in row and REMOVE in row and SOLE_ADMIN not in row

    client.post(reverse("members:membership_change", args=[colleague.pk, "make-member"]))
    colleague.refresh_from_db()
    assert not colleague.is_admin
    # Now the page no longer offers to take the last admin's role.
    html = client.get(reverse("members:company")).content.decode()
    assert REVOKE not in account_row(html, company_admin.email)


def test_removing_an_access_is_confirmed_first(
    client, company, company_admin, colleague, django_capture_on_commit_callbacks
):
    ContactPersonFactory(company=company, email=colleague.user.email, user=colleague.user)
    client.force_login(company_admin)
    url = reverse("members:membership_remove", args=[colleague.pk])
    assert url in client.get(reverse("members:company")).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Zugang entfernen</h1>" in html
    assert "Jonas Reuter" in html and "jonas.reuter@moselblick.example" in html
    assert "Jonas Reuter handelt danach nicht mehr für „Moselblick Pflege GmbH“" in html
    assert "Jonas Reuter erhält darüber keine E-Mail." in html
    assert f'href="{reverse("members:company")}"' in html  # the way back
    # Opening the page changes nothing and writes no mail.
    assert CompanyMembership.objects.filter(pk=colleague.pk).exists()
    assert not ActivityEntry.objects.filter(action="members.membership.removed").exists()
    assert not OutboxMail.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "Jonas Reuter hat keinen Zugang mehr zu Ihrem Unternehmen." in (
        response.content.decode()
    )
    assert not CompanyMembership.objects.filter(pk=colleague.pk).exists()
    assert ActivityEntry.objects.filter(action="members.membership.removed").count() == 1
    # The contact entry stays, as the page said.
    assert ContactPerson.objects.get(email=colleague.user.email).user is None
    assert mail.outbox == []


def test_an_admin_removes_their_own_access_after_confirming(client, company, company_admin):
    second = CompanyAdminFactory(company=company).user
    own = CompanyMembership.objects.get(user=second)
    client.force_login(second)
    html = client.get(reverse("members:membership_remove", args=[own.pk])).content.decode()
    assert "<h1>Eigenen Zugang entfernen</h1>" in html
    assert "Sie handeln danach nicht mehr für „Moselblick Pflege GmbH“" in html
    assert "Meinen Zugang entfernen" in html

    response = client.post(reverse("members:membership_remove", args=[own.pk]))
    assert response["Location"] == reverse("members:onboarding")
    assert not CompanyMembership.objects.filter(user=second).exists()


def test_removing_a_contact_person_is_confirmed_on_the_shared_page(client, company, company_admin):
    contact = ContactPersonFactory(
        company=company, first_name="Petra", last_name="Kettern", email="petra@moselblick.example"
    )
    client.force_login(company_admin)
    url = reverse("members:contact_delete", args=[contact.pk])
    html = client.get(url).content.decode()
    assert "<h1>Ansprechperson entfernen</h1>" in html
    assert "petra@moselblick.example" in html
    assert "Petra Kettern wird aus den Ansprechpersonen Ihres Unternehmens entfernt" in html
    assert ContactPerson.objects.filter(pk=contact.pk).exists()

    client.post(url)
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
