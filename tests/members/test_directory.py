"""The members-only and the public directory, and company logos."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from members.models import Company
from network_portal.models import ActivityEntry
from tests.factories import CompanyFactory, ContactPersonFactory, company_profile_form

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 20), noise=False) -> bytes:
    buffer = io.BytesIO()
    if noise:  # incompressible, so the file really is large
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (140, 28, 43))
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def make_companies(n):
    for i in range(n):
        company = CompanyFactory(name=f"Saartal Betrieb {i:03d}", slug=f"saartal-{i:03d}")
        ContactPersonFactory.create_batch(2, company=company)


def test_public_directory_lists_only_consenting_active_companies(client):
    CompanyFactory(name="Sichtbar GmbH", directory_consent=True)
    CompanyFactory(name="Verborgen GmbH", directory_consent=False)
    CompanyFactory(name="Wartend GmbH", status=Company.Status.PENDING)
    CompanyFactory(name="Ausgetreten GmbH", status=Company.Status.LEFT)
    contact = ContactPersonFactory(company=Company.objects.get(name="Sichtbar GmbH"))

    html = client.get(reverse("members:public_directory")).content.decode()
    assert "Sichtbar GmbH" in html
    for hidden in ("Verborgen GmbH", "Wartend GmbH", "Ausgetreten GmbH"):
        assert hidden not in html
    assert contact.email not in html  # no personal data in public


def test_member_directory_shows_all_active_companies_with_contacts(client, company_user):
    CompanyFactory(name="Verborgen GmbH", directory_consent=False)
    CompanyFactory(name="Wartend GmbH", status=Company.Status.PENDING)
    contact = ContactPersonFactory(company=Company.objects.get(name="Verborgen GmbH"))
    client.force_login(company_user)
    html = client.get(reverse("members:directory")).content.decode()
    assert "Verborgen GmbH" in html and contact.email in html
    assert "Wartend GmbH" not in html


def test_directory_filters_and_empty_state(client):
    CompanyFactory(name="Schreinerei Olewig", industry="crafts", size_class="small", city="Trier")
    CompanyFactory(name="Klinik Trierer Land", industry="health", size_class="large", city="Trier")
    response = client.get(reverse("members:public_directory"), {"industry": "health"})
    html = response.content.decode()
    assert "Klinik Trierer Land" in html and "Schreinerei Olewig" not in html
    response = client.get(reverse("members:public_directory"), {"q": "nichts-passt"})
    assert "Keine Unternehmen gefunden." in response.content.decode()


def test_directory_paginates_and_keeps_filters(client):
    for i in range(25):
        CompanyFactory(name=f"Handwerk {i:02d}", industry="crafts")
    response = client.get(reverse("members:public_directory"), {"industry": "crafts"})
    html = response.content.decode()
    assert "Seite 1 von 2" in html
    assert "?industry=crafts&amp;page=2" in html
    page2 = client.get(reverse("members:public_directory"), {"industry": "crafts", "page": 2})
    assert "Handwerk 24" in page2.content.decode()


@pytest.mark.parametrize("n", [1, 15])
def test_member_directory_query_count_is_constant(
    client, company_user, django_assert_num_queries, n
):
    make_companies(n)
    client.force_login(company_user)
    # Session, user with company account and company (permission and navigation), count,
    # companies, contacts. (The list kept in a shared cache: tests/test_shared_content_cache.)
    with django_assert_num_queries(5):
        response = client.get(reverse("members:directory"))
    assert response.status_code == 200
    with django_assert_num_queries(5):  # the test settings' cache is not shared: anew
        again = client.get(reverse("members:directory"))
    assert again.content.decode().count('<article class="card') == n + 1  # and the own


@pytest.mark.parametrize("n", [1, 15])
def test_public_directory_query_count_is_constant(client, django_assert_num_queries, n):
    make_companies(n)
    with django_assert_num_queries(2):  # count and page
        response = client.get(reverse("members:public_directory"))
    assert response.status_code == 200


def test_company_admin_uploads_logo_checked_by_content(client, company, company_admin, settings):
    client.force_login(company_admin)
    form = company_profile_form(company)
    fake = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(reverse("members:company_edit"), {**form, "logo": fake})
    assert response.status_code == 200
    assert "Die Datei ist kein gültiges Bild. Erlaubt sind PNG, JPEG und WebP." in (
        response.content.decode()
    )

    big = SimpleUploadedFile(
        "logo.png", png_bytes((1000, 1000), noise=True), content_type="image/png"
    )
    assert big.size > settings.LOGO_MAX_BYTES
    response = client.post(reverse("members:company_edit"), {**form, "logo": big})
    assert "Die Datei ist zu groß (höchstens 2,0\xa0MB)." in response.content.decode()

    good = SimpleUploadedFile("Unser Logo.PNG", png_bytes(), content_type="image/png")
    response = client.post(reverse("members:company_edit"), {**form, "logo": good})
    assert response.status_code == 302
    company.refresh_from_db()
    assert company.logo.name.startswith("logos/")
    assert "Unser" not in company.logo.name  # stored under a random name

    client.logout()
    response = client.get(reverse("members:logo", args=[company.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png_bytes()


def test_logo_of_a_company_outside_the_public_directory_is_not_public(client, company_user):
    hidden = CompanyFactory(directory_consent=False, logo="logos/abc.png")
    response = client.get(reverse("members:logo", args=[hidden.slug]))
    assert response.status_code == 404


def test_a_profile_edit_is_logged_with_the_fields_changed(client, company, company_admin):
    client.force_login(company_admin)
    form = company_profile_form(company, city="Konz", website="https://moselblick.example")

    response = client.post(reverse("members:company_edit"), form)

    assert response.status_code == 302
    entry = ActivityEntry.objects.get(action="members.company.profile_changed")
    assert (entry.actor, entry.object_id) == (company_admin, str(company.pk))
    assert set(entry.details["fields"]) >= {"city"}
    client.post(reverse("members:company_edit"), form)  # the same again: nothing changed
    assert ActivityEntry.objects.filter(action="members.company.profile_changed").count() == 1
