"""Sessions end after inactivity and after an absolute lifetime; personal pages aren't cached."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from network_portal.middleware import LOGIN_AT_SESSION_KEY, SEEN_AT_SESSION_KEY
from newsletter.rendering import subscriber_links
from tests.newsletter.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

COMPANY_PAGE = "/members/company/"


def log_in(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "geheim-123-trier"}
    )
    assert response.status_code == 302
    assert client.session[LOGIN_AT_SESSION_KEY] == pytest.approx(time.time(), abs=5)


def shift_session(client, **ages):
    """Pretend the login / the last request happened ``ages`` seconds ago."""
    session = client.session
    for key, seconds in ages.items():
        session[key] = time.time() - seconds
    session.save()


def test_session_survives_activity_within_both_limits(client, company_admin, settings):
    log_in(client, company_admin)
    shift_session(
        client,
        **{
            LOGIN_AT_SESSION_KEY: settings.SESSION_MAX_AGE - 60,
            SEEN_AT_SESSION_KEY: settings.SESSION_IDLE_TIMEOUT - 60,
        },
    )

    assert client.get(COMPANY_PAGE).status_code == 200
    # The request counts as activity: the idle clock starts again.
    assert client.session[SEEN_AT_SESSION_KEY] == pytest.approx(time.time(), abs=5)


def test_session_ends_after_two_idle_hours_by_default(client, company_admin, settings):
    assert settings.SESSION_IDLE_TIMEOUT == 2 * 60 * 60
    log_in(client, company_admin)
    shift_session(client, **{SEEN_AT_SESSION_KEY: settings.SESSION_IDLE_TIMEOUT + 1})

    response = client.get(COMPANY_PAGE, follow=True)

    assert response.redirect_chain[0][0] == f"{reverse('account_login')}?next={COMPANY_PAGE}"
    assert SESSION_KEY not in client.session
    assert "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an." in [
        str(message) for message in response.context["messages"]
    ]


def test_session_ends_after_its_absolute_lifetime_even_when_active(client, company_admin, settings):
    settings.SESSION_MAX_AGE = 8 * 60 * 60
    log_in(client, company_admin)
    for _ in range(3):  # busy all along
        assert client.get(COMPANY_PAGE).status_code == 200
    shift_session(client, **{LOGIN_AT_SESSION_KEY: settings.SESSION_MAX_AGE + 1})

    response = client.get(COMPANY_PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert SESSION_KEY not in client.session


def test_idle_timeout_is_configurable(client, company_admin, settings):
    settings.SESSION_IDLE_TIMEOUT = 15 * 60
    log_in(client, company_admin)
    shift_session(client, **{SEEN_AT_SESSION_KEY: 16 * 60})
    assert client.get(COMPANY_PAGE).status_code == 302


def test_session_cookie_expires_with_the_idle_timeout(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT


def test_pages_of_logged_in_users_are_not_stored(client, company_admin):
    client.force_login(company_admin)
    for url in (COMPANY_PAGE, "/", reverse("meetings:list"), reverse("seal:home")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_public_pages_for_visitors_may_be_cached(client):
    response = client.get(reverse("seal:home"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_pages_opened_with_a_personal_link_are_not_stored(client, settings):
    subscription = SubscriptionFactory()
    url = subscriber_links(subscription.subscriber)["preferences_url"]

    response = client.get(url.removeprefix(settings.SITE_URL))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
