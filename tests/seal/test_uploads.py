"""Evidence files: checked by content and size, stored under random names, served to few."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from seal.models import Application, Evidence
from tests.mfa import login_with_second_factor
from tests.seal.factories import (
    TINY_PDF,
    AwardCycleFactory,
    CategoryFactory,
    CriterionFactory,
    JurorAssignmentFactory,
    juror,
    tiny_png,
)

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(r"^private/seal/[0-9a-f]{32}\.(pdf|png|jpg)$")


@pytest.fixture
def criterion():
    cycle = AwardCycleFactory(name="2027", slug="2027")
    category = CategoryFactory(cycle=cycle, name="Weiterbildung")
    return CriterionFactory(category=category, question="Gibt es einen Weiterbildungsplan?")


@pytest.fixture
def application(criterion, company, company_admin):
    return Application.objects.create(
        cycle=criterion.category.cycle, company=company, started_by=company_admin
    )


def upload(client, criterion, *files):
    return client.post(
        reverse("seal:application_step", args=[criterion.category_id]),
        {
            f"criterion-{criterion.pk}-self_assessment": "3",
            f"criterion-{criterion.pk}-explanation": "Jährlicher Plan mit Budget",
            f"criterion-{criterion.pk}-files": list(files),
            "action": "save",
        },
    )


def field_errors(response, criterion) -> list[str]:
    form = next(f for f, _answer in response.context["items"] if f.criterion == criterion)
    return form.errors.get("files", [])


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_text_disguised_as_pdf_is_refused(client, company_admin, application, criterion):
    client.force_login(company_admin)
    fake = SimpleUploadedFile("plan.pdf", b"Das ist nur Text.", content_type="application/pdf")
    response = upload(client, criterion, fake)
    assert response.status_code == 200
    assert field_errors(response, criterion) == [
        "plan.pdf: Nachweise müssen PDF-Dateien oder Bilder (PNG, JPEG) sein."
    ]
    assert not Evidence.objects.exists()
    assert not application.answers.exists()  # nothing half-saved


def test_office_file_is_refused_as_evidence(client, company_admin, application, criterion):
    client.force_login(company_admin)
    response = upload(client, criterion, SimpleUploadedFile("plan.docx", docx()))
    assert field_errors(response, criterion) == [
        "plan.docx: Nachweise müssen PDF-Dateien oder Bilder (PNG, JPEG) sein."
    ]
    assert not Evidence.objects.exists()


def test_oversize_file_is_refused(client, settings, company_admin, application, criterion):
    settings.SEAL_EVIDENCE_MAX_BYTES = 100
    client.force_login(company_admin)
    big = SimpleUploadedFile("scan.pdf", TINY_PDF + b" " * 100, content_type="application/pdf")
    response = upload(client, criterion, big)
    assert field_errors(response, criterion) == [
        "scan.pdf: Die Datei ist zu groß (höchstens 100\xa0Bytes)."
    ]
    assert not Evidence.objects.exists()


def stored_files() -> set[str]:
    storage = Evidence._meta.get_field("file").storage
    return set(storage.listdir("private/seal")[1]) if storage.exists("private/seal") else set()


def test_too_many_files_are_refused(client, settings, company_admin, application, criterion):
    settings.SEAL_EVIDENCE_MAX_FILES = 1
    client.force_login(company_admin)
    before = stored_files()
    response = upload(
        client,
        criterion,
        SimpleUploadedFile("a.pdf", TINY_PDF),
        SimpleUploadedFile("b.pdf", TINY_PDF),
    )
    assert field_errors(response, criterion) == ["b.pdf: Höchstens 1 Dateien je Kriterium."]
    assert not Evidence.objects.exists()
    assert stored_files() == before  # the file accepted first is gone again


def test_real_pdf_and_png_are_stored_under_random_names(
    client, company_admin, application, criterion
):
    client.force_login(company_admin)
    png = tiny_png()
    response = upload(
        client,
        criterion,
        SimpleUploadedFile("Weiterbildungsplan.pdf", TINY_PDF, content_type="application/pdf"),
        # The name says PDF, the content is a PNG: the content decides.
        SimpleUploadedFile("Foto vom Aushang.pdf", png, content_type="application/pdf"),
    )
    assert response.status_code == 302
    pdf_evidence, png_evidence = Evidence.objects.order_by("pk")
    assert (pdf_evidence.original_name, pdf_evidence.content_type, pdf_evidence.size) == (
        "Weiterbildungsplan.pdf",
        "application/pdf",
        len(TINY_PDF),
    )
    assert (png_evidence.original_name, png_evidence.content_type) == (
        "Foto vom Aushang.pdf",
        "image/png",
    )
    assert RANDOM_NAME.match(pdf_evidence.file.name)
    assert RANDOM_NAME.match(png_evidence.file.name)
    assert png_evidence.file.name.endswith(".png")
    assert "Weiterbildungsplan" not in pdf_evidence.file.name
    with png_evidence.file.open("rb") as stored:
        assert stored.read() == png
    html = client.get(reverse("seal:application_step", args=[criterion.category_id])).content
    assert b"Foto vom Aushang.pdf" in html
    assert reverse("seal:evidence", args=[png_evidence.pk]).encode() in html


@pytest.fixture
def stored_png(client, company_admin, application, criterion):
    client.force_login(company_admin)
    upload(client, criterion, SimpleUploadedFile("foto.png", tiny_png()))
    client.logout()
    return Evidence.objects.get()


def test_assigned_juror_downloads_evidence(client, application, stored_png):
    application.submitted_at = timezone.now()  # jurors see submitted applications only
    application.save()
    assignment = JurorAssignmentFactory(application=application)
    login_with_second_factor(client, assignment.juror)
    response = client.get(reverse("seal:evidence", args=[stored_png.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        f'attachment; filename="nachweis-{stored_png.pk}.png"'
    )
    assert b"".join(response.streaming_content) == tiny_png()


def test_unassigned_or_conflicted_juror_gets_404(client, application, stored_png):
    url = reverse("seal:evidence", args=[stored_png.pk])
    login_with_second_factor(client, juror())
    assert client.get(url).status_code == 404
    assignment = JurorAssignmentFactory(
        application=application, conflict_declared_at=timezone.now()
    )
    login_with_second_factor(client, assignment.juror)
    assert client.get(url).status_code == 404


def test_other_company_admin_gets_404(client, other_company_admin, stored_png):
    client.force_login(other_company_admin)
    assert client.get(reverse("seal:evidence", args=[stored_png.pk])).status_code == 404


def test_staff_without_seal_permission_cannot_download_evidence(client, stored_png):
    from tests.factories import UserFactory

    newsletter_only = UserFactory(is_staff=True)
    login_with_second_factor(client, newsletter_only)
    assert client.get(reverse("seal:evidence", args=[stored_png.pk])).status_code == 404
