import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members import csv_io
from members.models import Company, ContactPerson, Industry, LegalForm, SizeClass
from tests.factories import CompanyFactory, ContactPersonFactory

CHANGELIST = reverse("admin:members_company_changelist")
HEADER = (
    "name;legal_form;industry;size_class;street;postcode;city;website;status;"
    "directory_consent;member_since;contact_salutation;contact_title;contact_first_name;"
    "contact_last_name;contact_function;contact_email;contact_phone;"
    "contact_wants_meeting_invitations;contact_wants_newsletter"
)


def export(client, companies, query=""):
    return client.post(
        CHANGELIST + query,
        {"action": "export_csv", "_selected_action": [c.pk for c in companies]},
    )


def csv_text(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return content.decode("utf-8")[1:]


@pytest.fixture
def pflege(db):
    company = CompanyFactory(
        name="Moselblick Pflege GmbH",
        slug="moselblick-pflege",
        legal_form=LegalForm.GMBH,
        industry=Industry.HEALTH,
        size_class=SizeClass.MEDIUM,
        street="Paulinstraße 12",
        postcode="54292",
        city="Trier",
        website="https://pflege.example.org",
        status=Company.Status.ACTIVE,
        directory_consent=True,
        member_since=datetime.date(2021, 4, 1),
    )
    ContactPersonFactory(
        company=company,
        salutation=ContactPerson.Salutation.MS,
        title="Dr.",
        first_name="Anna",
        last_name="Zander",
        function=ContactPerson.Function.MANAGEMENT,
        email="anna.zander@example.org",
        phone="+49 651 123456",
        wants_meeting_invitations=True,
        wants_newsletter=False,
    )
    ContactPersonFactory(
        company=company,
        salutation=ContactPerson.Salutation.MR,
        title="",
        first_name="Bernd",
        last_name="Albers",
        function=ContactPerson.Function.HR,
        email="bernd.albers@example.org",
        phone="0651 98765",
        wants_meeting_invitations=False,
        wants_newsletter=True,
    )
    return company


@pytest.fixture
def bau(db):
    return CompanyFactory(
        name="Saarburger Bau KG",
        slug="saarburger-bau",
        legal_form=LegalForm.KG,
        industry=Industry.CONSTRUCTION,
        size_class=SizeClass.SMALL,
        street="Am Markt 3",
        postcode="54439",
        city="Saarburg",
        website="",
        status=Company.Status.PAUSED,
        directory_consent=False,
        member_since=None,
    )


def test_export_is_offered_as_action(coordinator_client, pflege):
    response = coordinator_client.get(CHANGELIST)
    assert response.status_code == 200
    assert '<option value="export_csv">Als CSV exportieren</option>' in response.text


def test_export_content_one_row_per_contact(coordinator_client, pflege, bau):
    response = export(coordinator_client, [pflege, bau])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="mitgliedsunternehmen-{today}.csv"'
    )
    company_pflege = (
        "Moselblick Pflege GmbH;gmbh;health;medium;Paulinstraße 12;54292;Trier;"
        "https://pflege.example.org;active;ja;2021-04-01"
    )
    assert csv_text(response) == (
        HEADER
        + "\r\n"
        # Sorted by company name, contacts by last name; the apostrophe keeps Excel from
        # reading "+49 …" as a formula.
        + company_pflege
        + ";mr;;Bernd;Albers;hr;bernd.albers@example.org;0651 98765;nein;ja\r\n"
        + company_pflege
        + ";ms;Dr.;Anna;Zander;management;anna.zander@example.org;'+49 651 123456;ja;nein\r\n"
        + "Saarburger Bau KG;kg;construction;small;Am Markt 3;54439;Saarburg;;paused;nein;"
        + ";;;;;;;;;\r\n"
    )


def test_export_only_selected_companies(coordinator_client, pflege, bau):
    response = export(coordinator_client, [bau])

    lines = csv_text(response).split("\r\n")
    assert lines[0] == HEADER
    assert [line.split(";")[0] for line in lines[1:-1]] == ["Saarburger Bau KG"]
    assert lines[-1] == ""


def test_export_all_of_filtered_changelist(coordinator_client, pflege, bau):
    # "Alle auswählen" on a filtered list: select_across exports everything the filter shows.
    response = coordinator_client.post(
        CHANGELIST + "?status__exact=paused",
        {"action": "export_csv", "select_across": "1", "_selected_action": [pflege.pk]},
    )

    lines = csv_text(response).split("\r\n")
    assert [line.split(";")[0] for line in lines[1:-1]] == ["Saarburger Bau KG"]


@pytest.mark.parametrize("n_companies", [1, 10])
def test_export_query_count_is_constant(coordinator_client, django_assert_num_queries, n_companies):
    companies = CompanyFactory.create_batch(n_companies)
    for company in companies:
        ContactPersonFactory.create_batch(3, company=company)

    # Session, user, the changelist's counts, then companies and their prefetched contacts.
    with django_assert_num_queries(6):
        response = export(coordinator_client, companies)

    assert response.status_code == 200
    assert len(csv_text(response).split("\r\n")) == 1 + 3 * n_companies + 1


@pytest.mark.parametrize("n_companies", [1, 10])
def test_export_rows_need_two_queries(db, django_assert_num_queries, n_companies):
    for company in CompanyFactory.create_batch(n_companies):
        ContactPersonFactory.create_batch(3, company=company)

    with django_assert_num_queries(2):
        rows = csv_io.export_rows(Company.objects.all())

    assert len(rows) == 1 + 3 * n_companies
