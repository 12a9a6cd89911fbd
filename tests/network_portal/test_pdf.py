"""The PDF helper's limits: stylesheets reach no file and no URL but our static files, and a
PDF that takes too long is stopped (its process killed) and shown as "try again later".

tests/meetings/test_pdf.py covers the fetcher itself and the HTML-level references (<link>,
<img>, <object>, attachments); here: the references inside CSS, and the time limit.
"""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from network_portal.pdf import PDFRenderTimeout, render_pdf
from tests.seal.factories import CertificateFactory


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def image_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """Width and height of every image embedded anywhere in the PDF (also in patterns)."""
    reader = PdfReader(io.BytesIO(pdf))
    sizes = []
    for number in range(1, reader.trailer["/Size"]):
        try:
            obj = reader.get_object(IndirectObject(number, 0, reader))
        except Exception:  # noqa: BLE001, S112 - a free slot in the cross-reference table
            continue
        if hasattr(obj, "get") and obj.get("/Subtype") == "/Image":
            sizes.append((int(obj["/Width"]), int(obj["/Height"])))
    return sorted(sizes)


def png(path: Path, size: tuple[int, int], colour: str) -> Path:
    Image.new("RGB", size, colour).save(path, format="PNG")
    return path


def child_processes() -> set[int]:
    """Our child processes, zombies included: anything a render left behind."""
    own = str(os.getpid())
    children = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            # "pid (name) state ppid …"; the name may contain spaces and parentheses.
            if stat.rsplit(")", 1)[1].split()[1] == own:
                children.add(int(entry.name))
    return children


def test_css_reaches_our_static_files_but_no_local_file_and_no_url(
    template_dir, static_dir, tmp_path, trap_server
):
    trap, hits = trap_server
    secret_css = tmp_path / "secret.css"
    secret_css.write_text('h1::before { content: "FILE-LEAK "; }')
    secret_png = png(tmp_path / "secret.png", (7, 3), "black")
    png(static_dir / "pdf" / "logo.png", (4, 4), "#8c1c2b")
    (static_dir / "pdf" / "extra.css").write_text('h1::after { content: " (gestaltet)"; }')
    (template_dir / "css_attack.html").write_text(
        "{% load static %}<!DOCTYPE html><html><head><style>"
        f'@import url("file://{secret_css}");'
        '@import url("file:///etc/passwd");'
        f'@import url("{trap}/import.css");'
        "@import url(\"{% static 'pdf/extra.css' %}\");"
        "@font-face { font-family: Leak;"
        f' src: url("file:///etc/passwd"), url("{trap}/font.woff"); }}'
        f'body {{ background-image: url("file://{secret_png}"); }}'
        f'h1 {{ font-family: Leak, sans-serif; background-image: url("{trap}/h1.png"); }}'
        ".ours { width: 4px; height: 4px;"
        " background: url(\"{% static 'pdf/logo.png' %}\") no-repeat; }"
        "</style></head><body>"
        "<h1>{{ title }}</h1>"
        f"<p style=\"background-image: url('file://{secret_png}')\">Text</p>"
        f"<p style=\"background-image: url('{trap}/inline.png')\">Text</p>"
        '<div class="ours"></div>'
        "</body></html>"
    )

    pdf = render_pdf(template="css_attack.html", context={"title": "Netzwerktreffen"})

    text = pdf_text(pdf)
    assert "Netzwerktreffen (gestaltet)" in text  # our static stylesheet was imported
    assert "FILE-LEAK" not in text and "HTTP-LEAK" not in text
    assert "root:" not in text
    assert image_sizes(pdf) == [(4, 4)]  # our logo; neither the secret image nor the trap's
    assert hits == []
    assert PdfReader(io.BytesIO(pdf)).attachments == {}


def test_a_pdf_that_takes_too_long_is_stopped_and_its_process_killed(template_dir, settings):
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.5
    (template_dir / "huge.html").write_text(
        "<!DOCTYPE html><html><body><table>{% for row in rows %}"
        "<tr><td>Zeile {{ row }}</td><td>Moselblick Pflege GmbH</td><td>Trier</td></tr>"
        "{% endfor %}</table></body></html>"
    )
    (template_dir / "small.html").write_text("<!DOCTYPE html><p>{{ greeting }}</p>")
    children_before = child_processes()

    started = time.monotonic()
    with pytest.raises(PDFRenderTimeout):
        render_pdf(template="huge.html", context={"rows": range(3000)})
    elapsed = time.monotonic() - started

    assert elapsed < 0.5 + 5
    assert child_processes() <= children_before
    # The next PDF renders as usual.
    pdf = render_pdf(template="small.html", context={"greeting": "Guten Tag aus Trier"})
    assert "Guten Tag aus Trier" in pdf_text(pdf)
    assert child_processes() <= children_before


# A worker that renders a PDF and is killed meanwhile (gunicorn kills workers that hang).
ORPHANING_WORKER = """
import multiprocessing, os, threading, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "network_portal.test_settings"
django.setup()
from django.conf import settings
from network_portal.pdf import write_pdf
settings.PDF_RENDER_TIMEOUT_SECONDS = 2

def tell_child():
    while not multiprocessing.active_children():
        time.sleep(0.01)
    print(multiprocessing.active_children()[0].pid, flush=True)

threading.Thread(target=tell_child, daemon=True).start()
write_pdf("<table>" + "<tr><td>Zeile</td><td>Moselblick Pflege GmbH</td></tr>" * 3000)
"""


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_the_pdf_process_ends_itself_when_its_worker_was_killed():
    worker = subprocess.Popen(
        [sys.executable, "-c", ORPHANING_WORKER],
        cwd=Path(__file__).resolve().parents[2],
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(worker.stdout.readline())
    started = time.monotonic()
    worker.kill()
    worker.wait()
    assert running(child)  # orphaned, still at work

    while running(child) and time.monotonic() - started < 2 + 1 + 5:
        time.sleep(0.1)
    assert not running(child)


@pytest.mark.django_db
def test_a_certificate_not_rendered_in_time_shows_try_again_later(
    client, company, company_admin, settings
):
    CertificateFactory(application__company=company, application__cycle__name="2025")
    client.force_login(company_admin)
    url = reverse("seal:certificate_pdf")
    assert client.get(url)["Content-Type"] == "application/pdf"

    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.001  # far less than any certificate takes
    response = client.get(url)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"].startswith("text/html")
    assert (
        "Das PDF konnte nicht rechtzeitig erstellt werden. Bitte versuchen Sie es später erneut."
        in response.content.decode()
    )
