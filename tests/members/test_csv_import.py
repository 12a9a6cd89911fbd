import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members import csv_io
from members.models import Company, ContactPerson
from tests.factories import CompanyFactory, ContactPersonFactory, CoordinatorFactory, UserFactory
from tests.mfa import login_with_second_factor

IMPORT_URL = reverse("admin:members_company_import")
CHANGELIST = reverse("admin:members_company_changelist")
HEADER = (
    "name;legal_form;industry;size_class;street;postcode;city;website;status;"
    "directory_consent;member_since;contact_salutation;contact_title;contact_first_name;"
    "contact_last_name;contact_function;contact_email;contact_phone;"
    "contact_wants_meeting_invitations;contact_wants_newsletter"
)
NOTHING_IMPORTED = (
    "Es wird nichts importiert; bitte korrigieren Sie die Datei und laden Sie sie erneut hoch."
)

# Stored values and German labels mixed, as a hand-kept member list would have them.
GOOD_ROWS = [
    "Weinhaus Ruwer GmbH;GmbH;Handel;mittel;Hauptstraße 1;54292;Trier;www.weinhaus-ruwer.de;"
    ";ja;01.03.2020;Frau;Dr.;Anna;Bauer;Geschäftsführung;anna.bauer@example.org;"
    "'+49 651 1234;ja;nein",
    "WEINHAUS RUWER GMBH;gmbh;trade;medium;Hauptstraße 1;54292;Trier;"
    "https://www.weinhaus-ruwer.de;aktiv;ja;2020-03-01;herr;;Ben;Schmitt;hr;"
    "ben.schmitt@example.org;;nein;ja",
    "Konzer Kita e. V.;e.V.;soziales und bildung;klein;Am Markt 3;54329;Konz;;pausiert;;;"
    ";;Clara;Dahm;;clara.dahm@example.org;;;",
    "Hochwald Logistik AG;ag;logistics;large;Industriestraße 9;54411;Hermeskeil;;;nein;;;;;;;;;;",
]


def csv_file(rows, *, header=HEADER, encoding="utf-8", name="mitglieder.csv", sep="\r\n"):
    return SimpleUploadedFile(
        name, (sep.join([header, *rows]) + sep).encode(encoding), content_type="text/csv"
    )


def upload(client, rows, **kwargs):
    return client.post(IMPORT_URL, {"step": "upload", "file": csv_file(rows, **kwargs)})


def confirm(client, payload):
    return client.post(IMPORT_URL, {"step": "confirm", "payload": payload})


def payload_of(response):
    return response.context["confirm_form"]["payload"].value()


def test_changelist_links_to_import(coordinator_client):
    response = coordinator_client.get(CHANGELIST)
    assert f'<a href="{IMPORT_URL}">CSV importieren</a>' in response.text


def test_upload_form(coordinator_client):
    response = coordinator_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert 'accept=".csv,text/csv"' in response.text
    assert 'value="Vorschau anzeigen"' in response.text


