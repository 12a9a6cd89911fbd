"""Files the portal hands out as downloads: one way to build them.

Every download is an attachment under a name the server chooses, kept out of shared caches
(they hold company data). CSV files are made for German Excel (UTF-8 with BOM, ``;``) and
every cell that starts like a formula is defused with an apostrophe (CSV injection).
"""

import csv

from django.http import HttpResponse

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
