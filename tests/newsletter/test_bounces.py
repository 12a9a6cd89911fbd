"""Bounces from the provider's webhook and from the management command; suppression."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from newsletter import services
from newsletter.models import Bounce, Delivery, Subscriber
from tests.newsletter.factories import (
    DeliveryFactory,
    IssueFactory,
    MailingListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

URL = "/newsletter/bounces/"
TOKEN = "bounce-geheimnis-54290"


@pytest.fixture(autouse=True)
def _webhook_on(settings):
    settings.NEWSLETTER_BOUNCE_TOKEN = TOKEN


@pytest.fixture
def provider():
    """The mail provider: no cookies, no CSRF token, only the bearer token."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def subscribed():
    mailing_list = MailingListFactory(name="Fachkräfte-Newsletter")
    subscriber = SubscriberFactory(email="alt@moselblick.example")
    SubscriptionFactory(subscriber=subscriber, mailing_list=mailing_list)
    return subscriber, mailing_list


def post(client, body, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    payload = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, payload, content_type="application/json", headers=headers)


def test_a_hard_bounce_is_recorded_and_suppresses_the_address(provider, subscribed):
    subscriber, mailing_list = subscribed
    pending = DeliveryFactory(issue=IssueFactory(lists=[mailing_list]), subscriber=subscriber)

    response = post(
        provider,
        {"email": "Alt@Moselblick.example", "type": "hard", "diagnostic": "550 5.1.1 unknown"},
    )

    assert response.status_code == 201
    bounce = Bounce.objects.get()
    assert response.json() == {"id": bounce.pk, "email": "alt@moselblick.example", "type": "hard"}
    assert (bounce.email, bounce.kind, bounce.diagnostic, bounce.source) == (
        "alt@moselblick.example",
        "hard",
        "550 5.1.1 unknown",
        "webhook",
    )
    subscriber.refresh_from_db()
    assert subscriber.suppressed_at is not None
    assert subscriber.suppression_reason == "harte Unzustellbarkeit"
    pending.refresh_from_db()
    assert pending.status == "failed"

    later = IssueFactory(lists=[mailing_list])
    services.issue_expand(issue=later)
    assert not Delivery.objects.filter(issue=later).exists()


def test_a_soft_bounce_is_recorded_without_suppression(provider, subscribed):
    subscriber, _list = subscribed
    response = post(provider, {"email": subscriber.email, "type": "soft"})
    assert response.status_code == 201
    assert Bounce.objects.get().kind == "soft"
    subscriber.refresh_from_db()
    assert subscriber.suppressed_at is None


def test_a_suppressed_address_cannot_sign_up_again_unnoticed(provider, subscribed):
    subscriber, mailing_list = subscribed
    post(provider, {"email": subscriber.email, "type": "hard"})
    assert (
        services.subscription_request(
            email=subscriber.email, lists=[mailing_list], consent_text="x", form="public-signup"
        )
        == []
    )


def test_the_webhook_is_off_without_a_token(provider, settings):
    settings.NEWSLETTER_BOUNCE_TOKEN = ""
    response = post(provider, {"email": "alt@moselblick.example", "type": "hard"}, token="")
    assert response.status_code == 404
    assert not Bounce.objects.exists()


@pytest.mark.parametrize("token", [None, "falsch", TOKEN + "x", ""])
def test_a_wrong_or_missing_token_is_refused(provider, token):
    response = post(provider, {"email": "alt@moselblick.example", "type": "hard"}, token=token)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="newsletter-bounces"'
    assert response.json() == {
        "error": "unauthorized",
        "message": "Zugangstoken fehlt oder ist falsch.",
    }
    assert not Bounce.objects.exists()


def test_other_schemes_are_refused(provider):
    response = provider.post(
        URL,
        json.dumps({"email": "alt@moselblick.example", "type": "hard"}),
        content_type="application/json",
        headers={"Authorization": f"Basic {TOKEN}"},
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        ("{kein json", "invalid_json", "Der Inhalt der Anfrage ist kein gültiges JSON."),
        (
            '["alt@moselblick.example"]',
            "invalid_json",
            "Der Inhalt der Anfrage muss ein JSON-Objekt sein.",
        ),
        ({"type": "hard"}, "missing_email", "Das Feld „email“ fehlt."),
        ({"email": "  ", "type": "hard"}, "missing_email", "Das Feld „email“ fehlt."),
        (
            {"email": "kein-at", "type": "hard"},
            "invalid_email",
            "„email“ ist keine gültige E-Mail-Adresse.",
        ),
        (
            {"email": "alt@moselblick.example"},
            "invalid_type",
            "„type“ muss „hard“ oder „soft“ sein.",
        ),
        (
            {"email": "alt@moselblick.example", "type": "block"},
            "invalid_type",
            "„type“ muss „hard“ oder „soft“ sein.",
        ),
        (
            {"email": "alt@moselblick.example", "type": "hard", "diagnostic": 550},
            "invalid_diagnostic",
            "„diagnostic“ muss ein Text sein.",
        ),
    ],
)
def test_bad_requests_are_refused_with_a_json_error(provider, body, error, message):
    response = post(provider, body)
    assert response.status_code == 400
    assert response.json() == {"error": error, "message": message}
    assert not Bounce.objects.exists()


def test_only_post_is_allowed(client):
    response = client.get(URL, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"


# --- The management command ------------------------------------------------------------------


def test_the_command_records_a_hard_bounce(subscribed, capsys):
    subscriber, _list = subscribed
    call_command("newsletter_bounce", "ALT@moselblick.example", diagnostic="Postfach unbekannt")
    bounce = Bounce.objects.get()
    assert (bounce.email, bounce.kind, bounce.diagnostic, bounce.source) == (
        "alt@moselblick.example",
        "hard",
        "Postfach unbekannt",
        "command",
    )
    assert Subscriber.objects.get().suppressed_at is not None
    assert (
        "Hard bounce recorded for alt@moselblick.example; the address is suppressed."
        in capsys.readouterr().out
    )


def test_the_command_records_a_soft_bounce(subscribed, capsys):
    subscriber, _list = subscribed
    call_command("newsletter_bounce", subscriber.email, "--soft")
    assert Bounce.objects.get().kind == "soft"
    assert Subscriber.objects.get().suppressed_at is None
    assert "Soft bounce recorded" in capsys.readouterr().out


def test_the_command_refuses_an_invalid_address():
    with pytest.raises(CommandError, match="“kein-at” is not a valid email address."):
        call_command("newsletter_bounce", "kein-at")
    assert not Bounce.objects.exists()


def test_overlong_address_is_refused(provider):
    # Valid by the standard (up to 320 characters), longer than the address column (254).
    response = post(provider, {"email": "x" * 236 + "@moselblick.example", "type": "hard"})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_email"
    assert not Bounce.objects.exists()


def test_diagnostic_is_kept_without_what_postgresql_refuses(provider):
    from tests.forms.harness import strict_database

    # A NUL character and a lone surrogate, as a JSON escape can carry them.
    body = (
        '{"email": "alt@moselblick.example", "type": "soft", '
        '"diagnostic": "452\\u0000 voll\\ud800"}'
    )
    with strict_database():
        response = post(provider, body)
    assert response.status_code == 201
    assert Bounce.objects.get().diagnostic == "452 voll?"
