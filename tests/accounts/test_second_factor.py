"""Coordinators and jurors must use a second factor (TOTP); the admin sits behind it."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from tests.factories import CompanyAdminFactory, CoordinatorFactory, UserFactory
from tests.mfa import enroll_totp, login_with_second_factor, totp_code
from tests.seal.factories import JurorAssignmentFactory, SubmittedApplicationFactory, juror
from tests.utils import message_texts

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-123-trier"
ADMIN = "/admin/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts failed logins in the cache; each test starts with none.
    cache.clear()


def log_in_with_password(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_coordinator_without_authenticator_is_sent_to_set_one_up_from_every_page(client):
    coordinator = CoordinatorFactory(is_superuser=False)
    response = log_in_with_password(client, coordinator)
    assert response.status_code == 302

    for url in (ADMIN, "/admin/members/company/", reverse("members:directory"), "/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("mfa_activate_totp"), url

    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert page.status_code == 200
    assert (
        "Koordinatorinnen, Koordinatoren und Jurymitglieder müssen ihr Konto mit einem zweiten "
        "Faktor schützen." in page.content.decode()
    )


@pytest.mark.django_db(transaction=True)  # allauth marks the enrolment on commit, as in production
def test_enrolling_totp_opens_the_admin_and_shows_recovery_codes(client):
    coordinator = CoordinatorFactory(is_superuser=False)
    log_in_with_password(client, coordinator)
    # allauth asks for the password once more before a second factor is changed.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"] == ["Falscher Code."]
    assert not Authenticator.objects.filter(user=coordinator).exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    types = set(Authenticator.objects.filter(user=coordinator).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    codes = client.get(reverse("mfa_view_recovery_codes"))
    assert codes.status_code == 200
    assert len(codes.context["unused_codes"]) == 10
    assert client.get(ADMIN).status_code == 200


def test_login_with_authenticator_asks_for_the_code_before_anything_opens(client):
    coordinator = CoordinatorFactory(is_superuser=False)
    secret = enroll_totp(coordinator)

    response = log_in_with_password(client, coordinator)

    assert response["Location"] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # not logged in with the password alone
    admin = client.get(ADMIN)
    assert admin.status_code == 302 and admin["Location"].startswith(reverse("account_login"))

    wrong = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200
    assert SESSION_KEY not in client.session

    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert client.get(ADMIN).status_code == 200


def test_a_session_without_the_second_factor_is_ended(client):
    """E.g. a session from before the rule: a new login with the code is needed."""
    coordinator = CoordinatorFactory(is_superuser=False)
    enroll_totp(coordinator)
    client.force_login(coordinator)

    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[0][0] == f"{reverse('account_login')}?next={ADMIN}"
    assert SESSION_KEY not in client.session
    assert (
        "Bitte melden Sie sich erneut an, diesmal mit dem Code aus Ihrer Authenticator-App "
        "oder mit Ihrem Passkey." in message_texts(response)
    )


def test_juror_needs_the_second_factor_for_the_jury_pages_and_evidence(client):
    application = SubmittedApplicationFactory()
    assignment = JurorAssignmentFactory(application=application, juror=juror())
    client.force_login(assignment.juror)

    response = client.get(reverse("seal:jury"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    detail = client.get(reverse("seal:jury_score", args=[assignment.pk]))
    assert detail["Location"] == reverse("mfa_activate_totp")

    login_with_second_factor(client, assignment.juror)
    assert client.get(reverse("seal:jury")).status_code == 200


def test_company_users_are_not_asked_for_a_second_factor(client):
    user = CompanyAdminFactory().user
    log_in_with_password(client, user)
    assert client.get(reverse("members:company")).status_code == 200


def test_switching_the_app_off_asks_for_a_new_one_at_once(client):
    """A new phone: a coordinator or juror may remove the old app, but nothing opens again
    until a new one is set up."""
    coordinator = CoordinatorFactory(is_superuser=False)
    login_with_second_factor(client, coordinator)
    assert client.get(ADMIN).status_code == 200

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=coordinator).exists()
    admin = client.get(ADMIN)
    assert admin.status_code == 302 and admin["Location"] == reverse("mfa_activate_totp")

    jury_member = juror()
    login_with_second_factor(client, jury_member)
    client.post(reverse("mfa_deactivate_totp"))
    assert client.get(reverse("seal:jury"))["Location"] == reverse("mfa_activate_totp")


def test_unverified_address_can_be_dealt_with_before_enrolment(client):
    """allauth sets up TOTP only when every address is verified: the address page stays open."""
    from allauth.account.models import EmailAddress

    coordinator = CoordinatorFactory(is_superuser=False)
    EmailAddress.objects.create(user=coordinator, email="neu@example.org", verified=False)
    log_in_with_password(client, coordinator)

    assert client.get(reverse("account_email")).status_code == 200
    removal = {"action_remove": "", "email": "neu@example.org"}
    # Changing addresses asks for the password again; that page is open before enrolment too.
    response = client.post(reverse("account_email"), removal)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    response = client.post(reverse("account_email"), removal)
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(email="neu@example.org").exists()


def test_other_users_may_switch_their_authenticator_off(client):
    user = UserFactory()
    login_with_second_factor(client, user)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_admin_login_page_is_the_portals_login(client):
    response = client.get("/admin/login/?next=/admin/members/company/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/members/company/"

    # Its own form no longer logs anyone in.
    coordinator = CoordinatorFactory()
    client.post("/admin/login/", {"username": coordinator.email, "password": PASSWORD})
    assert SESSION_KEY not in client.session


def test_admin_login_is_rate_limited_like_every_login(client):
    coordinator = CoordinatorFactory(is_superuser=False)
    enroll_totp(coordinator)
    for _ in range(5):
        response = client.post(
            reverse("account_login"), {"login": coordinator.email, "password": "falsch"}
        )
        assert response.status_code == 200

    # The sixth try is refused even with the right password.
    response = client.post(
        f"{reverse('account_login')}?next={ADMIN}",
        {"login": coordinator.email, "password": PASSWORD},
    )
    assert response.status_code == 200
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_logged_in_users_without_the_coordinator_role_get_403_in_the_admin(client):
    client.force_login(CompanyAdminFactory().user)
    assert client.get(ADMIN).status_code == 403
    assert client.get("/admin/login/").status_code == 403


def test_admin_password_change_is_the_portals(client):
    login_with_second_factor(client, CoordinatorFactory())
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_change_password")


def test_totp_secret_is_stored_encrypted():
    coordinator = CoordinatorFactory()
    secret = enroll_totp(coordinator)
    stored = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
    assert secret not in stored.data["secret"]
    assert enroll_totp(coordinator) == secret  # and read back through the adapter