def test_preview_then_confirm_imports_everything(coordinator_client):
    response = upload(coordinator_client, GOOD_ROWS)

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.errors == []
    assert [row.line for row in preview.rows] == [2, 3, 4, 5]
    assert "Alle Zeilen sind gültig. Importiert werden: 3 Unternehmen, 3 Ansprechpersonen." in (
        response.text
    )
    assert 'value="Jetzt importieren (3 Unternehmen, 3 Ansprechpersonen)"' in response.text
    # Parsed values are shown, not the raw text.
    assert [cell.text for cell in preview.rows[0].cells] == [
        "Weinhaus Ruwer GmbH",
        "GmbH",
        "Handel",
        "mittel (10–249 Beschäftigte)",
        "Hauptstraße 1",
        "54292",
        "Trier",
        "https://www.weinhaus-ruwer.de",
        "aktiv",
        "ja",
        "01.03.2020",
        "Frau",
        "Dr.",
        "Anna",
        "Bauer",
        "Geschäftsführung",
        "anna.bauer@example.org",
        "+49 651 1234",
        "ja",
        "nein",
    ]
    assert "<td>mittel (10–249 Beschäftigte)</td>" in response.text
    # A dry run: nothing written yet.
    assert Company.objects.count() == 0

    response = confirm(coordinator_client, payload_of(response))

    assert response.status_code == 302
    assert response["Location"] == CHANGELIST
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Import abgeschlossen: 3 Unternehmen, 3 Ansprechpersonen angelegt."]

    companies = {c.name: c for c in Company.objects.all()}
    assert sorted(companies) == ["Hochwald Logistik AG", "Konzer Kita e. V.", "Weinhaus Ruwer GmbH"]
    weinhaus = companies["Weinhaus Ruwer GmbH"]
    assert (
        weinhaus.slug,
        weinhaus.legal_form,
        weinhaus.industry,
        weinhaus.size_class,
        weinhaus.street,
        weinhaus.postcode,
        weinhaus.city,
        weinhaus.website,
        weinhaus.status,
        weinhaus.directory_consent,
        weinhaus.member_since,
    ) == (
        "weinhaus-ruwer-gmbh",
        "gmbh",
        "trade",
        "medium",
        "Hauptstraße 1",
        "54292",
        "Trier",
        "https://www.weinhaus-ruwer.de",
        "active",
        True,
        datetime.date(2020, 3, 1),
    )
    kita = companies["Konzer Kita e. V."]
    assert (kita.legal_form, kita.industry, kita.size_class, kita.status) == (
        "ev",
        "social",
        "small",
        "paused",
    )
    assert (kita.website, kita.directory_consent, kita.member_since) == ("", False, None)
    hochwald = companies["Hochwald Logistik AG"]
    assert (hochwald.size_class, hochwald.status, hochwald.contacts.count()) == (
        "large",
        "active",
        0,
    )

    contacts = [
        (
            c.company.name,
            c.salutation,
            c.title,
            c.first_name,
            c.last_name,
            c.function,
            c.email,
            c.phone,
            c.wants_meeting_invitations,
            c.wants_newsletter,
        )
        for c in ContactPerson.objects.order_by("email")
    ]
    assert contacts == [
        (
            "Weinhaus Ruwer GmbH",
            "ms",
            "Dr.",
            "Anna",
            "Bauer",
            "management",
            "anna.bauer@example.org",
            "+49 651 1234",
            True,
            False,
        ),
        (
            "Weinhaus Ruwer GmbH",
            "mr",
            "",
            "Ben",
            "Schmitt",
            "hr",
            "ben.schmitt@example.org",
            "",
            False,
            True,
        ),
        # Empty optional columns take the model defaults: invitations yes, the newsletter
        # only with a "ja" (opt-in).
        (
            "Konzer Kita e. V.",
            "",
            "",
            "Clara",
            "Dahm",
            "other",
            "clara.dahm@example.org",
            "",
            True,
            False,
        ),
    ]


def test_slug_avoids_existing_slugs(coordinator_client):
    CompanyFactory(name="Weinhaus Ruwer", slug="weinhaus-ruwer-gmbh")

    response = upload(coordinator_client, GOOD_ROWS[:1])
    confirm(coordinator_client, payload_of(response))

    assert Company.objects.get(name="Weinhaus Ruwer GmbH").slug == "weinhaus-ruwer-gmbh-2"


BAD_ROW = (
    "Saar Bäckerei;GmbX;Bäckerhandwerk;riesig;;5429;Saarburg;htp:/kaputt;;vielleicht;31.02.2020;"
    ";;Dora;;;dora@;;;"
)
BAD_ROW_ERRORS = [
    "Zeile 4, Spalte „legal_form“: Unbekannter Wert „GmbX“. Erlaubt sind einzel, ek, gbr, ohg, "
    "kg, gmbh, ug, gmbh_co_kg, ag, eg, ev, public, other oder die deutsche Bezeichnung.",
    "Zeile 4, Spalte „industry“: Unbekannter Wert „Bäckerhandwerk“. Erlaubt sind crafts, "
    "construction, manufacturing, trade, hospitality, health, social, it, services, finance, "
    "logistics, public, other oder die deutsche Bezeichnung.",
    "Zeile 4, Spalte „size_class“: Unbekannter Wert „riesig“. Erlaubt sind small, medium, large "
    "oder die deutsche Bezeichnung.",
    "Zeile 4, Spalte „street“: Pflichtangabe fehlt.",
    "Zeile 4, Spalte „postcode“: „5429“ ist keine gültige Postleitzahl (5 Ziffern).",
    "Zeile 4, Spalte „website“: „htp:/kaputt“ ist keine gültige Internetadresse.",
    "Zeile 4, Spalte „directory_consent“: Unbekannter Wert „vielleicht“. Erlaubt sind „ja“ und "
    "„nein“.",
    "Zeile 4, Spalte „member_since“: „31.02.2020“ ist kein gültiges Datum (JJJJ-MM-TT oder "
    "TT.MM.JJJJ).",
    "Zeile 4, Spalte „contact_last_name“: Pflichtangabe für die Ansprechperson fehlt.",
    "Zeile 4, Spalte „contact_email“: „dora@“ ist keine gültige E-Mail-Adresse.",
]


