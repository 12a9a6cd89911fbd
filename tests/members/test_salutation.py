"""A contact person's salutation is printed only where one is given: "Frau Dr. Anna Neumann",
but "Jonas Becker", never "keine Angabe Jonas Becker"."""

import pytest
from django.urls import reverse
from django.utils import translation

from members.models import ContactPerson
from tests.factories import ContactPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(company):
    return ContactPersonFactory(
        company=company,
        salutation=ContactPerson.Salutation.MS,
        title="Dr.",
        first_name="Anna",
        last_name="Neumann",
    )


@pytest.fixture
def jonas(company):
    return ContactPersonFactory(
        company=company,
        salutation=ContactPerson.Salutation.NONE,
        first_name="Jonas",
        last_name="Becker",
    )


def test_the_company_page_names_contacts_without_an_empty_salutation(
    client, company_admin, anna, jonas
):
    client.force_login(company_admin)

    html = client.get(reverse("members:company")).content.decode()

    assert "<strong>Frau Dr. Anna Neumann</strong>" in html
    assert "<strong>Jonas Becker</strong>" in html
    assert "keine Angabe" not in html


def test_names_follow_the_language_of_the_page_or_mail(anna, jonas):
    with translation.override("de"):
        assert str(anna.name_with_salutation) == "Frau Dr. Anna Neumann"
        assert str(anna.letter_name) == "Frau Dr. Neumann"
    with translation.override("en"):
        assert str(anna.name_with_salutation) == "Ms Dr. Anna Neumann"
        assert str(anna.letter_name) == "Ms Dr. Neumann"
    assert jonas.name_with_salutation == jonas.letter_name == "Jonas Becker"
