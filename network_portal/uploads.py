"""Uploaded files: checked by content, not by name, and by size; stored under random names
(``RandomFileName``, the ``upload_to`` of every file field).

Size is enforced twice: while the request is read (``BoundedUploadHandler``: nothing beyond
UPLOAD_MAX_BYTES is written anywhere, not even to a temporary file) and per purpose by the
validators below (a logo may be smaller than a meeting's slides). The number of files per
request is capped by Django's DATA_UPLOAD_MAX_NUMBER_FILES before any file is read.

No temporary file outlives its request: the handler notes every one it opens on the request,
and ``network_portal.middleware.UploadCleanupMiddleware`` closes (and so deletes) them when
the response is closed, whether the upload was accepted, cut off for its size, refused with
its request (CSRF) or broken off.

Office files are ZIP archives: they are checked in bounded memory and time whatever their
directory claims (see ``_office_kind``).
"""

import io
import os
import struct
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import (
    InMemoryUploadedFile,
    TemporaryUploadedFile,
    UploadedFile,
)
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _


@deconstructible(path="network_portal.uploads.RandomFileName")
class RandomFileName:
    """The ``upload_to`` of every file field: ``prefix``, a random name, the name's suffix.

    A stored file never keeps a name someone could guess or abuse; views that check who may
    see it hand it out, under a name they choose. The suffix (lowercased) is all that is kept
    of the uploaded name, and forms set it from the file's content where that matters.
    """

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        return f"{self.prefix}{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class OversizedUpload(UploadedFile):
    """Stands in for a file larger than UPLOAD_MAX_BYTES: its name and size, no content.

    Every validator checks the size first, so the user is told the file is too large.
    """

    def __init__(self, name, content_type, size, charset=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


# The request attribute listing the temporary files opened for the request's uploads.
_TEMPORARY_UPLOADS = "_portal_temporary_uploads"


class BoundedUploadHandler(FileUploadHandler):
    """The one upload handler (FILE_UPLOAD_HANDLERS).

    The files of a small request (up to FILE_UPLOAD_MAX_MEMORY_SIZE, as Django decides) stay in
    memory, those of a larger one go to temporary files. A file that passes UPLOAD_MAX_BYTES is
    dropped at that point (its temporary file closed and deleted at once), the rest of it read
    away, and the form gets an ``OversizedUpload`` that says "too large". Every temporary file
    is noted on the request, for ``close_temporary_uploads``.
    """

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # As Django's MemoryFileUploadHandler: a seekable stream (ASGI) knows its real size;
        # under WSGI the stream enforces Content-Length, so that can be trusted.
        stream = getattr(input_data, "_stream", input_data)
        try:
            content_length = stream.seek(0, os.SEEK_END)
        except (io.UnsupportedOperation, AttributeError, OSError):
            pass
        else:
            stream.seek(0)
        self.in_memory = (
            content_length is not None and content_length <= settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        )

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.oversized = False
        if self.in_memory:
            self.file = io.BytesIO()
        else:
            self.file = TemporaryUploadedFile(
                self.file_name, self.content_type, 0, self.charset, self.content_type_extra
            )
            if self.request is not None:
                if not hasattr(self.request, _TEMPORARY_UPLOADS):
                    setattr(self.request, _TEMPORARY_UPLOADS, [])
                getattr(self.request, _TEMPORARY_UPLOADS).append(self.file)

    def receive_data_chunk(self, raw_data, start):
        if self.oversized:
            return None
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            self.oversized = True
            self.file.close()  # a temporary file is deleted now, not at the end of the request
            self.file = None
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.oversized:
            return OversizedUpload(self.file_name, self.content_type, file_size, self.charset)
        self.file.seek(0)
        if self.in_memory:
            return InMemoryUploadedFile(
                file=self.file,
                field_name=self.field_name,
                name=self.file_name,
                content_type=self.content_type,
                size=file_size,
                charset=self.charset,
                content_type_extra=self.content_type_extra,
            )
        self.file.size = file_size
        return self.file

    def upload_interrupted(self):
        if getattr(self, "file", None) is not None and not self.in_memory:
            self.file.close()


def close_temporary_uploads(request) -> None:
    """Close, and so delete, every temporary file opened for the uploads of ``request``.

    A file the view stored was moved away already; closing it then changes nothing.
    """
    for upload in getattr(request, _TEMPORARY_UPLOADS, ()):
        upload.close()


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
_MANIFEST = "[Content_Types].xml"

# An Office file is a ZIP archive, and its directory and sizes are whatever its maker wrote:
# a 1 MB file can unpack to gigabytes (a zip bomb). Checking one costs bounded memory and time
# whatever it claims. A document from Word, Excel or PowerPoint stays far below these limits
# (a few dozen to a few thousand parts, XML that packs 5 to 50 times).
OFFICE_MAX_ENTRIES = 5_000
# zipfile reads the whole directory and makes an object per entry: at most this much of it.
OFFICE_MAX_DIRECTORY_BYTES = 1024 * 1024
OFFICE_MAX_MEMBER_BYTES = 512 * 1024 * 1024  # unpacked, as declared
OFFICE_MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # unpacked, all parts together, as declared
OFFICE_MAX_RATIO = 200  # unpacked : packed, for parts of more than 1 MB unpacked
OFFICE_MANIFEST_MAX_BYTES = 1024 * 1024  # read at most this much of the manifest, whatever it says

# The ZIP end records (APPNOTE 4.3.14 to 4.3.16): signature, disk numbers, entries on this disk
# and in all, size and offset of the directory, comment length.
_END = struct.Struct("<4s4H2LH")
_END_SIGNATURE = b"PK\x05\x06"
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_END64 = struct.Struct("<4sQ2H2L4Q")
_END64_SIGNATURE = b"PK\x06\x06"


class _UncheckableArchive(Exception):
    """The archive claims more than a document can need: too many parts, or too large."""


def _declared_directory(upload) -> tuple[int, int] | None:
    """(entries, bytes) of the archive's directory as its end records declare them, found the
    way zipfile finds them (the end record at the very end, else the last one in the final
    64 kB), or None where zipfile would find none."""
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    tail_start = max(0, size - (1 << 16) - _END.size)  # zipfile's window, to the byte
    upload.seek(tail_start)
    tail = upload.read()
    if (
        len(tail) >= _END.size
        and tail[-_END.size :].startswith(_END_SIGNATURE)
        and tail[-2:] == b"\x00\x00"
    ):
        at = len(tail) - _END.size
    else:
        at = tail.rfind(_END_SIGNATURE)
        if at < 0 or len(tail) - at < _END.size:
            return None
    entries, directory_bytes = _END.unpack_from(tail, at)[4:6]
    # A ZIP64 archive keeps the true numbers in records just before the end record.
    locator_at = tail_start + at - _END64_LOCATOR.size
    if locator_at >= _END64.size:
        upload.seek(locator_at)
        locator = upload.read(_END64_LOCATOR.size)
        if locator.startswith(_END64_LOCATOR_SIGNATURE):
            upload.seek(locator_at - _END64.size)
            record = upload.read(_END64.size)
            if len(record) == _END64.size and record.startswith(_END64_SIGNATURE):
                entries, directory_bytes = _END64.unpack(record)[7:9]
    return entries, directory_bytes


def _check_declared_sizes(infos) -> None:
    if len(infos) > OFFICE_MAX_ENTRIES:
        raise _UncheckableArchive
    total = 0
    for info in infos:
        unpacked = info.file_size
        total += unpacked
        if (
            unpacked > OFFICE_MAX_MEMBER_BYTES
            or total > OFFICE_MAX_TOTAL_BYTES
            or (unpacked > 1024 * 1024 and unpacked > OFFICE_MAX_RATIO * max(info.compress_size, 1))
        ):
            raise _UncheckableArchive


_OFFICE_METHODS = (0, 8)  # zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED


def _office_kind(upload) -> str | None:
    """docx, xlsx or pptx for a readable Office Open XML package, else None.

    Raises ValidationError for an archive that claims more than any document needs: too many
    parts, a directory too large, parts that would unpack to absurd sizes or ratios. The
    directory is measured before zipfile reads it; the manifest is read streaming and never
    beyond OFFICE_MANIFEST_MAX_BYTES, whatever size it declares.
    """
    import zipfile
    import zlib

    try:
        directory = _declared_directory(upload)
        if directory is None:
            return None
        entries, directory_bytes = directory
        if entries > OFFICE_MAX_ENTRIES or directory_bytes > OFFICE_MAX_DIRECTORY_BYTES:
            raise _UncheckableArchive
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            infos = package.infolist()  # zipfile does not hold to the declared count
            # Office writes parts stored or deflated. zipfile unpacks bzip2 and LZMA chunks
            # whole, beyond any size asked for: a few kB could fill the memory.
            if any(info.compress_type not in _OFFICE_METHODS for info in infos):
                return None
            _check_declared_sizes(infos)
            names = [info.filename for info in infos]
            if _MANIFEST not in names:
                return None
            manifest = package.getinfo(_MANIFEST)
            if manifest.file_size > OFFICE_MANIFEST_MAX_BYTES:
                raise _UncheckableArchive
            # Read the manifest: a broken archive fails here, not in the member's Office.
            with package.open(manifest) as stream:
                if len(stream.read(OFFICE_MANIFEST_MAX_BYTES + 1)) > OFFICE_MANIFEST_MAX_BYTES:
                    raise _UncheckableArchive
    except _UncheckableArchive:
        raise ValidationError(
            _(
                "This file cannot be checked: unpacked it would be unusually large, or it "
                "consists of too many parts. Please save it again in Word, Excel or PowerPoint "
                "and upload it once more."
            )
        ) from None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
        ValueError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # encrypted
    ):
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
