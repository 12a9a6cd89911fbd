"""The one way every PDF is made: a Django template rendered to HTML, then to PDF by WeasyPrint.

WeasyPrint would otherwise fetch whatever a template points at (``file://`` paths, URLs on the
internal network, files to embed as PDF attachments). Its URL fetcher here serves only our own
static files, found through the staticfiles finders (or the collected files), and images given
inline as ``data:`` URLs; every other URL is refused.

Rendering has a time limit (``PDF_RENDER_TIMEOUT_SECONDS``). WeasyPrint's layout can't be
interrupted from outside, and a signal alarm works only in a main thread (our callers are gunicorn
workers, Celery workers and test threads), so the template is rendered to HTML here (it needs the
database and the active language) and only WeasyPrint runs in a forked child process, which is
killed when the time is up.

A document can be written *tagged* (``tagged=True``): as PDF/UA-1, with a structure tree that
screen readers follow (headings, paragraphs, tables, figures with their alternative text), the
document's title (the template's ``<title>``, shown instead of the file name) and language (the
``lang`` of ``<html>``). Its template must give every image an ``alt`` and every inline SVG a
``<title>``.
"""

import base64
import math
import mimetypes
import multiprocessing
import posixpath
import re
import signal
import threading
import traceback
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

from .signing import absolute_url

# Inline images only: a data: URL can't reach anything outside the document.
DATA_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
_DATA_URL = re.compile(r"^data:(?P<type>[^;,]*)(?P<params>(;[^;,]*)*),(?P<data>.*)$", re.DOTALL)


class ForbiddenURL(ValueError):
    """A PDF template asked for something that is not one of our static files."""


class PDFRenderTimeout(Exception):
    """WeasyPrint took longer than ``PDF_RENDER_TIMEOUT_SECONDS``; its process was killed."""


class PDFRenderError(RuntimeError):
    """WeasyPrint failed in its process (the message holds that process's traceback)."""


def base_url() -> str:
    """The base that relative URLs in PDF templates resolve against (``/static/...``)."""
    return absolute_url("/")


def static_prefix() -> str:
    return urljoin(base_url(), settings.STATIC_URL)


def static_path(url: str) -> Path:
    """The file behind a URL of our static files; ForbiddenURL for anything else."""
    prefix = static_prefix()
    parts = urlsplit(url)
    if parts.query or parts.fragment:
        url = url.split("#", 1)[0].split("?", 1)[0]
    if not url.startswith(prefix):
        raise ForbiddenURL(f"PDF rendering may only load our static files, not {url!r}")
    name = unquote(url[len(prefix) :])
    normalised = posixpath.normpath(name)
    if (
        not name
        or normalised != name
        or normalised.startswith(("/", "../"))
        or "\\" in name
        or "\x00" in name
    ):
        raise ForbiddenURL(f"Not a static file name: {name!r}")

    from django.contrib.staticfiles import finders
    from django.contrib.staticfiles.storage import staticfiles_storage

    found = finders.find(name)
    if found:
        return Path(found)
    # Collected files (e.g. the hashed names of the manifest storage in production).
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a storage without local files
        pass
    raise ForbiddenURL(f"No such static file: {name!r}")


def _data_image(url: str) -> tuple[bytes, str]:
    match = _DATA_URL.match(url)
    if not match:
        raise ForbiddenURL("Malformed data: URL")
    mime_type = match["type"].strip().lower()
    if mime_type not in DATA_IMAGE_TYPES:
        raise ForbiddenURL(f"Only images may be given as data: URLs, not {mime_type!r}")
    data = match["data"]
    if ";base64" in match["params"].lower():
        return base64.b64decode(unquote(data), validate=False), mime_type
    return unquote_to_bytes(data), mime_type


