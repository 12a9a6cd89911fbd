"""The sign-up forms cannot be used to mail strangers: limited per client address and overall.

Both the account sign-up and the newsletter sign-up mail the address typed in. Each takes
SIGNUP_RATE_PER_CLIENT sign-ups per client address (5 in 10 minutes) and SIGNUP_RATE_OVERALL in
all (100 an hour); beyond that the form says so, and nothing is stored or mailed.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from network_portal import ratelimits
from newsletter.models import Subscriber
from tests.newsletter.factories import MailingListFactory

pytestmark = pytest.mark.django_db

REFUSED = (
    "In kurzer Zeit wurden zu viele Anmeldungen abgeschickt. Es wurde nichts gespeichert und "
    "keine E-Mail versandt. Bitte versuchen Sie es später noch einmal."
)
# Addresses reserved for documentation (RFC 5737).
FIRST, SECOND, THIRD = "192.0.2.10", "198.51.100.7", "203.0.113.99"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """``send(form, n, address)``: the n-th sign-up through ``form`` from a client at
    ``address``, each from a fresh browser; returns the response."""
    public_list = MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")

    def send(form: str, n: int, address: str):
        client = Client(REMOTE_ADDR=address)
        if form == "account":
            url = reverse("account_signup")
            data = {
                "email": f"person{n}@moselblick.example",
                "password1": "Fachkraefte-2026!",
                "password2": "Fachkraefte-2026!",
                "first_name": "Petra",
                "last_name": f"Kettern {n}",
            }
        else:
            url = reverse("newsletter:subscribe")
            data = {
                "email": f"leserin{n}@moselblick.example",
                "salutation": "ms",
                "first_name": "Petra",
                "last_name": "Kettern",
                "lists": [str(public_list.pk)],
                "consent": "on",
                "website": "",
            }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return send


def stored(form: str) -> int:
    return (User if form == "account" else Subscriber).objects.count()


def accepted(response) -> bool:
    return response.status_code == 302


def assert_refused(response):
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [REFUSED]
    assert REFUSED in response.content.decode()


@pytest.mark.parametrize("form", ["account", "newsletter"])
def test_the_sixth_sign_up_from_one_address_is_refused_others_still_sign_up(send, form):
    for n in range(5):
        assert accepted(send(form, n, FIRST))
    assert (stored(form), len(mail.outbox)) == (5, 5)

    response = send(form, 5, FIRST)

    assert_refused(response)
    assert (stored(form), len(mail.outbox)) == (5, 5)  # nothing stored, nothing mailed
    assert accepted(send(form, 6, SECOND))
    assert (stored(form), len(mail.outbox)) == (6, 6)


@pytest.mark.parametrize("form", ["account", "newsletter"])
def test_beyond_the_overall_limit_every_address_is_refused(send, form, settings):
    action = ratelimits.ACCOUNT_SIGNUP if form == "account" else ratelimits.NEWSLETTER_SIGNUP
    settings.ACCOUNT_RATE_LIMITS = {action: "5/10m/ip,8/h/key"}
    for n in range(5):
        assert accepted(send(form, n, FIRST))
    for n in range(5, 8):
        assert accepted(send(form, n, SECOND))

    assert_refused(send(form, 8, SECOND))
    assert_refused(send(form, 9, THIRD))  # never used before
    assert (stored(form), len(mail.outbox)) == (8, 8)


@pytest.mark.parametrize("form", ["account", "newsletter"])
def test_refused_forms_do_not_count(send, form, settings):
    """Only sign-ups that would send a mail count: a mistyped form does not use up the limit."""
    for n in range(5):
        client = Client(REMOTE_ADDR=FIRST)
        url = reverse("account_signup" if form == "account" else "newsletter:subscribe")
        response = client.post(url, {"email": f"kein-at-zeichen-{n}"})
        assert response.status_code == 200 and response.context["form"].errors

    assert accepted(send(form, 0, FIRST))


def test_allauths_own_limits_answer_with_a_german_page(settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    client = Client(REMOTE_ADDR=FIRST)
    for _ in range(2):
        assert client.post(reverse("account_signup"), {"email": "x"}).status_code == 200

    response = client.post(reverse("account_signup"), {"email": "x"})

    assert response.status_code == 429
    page = response.content.decode()
    assert "<h1>Zu viele Anfragen</h1>" in page
    assert "Sie haben in kurzer Zeit zu viele Anfragen gesendet." in page
