"""Checks for uploaded files: by content, not by name, and by size.

Size is enforced twice: while the request is read (``UploadSizeLimitHandler``: nothing beyond
UPLOAD_MAX_BYTES is written anywhere, not even to a temporary file) and per purpose by the
validators below (a logo may be smaller than a meeting's slides). The number of files per
request is capped by Django's DATA_UPLOAD_MAX_NUMBER_FILES before any file is read.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class OversizedUpload(UploadedFile):
    """Stands in for a file larger than UPLOAD_MAX_BYTES: its name and size, no content.

    Every validator checks the size first, so the user is told the file is too large.
    """

    def __init__(self, name, content_type, size, charset=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class UploadSizeLimitHandler(FileUploadHandler):
    """First of the upload handlers: passes a file's chunks on to the next handler (memory or
    temporary file) only up to UPLOAD_MAX_BYTES; beyond that it drops them, reads the rest of
    the request away and hands the form an ``OversizedUpload``."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        if self.oversized or start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self.oversized = True
            return None  # the following handlers never see this chunk
        return raw_data

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(self.file_name, self.content_type, file_size, self.charset)
        return None


def validate_upload_size(upload, *, max_bytes: int) -> None:
    """Too large for its purpose, or for any purpose (cut off while the request was read)."""
    if upload.size > max_bytes or isinstance(upload, OversizedUpload):
        limit = min(max_bytes, settings.UPLOAD_MAX_BYTES)
        raise ValidationError(
            _("The file is too large (at most %(max)s).") % {"max": filesizeformat(limit)}
        )


# Formats a browser shows safely as <img>; SVG is left out because it can carry scripts.
IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
MAX_IMAGE_PIXELS = 25_000_000


def validate_image_upload(upload, *, max_bytes: int) -> str:
    """Raise ValidationError unless ``upload`` is a PNG, JPEG or WebP within ``max_bytes``.

    Returns the content type read from the file's content.
    """
    from PIL import Image, UnidentifiedImageError

    validate_upload_size(upload, max_bytes=max_bytes)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(
            _("The file is not a valid image. PNG, JPEG and WebP are allowed.")
        ) from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(_("Only images in PNG, JPEG or WebP format are allowed."))
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(_("The image has too many pixels."))
    return IMAGE_FORMATS[image_format]


# Documents coordinators attach to meetings: slides, handouts, photos of flip charts.
DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
DOCUMENT_EXTENSIONS = {
    content_type: f".{'jpg' if kind == 'jpeg' else kind}"
    for kind, content_type in DOCUMENT_TYPES.items()
}
# The main part of an Office Open XML file, by the folder it lives in.
_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def _office_kind(upload) -> str | None:
    """docx, xlsx or pptx for a readable Office Open XML package, else None."""
    import zipfile

    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
            if "[Content_Types].xml" not in names:
                return None
            # Read the manifest: a broken archive fails here, not in the member's Office.
            package.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, ValueError):
        return None
    finally:
        upload.seek(0)
    for folder, kind in _OOXML_PARTS.items():
        if any(name.startswith(folder) for name in names):
            return kind
    return None


def validate_document_upload(upload, *, max_bytes: int) -> str:
    """Raise ValidationError unless ``upload`` is a PDF, a Word, Excel or PowerPoint file
    (Office Open XML), a PNG or a JPEG within ``max_bytes``.

    The type is read from the content (magic bytes, for Office files the ZIP's
    ``[Content_Types].xml``), never from the name; returns the content type.
    """
    validate_upload_size(upload, max_bytes=max_bytes)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
    if kind is None:
        raise ValidationError(
            _(
                "This file type is not allowed. Please upload a PDF, a Word, Excel or PowerPoint "
                "file (.docx, .xlsx, .pptx) or an image (PNG, JPEG)."
            )
        )
    if kind in ("png", "jpeg"):
        # Beyond the first bytes: the whole image must be one.
        validate_image_upload(upload, max_bytes=max_bytes)
    return DOCUMENT_TYPES[kind]
