"""Public sign-up with double opt-in: the form, the confirmation mail and the confirmation link."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from network_portal.signing import make_token
from newsletter import rendering, services
from newsletter.models import ConsentRecord, Delivery, Subscriber, Subscription
from tests.newsletter.factories import (
    IssueFactory,
    MailingListFactory,
    MemberListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)
from tests.utils import only_link

pytestmark = pytest.mark.django_db

CONSENT_DE = (
    "Ich möchte den Newsletter des Netzwerks „Attraktive Unternehmen Trier“ der "
    "Wirtschaftsförderung Trier per E-Mail erhalten. Diese Einwilligung kann ich jederzeit "
    "widerrufen, zum Beispiel über den Abmeldelink in jedem Newsletter."
)
SUBSCRIBE_URL = "/newsletter/subscribe/"
SENT_URL = "/newsletter/subscribe/sent/"


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


def signup(client, django_capture_on_commit_callbacks, **overrides):
    data = {
        "email": "Petra.Kettern@Moselblick.example",
        "salutation": "ms",
        "title": "Dr.",
        "first_name": "Petra",
        "last_name": "Kettern",
        "lists": [str(pk) for pk in overrides.pop("lists", [])],
        "consent": "on",
        "website": "",
        **overrides,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SUBSCRIBE_URL, data)


def test_the_form_offers_public_lists_only_and_preselects_the_only_one(client, public_list):
    MemberListFactory(name="Alle Mitglieder")
    response = client.get(reverse("newsletter:subscribe"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Newsletter abonnieren</h1>" in html
    assert list_checkboxes(html) == {str(public_list.pk): True}
    assert "Alle Mitglieder" not in html
    assert CONSENT_DE in html
    assert 'name="website"' in html  # the honeypot is there, hidden from people
    assert 'class="d-none" aria-hidden="true"' in html


def test_with_several_public_lists_none_is_preselected(client, public_list):
    other = MailingListFactory(name="Ausbildung aktuell")
    html = client.get(SUBSCRIBE_URL).content.decode()
    assert list_checkboxes(html) == {str(public_list.pk): False, str(other.pk): False}


def test_without_a_public_list_the_page_says_so(client):
    MemberListFactory()
    html = client.get(SUBSCRIBE_URL).content.decode()
    assert (
        "Derzeit gibt es hier keinen Newsletter, den Sie abonnieren können. Bitte versuchen Sie "
        "es später noch einmal." in html
    )
    assert '<form method="post" novalidate>' not in html


def test_request_sends_exactly_one_confirmation_mail_and_records_the_consent(
    client, public_list, django_capture_on_commit_callbacks
):
    response = signup(client, django_capture_on_commit_callbacks, lists=[public_list.pk])

    assert response.status_code == 302
    assert response["Location"] == SENT_URL
    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["petra.kettern@moselblick.example"]
    assert confirmation.subject == (
        "[Attraktive Unternehmen Trier] Bitte bestätigen Sie Ihre Newsletter-Anmeldung"
    )
    assert "Fachkräfte-Newsletter" in confirmation.body
    assert "Bitte bestätigen Sie innerhalb von 7 Tagen mit diesem Link:" in confirmation.body
    only_link(confirmation, "/newsletter/confirm/")

    subscriber = Subscriber.objects.get()
    assert (
        subscriber.email,
        subscriber.salutation,
        subscriber.title,
        subscriber.first_name,
        subscriber.last_name,
        subscriber.language,
    ) == ("petra.kettern@moselblick.example", "ms", "Dr.", "Petra", "Kettern", "de")
    subscription = Subscription.objects.get()
    assert (subscription.mailing_list, subscription.status, subscription.confirmed_at) == (
        public_list,
        "pending",
        None,
    )
    record = ConsentRecord.objects.get()
    assert (record.action, record.form, record.consent_text, record.mailing_list) == (
        "requested",
        "public-signup",
        CONSENT_DE,
        public_list,
    )
    assert record.created_at is not None


def test_the_sent_page_asks_to_check_the_inbox(client):
    html = client.get(SENT_URL).content.decode()
    assert "<h1>Bitte sehen Sie in Ihr Postfach</h1>" in html
    assert "Der Link gilt 7 Tage. Ohne Ihre Bestätigung erhalten Sie nichts von uns." in html


def test_a_known_address_gets_the_same_answer_and_no_second_subscription(
    client, public_list, django_capture_on_commit_callbacks
):
    SubscriptionFactory(
        subscriber=SubscriberFactory(email="petra.kettern@moselblick.example"),
        mailing_list=public_list,
    )
    response = signup(client, django_capture_on_commit_callbacks, lists=[public_list.pk])
    assert response.status_code == 302
    assert response["Location"] == SENT_URL
    assert mail.outbox == []  # already confirmed: nothing to confirm
    assert Subscription.objects.get().status == "confirmed"


def test_an_unconfirmed_address_receives_no_issue(
    client, public_list, django_capture_on_commit_callbacks
):
    signup(client, django_capture_on_commit_callbacks, lists=[public_list.pk])
    issue = IssueFactory(lists=[public_list])
    services.issue_expand(issue=issue)
    assert Subscription.objects.get().status == "pending"
    assert not Delivery.objects.exists()


def test_a_filled_honeypot_looks_like_success_but_stores_and_sends_nothing(
    client, public_list, django_capture_on_commit_callbacks
):
    response = signup(
        client,
        django_capture_on_commit_callbacks,
        lists=[public_list.pk],
        website="https://spam.example",
    )
    assert response.status_code == 302
    assert response["Location"] == SENT_URL
    assert mail.outbox == []
    assert not Subscriber.objects.exists()
    assert not ConsentRecord.objects.exists()


def test_consent_and_a_list_are_required(client, public_list, django_capture_on_commit_callbacks):
    MailingListFactory(name="Ausbildung aktuell")
    response = signup(client, django_capture_on_commit_callbacks, consent="")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte stimmen Sie zu, damit wir Ihnen den Newsletter senden dürfen." in html
    assert "Bitte wählen Sie mindestens einen Newsletter." in html
    assert mail.outbox == []
    assert not Subscriber.objects.exists()


def test_an_invalid_address_is_refused(client, public_list, django_capture_on_commit_callbacks):
    response = signup(
        client, django_capture_on_commit_callbacks, lists=[public_list.pk], email="petra@"
    )
    assert "Bitte gültige E-Mail-Adresse eingeben." in response.content.decode()
    assert not Subscriber.objects.exists()


def test_a_member_list_cannot_be_joined_through_the_public_form(
    client, public_list, django_capture_on_commit_callbacks
):
    member_list = MemberListFactory()
    response = signup(client, django_capture_on_commit_callbacks, lists=[member_list.pk])
    assert (
        f"Bitte eine gültige Auswahl treffen. {member_list.pk} ist keine gültige Auswahl."
        in response.content.decode()
    )
    assert not Subscription.objects.exists()


# --- The confirmation link ------------------------------------------------------------------


@pytest.fixture
def confirm_url(client, public_list, django_capture_on_commit_callbacks):
    signup(client, django_capture_on_commit_callbacks, lists=[public_list.pk])
    (confirmation,) = mail.outbox
    mail.outbox.clear()
    return only_link(confirmation, "/newsletter/confirm/")


def test_opening_the_link_shows_a_button_and_changes_nothing(client, confirm_url):
    response = client.get(confirm_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Newsletter für petra.kettern@moselblick.example:" in html
    assert "<li>Fachkräfte-Newsletter</li>" in html
    assert "data-auto-submit" not in html  # a person confirms: no script submits the form
    assert '<button type="submit" class="btn btn-primary">Anmeldung bestätigen</button>' in html
    assert Subscription.objects.get().status == "pending"


def test_the_link_confirms_with_time_and_offers_the_preferences(client, confirm_url, public_list):
    response = client.post(confirm_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Ihre Anmeldung ist bestätigt. Ab sofort senden wir folgende Newsletter an "
        "petra.kettern@moselblick.example:" in html
    )
    assert "<li>Fachkräfte-Newsletter</li>" in html
    preferences = re.search(r'href="(/newsletter/preferences/[^"]+)"', html).group(1)
    assert client.get(preferences).status_code == 200

    subscription = Subscription.objects.get()
    assert subscription.status == "confirmed"
    assert subscription.confirmed_at is not None
    confirmed = ConsentRecord.objects.get(action="confirmed")
    assert (confirmed.form, confirmed.mailing_list) == ("confirmation-link", public_list)
    assert confirmed.created_at >= ConsentRecord.objects.get(action="requested").created_at
    assert mail.outbox == []  # confirming sends nothing


def test_using_the_link_twice_confirms_once(client, confirm_url):
    client.post(confirm_url)
    response = client.post(confirm_url)
    assert "Ab sofort senden wir folgende Newsletter" in response.content.decode()
    assert ConsentRecord.objects.filter(action="confirmed").count() == 1


def test_the_link_still_works_just_before_it_expires(client, confirm_url):
    almost = time.time() + 7 * 24 * 3600 - 60
    with mock.patch("django.core.signing.time.time", return_value=almost):
        response = client.post(confirm_url)
    assert response.status_code == 200
    assert Subscription.objects.get().status == "confirmed"


def test_an_expired_link_is_refused_with_a_way_to_sign_up_again(client, confirm_url, settings):
    later = time.time() + settings.NEWSLETTER_CONFIRM_DAYS * 24 * 3600 + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        page = client.get(confirm_url)
        response = client.post(confirm_url)
    assert page.status_code == 410
    assert response.status_code == 410
    html = response.content.decode()
    assert (
        "Dieser Bestätigungslink ist abgelaufen. Zu Ihrem Schutz gilt er nur 7 Tage. Bitte "
        "melden Sie sich erneut an; Sie erhalten dann einen neuen Link." in html
    )
    assert f'href="{SUBSCRIBE_URL}">Erneut anmelden</a>' in html
    assert Subscription.objects.get().status == "pending"
    assert not ConsentRecord.objects.filter(action="confirmed").exists()


def test_a_tampered_link_is_refused(client, confirm_url, public_list):
    subscriber = Subscriber.objects.get()
    token = confirm_url.rstrip("/").rsplit("/", 1)[-1]
    forged = [
        token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"),
        make_token(purpose=rendering.UNSUBSCRIBE_PURPOSE, payload={"s": subscriber.pk, "l": [1]}),
        "kein-token",
    ]
    for bad in forged:
        response = client.post(reverse("newsletter:confirm", args=[bad]))
        assert response.status_code == 410
        assert "Dieser Link ist ungültig." in response.content.decode()
    assert Subscription.objects.get().status == "pending"


def test_a_link_for_an_erased_address_is_refused(client, confirm_url):
    services.subscriber_erase(subscriber=Subscriber.objects.get())
    response = client.post(confirm_url)
    assert response.status_code == 410
    assert "Dieser Link ist ungültig." in response.content.decode()


@pytest.mark.parametrize("number", [2**63, -(2**63) - 1])
def test_list_id_beyond_64_bits_is_refused(
    client, public_list, django_capture_on_commit_callbacks, number
):
    # SQLite cannot compare such a number at all (OverflowError): a tampered form, not a crash.
    response = signup(client, django_capture_on_commit_callbacks, lists=[public_list.pk, number])
    assert response.status_code == 200
    assert response.context["form"].errors["lists"] == [f"„{number}“ ist kein gültiger Wert."]
    assert not Subscriber.objects.exists()


def test_list_id_with_thousands_of_digits_is_refused(
    client, public_list, django_capture_on_commit_callbacks
):
    response = signup(client, django_capture_on_commit_callbacks, lists=["9" * 5001])
    assert response.context["form"].errors["lists"] == [f"„{'9' * 5001}“ ist kein gültiger Wert."]
    assert not Subscriber.objects.exists()
