"""A subscriber's data can be exported as JSON and erased; anonymous send counts remain."""

import json
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.db.models import Count, Q

from newsletter import services
from newsletter.models import ConsentRecord, Delivery, Subscriber, Subscription
from tests.newsletter.factories import (
    DeliveryFactory,
    IssueFactory,
    MailingListFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

SIGNED_UP = datetime(2025, 5, 22, 9, 30, tzinfo=UTC)
CONFIRMED = SIGNED_UP + timedelta(minutes=12)
CONSENT = "Ich möchte den Newsletter des Netzwerks erhalten. Abmelden geht jederzeit."


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def newsletter_list():
    return MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")


@pytest.fixture
def reader(newsletter_list, django_capture_on_commit_callbacks):
    """Signed up on the public form, confirmed by link, received one issue."""
    with at(SIGNED_UP), django_capture_on_commit_callbacks(execute=True):
        services.subscription_request(
            email="Petra.Mueller@Moselblick-Pflege.example",
            lists=[newsletter_list],
            consent_text=CONSENT,
            form="subscribe-page",
            salutation="ms",
            title="Dr.",
            first_name="Petra",
            last_name="Müller",
        )
    subscriber = Subscriber.objects.get()
    with at(CONFIRMED):
        services.subscription_confirm(subscriber=subscriber, list_ids=[newsletter_list.pk])
    issue = IssueFactory(subject="Einladung zum Weihnachtsempfang", lists=[newsletter_list])
    DeliveryFactory(
        issue=issue, subscriber=subscriber, status=Delivery.Status.SENT, sent_at=CONFIRMED
    )
    return subscriber


def test_export_contains_the_data_the_subscriptions_and_the_consent_log(reader):
    data = json.loads(services.subscriber_export(reader))

    assert data == {
        "email": "petra.mueller@moselblick-pflege.example",
        "salutation": "ms",
        "title": "Dr.",
        "first_name": "Petra",
        "last_name": "Müller",
        "language": "de",
        "created_at": "2025-05-22T09:30:00+00:00",
        "suppressed_at": None,
        "subscriptions": [
            {
                "list": "Fachkräfte-Newsletter",
                "status": "confirmed",
                "source": "subscribe-page",
                "created_at": "2025-05-22T09:30:00+00:00",
                "confirmed_at": "2025-05-22T09:42:00+00:00",
                "unsubscribed_at": None,
            }
        ],
        "consent_log": [
            {
                "list": "Fachkräfte-Newsletter",
                "action": "requested",
                "form": "subscribe-page",
                "text": CONSENT,
                "at": "2025-05-22T09:30:00+00:00",
            },
            {
                "list": "Fachkräfte-Newsletter",
                "action": "confirmed",
                "form": "confirmation-link",
                "text": "",
                "at": "2025-05-22T09:42:00+00:00",
            },
        ],
        "deliveries": [
            {
                "issue": "Einladung zum Weihnachtsempfang",
                "status": "sent",
                "sent_at": "2025-05-22T09:42:00+00:00",
            }
        ],
    }


def test_export_of_a_suppressed_address_says_since_when(reader):
    bounced = SIGNED_UP + timedelta(days=3)
    with at(bounced):
        services.bounce_record(email=reader.email, kind="hard", source="webhook")
    reader.refresh_from_db()

    data = json.loads(services.subscriber_export(reader))

    assert data["suppressed_at"] == "2025-05-25T09:30:00+00:00"


def sent_counts():
    return dict(
        Delivery.objects.values("issue__subject")
        .annotate(sent=Count("pk", filter=Q(status=Delivery.Status.SENT)))
        .values_list("issue__subject", "sent")
    )


def test_erasure_removes_the_person_and_keeps_anonymous_send_counts(newsletter_list):
    first = IssueFactory(subject="Ausgabe März", lists=[newsletter_list])
    second = IssueFactory(subject="Ausgabe Mai", lists=[newsletter_list])
    leaving = [
        SubscriptionFactory(mailing_list=newsletter_list, subscriber__email=email).subscriber
        for email in ("petra.mueller@example.org", "jonas.becker@example.org")
    ]
    staying = SubscriptionFactory(
        mailing_list=newsletter_list, subscriber__email="bleibt@example.org"
    ).subscriber
    for subscriber in [*leaving, staying]:
        ConsentRecord.objects.create(
            subscriber=subscriber, mailing_list=newsletter_list, action="confirmed", form="test"
        )
        for issue in (first, second):
            DeliveryFactory(issue=issue, subscriber=subscriber, status=Delivery.Status.SENT)
    DeliveryFactory(
        issue=second,
        subscriber=leaving[0],
        email="alt@example.org",
        status=Delivery.Status.FAILED,
        last_error="550 user unknown alt@example.org",
    )
    before = sent_counts()
    assert before == {"Ausgabe März": 3, "Ausgabe Mai": 3}

    for subscriber in leaving:
        services.subscriber_erase(subscriber=subscriber)

    assert list(Subscriber.objects.values_list("email", flat=True)) == ["bleibt@example.org"]
    assert list(Subscription.objects.values_list("subscriber__email", flat=True)) == [
        "bleibt@example.org"
    ]
    assert list(ConsentRecord.objects.values_list("subscriber__email", flat=True)) == [
        "bleibt@example.org"
    ]
    assert sent_counts() == before
    assert sorted(Delivery.objects.values_list("issue__subject", "email", "subscriber")) == [
        ("Ausgabe Mai", "", None),
        ("Ausgabe Mai", "", None),
        ("Ausgabe Mai", "", None),
        ("Ausgabe Mai", "bleibt@example.org", staying.pk),
        ("Ausgabe März", "", None),
        ("Ausgabe März", "", None),
        ("Ausgabe März", "bleibt@example.org", staying.pk),
    ]
    assert not Delivery.objects.exclude(last_error="").exists()
