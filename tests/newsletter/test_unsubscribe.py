"""Leaving lists without login: the unsubscribe page, RFC 8058 one-click, the preference page."""

import re
import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from network_portal.signing import make_token
from newsletter import rendering, services
from newsletter.models import ConsentRecord, Delivery, Subscription
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.newsletter.factories import (
    DeliveryFactory,
    IssueFactory,
    MailingListFactory,
    MemberListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

PREFERENCES_CONSENT_DE = (
    "Ich möchte die angekreuzten Newsletter per E-Mail erhalten. Diese Auswahl kann ich "
    "jederzeit ändern oder mich abmelden."
)


def list_checkboxes(html: str) -> dict[str, bool]:
    """{value: checked} of the list checkboxes on a page."""
    boxes = {}
    for tag in re.findall(r"<input[^>]*name=\"lists\"[^>]*>", html):
        value = re.search(r'value="(\d+)"', tag).group(1)
        boxes[value] = " checked" in tag
    return boxes


@pytest.fixture
def public_list(db):
    return MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")


@pytest.fixture
def subscriber(public_list):
    subscriber = SubscriberFactory(email="petra.kettern@moselblick.example")
    SubscriptionFactory(subscriber=subscriber, mailing_list=public_list)
    return subscriber


def unsubscribe_path(subscriber):
    token = make_token(purpose=rendering.UNSUBSCRIBE_PURPOSE, payload={"s": subscriber.pk})
    return reverse("newsletter:unsubscribe", args=[token])


def preferences_path(subscriber):
    token = make_token(purpose=rendering.PREFERENCES_PURPOSE, payload={"s": subscriber.pk})
    return reverse("newsletter:preferences", args=[token])


def statuses(subscriber):
    return dict(subscriber.subscriptions.values_list("mailing_list__name", "status").order_by("pk"))


# --- Unsubscribe -----------------------------------------------------------------------------


def test_opening_the_link_asks_and_changes_nothing(client, subscriber):
    response = client.get(unsubscribe_path(subscriber))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Möchten Sie unsere Newsletter an petra.kettern@moselblick.example nicht mehr erhalten?"
        in html
    )
    assert "Von allen Newslettern abmelden</button>" in html
    assert "data-auto-submit" not in html  # unsubscribing is never done by a script
    assert statuses(subscriber) == {"Fachkräfte-Newsletter": "confirmed"}
    assert not ConsentRecord.objects.exists()


def test_the_button_unsubscribes_and_offers_a_way_back(client, subscriber, public_list):
    response = client.post(unsubscribe_path(subscriber))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Sie sind abgemeldet</h1>" in html
    assert "Wir senden keine Newsletter mehr an petra.kettern@moselblick.example." in html
    assert "Versehentlich abgemeldet?" in html
    preferences = re.search(r'href="(/newsletter/preferences/[^"]+)"', html).group(1)
    assert client.get(preferences).status_code == 200

    subscription = Subscription.objects.get()
    assert subscription.status == "unsubscribed"
    assert subscription.unsubscribed_at is not None
    record = ConsentRecord.objects.get()
    assert (record.action, record.form, record.mailing_list) == (
        "withdrawn",
        "unsubscribe-page",
        public_list,
    )


