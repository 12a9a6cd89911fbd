"""Office files (ZIP archives) are checked in bounded memory and time, whatever they claim.

A zip bomb is validated in a child process under a memory ceiling (RLIMIT_AS): the check must
refuse it with a German message without unpacking it, while documents as Word, Excel and
PowerPoint write them are still accepted.
"""

import io
import json
import os
import random
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.admin.meetings import MaterialForm
from meetings.models import Material
from network_portal.uploads import DOCUMENT_TYPES, validate_document_upload
from tests.meetings.factories import MeetingFactory

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024

REFUSED = (
    "Diese Datei lässt sich nicht prüfen: Entpackt wäre sie ungewöhnlich groß, oder sie besteht "
    "aus zu vielen Teilen. Bitte speichern Sie sie in Word, Excel oder PowerPoint neu und laden "
    "Sie sie noch einmal hoch."
)
NOT_ALLOWED = (
    "Dieser Dateityp ist nicht erlaubt. Bitte laden Sie ein PDF, eine Word-, Excel- oder "
    "PowerPoint-Datei (.docx, .xlsx, .pptx) oder ein Bild (PNG, JPEG) hoch."
)

CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    "{overrides}</Types>"
)
RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="{main}"/></Relationships>'
)


def office_package(parts: dict[str, bytes | str], *, main: str) -> bytes:
    """A package laid out as Office writes one: manifest, relationships, document properties."""
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="application/xml"/>'
        for name in parts
        if name.endswith(".xml")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES_XML.format(overrides=overrides))
        package.writestr("_rels/.rels", RELS_XML.format(main=main))
        package.writestr(
            "docProps/core.xml",
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties"><dc:title xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "Weiterbildungsplan 2027</dc:title></cp:coreProperties>",
        )
        package.writestr(
            "docProps/app.xml",
            "<Properties><Application>Microsoft Office</Application></Properties>",
        )
        for name, content in parts.items():
            # Office stores images as they are (they do not pack further).
            method = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
            package.writestr(name, content, compress_type=method)
    return buffer.getvalue()


def noisy_png(width: int, height: int) -> bytes:
    from PIL import Image

    pixels = random.Random(7).randbytes(width * height * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def word_document() -> bytes:
    paragraphs = "".join(
        f"<w:p><w:r><w:t>Absatz {n}: Die Moselblick Pflege GmbH bildet jährlich "
        f"{n % 17} Fachkräfte weiter.</w:t></w:r></w:p>"
        for n in range(3000)
    )
    return office_package(
        {
            "word/document.xml": f"<w:document xmlns:w='urn:w'><w:body>{paragraphs}</w:body>"
            "</w:document>",
            "word/styles.xml": "<w:styles xmlns:w='urn:w'/>",
            "word/_rels/document.xml.rels": "<Relationships/>",
            "word/media/image1.png": noisy_png(300, 200),
        },
        main="word/document.xml",
    )


def large_spreadsheet() -> bytes:
    """A spreadsheet with 400,000 cells: its sheet unpacks to about 20 MB (Excel's XML packs
    about tenfold), far more than anyone uploads, still well inside the limits."""
    rng = random.Random(3)
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{col}{r}"><v>{rng.randint(0, 99999)}</v></c>' for col in "ABCDEFGH")
        + "</row>"
        for r in range(1, 50_001)
    )
    return office_package(
        {
            "xl/workbook.xml": "<workbook><sheets><sheet name='Stunden'/></sheets></workbook>",
            "xl/worksheets/sheet1.xml": f"<worksheet><sheetData>{rows}</sheetData></worksheet>",
            "xl/styles.xml": "<styleSheet/>",
            "xl/_rels/workbook.xml.rels": "<Relationships/>",
        },
        main="xl/workbook.xml",
    )


def presentation(slides: int = 120) -> bytes:
    parts = {"ppt/presentation.xml": "<p:presentation xmlns:p='urn:p'/>"}
    for n in range(1, slides + 1):
        parts[f"ppt/slides/slide{n}.xml"] = (
            f"<p:sld xmlns:p='urn:p'><p:txBody>Folie {n}: Weiterbildung im Betrieb"
            "</p:txBody></p:sld>"
        )
        parts[f"ppt/slides/_rels/slide{n}.xml.rels"] = "<Relationships/>"
    parts["ppt/media/image1.png"] = noisy_png(600, 400)
    return office_package(parts, main="ppt/presentation.xml")


@pytest.mark.parametrize(
    ("make", "kind"),
    [(word_document, "docx"), (large_spreadsheet, "xlsx"), (presentation, "pptx")],
)
def test_documents_as_office_writes_them_are_accepted(make, kind):
    upload = SimpleUploadedFile(f"unterlagen.{kind}", make())
    assert validate_document_upload(upload, max_bytes=20 * MB) == DOCUMENT_TYPES[kind]
    assert upload.tell() == 0


