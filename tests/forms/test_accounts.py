"""Hostile input on the account forms (allauth in the portal's setup) and the language switch."""

import time
from urllib.parse import quote

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from tests.factories import UserFactory
from tests.forms.harness import EMAIL, WORDS, form_data, fuzz, hostile_text, path_segment
from tests.mfa import TOTP_PERIOD, enroll_totp, totp_code

PASSWORD = "geheim-123-trier"  # UserFactory's
STRONG = "Fachkraefte-2026!"
PASSWORDS = st.sampled_from([PASSWORD, STRONG, "falsch", "12345678"])


def test_login(probe, company_user):
    url = reverse("account_login")

    @fuzz(30)
    @given(
        data=form_data(
            {
                "login": st.one_of(st.just(company_user.email), EMAIL),
                "password": PASSWORDS,
                "remember": st.sampled_from(["on", ""]),
            }
        )
    )
    def run(data):
        with probe.example():
            probe.submit(url, data)

    run()
    probe.stats.require()


def test_signup(probe, company_user):
    url = reverse("account_signup")

    @fuzz(30)
    @given(
        data=form_data(
            {
                "email": st.one_of(EMAIL, st.just(company_user.email)),
                "password1": st.just(STRONG),
                "password2": st.sampled_from([STRONG, "anders-2026!"]),
                "first_name": WORDS,
                "last_name": WORDS,
            }
        )
    )
    def run(data):
        with probe.example():
            probe.submit(url, data)
            assert User.objects.filter(email__iexact=company_user.email).count() == 1

    run()
    probe.stats.require()


def test_password_reset_request(probe, company_user):
    url = reverse("account_reset_password")

    @fuzz(25)
    @given(data=form_data({"email": st.one_of(st.just(company_user.email), EMAIL)}))
    def run(data):
        with probe.example():
            probe.submit(url, data)

    run()
    probe.stats.require()


def test_password_reset_from_key(probe, company_user):
    uid = user_pk_to_url_str(company_user)
    key = default_token_generator.make_token(company_user)

    @fuzz(30)
    @given(
        uid=st.one_of(st.just(uid), st.from_regex(r"\A[0-9A-Za-z]{1,30}\Z")),
        key=st.one_of(st.sampled_from([key, "set-password"]), path_segment()),
        method=st.sampled_from(["get", "post"]),
        data=form_data({"password1": st.just(STRONG), "password2": st.just(STRONG)}),
    )
    def run(uid, key, method, data):
        url = f"/accounts/password/reset/key/{uid}-{quote(key, safe='')}/"
        with probe.example():
            probe.submit(url, data, method=method)
            company_user.refresh_from_db()
            assert company_user.check_password(PASSWORD)  # no reset without the session step

    run()
    probe.stats.require()


def test_email_confirmation_key(probe, db):
    @fuzz(25)
    @given(
        key=st.one_of(st.from_regex(r"\A[-:\w]{1,80}\Z"), path_segment()),
        method=st.sampled_from(["get", "post"]),
    )
    def run(key, method):
        with probe.example():
            probe.submit(f"/accounts/confirm-email/{quote(key, safe='')}/", method=method)

    run()
    probe.stats.require(accepted=False)


def test_password_change(probe, company_user):
    probe.client.force_login(company_user)
    url = reverse("account_change_password")

    @fuzz(30)
    @given(
        data=form_data(
            {
                "oldpassword": PASSWORDS,
                "password1": st.just(STRONG),
                "password2": st.sampled_from([STRONG, "anders-2026!"]),
            }
        )
    )
    def run(data):
        with probe.example():
            probe.submit(url, data)

    run()
    probe.stats.require()


def test_email_addresses(probe, company_user, other_company_admin):
    second = EmailAddress.objects.create(
        user=company_user, email="zweite@moselblick.example", verified=False
    )
    probe.client.force_login(company_user)
    url = reverse("account_email")

    @fuzz(30)
    @given(
        action=st.sampled_from(["action_add", "action_send", "action_remove", "action_primary"]),
        data=form_data(
            {
                "email": st.one_of(
                    EMAIL,
                    st.sampled_from([company_user.email, second.email, other_company_admin.email]),
                )
            }
        ),
    )
    def run(action, data):
        with probe.example():
            probe.submit(url, {action: "", **data})
            # Another account's address can be added only unverified; the owner keeps it.
            assert not EmailAddress.objects.filter(
                email__iexact=other_company_admin.email, verified=True
            ).exclude(user=other_company_admin)
            assert EmailAddress.objects.get(user=other_company_admin).primary

    run()
    probe.stats.require()


def test_reauthentication(probe, company_user):
    probe.client.force_login(company_user)
    url = reverse("account_reauthenticate")

    @fuzz(20)
    @given(data=form_data({"password": PASSWORDS}))
    def run(data):
        with probe.example():
            probe.submit(url, data)

    run()
    probe.stats.require()


def fresh_code(secret: str) -> str:
    """A code that stays valid for the next seconds (both languages are sent with it)."""
    left = TOTP_PERIOD - time.time() % TOTP_PERIOD
    if left < 3:
        time.sleep(left + 0.1)
    return totp_code(secret)


def _login(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response


def test_authenticator_app_enrolment(probe, company_user):
    probe.client.force_login(company_user)
    # Enrolment asks for the password first.
    probe.client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    url = reverse("mfa_activate_totp")
    probe.client.get(url)  # the page puts the new secret into the session
    secret = probe.client.session["mfa.totp.secret"]

    @fuzz(20)
    @given(data=form_data({"code": st.sampled_from(["VALID", "123456", "000000", ""])}))
    def run(data):
        if data.get("code") == "VALID":
            data["code"] = fresh_code(secret)
        with probe.example():
            # A code works once (allauth remembers used ones in the cache): forget them.
            probe.submit(url, data, reset=cache.clear)

    run()
    probe.stats.require()


def test_second_factor_at_login(probe, db):
    user = UserFactory(email="zwei-faktoren@moselblick.example")
    secret = enroll_totp(user)
    _login(probe.client, user)
    url = reverse("mfa_authenticate")

    @fuzz(25)
    @given(data=form_data({"code": st.sampled_from(["VALID", "123456", "", "1234567"])}))
    def run(data):
        if data.get("code") == "VALID":
            data["code"] = fresh_code(secret)
        with probe.example():
            probe.submit(url, data, reset=cache.clear)

    run()
    probe.stats.require()


def test_language_switch(probe, db):
    url = reverse("set_language")

    @fuzz(25)
    @given(
        data=form_data(
            {
                "language": st.sampled_from(["de", "en", "fr", "DE"]),
                "next": st.one_of(
                    st.sampled_from(["/", "/seal/", "https://evil.example/", "//evil.example"]),
                    hostile_text(),
                ),
            }
        )
    )
    def run(data):
        with probe.example():
            response = probe.submit(url, data)
            if response.status_code == 302:
                # Never sent off the portal, whatever "next" says.
                assert not response["Location"].startswith(("http", "//")), response["Location"]

    run()
    probe.stats.require(rejected_with_messages=False)


def test_too_many_fields_get_a_german_page(probe, db):
    fields = {f"feld{i}": "x" for i in range(1100)}
    response = probe.submit(reverse("account_login"), fields)
    assert response.status_code == 400
    assert "<h1>Ungültige Anfrage</h1>" in response.content.decode()
