"""The one way every PDF is made: a Django template rendered to HTML, then to PDF by WeasyPrint.

WeasyPrint would otherwise fetch whatever a template points at (``file://`` paths, URLs on the
internal network, files to embed as PDF attachments). Its URL fetcher here serves only our own
static files, found through the staticfiles finders (or the collected files), and images given
inline as ``data:`` URLs; every other URL is refused.
"""

import base64
import mimetypes
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

from django.conf import settings
from django.template.loader import render_to_string

# Inline images only: a data: URL can't reach anything outside the document.
DATA_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
_DATA_URL = re.compile(r"^data:(?P<type>[^;,]*)(?P<params>(;[^;,]*)*),(?P<data>.*)$", re.DOTALL)


class ForbiddenURL(ValueError):
    """A PDF template asked for something that is not one of our static files."""


def base_url() -> str:
    """The base that relative URLs in PDF templates resolve against (``/static/...``)."""
    return settings.SITE_URL + "/"


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


def render_pdf(*, template: str, context: dict) -> bytes:
    """Render ``template`` with ``context`` to HTML in the current language, then to PDF."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url(), url_fetcher=static_only_fetcher()).write_pdf()
