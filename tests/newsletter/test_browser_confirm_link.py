"""In the browser, scripts on: opening the newsletter's confirmation link confirms nothing (a mail
scanner that runs scripts must not subscribe anyone); the person's click on the button does."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from network_portal.signing import make_token
from newsletter import rendering
from newsletter.models import Subscription
from tests.newsletter.factories import PublicListFactory, SubscriberFactory, SubscriptionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_loading_the_confirmation_link_confirms_nothing_until_the_button_is_pressed(
    page, live_server
):
    public_list = PublicListFactory(name="Fachkräfte-Newsletter")
    subscriber = SubscriberFactory(email="petra.kettern@moselblick.example")
    SubscriptionFactory(
        subscriber=subscriber,
        mailing_list=public_list,
        status=Subscription.Status.PENDING,
        confirmed_at=None,
    )
    token = make_token(
        purpose=rendering.CONFIRM_PURPOSE, payload={"s": subscriber.pk, "l": [public_list.pk]}
    )

    page.goto(reverse("newsletter:confirm", args=[token]))
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # time for any script to act
    expect(page.get_by_role("button", name="Anmeldung bestätigen")).to_be_visible()
    assert Subscription.objects.get().status == Subscription.Status.PENDING

    page.get_by_role("button", name="Anmeldung bestätigen").click()
    expect(page.get_by_role("heading", name="Vielen Dank!")).to_be_visible()
    assert Subscription.objects.get().status == Subscription.Status.CONFIRMED