def test_bad_row_blocks_the_whole_import(coordinator_client, coordinator):
    rows = [GOOD_ROWS[0], GOOD_ROWS[2], BAD_ROW, GOOD_ROWS[3]]

    response = upload(coordinator_client, rows)

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.errors == BAD_ROW_ERRORS
    assert [len(row.errors) for row in preview.rows] == [0, 0, 10, 0]
    assert (
        "Die Datei enthält 10 Fehler. Es wird nichts importiert; bitte korrigieren Sie die Datei "
        "und laden Sie sie erneut hoch."
    ) in response.text
    for error in BAD_ROW_ERRORS:
        assert error in response.text
    assert "confirm_form" not in response.context
    assert "Jetzt importieren" not in response.text
    assert 'name="payload"' not in response.text

    # Even a correctly signed confirm of this file imports nothing: it is checked again.
    payload = csv_io.sign_payload(
        text="\r\n".join([HEADER, *rows]), filename="mitglieder.csv", user=coordinator
    )
    response = confirm(coordinator_client, payload)

    assert response.status_code == 200
    assert response.context["preview"].errors == BAD_ROW_ERRORS
    assert "confirm_form" not in response.context
    assert Company.objects.count() == 0
    assert ContactPerson.objects.count() == 0


def test_error_lines_count_multiline_cells(coordinator_client):
    # A quoted cell with a line break spans two lines of the file; Excel writes these.
    rows = [
        '"Eifel ""Werk"" GmbH";gmbh;it;small;"Hof 1\nHinterhaus";54290;Trier;;;;;;;;;;;;;',
        BAD_ROW,
    ]

    response = upload(coordinator_client, rows, sep="\n")

    preview = response.context["preview"]
    assert [row.line for row in preview.rows] == [2, 4]
    assert preview.rows[0].company["name"] == 'Eifel "Werk" GmbH'
    # A street takes one line (network_portal.text), from Excel as from the form.
    assert preview.errors[0] == (
        "Zeile 2, Spalte „street“: Bitte entfernen Sie die Steuer- oder unsichtbaren Zeichen aus "
        "dem Text: Zeilenumbruch (U+000A)."
    )
    assert preview.errors[1].startswith("Zeile 4, Spalte „legal_form“: ")


def test_existing_company_name_is_an_error(coordinator_client):
    CompanyFactory(name="Weinhaus Ruwer GmbH", slug="weinhaus")

    response = upload(coordinator_client, GOOD_ROWS)

    assert response.context["preview"].errors == [
        "Zeile 2, Spalte „name“: Ein Unternehmen „Weinhaus Ruwer GmbH“ ist im Portal bereits "
        "vorhanden."
    ]
    assert "confirm_form" not in response.context
    assert Company.objects.count() == 1


def test_existing_company_name_differing_in_case(coordinator_client):
    CompanyFactory(name="Hochwald Logistik AG", slug="hochwald")
    rows = [GOOD_ROWS[3].replace("Hochwald Logistik AG", "HOCHWALD LOGISTIK AG")]

    response = upload(coordinator_client, rows)

    assert response.context["preview"].errors == [
        "Zeile 2, Spalte „name“: Ein Unternehmen „HOCHWALD LOGISTIK AG“ ist im Portal bereits "
        "vorhanden."
    ]


