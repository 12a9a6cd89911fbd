"""The accessibility statement (Erklärung zur Barrierefreiheit) that BITV 2.0 asks for."""

from email.utils import parseaddr

import pytest
from django.contrib.flatpages.models import FlatPage

pytestmark = pytest.mark.django_db


def test_footer_of_every_page_links_to_the_statement(client):
    for path in ("/", "/accounts/login/", "/impressum/"):
        footer = client.get(path).content.decode().split("<footer", 1)[1]
        assert '<a href="/barrierefreiheit/">Barrierefreiheit</a>' in footer, path


def test_statement_names_status_gaps_feedback_contact_and_enforcement(client, settings):
    response = client.get("/barrierefreiheit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Erklärung zur Barrierefreiheit</h1>" in html
    assert "teilweise vereinbar" in html
    assert "PDF-Dokumente" in html  # the known gap is named
    assert "Selbstbewertung" in html and "axe-core" in html
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert f'E-Mail: <a href="mailto:{address}">{address}</a>' in html
    assert "Koordinierungsstelle" in html
    assert "Ombudsstelle für barrierefreie Informationstechnik" in html


def test_coordinators_edit_the_statement_as_a_flat_page(client):
    FlatPage.objects.filter(url="/barrierefreiheit/").update(
        content="<p>Feedback bitte an barrierefrei@trier.example</p>"
    )
    html = client.get("/barrierefreiheit/").content.decode()
    assert "Feedback bitte an barrierefrei@trier.example" in html


def test_statement_in_english_interface_is_marked_as_german(client):
    html = client.get("/barrierefreiheit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert '<article class="narrow" lang="de">' in html  # screen readers switch to German


def test_statement_names_the_tagged_pdfs_and_the_untagged_ones(client):
    html = " ".join(client.get("/barrierefreiheit/").content.decode().split())

    assert (
        "Urkunden, Bewerbungszusammenfassungen und Feedback-Berichte zum Siegel „Mein Top Job "
        "Trier“ erzeugt das Portal als getaggte PDF-Dokumente nach PDF/UA-1"
    ) in html
    assert "Teilnehmendenlisten der Netzwerktreffen und der Jahresbericht, sind nicht" in html
    assert "sind nicht als barrierefreie (getaggte) PDF-Dokumente ausgezeichnet" in html
