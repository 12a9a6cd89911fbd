"""Uploads are judged by their content and stored privately; downloads go through a checked view
under a name the server chooses.

Completes the upload tests of the apps (tests/seal/test_uploads.py, tests/meetings/test_admin.py,
tests/meetings/test_materials.py, tests/members/test_directory.py, tests/newsletter/test_admin.py)
with what they leave out: disguised files of every kind leave nothing behind (no row, no file),
the count limit holds across requests, and hostile file names never reach a header.
"""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.admin.meetings import MaterialForm
from meetings.models import Material, Meeting
from members.models import Company
from newsletter.admin.issues import IssueAttachmentForm
from newsletter.models import IssueAttachment
from seal import services as seal_services
from seal.models import Answer, Application, Evidence
from tests.factories import CompanyFactory, MembershipFactory, company_profile_form
from tests.meetings.factories import MeetingFactory
from tests.newsletter.factories import IssueFactory
from tests.seal.factories import (
    TINY_PDF,
    AwardCycleFactory,
    CategoryFactory,
    CriterionFactory,
    tiny_png,
)

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '../../evil"\r\nX: y.pdf'
# Harmless names, wrong content.
DISGUISED = {
    "html": b"<!DOCTYPE html><html><script>alert(1)</script></html>",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
    "exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48,
    "png header only": b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,
    "zip without office parts": b"PK\x03\x04" + b"\x00" * 40,
}


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def assert_safe_download(response, expected_name: str):
    """An attachment under ``expected_name``, nothing of the uploader's name in any header."""
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="{expected_name}"'
    headers = "\n".join(f"{key}: {value}" for key, value in response.headers.items())
    assert "evil" not in headers and "X: y" not in headers
    assert response["X-Content-Type-Options"] == "nosniff"


