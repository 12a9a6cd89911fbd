"""Hostile input on the newsletter: sign-up, confirmation, preferences, unsubscribe, bounces."""

import json

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from network_portal.signing import make_token
from newsletter import rendering
from newsletter.models import Bounce, ConsentRecord, Subscriber, Subscription
from tests.forms.harness import (
    EMAIL,
    OPTIONAL_WORDS,
    around,
    form_data,
    fuzz,
    hostile_text,
    ids_or_junk,
    received,
    url_with,
)
from tests.newsletter.factories import (
    MailingListFactory,
    MemberListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)


@pytest.fixture
def lists():
    return {
        "public": MailingListFactory(name="Fachkräfte-Newsletter"),
        "events": MailingListFactory(name="Veranstaltungen"),
        "members": MemberListFactory(name="Alle Mitglieder"),
    }


@pytest.fixture
def subscriber(lists):
    reader = SubscriberFactory(email="leserin@moselblick.example")
    SubscriptionFactory(subscriber=reader, mailing_list=lists["public"])
    SubscriptionFactory(
        subscriber=reader, mailing_list=lists["events"], status=Subscription.Status.PENDING
    )
    return reader


def list_choices(lists):
    ids = [ml.pk for ml in lists.values()]
    return st.one_of(
        st.lists(st.sampled_from([str(lists["public"].pk), str(lists["events"].pk)]), min_size=1),
        st.lists(ids_or_junk(*ids), min_size=1, max_size=3),
    )


def test_subscribe(probe, lists):
    url = reverse("newsletter:subscribe")

    @fuzz(40)
    @given(
        data=form_data(
            {
                "email": EMAIL,
                "salutation": st.sampled_from(["", "ms", "mr"]),
                "title": st.sampled_from(["", "Dr."]),
                "first_name": OPTIONAL_WORDS,
                "last_name": OPTIONAL_WORDS,
                "lists": list_choices(lists),
                "consent": st.just("on"),
                "website": st.just(""),
            }
        )
    )
    def run(data):
        with probe.example():
            probe.submit(url, data)
            # Nobody gets on a list without confirming, and never on a members' list.
            assert not Subscription.objects.filter(status=Subscription.Status.CONFIRMED).exists()
            assert not Subscription.objects.filter(mailing_list=lists["members"]).exists()

    run()
    probe.stats.require()


def test_confirmation_link(probe, lists, subscriber):
    good = [
        make_token(
            purpose=rendering.CONFIRM_PURPOSE,
            payload={"s": subscriber.pk, "l": [lists["events"].pk]},
        ),
        # A link made for unsubscribing is no confirmation.
        make_token(purpose=rendering.UNSUBSCRIBE_PURPOSE, payload={"s": subscriber.pk}),
    ]

    @fuzz(30)
    @given(token=around(good), method=st.sampled_from(["get", "post"]), extra=form_data({}))
    def run(token, method, extra):
        with probe.example():
            probe.submit(url_with("newsletter:confirm", token), extra, method=method)
            if Subscription.objects.filter(
                mailing_list=lists["events"], status=Subscription.Status.CONFIRMED
            ).exists():
                assert (token, method) == (good[0], "post")

    run()
    probe.stats.require()


def test_preferences(probe, lists, subscriber):
    good = [make_token(purpose=rendering.PREFERENCES_PURPOSE, payload={"s": subscriber.pk})]

    @fuzz(40)
    @given(
        token=around(good),
        data=form_data(
            {"lists": list_choices(lists), "action": st.sampled_from(["save", "leave"])}
        ),
    )
    def run(token, data):
        with probe.example():
            probe.submit(url_with("newsletter:preferences", token), data)
            # Choosing a members' list on the page never puts a reader on it.
            assert not Subscription.objects.filter(mailing_list=lists["members"]).exists()

    run()
    probe.stats.require()


def test_unsubscribe(probe, lists, subscriber):
    good = [make_token(purpose=rendering.UNSUBSCRIBE_PURPOSE, payload={"s": subscriber.pk})]

    @fuzz(30)
    @given(
        token=around(good),
        method=st.sampled_from(["get", "post"]),
        data=form_data({"List-Unsubscribe": st.just("One-Click")}),
    )
    def run(token, method, data):
        with probe.example():
            probe.submit(url_with("newsletter:unsubscribe", token), data, method=method)
            withdrawn = ConsentRecord.objects.filter(action=ConsentRecord.Action.WITHDRAWN)
            if withdrawn.exists():
                assert (token, method) == (good[0], "post")
                one_click = received(data.get("List-Unsubscribe")) == "One-Click"
                assert withdrawn.first().form == ("one-click" if one_click else "unsubscribe-page")

    run()
    probe.stats.require()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)


def test_bounce_webhook(probe, settings, subscriber):
    settings.NEWSLETTER_BOUNCE_TOKEN = "bounce-geheimnis-54290"
    url = reverse("newsletter:bounce_webhook")
    # Lone surrogates only travel in JSON escapes ("\ud800"); json.dumps writes them so.
    any_text = st.one_of(hostile_text(), st.text(st.characters(categories=("Cs",)), min_size=1))

    @fuzz(40)
    @given(
        body=st.one_of(
            form_data(
                {
                    "email": st.one_of(EMAIL, st.just(subscriber.email)),
                    "type": st.sampled_from(["hard", "soft"]),
                    "diagnostic": st.one_of(st.just("550 5.1.1 user unknown"), any_text),
                },
                extra=False,
            ).map(lambda d: {k: v if isinstance(v, str) else str(v) for k, v in d.items()}),
            st.fixed_dictionaries(
                {"email": JSON_VALUES, "type": JSON_VALUES, "diagnostic": JSON_VALUES}
            ),
            JSON_VALUES,
        ),
        token=st.sampled_from(["bounce-geheimnis-54290", "falsch", ""]),
        broken=st.sampled_from([b"", b"{", b"\xff\xfe", b"[]"]),
        raw=st.booleans(),
    )
    def run(body, token, broken, raw):
        content = broken if raw else json.dumps(body)
        with probe.example():
            response = probe.submit(
                url,
                method="post",
                headers={"Authorization": f"Bearer {token}"},
                body=(content, "application/json"),
            )
            if response.status_code == 201:
                assert Bounce.objects.get().email == body["email"].strip().lower()

    run()
    probe.stats.require()
    assert Subscriber.objects.count() == 1
