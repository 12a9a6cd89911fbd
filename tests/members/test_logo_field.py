"""The logo field of the company profile shows the logo itself, through the checked logo URL,
and a box to remove it; never the internal file path (whose media link would be a 404)."""

import io
import re

import pytest
from django.urls import reverse

from tests.factories import CompanyFactory, company_profile_form
from tests.seal.factories import tiny_png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def logo_part(html: str) -> str:
    """The form's logo field, from its label to the file input."""
    return html[html.index('for="id_logo"') : html.index('name="logo"')]


def test_the_current_logo_is_shown_as_an_image_that_loads(client, company, company_admin):
    company.logo.save("logo.png", io.BytesIO(tiny_png()))
    client.force_login(company_admin)

    html = client.get(reverse("members:company_edit")).content.decode()

    field = logo_part(html)
    logo_url = reverse("members:logo", args=[company.slug])
    image_tag = f'src="{logo_url}" alt="Aktuelles Logo">'
    assert "<img " in field and image_tag in field
    assert 'type="checkbox" name="logo-clear"' in field
    assert "Logo entfernen" in field
    # No internal path and no link to the media URL, anywhere on the page.
    assert company.logo.name not in html and "logos/" not in html
    assert not re.search(r'href="[^"]*/media/', html)
    image = client.get(logo_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_the_logo_can_be_removed(client, company, company_admin):
    company.logo.save("logo.png", io.BytesIO(tiny_png()))
    client.force_login(company_admin)

    response = client.post(
        reverse("members:company_edit"), company_profile_form(company, **{"logo-clear": "on"})
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert not company.logo
    html = client.get(reverse("members:company_edit")).content.decode()
    assert "<img" not in logo_part(html) and "logo-clear" not in html
    assert client.get(reverse("members:logo", args=[company.slug])).status_code == 404


def test_without_a_logo_there_is_only_the_upload(client, company, company_admin):
    client.force_login(company_admin)

    field = logo_part(client.get(reverse("members:company_edit")).content.decode())

    assert "<img" not in field and "checkbox" not in field and "Aktuelles Logo" not in field


def test_another_companys_logo_url_is_not_offered(client, company_admin):
    """The preview is the own company's logo, whose URL the logo view serves to its users even
    while the company is not listed publicly."""
    company = company_admin.membership.company
    company.directory_consent = False
    company.save()
    company.logo.save("logo.png", io.BytesIO(tiny_png()))
    other = CompanyFactory()
    other.logo.save("logo.png", io.BytesIO(tiny_png()))
    client.force_login(company_admin)

    html = client.get(reverse("members:company_edit")).content.decode()

    assert reverse("members:logo", args=[company.slug]) in html
    assert reverse("members:logo", args=[other.slug]) not in html
    assert client.get(reverse("members:logo", args=[company.slug])).status_code == 200
