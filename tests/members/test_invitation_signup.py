"""An invited colleague without an account: the invitation link proved the mailbox, so the sign-up
has the invited address filled in and needs no second confirmation mail."""

import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import CompanyMembership
from tests.utils import only_link

pytestmark = pytest.mark.django_db

INVITED = "lea.kaspari@example.org"
PASSWORD = "Moselblick-Trier-2027!"


@pytest.fixture
def invitation_link(client, company_admin, django_capture_on_commit_callbacks):
    client.force_login(company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:invitation_add"), {"email": INVITED})
    (invitation_mail,) = mail.outbox
    mail.outbox.clear()
    client.logout()
    return only_link(invitation_mail, "/members/invitation/")


def signup_link(html: str) -> str:
    """The "Create account" link of the invitation page."""
    match = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', html)
    assert match, "the invitation page offers no sign-up"
    return unescape(match.group(1))


def sign_up(client, url, email, capture):
    with capture(execute=True):
        return client.post(
            url,
            {
                "first_name": "Lea",
                "last_name": "Kaspari",
                "email": email,
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )


def test_invited_colleague_signs_up_without_a_second_confirmation(
    client, company, invitation_link, django_capture_on_commit_callbacks
):
    invitation_page = client.get(invitation_link).content.decode()
    assert "bestätigt die Adresse bereits" in invitation_page

    url = signup_link(invitation_page)
    form = client.get(url).content.decode()
    assert re.search(rf'<input[^>]*name="email"[^>]*value="{re.escape(INVITED)}"', form), (
        "the invited address is not filled in"
    )
    assert f"Ihre Einladung hat {INVITED} bereits bestätigt" in form

    response = sign_up(client, url, INVITED, django_capture_on_commit_callbacks)

    # Logged in at once and back on the invitation: no mail asks to confirm the address.
    assert response.status_code == 302
    assert response["Location"] == urlsplit(invitation_link).path
    assert mail.outbox == []
    address = EmailAddress.objects.get(email=INVITED)
    assert address.verified and address.primary
    page = client.get(invitation_link).content.decode()
    assert "Einladung annehmen" in page

    response = client.post(invitation_link)
    assert response["Location"] == reverse("members:company")
    membership = CompanyMembership.objects.get(user=address.user)
    assert membership.company == company and not membership.is_admin


def test_signing_up_with_another_address_still_needs_its_confirmation(
    client, invitation_link, django_capture_on_commit_callbacks
):
    url = signup_link(client.get(invitation_link).content.decode())
    other = "lea.privat@example.org"
    response = sign_up(client, url, other, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("account_email_verification_sent")
    assert [m.to for m in mail.outbox] == [[other]]
    # The invited address is not attached, confirmed, to an account that never typed it.
    addresses = EmailAddress.objects.filter(user__email=other).values_list("email", "verified")
    assert list(addresses) == [(other, False)]