# --- Company logo ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(DISGUISED))
def test_disguised_logo_is_refused_and_nothing_is_stored(client, company, company_admin, kind):
    client.force_login(company_admin)
    before = stored_files()
    fake = SimpleUploadedFile("logo.png", DISGUISED[kind], content_type="image/png")

    response = client.post(
        reverse("members:company_edit"), company_profile_form(company, logo=fake)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == [
        "Die Datei ist kein gültiges Bild. Erlaubt sind PNG, JPEG und WebP."
    ]
    company.refresh_from_db()
    assert not company.logo
    assert stored_files() == before


def test_logo_in_a_format_that_is_not_allowed_is_refused(client, company, company_admin):
    from PIL import Image

    gif = io.BytesIO()
    Image.new("RGB", (4, 4), "#8c1c2b").save(gif, format="GIF")
    client.force_login(company_admin)
    before = stored_files()

    response = client.post(
        reverse("members:company_edit"),
        company_profile_form(company, logo=SimpleUploadedFile("logo.png", gif.getvalue())),
    )

    assert response.context["form"].errors["logo"] == [
        "Erlaubt sind nur Bilder im Format PNG, JPEG oder WebP."
    ]
    assert stored_files() == before


def test_logo_is_stored_and_served_by_its_content_not_its_name(client, company, company_admin):
    client.force_login(company_admin)
    png = tiny_png()
    # A real PNG under a name that claims another type: the content decides, so the logo is
    # never served as a page.
    upload = SimpleUploadedFile('../../evil"X: y.html', png, content_type="text/html")

    response = client.post(
        reverse("members:company_edit"), company_profile_form(company, logo=upload)
    )

    assert response.status_code == 302
    company.refresh_from_db()
    assert company.logo.name.startswith("logos/") and company.logo.name.endswith(".png")
    assert "evil" not in company.logo.name
    response = client.get(reverse("members:logo", args=[company.slug]))
    assert response["Content-Type"] == "image/png"
    assert "evil" not in response.get("Content-Disposition", "")
    assert b"".join(response.streaming_content) == png


def test_logo_of_a_pending_company_is_not_shown_to_other_companies(client, company_user):
    pending = CompanyFactory(status=Company.Status.PENDING, directory_consent=True)
    pending.logo.save("logo.png", io.BytesIO(tiny_png()))
    client.force_login(company_user)
    assert client.get(reverse("members:logo", args=[pending.slug])).status_code == 404
    client.force_login(MembershipFactory(company=pending).user)
    assert client.get(reverse("members:logo", args=[pending.slug])).status_code == 200


# --- Seal evidence -----------------------------------------------------------------------------


@pytest.fixture
def criterion():
    cycle = AwardCycleFactory(name="2027", slug="2027")
    return CriterionFactory(category=CategoryFactory(cycle=cycle, name="Weiterbildung"))


@pytest.fixture
def application(criterion, company, company_admin):
    return Application.objects.create(
        cycle=criterion.category.cycle, company=company, started_by=company_admin
    )


def upload_evidence(client, criterion, *files):
    return client.post(
        reverse("seal:application_step", args=[criterion.category_id]),
        {
            f"criterion-{criterion.pk}-self_assessment": "3",
            f"criterion-{criterion.pk}-explanation": "Jährlicher Plan mit Budget",
            f"criterion-{criterion.pk}-files": list(files),
        },
    )


def evidence_errors(response, criterion) -> list[str]:
    form = next(f for f, _answer in response.context["items"] if f.criterion == criterion)
    return form.errors.get("files", [])


@pytest.mark.parametrize("kind", sorted(DISGUISED))
@pytest.mark.parametrize("name", ["Nachweis.pdf", "Foto.png"])
def test_disguised_evidence_is_refused_and_nothing_is_stored(
    client, company_admin, application, criterion, kind, name
):
    client.force_login(company_admin)
    before = stored_files()

    response = upload_evidence(
        client,
        criterion,
        # A good file first: it is written while the step is saved, and must go again.
        SimpleUploadedFile("Plan.pdf", TINY_PDF, content_type="application/pdf"),
        SimpleUploadedFile(name, DISGUISED[kind]),
    )

    assert response.status_code == 200
    message = "Nachweise müssen PDF-Dateien oder Bilder (PNG, JPEG) sein."
    assert evidence_errors(response, criterion) == [f"{name}: {message}"]
    assert not Evidence.objects.exists()
    assert not Answer.objects.exists()
    assert stored_files() == before


def test_evidence_count_limit_holds_across_requests(
    client, settings, company_admin, application, criterion
):
    settings.SEAL_EVIDENCE_MAX_FILES = 2
    client.force_login(company_admin)
    assert (
        upload_evidence(client, criterion, SimpleUploadedFile("a.pdf", TINY_PDF)).status_code == 302
    )
    before = stored_files()

    response = upload_evidence(
        client,
        criterion,
        SimpleUploadedFile("b.pdf", TINY_PDF),
        SimpleUploadedFile("c.pdf", TINY_PDF),
    )

    assert evidence_errors(response, criterion) == ["c.pdf: Höchstens 2 Dateien je Kriterium."]
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["a.pdf"]
    assert stored_files() == before


def test_evidence_download_uses_a_server_chosen_name(
    client, company_admin, other_company_admin, application, criterion
):
    answer = Answer.objects.create(application=application, criterion=criterion)
    evidence = seal_services.evidence_add(
        answer=answer,
        upload=SimpleUploadedFile(HOSTILE_NAME, TINY_PDF, content_type="text/html"),
        by_user=company_admin,
    )
    assert evidence.file.name.startswith("private/seal/") and evidence.file.name.endswith(".pdf")
    assert "evil" not in evidence.file.name
    url = reverse("seal:evidence", args=[evidence.pk])

    client.force_login(company_admin)
    response = client.get(url)
    assert_safe_download(response, f"nachweis-{evidence.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == TINY_PDF

    client.force_login(other_company_admin)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page, not the file


# --- Meeting materials (coordinators, through the admin's form) --------------------------------


def material_form(meeting, upload) -> MaterialForm:
    return MaterialForm(
        {"title": "Folien", "meeting": meeting.pk},
        {"file": upload},
        instance=Material(meeting=meeting),
    )


NOT_DOCUMENTS = sorted(set(DISGUISED) - {"png header only"})  # the magic bytes say PNG


@pytest.mark.parametrize("kind", NOT_DOCUMENTS)
def test_disguised_material_is_refused(kind):
    form = material_form(MeetingFactory(), SimpleUploadedFile("Folien.pdf", DISGUISED[kind]))
    assert not form.is_valid()
    assert form.errors["file"] == [
        "Dieser Dateityp ist nicht erlaubt. Bitte laden Sie ein PDF, eine Word-, Excel- oder "
        "PowerPoint-Datei (.docx, .xlsx, .pptx) oder ein Bild (PNG, JPEG) hoch."
    ]


def test_material_that_only_starts_like_a_png_is_refused():
    upload = SimpleUploadedFile("Folien.png", DISGUISED["png header only"])
    form = material_form(MeetingFactory(), upload)
    assert not form.is_valid()
    assert form.errors["file"] == [
        "Die Datei ist kein gültiges Bild. Erlaubt sind PNG, JPEG und WebP."
    ]


def test_material_with_a_hostile_name_is_stored_and_served_safely(client, company_user):
    meeting = MeetingFactory(slug="herbsttreffen", status=Meeting.Status.HELD)
    form = material_form(meeting, SimpleUploadedFile(HOSTILE_NAME, TINY_PDF))
    assert form.is_valid(), form.errors
    material = form.save()
    assert material.file.name.startswith("private/meetings/")
    assert material.file.name.endswith(".pdf") and "evil" not in material.file.name

    client.force_login(company_user)
    response = client.get(reverse("meetings:material", args=[meeting.slug, material.pk]))
    assert_safe_download(response, f"herbsttreffen-{material.pk}.pdf")
    assert response["Content-Type"] == "application/pdf"


def test_material_of_an_unpublished_meeting_is_not_served(client, company_user):
    meeting = MeetingFactory(slug="entwurf", status=Meeting.Status.DRAFT)
    form = material_form(meeting, SimpleUploadedFile("Folien.pdf", TINY_PDF))
    assert form.is_valid(), form.errors
    material = form.save()
    client.force_login(company_user)
    assert (
        client.get(reverse("meetings:material", args=["entwurf", material.pk])).status_code == 404
    )


# --- Newsletter attachments (coordinators, through the admin's form) ---------------------------


def attachment_form(upload) -> IssueAttachmentForm:
    return IssueAttachmentForm({}, {"file": upload}, instance=IssueAttachment(issue=IssueFactory()))


@pytest.mark.parametrize("kind", NOT_DOCUMENTS)
def test_disguised_newsletter_attachment_is_refused(kind):
    form = attachment_form(SimpleUploadedFile("Programm.pdf", DISGUISED[kind]))
    assert not form.is_valid()
    assert form.errors["file"][0].startswith("Dieser Dateityp ist nicht erlaubt.")


def test_newsletter_attachment_name_is_cleaned_for_the_mail_header():
    form = attachment_form(SimpleUploadedFile(HOSTILE_NAME, TINY_PDF))
    assert form.is_valid(), form.errors
    attachment = form.save()
    # The name goes into the Content-Disposition of the mail's attachment part.
    assert attachment.filename == "evilX_y.pdf"
    assert attachment.file.name.startswith("private/newsletter/")
    assert attachment.content_type == "application/pdf"
