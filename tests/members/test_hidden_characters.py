"""Control and invisible characters in company names, sign-up names, contacts and the CSV
import are refused with a German message, and nothing is stored (network_portal.text)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.urls import reverse

from accounts.models import User
from members.models import Company, CompanyMembership, ContactPerson
from tests.factories import UserFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

COMPANY = {
    "name": "Moselblick Physiotherapie GmbH",
    "legal_form": "gmbh",
    "industry": "health",
    "size_class": "small",
    "street": "Zurmaiener Straße 4",
    "postcode": "54292",
    "city": "Trier",
    "website": "https://physio-moselblick.example",
    "description": "Physiotherapie mit sechs Beschäftigten.",
    "directory_consent": "on",
    "salutation": "ms",
    "title": "",
    "function": "management",
    "phone": "0651 123456",
}


def refused(*found: str) -> str:
    return (
        "Bitte entfernen Sie die Steuer- oder unsichtbaren Zeichen aus dem Text: "
        f"{', '.join(found)}."
    )


@pytest.fixture
def newcomer(client):
    user = UserFactory(email="neu@moselblick.example")
    client.force_login(user)
    return user


def register(client, **changes):
    return client.post(reverse("members:register"), {**COMPANY, **changes})


def test_company_name_with_a_direction_override_is_refused(client, newcomer):
    # U+202E shows "Moselblick GmbH" for this text: another company's name, seemingly.
    response = register(client, name="Moselblick \u202eHbmG")

    assert response.status_code == 200
    assert response.context["company_form"].errors["name"] == [refused("Richtungswechsel (U+202E)")]
    assert refused("Richtungswechsel (U+202E)") in response.text
    assert not Company.objects.exists()
    assert not CompanyMembership.objects.exists()


def test_company_name_with_a_tab_is_refused_not_joined(client, newcomer):
    response = register(client, name="Moselblick\tPhysiotherapie GmbH")

    assert response.context["company_form"].errors["name"] == [refused("Tabulator (U+0009)")]
    assert not Company.objects.exists()


def test_a_twin_name_with_a_zero_width_space_is_refused_on_the_profile(
    client, company, company_admin
):
    client.force_login(company_admin)
    values = {**COMPANY, "name": "Moselblick\u200b Pflege GmbH"}

    response = client.post(reverse("members:company_edit"), values)

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [refused("unsichtbares Zeichen (U+200B)")]
    company.refresh_from_db()
    assert company.name == "Moselblick Pflege GmbH"


def test_german_text_emoji_and_a_description_of_several_lines_are_registered(client, newcomer):
    description = "Wir backen seit 1898.\r\n\r\nTäglich frisch – auch sonntags. 👩\u200d🍳"

    response = register(
        client,
        name="Bäckerei Müller & Söhne GmbH 🥨",
        street="Große Straße 5",
        city="Trier-Süd",
        description=description,
    )

    assert response.status_code == 302
    company = Company.objects.get()
    assert company.name == "Bäckerei Müller & Söhne GmbH 🥨"
    assert company.street == "Große Straße 5"
    assert company.description == description


def test_sign_up_name_with_a_direction_override_is_refused(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "anna.schmitt@moselblick.example",
            "first_name": "Anna\u202e",
            "last_name": "Schmitt",
            "password1": "Fachkraefte-2026!",
            "password2": "Fachkraefte-2026!",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["first_name"] == [refused("Richtungswechsel (U+202E)")]
    assert not User.objects.exists()


def test_sign_up_address_with_a_control_character_is_refused(client):
    address = '"anna\x1b"@moselblick.example'
    validate_email(address)  # Django's check alone lets it pass (a quoted local part)

    response = client.post(
        reverse("account_signup"),
        {
            "email": address,
            "first_name": "Anna",
            "last_name": "Schmitt",
            "password1": "Fachkraefte-2026!",
            "password2": "Fachkraefte-2026!",
        },
    )

    assert response.context["form"].errors["email"] == [refused("Steuerzeichen (U+001B)")]
    assert not User.objects.exists()


def test_contact_address_with_a_zero_width_space_in_the_domain_is_refused(
    client, company, company_admin
):
    address = "lea@mosel\u200bblick.example"
    validate_email(address)  # Django's check drops the character when it checks the domain
    client.force_login(company_admin)

    response = client.post(
        reverse("members:contact_add"),
        {
            "salutation": "ms",
            "first_name": "Lea",
            "last_name": "Kaspari",
            "function": "hr",
            "email": address,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [refused("unsichtbares Zeichen (U+200B)")]
    assert not ContactPerson.objects.exists()


# --------------------------------------------------------------------------------------------
# CSV import

HEADER = "name;legal_form;industry;size_class;street;postcode;city;contact_first_name;" + (
    "contact_last_name;contact_email"
)


def upload(client, *rows):
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    return client.post(
        reverse("admin:members_company_import"),
        {
            "step": "upload",
            "file": SimpleUploadedFile("mitglieder.csv", text.encode(), content_type="text/csv"),
        },
    )


def test_csv_row_with_a_bell_is_refused_with_the_german_message(client, coordinator):
    login_with_second_factor(client, coordinator)

    response = upload(
        client,
        "Weinhaus Ruwer GmbH;gmbh;trade;medium;Hauptstraße 1;54292;Trier;Anna;Bauer;"
        "anna.bauer@example.org",
        "Konzer Kita e. V.;ev;social;small;Am Markt 3;54329;Konz;Cla\x07ra;Dahm;"
        "clara.dahm@example.org",
        "Saar\u202eHbmG;gmbh;crafts;small;Am Hafen 2;54439;Saarburg;;;",
    )

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.errors == [
        "Zeile 3, Spalte „contact_first_name“: " + refused("Steuerzeichen (U+0007)"),
        "Zeile 4, Spalte „name“: " + refused("Richtungswechsel (U+202E)"),
    ]
    # The refused cells are shown with their code points, not acted upon by the browser.
    cells = {cell.column: cell.text for cell in preview.rows[1].cells}
    assert cells["contact_first_name"] == "Cla[U+0007]ra"
    assert "Saar[U+202E]HbmG" in response.text
    assert "\u202e" not in response.text and "\x07" not in response.text
    assert "confirm_form" not in response.context
    assert not Company.objects.exists()
    assert not ContactPerson.objects.exists()
