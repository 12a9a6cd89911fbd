import pytest
from django.urls import reverse

from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def test_healthz_is_alive_without_asking_database_or_broker(
    client, settings, django_assert_num_queries
):
    # Liveness says "this process serves requests": a broker (or database) that is down is
    # the readiness check's business (/readyz), not a reason to restart the web server.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_start_page_explains_network_and_how_to_join(client):
    CompanyFactory.create_batch(3)
    html = client.get("/").content.decode()
    assert "Netzwerk „Attraktive Unternehmen Trier“" in html
    assert "Derzeit sind 3 Unternehmen Mitglied." in html
    assert reverse("account_signup") in html


def test_footer_links_to_editable_legal_pages(client):
    html = client.get("/").content.decode()
    assert 'href="/impressum/"' in html and 'href="/datenschutz/"' in html
    from django.contrib.flatpages.models import FlatPage

    FlatPage.objects.filter(url="/impressum/").update(
        content="<p>Amt für Wirtschaftsförderung, Testweg 1</p>"
    )
    response = client.get("/impressum/")
    assert response.status_code == 200
    assert "Amt für Wirtschaftsförderung, Testweg 1" in response.content.decode()
    assert client.get("/datenschutz/").status_code == 200


def test_pages_load_no_external_resources_and_no_inline_script(client):
    html = client.get("/").content.decode()
    assert "<script>" not in html
    assert "https://cdn" not in html and "//cdn." not in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html


def test_english_is_available(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html


def test_german_is_the_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="de">' in html
    assert "Anmelden" in html and "Zum Inhalt springen" in html
