"""Upload limits hold while the request is read, before anything is stored."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from members.models import Company
from network_portal.uploads import BoundedUploadHandler, OversizedUpload

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def png_of(size: int) -> bytes:
    """A PNG header padded to ``size`` bytes (the size is what counts here)."""
    head = b"\x89PNG\r\n\x1a\n"
    return head + b"\x00" * (size - len(head))


def parse(body: bytes, handlers):
    meta = {
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": str(len(body)),
    }
    return MultiPartParser(meta, io.BytesIO(body), handlers).parse()


def test_nothing_beyond_the_limit_is_written_even_to_a_temporary_file(settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = 1 * MB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file would go to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = {
        "small": SimpleUploadedFile("klein.png", png_of(MB // 2)),
        "big": SimpleUploadedFile("gross.png", png_of(5 * MB)),
        "note": "bleibt erhalten",
    }
    body = encode_multipart(BOUNDARY, data)
    handlers = [BoundedUploadHandler()]

    post, files = parse(body, handlers)

    assert post["note"] == "bleibt erhalten"
    big = files["big"]
    assert isinstance(big, OversizedUpload)
    assert big.name == "gross.png" and big.size == 5 * MB
    assert big.read() == b""
    assert files["small"].size == MB // 2
    assert files["small"].read(8) == b"\x89PNG\r\n\x1a\n"
    # While the parsed files are alive, no temporary file holds more than the limit.
    written = [path.stat().st_size for path in tmp_path.iterdir()]
    assert written and max(written) <= 1 * MB


def test_too_large_logo_is_refused_with_a_clear_message(client, company_admin, settings):
    settings.UPLOAD_MAX_BYTES = 1 * MB
    client.force_login(company_admin)
    company = Company.objects.get(memberships__user=company_admin)
    page = client.get(reverse("members:company_edit"))
    form = page.context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in form.initial.items()
        if name != "logo" and not isinstance(value, list | MultiValueDict)
    }
    data["logo"] = SimpleUploadedFile("logo.png", png_of(3 * MB), content_type="image/png")

    response = client.post(reverse("members:company_edit"), data)

    assert response.status_code == 200
    # The request limit cut it off: that is the limit the user is told.
    assert response.context["form"].errors["logo"] == [
        "Die Datei ist zu groß (höchstens 1,0\xa0MB)."
    ]
    company.refresh_from_db()
    assert not company.logo


def test_too_many_files_in_one_request_are_refused_before_reading_them(
    client, company_admin, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client.force_login(company_admin)
    files = [SimpleUploadedFile(f"n{i}.pdf", b"%PDF-1.4\n") for i in range(4)]

    response = client.post(reverse("members:company_edit"), {"logo": files})

    assert response.status_code == 400
    assert "Ungültige Anfrage" in response.content.decode()


def test_a_document_with_an_image_header_must_be_a_whole_image():
    from django.core.exceptions import ValidationError

    from network_portal.uploads import validate_document_upload

    fake = SimpleUploadedFile("folien.png", b"\x89PNG\r\n\x1a\n" + b"<html>nicht wirklich</html>")
    with pytest.raises(ValidationError) as error:
        validate_document_upload(fake, max_bytes=MB)
    assert error.value.messages == [
        "Die Datei ist kein gültiges Bild. Erlaubt sind PNG, JPEG und WebP."
    ]


def test_a_file_cut_off_by_the_request_limit_is_called_too_large(settings):
    """Even where the purpose allows more than UPLOAD_MAX_BYTES: the limit that bit is named."""
    from django.core.exceptions import ValidationError

    from network_portal.uploads import validate_document_upload

    settings.UPLOAD_MAX_BYTES = 1 * MB
    cut_off = OversizedUpload("folien.pdf", "application/pdf", 3 * MB)
    with pytest.raises(ValidationError) as error:
        validate_document_upload(cut_off, max_bytes=20 * MB)
    assert error.value.messages == ["Die Datei ist zu groß (höchstens 1,0\xa0MB)."]
