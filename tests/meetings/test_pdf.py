"""The PDF helper: templates become PDFs, and WeasyPrint reads nothing but our static files."""

import base64
import io

import pytest
from pypdf import PdfReader

from network_portal.pdf import ForbiddenURL, render_pdf, static_only_fetcher

# A 1×1 transparent PNG.
PNG_1PX = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with line breaks and runs of spaces made single spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:1/x.png",
        "https://example.org/static/css/portal.css",
        "http://127.0.0.1:8000/media/private/meetings/x.pdf",
        "http://127.0.0.1:8000/static/../network_portal/settings.py",
        "http://127.0.0.1:8000/static/%2e%2e/network_portal/settings.py",
        "http://127.0.0.1:8000/static/css/missing.css",
        "ftp://127.0.0.1/x",
        "data:text/html,<h1>x</h1>",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_everything_but_our_static_files(url):
    with pytest.raises(ForbiddenURL):
        static_only_fetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_inline_images():
    response = static_only_fetcher().fetch("http://127.0.0.1:8000/static/css/portal.css")
    with open("static/css/portal.css", "rb") as source:
        assert response.read() == source.read()
    assert response.content_type == "text/css"

    image = static_only_fetcher().fetch(
        "data:image/png;base64," + base64.b64encode(PNG_1PX).decode()
    )
    assert image.read() == PNG_1PX
    assert image.content_type == "image/png"


def test_rendering_reads_no_local_file_and_no_url(template_dir, tmp_path, trap_server):
    trap_url, hits = trap_server
    secret_css = tmp_path / "secret.css"
    secret_css.write_text('body::after { content: "FILE-LEAK"; }')
    (template_dir / "attack.html").write_text(
        f"""<!DOCTYPE html><html><head>
        <link rel="stylesheet" href="file://{secret_css}">
        <link rel="stylesheet" href="{trap_url}/trap.css">
        <link rel="attachment" href="file:///etc/passwd">
        </head><body>
        <p>{{{{ greeting }}}}</p>
        <img src="file:///etc/passwd" alt="">
        <img src="http://127.0.0.1:1/x.png" alt="">
        <img src="{trap_url}/x.png" alt="">
        <a rel="attachment" href="file:///etc/passwd">passwd</a>
        <object data="file:///etc/passwd" type="text/plain"></object>
        </body></html>"""
    )

    pdf = render_pdf(template="attack.html", context={"greeting": "Guten Tag aus Trier"})

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    text = pdf_text(pdf)
    assert "Guten Tag aus Trier" in text
    assert "FILE-LEAK" not in text
    assert "HTTP-LEAK" not in text
    assert "root:" not in text
    assert hits == []
    assert reader.attachments == {}


def test_static_css_is_applied(template_dir, static_dir):
    (static_dir / "pdf" / "test.css").write_text(
        '@page { size: 105mm 148mm; } h1::after { content: " (gestaltet)"; }'
    )
    (template_dir / "styled.html").write_text(
        "{% load static %}<!DOCTYPE html><html><head>"
        '<link rel="stylesheet" href="{% static \'pdf/test.css\' %}">'
        "</head><body><h1>{{ title }}</h1></body></html>"
    )

    pdf = render_pdf(template="styled.html", context={"title": "Netzwerktreffen"})

    page = PdfReader(io.BytesIO(pdf)).pages[0]
    # 105 × 148 mm (A6) in points.
    assert round(float(page.mediabox.width)) == 298
    assert round(float(page.mediabox.height)) == 420
    assert "Netzwerktreffen (gestaltet)" in pdf_text(pdf)