def bomb_package(
    path: Path,
    *,
    unpacked: int,
    in_part: str = "[Content_Types].xml",
    method: int = zipfile.ZIP_DEFLATED,
) -> None:
    """``unpacked`` bytes of zeros in one part, streamed (never held in memory): about a
    thousandth of that on disk (deflate), far less with bzip2 or LZMA."""
    with zipfile.ZipFile(path, "w", method) as package:
        if in_part != "[Content_Types].xml":
            package.writestr("[Content_Types].xml", CONTENT_TYPES_XML.format(overrides=""))
        with package.open(in_part, "w") as part:
            zeros = bytes(MB)
            for _ in range(unpacked // MB):
                part.write(zeros)
        if in_part != "word/document.xml":
            package.writestr("word/document.xml", "<w:document/>")


def understate_size(data: bytes, name: str, size: int) -> bytes:
    """The archive with ``name``'s unpacked size in the directory (and local header) replaced."""
    data = bytearray(data)
    encoded = name.encode()
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == encoded:
            struct.pack_into("<L", data, at + 24, size)
            local = struct.unpack_from("<L", data, at + 42)[0]
            struct.pack_into("<L", data, local + 22, size)
        at = data.find(b"PK\x01\x02", at + 4)
    return bytes(data)


# The child validates each file under a ceiling of 256 MB of address space beyond what it
# uses after start-up, and reports the messages and how much its resident memory grew.
CHILD = """
import json, os, resource, sys
import django
django.setup()
import zipfile, zlib
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import translation
from network_portal.uploads import validate_document_upload

def vm_bytes():
    for line in open("/proc/self/status"):
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024

ceiling = vm_bytes() + 256 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
translation.activate("de")
results = {}
for path in sys.argv[1:]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(path, "rb") as handle:
        try:
            validate_document_upload(File(handle, name="Nachweis.docx"), max_bytes=20 * 1024 * 1024)
            messages = []
        except ValidationError as error:
            messages = error.messages
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    results[os.path.basename(path)] = {"messages": messages, "grown_kb": grown}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bombs")
    manifest_bomb = folder / "manifest.docx"
    bomb_package(manifest_bomb, unpacked=1024 * MB)
    lying = folder / "lying.docx"
    lying.write_bytes(understate_size(manifest_bomb.read_bytes(), "[Content_Types].xml", 4000))
    bombs = {"manifest": manifest_bomb, "lying": lying}
    # zipfile unpacks a bzip2 or LZMA chunk whole, whatever size was asked for: 400 MB of
    # zeros in a file of a few kB, its size understated, would fill the memory on reading.
    for name, method in (("bzip2", zipfile.ZIP_BZIP2), ("lzma", zipfile.ZIP_LZMA)):
        packed = folder / f"{name}-packed.docx"
        bomb_package(packed, unpacked=400 * MB, method=method)
        bombs[name] = folder / f"{name}.docx"
        bombs[name].write_bytes(understate_size(packed.read_bytes(), "[Content_Types].xml", 4000))
    return bombs


def validate_in_child(*paths: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, *map(str, paths)],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "network_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_a_zip_bomb_is_refused_in_bounded_memory(bombs):
    manifest_bomb = bombs["manifest"]
    assert manifest_bomb.stat().st_size < 2 * MB  # 1 GB of zeros, packed

    results = validate_in_child(manifest_bomb, bombs["lying"])

    refused = results["manifest.docx"]
    assert refused["messages"] == [REFUSED]
    assert refused["grown_kb"] < 32 * 1024
    # The directory says 4,000 bytes; reading stops there, and the part fails its checksum.
    lying = results["lying.docx"]
    assert lying["messages"] == [NOT_ALLOWED]
    assert lying["grown_kb"] < 32 * 1024


def test_archives_packed_with_bzip2_or_lzma_are_refused_in_bounded_memory(bombs):
    assert bombs["bzip2"].stat().st_size < 100 * 1024

    results = validate_in_child(bombs["bzip2"], bombs["lzma"])

    for name in ("bzip2.docx", "lzma.docx"):
        assert results[name]["messages"] == [NOT_ALLOWED], name
        assert results[name]["grown_kb"] < 32 * 1024, name


def package_of(entries: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        for n in range(entries):
            package.writestr(f"word/media/teil{n}.xml", "")
    return buffer.getvalue()


def declare_entries(data: bytes, entries: int) -> bytes:
    """The archive with another number of entries in its end record (zipfile ignores it)."""
    data = bytearray(data)
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, entries, entries)
    return bytes(data)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(package_of(6000), id="too many parts"),
        pytest.param(declare_entries(package_of(10), 60_000), id="end record claims too many"),
        pytest.param(declare_entries(package_of(6000), 10), id="end record understates"),
    ],
)
def test_an_archive_of_too_many_parts_is_refused(content):
    with pytest.raises(ValidationError) as error:
        validate_document_upload(SimpleUploadedFile("plan.docx", content), max_bytes=20 * MB)
    assert error.value.messages == [REFUSED]


def test_a_directory_larger_than_any_document_needs_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        for n in range(3000):  # 3,000 parts, each with a name of 400 characters
            package.writestr(f"word/{'teil' * 100}{n}.xml", "")
    with pytest.raises(ValidationError) as error:
        validate_document_upload(
            SimpleUploadedFile("plan.docx", buffer.getvalue()), max_bytes=20 * MB
        )
    assert error.value.messages == [REFUSED]


def test_a_part_that_packs_absurdly_well_is_refused(tmp_path):
    bomb = tmp_path / "bericht.docx"
    bomb_package(bomb, unpacked=20 * MB, in_part="word/document.xml")  # packs about 1000:1
    with pytest.raises(ValidationError) as error:
        validate_document_upload(
            SimpleUploadedFile("bericht.docx", bomb.read_bytes()), max_bytes=20 * MB
        )
    assert error.value.messages == [REFUSED]


@pytest.mark.django_db
def test_a_zip_bomb_as_meeting_material_is_refused_and_nothing_stored(bombs):
    meeting = MeetingFactory()
    form = MaterialForm(
        {"title": "Folien", "meeting": meeting.pk},
        {"file": SimpleUploadedFile("Folien.pptx", bombs["manifest"].read_bytes())},
        instance=Material(meeting=meeting),
    )
    assert not form.is_valid()
    assert form.errors["file"] == [REFUSED]
    assert not Material.objects.exists()