def test_contradicting_company_rows_and_duplicate_contact_email(coordinator_client):
    rows = [
        GOOD_ROWS[0],
        # Same company, other city and no website.
        GOOD_ROWS[1].replace(";Trier;https://www.weinhaus-ruwer.de;", ";Konz;;"),
        # Same contact email as line 2, differently capitalised.
        GOOD_ROWS[1].replace("ben.schmitt@example.org", "Anna.Bauer@example.org"),
    ]

    response = upload(coordinator_client, rows)

    assert response.context["preview"].errors == [
        "Zeile 3: Die Angaben zum Unternehmen „WEINHAUS RUWER GMBH“ weichen von Zeile 2 ab "
        "(Spalten: city, website).",
        "Zeile 4, Spalte „contact_email“: Die E-Mail-Adresse „Anna.Bauer@example.org“ ist für "
        "dieses Unternehmen bereits in Zeile 2 angegeben.",
    ]


def test_header_errors_are_file_level(coordinator_client):
    header = HEADER.replace("city;", "ort;").replace(";street", "").replace("website", "homepage")

    response = upload(coordinator_client, ["egal"], header=header)

    preview = response.context["preview"]
    assert preview.rows == []
    assert preview.errors == [
        "Unbekannte Spalten: ort, homepage. Erlaubt sind: " + HEADER.replace(";", ", ") + ".",
        "Es fehlen Pflichtspalten: street, city.",
    ]
    assert "confirm_form" not in response.context


def test_header_without_data_rows(coordinator_client):
    response = upload(coordinator_client, [])

    assert response.context["preview"].errors == ["Die Datei enthält keine Datenzeilen."]
    assert "confirm_form" not in response.context


def test_optional_columns_may_be_left_out(coordinator_client):
    header = "name;legal_form;industry;size_class;street;postcode;city"

    response = upload(
        coordinator_client,
        ["Trierer Tischlerei;ek;crafts;small;Gasse 2;54290;Trier"],
        header=header,
    )
    confirm(coordinator_client, payload_of(response))

    company = Company.objects.get()
    assert (company.name, company.legal_form, company.status, company.contacts.count()) == (
        "Trierer Tischlerei",
        "ek",
        "active",
        0,
    )


TAMPERED = (
    "Die Importdaten sind ungültig oder wurden verändert. Bitte laden Sie die Datei erneut hoch."
)


def test_tampered_payload_is_refused(coordinator_client):
    response = upload(coordinator_client, GOOD_ROWS)
    payload = payload_of(response)
    data, signature = payload.rsplit(":", 1)
    altered = data[:-2] + ("AA" if data[-2:] != "AA" else "BB") + ":" + signature
    for_someone_else = csv_io.sign_payload(
        text=HEADER + "\r\n" + GOOD_ROWS[0], filename="mitglieder.csv", user=UserFactory()
    )

    for tampered in (altered, for_someone_else, "kein-signierter-inhalt"):
        response = confirm(coordinator_client, tampered)

        assert response.status_code == 400
        assert response.context["import_errors"] == [TAMPERED]
        assert f'<p class="errornote">{TAMPERED}</p>' in response.text
        assert "preview" not in response.context
    response = confirm(coordinator_client, "")
    assert response.status_code == 400
    assert response.context["import_errors"] == [
        "Die Importdaten fehlen. Bitte laden Sie die Datei erneut hoch."
    ]
    assert Company.objects.count() == 0

    # The genuine payload still works afterwards.
    assert confirm(coordinator_client, payload).status_code == 302
    assert Company.objects.count() == 3


def test_expired_payload_is_refused(coordinator_client, monkeypatch):
    response = upload(coordinator_client, GOOD_ROWS)
    monkeypatch.setattr(csv_io, "PAYLOAD_MAX_AGE_SECONDS", -1)

    response = confirm(coordinator_client, payload_of(response))

    assert response.status_code == 400
    assert response.context["import_errors"] == [
        "Die Vorschau ist abgelaufen. Bitte laden Sie die Datei erneut hoch."
    ]
    assert Company.objects.count() == 0


