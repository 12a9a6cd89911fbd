"""Any malformed request gets the portal's 400 page, never a server error.

The client checks CSRF tokens as a browser's request is checked: Django's own error pages
checked the token once more, read the unreadable body again and failed with a 500.
(tests/network_portal/test_real_server.py sends the same through a real gunicorn.)
"""

import pytest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from network_portal.signing import make_token
from newsletter import rendering
from newsletter.models import Subscriber
from tests.newsletter.factories import SubscriberFactory

pytestmark = pytest.mark.django_db

BAD_REQUEST_PAGE = "Ungültige Anfrage"
FORM = "application/x-www-form-urlencoded"


@pytest.fixture
def browser():
    """A client with a CSRF cookie, as after a page was shown; returns it and its token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.get(reverse("account_login"))
    return client, client.cookies["csrftoken"].value


def post(client, path, body: bytes, content_type: str, **headers):
    return client.generic("POST", path, body, content_type=content_type, **headers)


def form_body(token: str, **fields) -> bytes:
    return "&".join(
        f"{key}={value}" for key, value in {"csrfmiddlewaretoken": token, **fields}.items()
    ).encode("latin-1")


def assert_bad_request(response):
    assert response.status_code == 400
    page = response.content.decode()
    assert f"<h1>{BAD_REQUEST_PAGE}</h1>" in page
    assert "Bitte gehen Sie zurück, laden Sie die Seite neu" in page


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/newsletter/subscribe/",
        "/members/company/edit/",
    ],
)
@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-15", "utf-16"])
def test_a_form_in_another_charset_than_utf_8_gets_the_400_page(browser, path, charset):
    client, token = browser
    body = form_body(token, email="m%FCller@example.org")

    response = post(client, path, body, f"{FORM}; charset={charset}")

    assert_bad_request(response)


def test_a_form_in_latin_1_to_an_unknown_address_gets_the_404_page(browser):
    # Django's 404 page checked the CSRF token, and so read the body, too.
    client, token = browser

    response = post(client, "/seite-gibt-es-nicht/", form_body(token), f"{FORM}; charset=latin-1")

    assert response.status_code == 404
    assert "<h1>Seite nicht gefunden</h1>" in response.content.decode()


def test_a_form_in_latin_1_gets_the_400_page_for_a_logged_in_user(browser, company_admin):
    client, token = browser
    client.force_login(company_admin)

    response = post(
        client,
        reverse("members:company_edit"),
        form_body(token, name="M%FCller GmbH"),
        f"{FORM}; charset=latin-1",
    )

    assert_bad_request(response)


def test_a_form_in_latin_1_to_a_view_without_csrf_check_gets_the_400_page(browser):
    # The one-click unsubscribe takes POSTs without a token (RFC 8058); the view reads the body.
    client, _token = browser
    subscriber = SubscriberFactory()
    token = make_token(purpose=rendering.UNSUBSCRIBE_PURPOSE, payload={"s": subscriber.pk})
    url = reverse("newsletter:unsubscribe", args=[token])

    response = post(client, url, b"List-Unsubscribe=One-Click%FC", f"{FORM}; charset=latin-1")

    assert_bad_request(response)


def multipart_body(token: str) -> bytes:
    return encode_multipart(
        BOUNDARY, {"csrfmiddlewaretoken": token, "email": "leser@example.org", "consent": "on"}
    )


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",
        'multipart/form-data; boundary=""',
        "multipart/form-data; boundary=" + "x" * 300,
        "multipart/form-data; boundary=mit\u00e4umlaut",
    ],
    ids=["no boundary", "empty boundary", "boundary too long", "boundary not ASCII"],
)
def test_a_multipart_body_with_a_bad_boundary_gets_the_400_page(browser, content_type):
    client, token = browser

    response = post(client, reverse("newsletter:subscribe"), multipart_body(token), content_type)

    assert_bad_request(response)


def test_a_truncated_base64_file_gets_the_400_page(browser):
    client, token = browser
    body = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f'{token}\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name="datei"; '
        'filename="a.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0x'
        f"Lj\r\n--{BOUNDARY}--\r\n"
    ).encode()

    response = post(client, reverse("newsletter:subscribe"), body, MULTIPART_CONTENT)

    assert_bad_request(response)


@pytest.mark.parametrize("length", ["zwölf", "12abc", "-1", "1e3", "0x10"])
def test_a_content_length_that_is_no_number_gets_the_400_page(browser, length):
    client, token = browser
    body = form_body(token, email="leser@example.org")

    response = post(client, reverse("newsletter:subscribe"), body, FORM, CONTENT_LENGTH=length)

    assert_bad_request(response)


def test_a_body_beyond_the_limit_gets_the_400_page(browser, settings):
    client, token = browser
    body = form_body(token, email="leser@example.org")

    response = post(client, reverse("newsletter:subscribe"), body, FORM, CONTENT_LENGTH=str(10**30))

    assert_bad_request(response)


def test_a_content_type_not_ascii_gets_the_400_page(browser):
    client, token = browser

    response = post(
        client,
        reverse("newsletter:subscribe"),
        multipart_body(token),
        f"multipart/form-data; boundary={BOUNDARY}; name=\u00fcberall",
    )

    assert_bad_request(response)
    assert not Subscriber.objects.exists()


def test_a_refused_csrf_check_shows_a_german_page(browser):
    client, _token = browser

    response = post(client, reverse("newsletter:subscribe"), b"email=leser%40example.org", FORM)

    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Kein Zugriff</h1>" in page
    assert "Das Formular konnte nicht gesendet werden" in page