def test_rfc8058_one_click_post_works_without_csrf_token_or_cookies(subscriber):
    mail_program = Client(enforce_csrf_checks=True)
    assert not mail_program.cookies  # no session, no CSRF cookie: only the signed link
    response = mail_program.post(
        unsubscribe_path(subscriber),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "Wir senden keine Newsletter mehr an" in response.content.decode()
    assert statuses(subscriber) == {"Fachkräfte-Newsletter": "unsubscribed"}
    assert ConsentRecord.objects.get().form == "one-click"


def test_the_one_click_link_from_a_real_mail_unsubscribes(subscriber):
    rendered = rendering.render_issue(IssueFactory(), subscriber, language="de")
    assert rendered["unsubscribe_url"].startswith("http")
    response = Client(enforce_csrf_checks=True).post(
        rendered["unsubscribe_url"],
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert Subscription.objects.get().status == "unsubscribed"


def test_an_invalid_or_foreign_token_is_refused(client, subscriber):
    forged = [
        make_token(purpose=rendering.PREFERENCES_PURPOSE, payload={"s": subscriber.pk}),
        make_token(purpose=rendering.UNSUBSCRIBE_PURPOSE, payload={"s": "alle"}),
        "kein-token",
    ]
    for token in forged:
        url = reverse("newsletter:unsubscribe", args=[token])
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 410
            assert "Dieser Link ist ungültig." in response.content.decode()
    assert statuses(subscriber) == {"Fachkräfte-Newsletter": "confirmed"}


def test_an_expired_unsubscribe_link_explains_what_to_do(client, subscriber, settings):
    url = unsubscribe_path(subscriber)
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 3 * 366 * 86400):
        response = client.post(url)
    assert response.status_code == 410
    assert (
        "Dieser Abmeldelink ist abgelaufen. Bitte nutzen Sie den Link in einem neueren "
        f"Newsletter oder schreiben Sie uns an {settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}."
        in response.content.decode()
    )
    assert statuses(subscriber) == {"Fachkräfte-Newsletter": "confirmed"}


def test_the_unsubscribe_holds_for_later_sends(client, subscriber, public_list):
    pending = DeliveryFactory(issue=IssueFactory(lists=[public_list]), subscriber=subscriber)
    client.post(unsubscribe_path(subscriber))
    pending.refresh_from_db()
    assert (pending.status, pending.last_error) == ("failed", "unsubscribed")

    later = IssueFactory(lists=[public_list])
    services.issue_expand(issue=later)
    assert not Delivery.objects.filter(issue=later).exists()


def test_a_member_contact_who_unsubscribed_stays_unsubscribed_after_the_sync(client):
    member_list = MemberListFactory(name="Alle Mitglieder")
    ContactPersonFactory(
        company=CompanyFactory(), email="personal@moselblick.example", wants_newsletter=True
    )
    services.sync_member_lists()
    subscription = Subscription.objects.get(mailing_list=member_list)
    assert subscription.status == "confirmed"

    client.post(unsubscribe_path(subscription.subscriber))
    services.sync_member_lists()
    issue = IssueFactory(lists=[member_list])
    services.issue_expand(issue=issue)

    subscription.refresh_from_db()
    assert subscription.status == "unsubscribed"
    assert not Delivery.objects.filter(issue=issue).exists()


# --- Preferences -----------------------------------------------------------------------------


@pytest.fixture
def lists(public_list):
    return {
        "public": public_list,
        "training": MailingListFactory(name="Ausbildung aktuell", slug="ausbildung"),
        "members": MemberListFactory(name="Alle Mitglieder", slug="alle-mitglieder"),
        "hr": MemberListFactory(name="Personalverantwortliche", slug="personal"),
    }


def test_preferences_offer_public_lists_and_own_member_lists(client, subscriber, lists):
    SubscriptionFactory(subscriber=subscriber, mailing_list=lists["members"], status="unsubscribed")
    response = client.get(preferences_path(subscriber))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wählen Sie, welche Newsletter wir an petra.kettern@moselblick.example senden." in html
    assert list_checkboxes(html) == {
        str(lists["public"].pk): True,
        str(lists["training"].pk): False,
        str(lists["members"].pk): False,
    }
    assert "Personalverantwortliche" not in html  # a member list this address is not on
    assert PREFERENCES_CONSENT_DE in html
    assert "Auswahl speichern</button>" in html
    assert "Von allen Newslettern abmelden</button>" in html


def test_a_former_member_contact_is_not_offered_the_member_list(client, subscriber, lists):
    SubscriptionFactory(subscriber=subscriber, mailing_list=lists["members"], status="ended")
    html = client.get(preferences_path(subscriber)).content.decode()
    assert str(lists["members"].pk) not in list_checkboxes(html)
    assert "Alle Mitglieder" not in html


def test_saving_changes_the_lists_and_records_consent(client, subscriber, lists):
    SubscriptionFactory(subscriber=subscriber, mailing_list=lists["members"], status="unsubscribed")
    url = preferences_path(subscriber)
    response = client.post(
        url, {"action": "save", "lists": [lists["training"].pk, lists["members"].pk]}
    )
    assert response.status_code == 302
    assert response["Location"] == url
    page = client.get(url).content.decode()
    assert "Ihre Auswahl ist gespeichert." in page
    assert list_checkboxes(page) == {
        str(lists["public"].pk): False,
        str(lists["training"].pk): True,
        str(lists["members"].pk): True,
    }
    assert statuses(subscriber) == {
        "Fachkräfte-Newsletter": "unsubscribed",
        "Alle Mitglieder": "confirmed",
        "Ausbildung aktuell": "confirmed",
    }
    records = {
        (r.mailing_list.name, r.action, r.form, r.consent_text)
        for r in ConsentRecord.objects.select_related("mailing_list")
    }
    assert records == {
        ("Fachkräfte-Newsletter", "withdrawn", "preferences", ""),
        ("Ausbildung aktuell", "confirmed", "preferences", PREFERENCES_CONSENT_DE),
        ("Alle Mitglieder", "confirmed", "preferences", PREFERENCES_CONSENT_DE),
    }


def test_a_list_not_offered_cannot_be_chosen(client, subscriber, lists):
    response = client.post(
        preferences_path(subscriber), {"action": "save", "lists": [lists["hr"].pk]}
    )
    assert response.status_code == 200
    assert (
        f"Bitte eine gültige Auswahl treffen. {lists['hr'].pk} ist keine gültige Auswahl."
        in response.content.decode()
    )
    assert statuses(subscriber) == {"Fachkräfte-Newsletter": "confirmed"}


def test_leaving_all_lists(client, subscriber, lists):
    SubscriptionFactory(subscriber=subscriber, mailing_list=lists["members"])
    url = preferences_path(subscriber)
    response = client.post(url, {"action": "leave", "lists": [lists["public"].pk]})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert (
        "Sie haben sich von allen Newslettern abgemeldet. An petra.kettern@moselblick.example "
        "senden wir keine Newsletter mehr." in page
    )
    assert not any(list_checkboxes(page).values())
    assert statuses(subscriber) == {
        "Fachkräfte-Newsletter": "unsubscribed",
        "Alle Mitglieder": "unsubscribed",
    }
    assert set(ConsentRecord.objects.values_list("action", "form")) == {
        ("withdrawn", "preferences")
    }


def test_preferences_need_a_valid_link(client, subscriber):
    url = reverse(
        "newsletter:preferences",
        args=[make_token(purpose=rendering.UNSUBSCRIBE_PURPOSE, payload={"s": subscriber.pk})],
    )
    response = client.post(url, {"action": "leave"})
    assert response.status_code == 410
    assert "Dieser Link ist ungültig." in response.content.decode()
    assert statuses(subscriber) == {"Fachkräfte-Newsletter": "confirmed"}


def test_an_expired_preferences_link_is_refused(client, subscriber):
    url = preferences_path(subscriber)
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 3 * 366 * 86400):
        response = client.get(url)
    assert response.status_code == 410
    assert (
        "Dieser Link ist abgelaufen. Bitte nutzen Sie den Link in einem neueren Newsletter."
        in response.content.decode()
    )
