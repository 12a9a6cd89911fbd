"""Bounces and complaints from the mail provider's tracking webhook, posted the way Mailgun and
Postmark post them (the payloads of their webhook documentation), read by django-anymail."""

import base64
import hashlib
import hmac
import json

import pytest
from django.test import Client

from network_portal.activity import Process
from network_portal.models import ActivityEntry
from newsletter.models import Bounce, Subscriber
from tests.newsletter.factories import MailingListFactory, SubscriberFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

URL = "/newsletter/bounces/provider/"
BASIC_AUTH = "netzwerk-portal:webhook-geheim-54290"
SIGNING_KEY = "mailgun-signing-key-1f2e3d4c5b6a"


@pytest.fixture
def mailgun(settings):
    settings.BOUNCE_WEBHOOK_PROVIDER = "mailgun"
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH, "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}


@pytest.fixture
def postmark(settings):
    settings.BOUNCE_WEBHOOK_PROVIDER = "postmark"
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH}


@pytest.fixture
def provider():
    """The provider's servers: no cookies, no CSRF token."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def readers():
    mailing_list = MailingListFactory(name="Fachkräfte-Newsletter")
    people = {}
    for address in ("alt@moselblick.example", "voll@saarweine.example", "genervt@eifel.example"):
        people[address] = SubscriberFactory(email=address)
        SubscriptionFactory(subscriber=people[address], mailing_list=mailing_list)
    return people


def post(client, payload, *, auth=BASIC_AUTH):
    headers = {}
    if auth:
        headers["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    return client.post(URL, json.dumps(payload), content_type="application/json", headers=headers)


def mailgun_event(
    event_data: dict, *, token="5d8f0c4b2a9e7f6d1c3b8a0e4f2d6c9b7a1e3f5d8c0b2a4e6f", key=None
):
    """A Mailgun webhook body: the signed envelope around ``event-data``."""
    timestamp = "1741075951"
    signature = hmac.new(
        (key or SIGNING_KEY).encode(), f"{timestamp}{token}".encode(), hashlib.sha256
    ).hexdigest()
    return {
        "signature": {"timestamp": timestamp, "token": token, "signature": signature},
        "event-data": event_data,
    }


def mailgun_failed(recipient, *, severity="permanent", code=550, message=None, token=None):
    message = message or (
        "5.1.1 The email account that you tried to reach does not exist. Please try "
        "double-checking the recipient's email address for typos or unnecessary spaces."
    )
    data = {
        "event": "failed",
        "id": "G9Bn5sl1TC6nu79C8C0bwg",
        "timestamp": 1741075951.375624,
        "log-level": "error" if severity == "permanent" else "warn",
        "severity": severity,
        "reason": "bounce" if severity == "permanent" else "generic",
        "envelope": {
            "sender": "bounces@mg.netzwerk.example.org",
            "transport": "smtp",
            "targets": recipient,
        },
        "flags": {"is-routed": False, "is-authenticated": True, "is-test-mode": False},
        "delivery-status": {
            "tls": True,
            "mx-host": "mx.moselblick.example",
            "attempt-no": 1,
            "code": code,
            "message": message,
            "description": "",
            "session-seconds": 0.41,
        },
        "message": {
            "headers": {
                "to": recipient,
                "message-id": "174107594812.77.4711@portal.netzwerk.example.org",
                "from": "Netzwerk Attraktive Unternehmen Trier <netzwerk@example.org>",
                "subject": "Newsletter März",
            },
            "attachments": [],
            "size": 4711,
        },
        "recipient": recipient,
        "recipient-domain": recipient.split("@")[1],
        "campaigns": [],
        "tags": [],
        "user-variables": {},
    }
    return mailgun_event(data, **({"token": token} if token else {}))


def suppressed() -> set[str]:
    return set(
        Subscriber.objects.filter(suppressed_at__isnull=False).values_list("email", flat=True)
    )


def test_a_mailgun_permanent_failure_is_a_hard_bounce_once(mailgun, provider, readers):
    payload = mailgun_failed("Alt@Moselblick.example")

    response = post(provider, payload)

    assert response.status_code == 200
    bounce = Bounce.objects.get()
    assert (bounce.email, bounce.kind, bounce.source) == (
        "alt@moselblick.example",
        "hard",
        "mailgun",
    )
    assert bounce.diagnostic.startswith("bounced – 5.1.1 The email account that you tried")
    assert suppressed() == {"alt@moselblick.example"}
    entry = ActivityEntry.objects.get(action="newsletter.bounce.recorded")
    assert entry.process == Process.WEBHOOK

    # Mailgun posts the same event again when it did not get our answer: it counts once.
    assert post(provider, payload).status_code == 200
    assert Bounce.objects.count() == 1


def test_a_mailgun_temporary_failure_is_a_soft_bounce(mailgun, provider, readers):
    payload = mailgun_failed(
        "voll@saarweine.example",
        severity="temporary",
        code=452,
        message="4.2.2 The email account that you tried to reach is over quota.",
    )
    assert post(provider, payload).status_code == 200
    bounce = Bounce.objects.get()
    assert (bounce.email, bounce.kind) == ("voll@saarweine.example", "soft")
    assert suppressed() == set()


def test_a_mailgun_spam_complaint_suppresses_the_address(mailgun, provider, readers):
    payload = mailgun_event(
        {
            "event": "complained",
            "id": "ncV2XwymRUKbPek_MIM-Gw",
            "timestamp": 1741075999.1,
            "log-level": "warn",
            "recipient": "genervt@eifel.example",
            "message": {"headers": {"message-id": "1741.3@portal.netzwerk.example.org"}},
            "tags": [],
            "user-variables": {},
        }
    )
    assert post(provider, payload).status_code == 200
    bounce = Bounce.objects.get()
    assert (bounce.email, bounce.kind, bounce.diagnostic) == (
        "genervt@eifel.example",
        "hard",
        "spam complaint",
    )
    assert suppressed() == {"genervt@eifel.example"}


def test_a_delivered_event_records_nothing(mailgun, provider, readers):
    payload = mailgun_event(
        {
            "event": "delivered",
            "id": "hK7mQVt1QtqRiOfQXta4sw",
            "timestamp": 1741075951.1,
            "recipient": "alt@moselblick.example",
            "delivery-status": {"code": 250, "message": "OK", "description": ""},
            "message": {"headers": {"message-id": "1741.4@portal.netzwerk.example.org"}},
        }
    )
    assert post(provider, payload).status_code == 200
    assert not Bounce.objects.exists()


@pytest.mark.parametrize(
    ("auth", "key"),
    [(None, None), ("netzwerk-portal:falsch", None), (BASIC_AUTH, "a-forged-signing-key")],
    ids=["no-basic-auth", "wrong-basic-auth", "forged-signature"],
)
def test_calls_without_the_secret_or_signature_are_refused(mailgun, provider, readers, auth, key):
    payload = mailgun_failed("alt@moselblick.example")
    if key:
        payload["signature"] = mailgun_event({}, key=key)["signature"]
    response = post(provider, payload, auth=auth)
    assert response.status_code == 400
    assert not Bounce.objects.exists()
    assert suppressed() == set()


POSTMARK_HARD_BOUNCE = {
    "RecordType": "Bounce",
    "MessageStream": "outbound",
    "ID": 4323372036854775807,
    "Type": "HardBounce",
    "TypeCode": 1,
    "Name": "Hard bounce",
    "Tag": "Netzwerktreffen",
    "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
    "Metadata": {},
    "ServerID": 23,
    "Description": (
        "The server was unable to deliver your message (ex: unknown user, mailbox not found)."
    ),
    "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
    "Email": "alt@moselblick.example",
    "From": "netzwerk@example.org",
    "BouncedAt": "2025-03-04T08:12:31.9070259Z",
    "DumpAvailable": True,
    "Inactive": True,
    "CanActivate": True,
    "Subject": "Einladung: Netzwerktreffen im März",
    "Content": "",
}


def test_a_postmark_hard_bounce_is_recorded_and_a_soft_one_is_not_suppressed(
    postmark, provider, readers
):
    assert post(provider, POSTMARK_HARD_BOUNCE).status_code == 200
    soft = {
        **POSTMARK_HARD_BOUNCE,
        "ID": 4323372036854775808,
        "Type": "SoftBounce",
        "TypeCode": 4096,
        "Name": "Soft bounce",
        "Description": "Unable to temporarily deliver this message.",
        "Details": "smtp;552 mailbox full",
        "Email": "voll@saarweine.example",
    }
    assert post(provider, soft).status_code == 200
    kinds = dict(Bounce.objects.values_list("email", "kind"))
    assert kinds == {"alt@moselblick.example": "hard", "voll@saarweine.example": "soft"}
    assert suppressed() == {"alt@moselblick.example"}
    assert set(Bounce.objects.values_list("source", flat=True)) == {"postmark"}
    # Postmark's retry of the same bounce counts once.
    assert post(provider, POSTMARK_HARD_BOUNCE).status_code == 200
    assert Bounce.objects.count() == 2


def test_postmark_without_basic_auth_is_refused(postmark, provider, readers):
    assert post(provider, POSTMARK_HARD_BOUNCE, auth=None).status_code == 400
    assert not Bounce.objects.exists()


def test_the_webhook_is_off_without_a_provider_or_without_a_secret(settings, provider, readers):
    settings.BOUNCE_WEBHOOK_PROVIDER = ""
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH}
    assert post(provider, POSTMARK_HARD_BOUNCE).status_code == 404

    # A provider without the basic auth secret would take anybody's word: it stays off.
    settings.BOUNCE_WEBHOOK_PROVIDER = "postmark"
    settings.ANYMAIL = {}
    assert post(provider, POSTMARK_HARD_BOUNCE, auth=None).status_code == 404
    assert not Bounce.objects.exists()


def test_the_settings_check_names_a_wrong_provider(settings):
    from newsletter.provider_bounces import check_settings

    settings.BOUNCE_WEBHOOK_PROVIDER = "mailchimp"
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH}
    settings.BOUNCE_MAILBOX_URL = "smtp://bounces@netzwerk.example.org"
    assert [error.id for error in check_settings()] == ["newsletter.E001", "newsletter.E003"]


def test_the_settings_check_names_a_missing_signing_key(settings):
    from newsletter.provider_bounces import check_settings

    settings.BOUNCE_WEBHOOK_PROVIDER = "mailgun"
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH}  # but no MAILGUN_WEBHOOK_SIGNING_KEY
    settings.BOUNCE_MAILBOX_URL = ""
    errors = check_settings()

    assert [error.id for error in errors] == ["newsletter.E004"]
    assert "WEBHOOK_SIGNING_KEY" in errors[0].msg
    settings.ANYMAIL = {"WEBHOOK_SECRET": BASIC_AUTH, "MAILGUN_WEBHOOK_SIGNING_KEY": "key-2026"}
    assert check_settings() == []
