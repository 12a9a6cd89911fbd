"""Erasing a subscriber (GDPR Art. 17) keeps the activity log's events about the address and
removes the personal data in them: the address, the name, who acted when it was the person."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from network_portal.activity import entry_object, entry_who
from network_portal.models import ActivityEntry
from newsletter import services
from newsletter.models import Subscriber
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import MailingListFactory

pytestmark = pytest.mark.django_db

ADDRESS = "petra.mueller@moselblick-pflege.example"
OTHER = "bernd.kettern@olewig.example"
CONSENT = "Ich möchte den Newsletter des Netzwerks erhalten. Abmelden geht jederzeit."


def sign_up(email, mailing_list) -> Subscriber:
    """The public form, the confirmation link, a soft bounce, a change of lists."""
    services.subscription_request(
        email=email,
        lists=[mailing_list],
        consent_text=CONSENT,
        form="subscribe-page",
        first_name="Petra",
        last_name="Müller",
    )
    subscriber = Subscriber.objects.get(email=email)
    services.subscription_confirm(subscriber=subscriber, list_ids=[mailing_list.pk])
    services.bounce_record(email=email, kind="soft", diagnostic=f"452 {email}", source="command")
    services.unsubscribe_all(subscriber=subscriber, form="one-click")
    return subscriber


def mentions(entry: ActivityEntry, text: str) -> bool:
    stored = " ".join([entry.actor_label, entry.object_label, json.dumps(entry.details)])
    return text.lower() in stored.lower()


def test_erasure_keeps_the_events_and_removes_the_personal_data(client, coordinator):
    mailing_list = MailingListFactory(name="Fachkräfte-Newsletter")
    subscriber = sign_up(ADDRESS, mailing_list)
    sign_up(OTHER, mailing_list)
    before = list(ActivityEntry.objects.order_by("pk").values_list("pk", "action", "at"))
    assert sum(mentions(entry, ADDRESS) for entry in ActivityEntry.objects.all()) == 4

    login_with_second_factor(client, coordinator)
    response = client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "erase", "_selected_action": [subscriber.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    entries = list(ActivityEntry.objects.order_by("pk"))
    # Every event stays, with its action and time; one more: the erasure itself.
    assert [(e.pk, e.action, e.at) for e in entries[:-1]] == before
    erasure = entries[-1]
    assert (erasure.action, erasure.actor, erasure.actor_label) == (
        "newsletter.subscriber.erased",
        coordinator,
        str(coordinator),
    )
    assert erasure.details == {"subscriptions": 1, "bounces": 1}
    # Nothing names the address any more …
    assert [e.action for e in entries if mentions(e, ADDRESS)] == []
    erased = [e for e in entries if e.personal_data_erased_at is not None]
    assert [e.action for e in erased] == [
        "newsletter.subscriber.subscription_requested",
        "newsletter.subscriber.confirmed",
        "newsletter.bounce.recorded",
        "newsletter.subscriber.unsubscribed",
        "newsletter.subscriber.erased",
    ]
    # … what is not personal stays: the lists, the kind of bounce, the process …
    assert erased[0].details == {"lists": ["Fachkräfte-Newsletter"]}
    assert erased[2].details == {"kind": "soft", "suppressed": False}
    assert [e.process for e in erased] == ["form", "link", "command", "link", ""]
    # … and the other reader's entries are untouched.
    assert sum(mentions(entry, OTHER) for entry in entries) == 4
    with translation.override("de"):
        assert entry_who(erased[1]) == "Link aus einer E-Mail"
        assert entry_object(erased[1]).endswith(
            f"#{subscriber.pk} (personenbezogene Daten gelöscht)"
        )

    listed = client.get(reverse("admin:network_portal_activityentry_changelist"))
    assert ADDRESS not in listed.text
    assert listed.text.count("(personenbezogene Daten gelöscht)") == 5