def static_only_fetcher():
    """A WeasyPrint URL fetcher that serves our static files and inline images, nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.lower().startswith("data:"):
                body, mime_type = _data_image(url)
                return URLFetcherResponse(url, body, {"Content-Type": mime_type})
            path = static_path(url)
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            content_type = f"{mime_type}; charset=utf-8" if mime_type == "text/css" else mime_type
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

        def open(self, url, data=None, timeout=None):
            # Never fall back to urllib's handlers (file, http, ftp, …).
            return self.fetch(getattr(url, "full_url", url))

    return StaticOnlyURLFetcher()


# The PDF variant of tagged documents (WeasyPrint: structure tree, /MarkInfo, XMP metadata).
TAGGED_VARIANT = "pdf/ua-1"


def _write_pdf_in_child(
    html: str, base: str, sender, alarm_seconds: int, tagged: bool = False
) -> None:
    """The child process: the PDF's bytes through ``sender``, or the traceback of its error."""
    # Should the parent die while waiting (a worker killed by gunicorn's own timeout), nobody
    # would kill this process: the alarm's default action ends it.
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(alarm_seconds)
    from weasyprint import HTML

    try:
        options = {"pdf_variant": TAGGED_VARIANT} if tagged else {}
        pdf = HTML(string=html, base_url=base, url_fetcher=static_only_fetcher()).write_pdf(
            **options
        )
    except Exception:  # noqa: BLE001 - the parent raises it, with this process's traceback
        sender.send(("error", traceback.format_exc()))
    else:
        sender.send(("ok", pdf))
    finally:
        sender.close()


# Held while this process renders its warm-up document and while it forks, so no child is
# forked while another thread is inside WeasyPrint's C libraries (their locks would stay held).
_fork_lock = threading.Lock()
_warmed_up = False
_WARM_UP_HTML = (
    '<p style="font-family: DejaVu Sans, sans-serif">Ä <b>Ö</b></p><p>ü <b>ß</b></p>'
    '<p style="font-family: DejaVu Serif, serif">Ä <b>Ö</b></p>'
    '<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkY'
    'AAAAAYAAjCB0C8AAAAASUVORK5CYII=">'
)


def _warm_up() -> None:
    """Let WeasyPrint build what it builds on its first document (fonts, default stylesheets,
    about 0.1 s) once in this process: every forked child inherits it instead of redoing it."""
    global _warmed_up
    if not _warmed_up:
        from weasyprint import HTML

        # The fonts our PDF stylesheets ask for, regular and bold, and an inline image.
        HTML(string=_WARM_UP_HTML, url_fetcher=static_only_fetcher()).write_pdf()
        _warmed_up = True


def write_pdf(html: str, *, tagged: bool = False) -> bytes:
    """WeasyPrint on ``html`` in a child process; PDFRenderTimeout when it takes too long.
    ``tagged``: written as PDF/UA-1 (see the module's docstring)."""
    timeout = settings.PDF_RENDER_TIMEOUT_SECONDS
    # "fork": the child has our settings (also as tests override them) without starting Django.
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_write_pdf_in_child,
        args=(html, base_url(), sender, math.ceil(timeout) + 1, tagged),
        name="weasyprint",
        daemon=True,
    )
    with _fork_lock:
        _warm_up()
        process.start()
        # Before another thread forks: its child must not inherit this pipe's write end.
        sender.close()
    result = None
    try:
        if receiver.poll(timeout):
            try:
                result = receiver.recv()
            except EOFError:  # the process died without a word (killed, out of memory)
                result = ("error", "The PDF process ended without a result")
    finally:
        receiver.close()
        if result is None:  # time is up, or we were interrupted ourselves
            process.kill()
        # A process that answered ends right away (its alarm ends it otherwise).
        process.join()
        process.close()
    if result is None:
        raise PDFRenderTimeout(f"PDF rendering took longer than {timeout:g} s")
    status, payload = result
    if status == "error":
        raise PDFRenderError(payload)
    return payload


def render_pdf(*, template: str, context: dict, tagged: bool = False) -> bytes:
    """Render ``template`` with ``context`` to HTML in the current language, then to PDF
    (tagged as PDF/UA-1 with ``tagged``)."""
    return write_pdf(render_to_string(template, context), tagged=tagged)
