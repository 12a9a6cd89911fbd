"""The coordination office's contact, set once (OFFICE_* settings): in the footer of every
page and every mail, and wherever a page or mail asks people to get in touch."""

import pytest
from django.core import mail
from django.urls import reverse

from network_portal.office import office
from newsletter import rendering
from tests.newsletter.factories import IssueFactory

pytestmark = pytest.mark.django_db

NAME = "Wirtschaftsförderung Trier – Koordination Attraktive Unternehmen Trier"


def footer(html: str) -> str:
    return html.split("<footer", 1)[1]


def html_part(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def text_footer(message) -> str:
    return message.body.split("\n-- \n", 1)[1]


@pytest.fixture
def other_office(settings):
    """Another office, as a deployment would set it."""
    settings.OFFICE_NAME = "Amt für Wirtschaftsförderung Trier"
    settings.OFFICE_STREET = "Am Augustinerhof 9"
    settings.OFFICE_POSTCODE = "54290"
    settings.OFFICE_CITY = "Trier"
    settings.OFFICE_EMAIL = "netzwerk@aut-trier.de"
    settings.OFFICE_PHONE = "0651 718-1234"
    return settings


def test_the_footer_of_every_page_names_the_office_with_address_mail_and_phone(client):
    for path in ("/", reverse("account_login"), "/impressum/"):
        html = footer(client.get(path).content.decode())
        assert f'<span class="fw-semibold">{NAME}</span>' in html, path
        assert "Beispielstraße 12, 54290 Trier" in html
        assert 'E-Mail: <a href="mailto:netzwerk@example.org">netzwerk@example.org</a>' in html
        assert 'Telefon: <a href="tel:+49651998870">0651 99887-0</a>' in html


def test_a_mail_names_the_office_in_its_text_and_its_html_part(
    client, company_user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": company_user.email})

    (message,) = mail.outbox
    assert text_footer(message) == (
        f"{NAME}\n"
        "Beispielstraße 12, 54290 Trier\n"
        "E-Mail: netzwerk@example.org · Telefon: 0651 99887-0\n"
        f"Impressum: {settings.SITE_URL}/impressum/ · "
        f"Datenschutz: {settings.SITE_URL}/datenschutz/"
    )
    html = html_part(message)
    assert f"<strong>{NAME}</strong><br>" in html
    assert '<a href="mailto:netzwerk@example.org" style="color:#666;">' in html
    # The number is never broken over two lines (a phone's narrow mail view).
    assert (
        '<a href="tel:+49651998870" style="color:#666;white-space:nowrap;">0651 99887-0</a>'
    ) in html


def test_changing_the_settings_changes_pages_and_mails(
    client, company_user, other_office, django_capture_on_commit_callbacks
):
    page = footer(client.get("/").content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": company_user.email})

    (message,) = mail.outbox
    for part in (page, text_footer(message), html_part(message)):
        assert "Amt für Wirtschaftsförderung Trier" in part
        assert "Am Augustinerhof 9, 54290 Trier" in part
        assert "netzwerk@aut-trier.de" in part and "0651 718-1234" in part
        assert "example.org" not in part and "99887" not in part
    assert 'href="tel:+496517181234"' in page


def test_asking_to_get_in_touch_gives_mail_and_phone(client, other_office):
    html = client.get(reverse("account_reset_password")).content.decode()

    assert (
        'Klappt es nicht? Schreiben Sie uns an <a href="mailto:netzwerk@aut-trier.de">'
        'netzwerk@aut-trier.de</a> oder rufen Sie uns an unter <a href="tel:+496517181234">'
        "0651 718-1234</a>."
    ) in html
    assert "melden Sie sich gern bei uns" not in html


def test_a_security_notice_says_how_to_reach_the_office(
    client, company_user, other_office, django_capture_on_commit_callbacks
):
    company_user.set_password("Altes-Passwort-2026")
    company_user.save()
    client.force_login(company_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {
                "oldpassword": "Altes-Passwort-2026",
                "password1": "Neues-Passwort-2027",
                "password2": "Neues-Passwort-2027",
            },
        )

    (message,) = mail.outbox
    assert (
        "Waren Sie das nicht? Dann ändern Sie bitte sofort Ihr Passwort und sagen Sie uns "
        "Bescheid: per E-Mail an netzwerk@aut-trier.de oder telefonisch unter 0651 718-1234."
    ) in " ".join(message.body.split())


def test_the_newsletter_names_the_office_too(other_office):
    issue = IssueFactory()

    rendered = rendering.render_issue(issue, None, language="de")

    for part in (rendered["text"], rendered["html"]):
        assert "Amt für Wirtschaftsförderung Trier" in part
        assert "netzwerk@aut-trier.de" in part and "0651 718-1234" in part


def test_the_office_helper_reads_the_settings_now(other_office):
    assert office().address == "Am Augustinerhof 9, 54290 Trier"
    assert office().phone_uri == "tel:+496517181234"
