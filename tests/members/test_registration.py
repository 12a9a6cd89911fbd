"""A new company: sign-up → email verification → company registration → approval."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from members.models import Company, CompanyMembership, ContactPerson
from network_portal.models import OutboxMail
from tests.factories import UserFactory
from tests.mfa import login_with_second_factor
from tests.utils import only_link

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "anna.schmitt@moselblick.example",
    "first_name": "Anna",
    "last_name": "Schmitt",
    "password1": "Fachkraefte-2026!",
    "password2": "Fachkraefte-2026!",
}

COMPANY = {
    "name": "Moselblick Physiotherapie GmbH",
    "legal_form": "gmbh",
    "industry": "health",
    "size_class": "small",
    "street": "Zurmaiener Straße 4",
    "postcode": "54292",
    "city": "Trier",
    "website": "https://physio-moselblick.example",
    "description": "Physiotherapie mit sechs Beschäftigten.",
    "directory_consent": "on",
    "salutation": "ms",
    "title": "",
    "function": "management",
    "phone": "0651 123456",
}


def sign_up_and_verify(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    verification = mail.outbox[-1]
    assert verification.to == [SIGNUP["email"]]
    assert "bitte bestätigen Sie Ihre E-Mail-Adresse" in verification.subject

    # Not verified yet: the user cannot reach anything company-related.
    response = client.get(reverse("members:register"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    link = only_link(verification, "/accounts/confirm-email/")
    response = client.get(link)
    assert response.status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    response = client.get(response["Location"], follow=True)
    assert response.redirect_chain[-1][0] == reverse("members:onboarding")
    return User.objects.get(email=SIGNUP["email"])


def test_new_company_from_sign_up_to_approval(
    client, coordinator, django_capture_on_commit_callbacks
):
    user = sign_up_and_verify(client, django_capture_on_commit_callbacks)
    assert user.first_name == "Anna"

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:register"), COMPANY)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:company")

    company = Company.objects.get(name="Moselblick Physiotherapie GmbH")
    assert company.status == Company.Status.PENDING
    assert company.slug == "moselblick-physiotherapie-gmbh"
    membership = CompanyMembership.objects.get(user=user)
    assert membership.company == company and membership.is_admin
    contact = ContactPerson.objects.get(company=company)
    assert (contact.user, contact.email, contact.last_name, contact.function) == (
        user,
        SIGNUP["email"],
        "Schmitt",
        "management",
    )

    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {SIGNUP["email"], coordinator.email}
    assert "Registrierung von „Moselblick Physiotherapie GmbH“ eingegangen" in (
        by_recipient[SIGNUP["email"]].subject
    )
    review = by_recipient[coordinator.email]
    assert "Neue Registrierung: Moselblick Physiotherapie GmbH" in review.subject
    assert f"/admin/members/company/{company.pk}/change/" in review.body

    profile = client.get(reverse("members:company"))
    assert "wartet auf Freigabe" in profile.content.decode()

    # A coordinator approves in the admin.
    mail.outbox.clear()
    login_with_second_factor(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:members_company_changelist"),
            {"action": "approve", "_selected_action": [company.pk], "post": "yes"},
        )
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.status == Company.Status.ACTIVE
    assert company.member_since is not None
    assert [m.to for m in mail.outbox] == [[SIGNUP["email"]]]
    assert "ist freigegeben" in mail.outbox[0].subject

    # Approving twice changes nothing and mails nobody again.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:members_company_changelist"),
            {"action": "approve", "_selected_action": [company.pk], "post": "yes"},
        )
    assert mail.outbox == []


def test_coordinator_rejects_registration_and_company_is_told(
    client, coordinator, company_admin, company, django_capture_on_commit_callbacks
):
    company.status = Company.Status.PENDING
    company.save()
    login_with_second_factor(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:members_company_changelist"),
            {"action": "reject", "_selected_action": [company.pk], "post": "yes"},
        )
    company.refresh_from_db()
    assert company.status == Company.Status.REJECTED
    assert [m.to for m in mail.outbox] == [[company_admin.email]]
    assert "Ihre Registrierung von „Moselblick Pflege GmbH“" in mail.outbox[0].subject


def test_unverified_user_cannot_log_in(client, db):
    from tests.factories import UserFactory

    UserFactory(email="neu@example.org", verified=False)
    response = client.post(
        reverse("account_login"), {"login": "neu@example.org", "password": "geheim-123-trier"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_registration_with_bad_input_shows_errors_and_saves_nothing(
    client, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("members:register"), {**COMPANY, "postcode": "5429", "size_class": "huge"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte geben Sie eine fünfstellige Postleitzahl an." in html
    assert "Bitte eine gültige Auswahl treffen." in html
    assert not Company.objects.exists()
    assert not CompanyMembership.objects.exists()
    assert not OutboxMail.objects.exists()


def test_duplicate_company_name_points_to_joining(client, company):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(
        reverse("members:register"), {**COMPANY, "name": "moselblick pflege gmbh"}
    )
    assert response.status_code == 200
    assert "Sie können ihm stattdessen beitreten." in response.content.decode()
    assert Company.objects.count() == 1


def test_user_with_company_cannot_register_another(client, company_admin):
    client.force_login(company_admin)
    response = client.post(reverse("members:register"), COMPANY)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:company")
    assert not Company.objects.filter(name=COMPANY["name"]).exists()


def test_postcode_needs_ascii_digits(client, db):
    client.force_login(UserFactory())
    response = client.post(reverse("members:register"), {**COMPANY, "postcode": "٥٤٢٩٢"})
    assert response.status_code == 200
    assert response.context["company_form"].errors["postcode"] == [
        "Bitte geben Sie eine fünfstellige Postleitzahl an."
    ]
    assert not Company.objects.exists()


def test_overlong_address_is_refused_at_sign_up_and_password_reset(client, db):
    # Valid by the standard (up to 320 characters), longer than the address columns (254).
    address = "x" * 236 + "@moselblick.example"
    too_long = [
        "Bitte sicherstellen, dass der Wert aus höchstens 254 Zeichen besteht. "
        "(Er besteht aus 255 Zeichen.)"
    ]
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": address})
    assert response.context["form"].errors["email"] == too_long
    response = client.post(reverse("account_reset_password"), {"email": address})
    assert response.context["form"].errors["email"] == too_long
    assert not User.objects.exists()
    assert not OutboxMail.objects.exists()


def test_password_reset_mails_only_addresses_with_an_account(client, company_user):
    unknown = client.post(reverse("account_reset_password"), {"email": "fremd@example.org"})
    known = client.post(reverse("account_reset_password"), {"email": company_user.email})

    # The same answer either way: the form does not reveal who has an account …
    assert unknown.status_code == known.status_code == 302
    assert unknown["Location"] == known["Location"]
    # … and it cannot be used to send mail to strangers.
    assert list(OutboxMail.objects.values_list("to", flat=True)) == [company_user.email]
