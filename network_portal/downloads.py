"""Files the portal hands out as downloads: one way to build them.

Every download is an attachment under a name the server chooses, kept out of shared caches
(they hold company data); an uploaded file goes out through ``stored_file_response``.
CSV files are made for German Excel (UTF-8 with BOM, ``;``) and every cell that starts like a
formula is defused with an apostrophe (CSV injection).
A view that renders a PDF is wrapped in ``pdf_view``: a PDF that takes longer than its time
limit becomes a "try again later" page (503) instead of a server error.
"""

import csv
import functools
import logging

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from .pdf import PDFRenderTimeout

logger = logging.getLogger(__name__)

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_START) else text


def attachment(content, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def csv_attachment(rows, *, filename: str) -> HttpResponse:
    response = attachment("\ufeff", filename=filename, content_type="text/csv; charset=utf-8")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return response


def pdf_attachment(content: bytes, *, filename: str) -> HttpResponse:
    return attachment(content, filename=filename, content_type="application/pdf")


def stored_file_response(
    file, *, filename: str = "", content_type: str = "", cache_control: str = "private, no-store"
) -> FileResponse:
    """A stored file (a model's ``FieldFile``), or 404 if there is none or it is gone.

    With ``filename`` it is an attachment under that name, of ``content_type`` (as checked
    when it was uploaded; unknown: ``application/octet-stream``). Without, it is shown inline,
    of the type its stored name says (a logo). Browsers never guess another type (nosniff).
    """
    if not file:
        raise Http404
    try:
        stream = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if filename:
        response = FileResponse(
            stream,
            as_attachment=True,
            filename=filename,
            content_type=content_type or "application/octet-stream",
        )
    else:
        response = FileResponse(stream)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response


def pdf_view(view):
    """Wrap a view (function or bound method) that renders a PDF with ``render_pdf``."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PDFRenderTimeout:
            logger.warning("PDF for %s not rendered in time", request.path, exc_info=True)
            response = render(request, "pdf_timeout.html", status=503)
            response["Retry-After"] = "60"
            return response

    return wrapped