def test_cp1252_file_with_comma_delimiter(coordinator_client):
    header = HEADER.replace(";", ",")
    rows = [
        'Bäckerei Müller & Söhne GmbH,gmbh,Handwerk,klein,"Saarstraße 5, Hinterhaus",54439,'
        "Saarburg,,,ja,,Herr,,Jürgen,Weiß,Ausbildung,juergen.weiss@example.org,,ja,ja",
    ]

    response = upload(coordinator_client, rows, header=header, encoding="cp1252")

    assert response.context["preview"].errors == []
    assert "Importiert werden: 1 Unternehmen, 1 Ansprechperson." in response.text
    response = confirm(coordinator_client, payload_of(response))
    assert response.status_code == 302

    company = Company.objects.get()
    assert (company.name, company.street, company.city, company.industry, company.slug) == (
        "Bäckerei Müller & Söhne GmbH",
        "Saarstraße 5, Hinterhaus",
        "Saarburg",
        "crafts",
        "backerei-muller-sohne-gmbh",
    )
    contact = company.contacts.get()
    assert (contact.first_name, contact.last_name, contact.salutation, contact.function) == (
        "Jürgen",
        "Weiß",
        "mr",
        "training",
    )


def test_upload_checks_file_type_and_size(coordinator_client, monkeypatch):
    response = upload(coordinator_client, GOOD_ROWS, name="mitglieder.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["Bitte laden Sie eine CSV-Datei (.csv) hoch."]
    }

    monkeypatch.setattr(csv_io, "MAX_UPLOAD_BYTES", 100)
    response = upload(coordinator_client, GOOD_ROWS)
    assert response.context["form"].errors == {"file": ["Die Datei ist zu groß (höchstens 2 MB)."]}
    assert "preview" not in response.context


def test_export_can_be_imported_again(coordinator_client):
    company = CompanyFactory(name="Ruwer Technik GmbH", website="https://ruwer.example.org")
    ContactPersonFactory(company=company, phone="+49 651 99", email="a@example.org")
    ContactPersonFactory(company=company, email="b@example.org")
    CompanyFactory(name="Ohne Kontakt KG")
    exported = coordinator_client.post(
        CHANGELIST,
        {
            "action": "export_csv",
            "_selected_action": list(Company.objects.values_list("pk", flat=True)),
        },
    ).content
    before = sorted(
        ContactPerson.objects.values_list(
            "company__name", "salutation", "first_name", "last_name", "function", "email", "phone"
        )
    )
    Company.objects.all().delete()

    response = coordinator_client.post(
        IMPORT_URL,
        {"step": "upload", "file": SimpleUploadedFile("export.csv", exported)},
    )
    assert response.context["preview"].summary == "2 Unternehmen, 2 Ansprechpersonen"
    confirm(coordinator_client, payload_of(response))

    after = sorted(
        ContactPerson.objects.values_list(
            "company__name", "salutation", "first_name", "last_name", "function", "email", "phone"
        )
    )
    assert after == before
    assert Company.objects.get(name="Ruwer Technik GmbH").website == "https://ruwer.example.org"


@pytest.mark.parametrize("method", ["get", "post"])
def test_non_staff_user_cannot_reach_import(client, db, method):
    client.force_login(UserFactory())

    response = getattr(client, method)(IMPORT_URL)

    assert response.status_code == 403


def test_anonymous_user_is_sent_to_login(client, db):
    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={IMPORT_URL}"


def test_staff_without_add_permission_is_refused(client, db):
    staff = CoordinatorFactory(is_superuser=False)
    staff.user_permissions.add(Permission.objects.get(codename="view_company"))
    login_with_second_factor(client, staff)

    assert client.get(IMPORT_URL).status_code == 403
    assert "CSV importieren" not in client.get(CHANGELIST).text


def test_company_created_meanwhile_rolls_back_everything(coordinator_client, monkeypatch):
    response = upload(coordinator_client, GOOD_ROWS)
    original = csv_io.import_member_csv

    def someone_else_was_faster(preview, **kwargs):
        CompanyFactory(name="Hochwald Logistik AG", slug="hochwald")
        return original(preview, **kwargs)

    monkeypatch.setattr(csv_io, "import_member_csv", someone_else_was_faster)

    response = confirm(coordinator_client, payload_of(response))

    assert response.status_code == 302
    assert response["Location"] == IMPORT_URL
    assert [str(m) for m in response.wsgi_request._messages] == [
        "Der Import ist fehlgeschlagen, weil sich die Daten inzwischen geändert haben. Es wurde "
        "nichts importiert; bitte laden Sie die Datei erneut hoch."
    ]
    assert list(Company.objects.values_list("name", flat=True)) == ["Hochwald Logistik AG"]
    assert ContactPerson.objects.count() == 0
