"""The development mailbox at ``/dev/mails/``: the mails the portal wrote as files, to read and
click through in the browser (e.g. the confirmation link of a sign-up in the demo).

It exists only with DJANGO_DEBUG on and mails written as ``.eml`` files
(``network_portal.mail_files``); otherwise every one of its URLs answers 404. It opens only
files it listed from the mail folder itself, so no name in a URL reaches another file.

A mail's HTML part is shown in a frame served from its own URL under a policy of its own: a
sandbox without scripts, nothing loaded but inline styles and images from data: URLs or the
portal, framed only by the portal's own pages; its links open in the whole window.
"""

import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from .mail_files import SUFFIX

BACKEND = "network_portal.mail_files.EmailBackend"
PER_PAGE = 25
# Shown above the rest, in this order; all of them follow under "All headers".
MAIN_HEADERS = {
    "From": pgettext_lazy("mail header", "From"),
    "To": pgettext_lazy("mail header", "To"),
    "Cc": pgettext_lazy("mail header", "Cc"),
    "Reply-To": pgettext_lazy("mail header", "Reply-To"),
    "Date": pgettext_lazy("mail header", "Date"),
}

# The HTML part's frame: no script, no form, no plugin; inline styles (mail HTML is styled
# inline) and images from data: URLs or the portal. Links may open the whole window (on a click)
# or a new one; the frame may sit in the portal's own pages only.
FRAME_POLICY = {
    "sandbox": [
        "allow-popups",
        "allow-popups-to-escape-sandbox",
        "allow-top-navigation-by-user-activation",
    ],
    "default-src": [NONE],
    "img-src": ["data:", SELF],
    "style-src": ["'unsafe-inline'"],
    "form-action": [NONE],
    "base-uri": [NONE],
    "frame-ancestors": [SELF],
}
# Attachments are downloaded, and should a browser show one anyway, it runs nothing.
ATTACHMENT_POLICY = {"sandbox": [], "default-src": [NONE]}


def is_available() -> bool:
    return settings.DEBUG and settings.EMAIL_BACKEND == BACKEND


def mail_folder() -> Path:
    """The folder of the mail files; 404 unless the mailbox is available."""
    if not is_available():
        raise Http404
    return Path(settings.EMAIL_FILE_PATH)


def mail_names(folder: Path) -> list[str]:
    """The names of the mail files, newest first (the names sort by time)."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    names = [
        entry.name
        for entry in entries
        if entry.name.endswith(SUFFIX) and not entry.name.startswith(".") and entry.is_file()
    ]
    return sorted(names, reverse=True)


def _path(folder: Path, name: str) -> Path:
    if name not in mail_names(folder):
        raise Http404
    return folder / name


def _parse(path: Path, *, headers_only: bool = False) -> EmailMessage:
    parser = (BytesHeaderParser if headers_only else BytesParser)(policy=policy.default)
    with path.open("rb") as handle:
        return parser.parse(handle)


def _header(message: EmailMessage, name: str) -> str:
    """A header's decoded value on one line (Django folds long encoded subjects)."""
    return " ".join(str(message[name] or "").split())


def _date(message: EmailMessage, path: Path) -> datetime:
    header = message["Date"]
    moment = getattr(header, "datetime", None)
    if moment is None:
        return datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.get_current_timezone())
    if timezone.is_naive(moment):
        # "-0000", as Django writes the date: UTC, with no word on the sender's zone.
        return moment.replace(tzinfo=UTC)
    return moment


@dataclass(frozen=True)
class MailSummary:
    name: str
    date: datetime
    to: str
    subject: str


@dataclass(frozen=True)
class Attachment:
    number: int  # 1, 2, …: its place among the attachments, in the URL
    filename: str
    content_type: str
    size: int


def _summary(folder: Path, name: str) -> MailSummary:
    path = folder / name
    message = _parse(path, headers_only=True)
    return MailSummary(
        name=name,
        date=_date(message, path),
        to=_header(message, "To"),
        subject=_header(message, "Subject"),
    )


def _bodies(message: EmailMessage):
    """The text part, the HTML part and the rest (attachments, inline images)."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    others = [
        part
        for part in message.walk()
        if not part.is_multipart() and part is not text and part is not html
    ]
    return text, html, others


def _attachments(parts) -> list[Attachment]:
    return [
        Attachment(
            number=number,
            filename=part.get_filename() or f"attachment-{number}",
            content_type=part.get_content_type(),
            size=len(part.get_payload(decode=True) or b""),
        )
        for number, part in enumerate(parts, start=1)
    ]


@never_cache
def mailbox(request):
    folder = mail_folder()
    page = Paginator(mail_names(folder), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "dev/mailbox.html",
        {
            "mails": [_summary(folder, name) for name in page.object_list],
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "folder": folder,
        },
    )


@never_cache
def mail_detail(request, name: str):
    folder = mail_folder()
    path = _path(folder, name)
    message = _parse(path)
    text, html, others = _bodies(message)
    headers = [(key, " ".join(str(value).split())) for key, value in message.items()]
    date = date_format(timezone.localtime(_date(message, path)), "DATETIME_FORMAT")
    return render(
        request,
        "dev/mail.html",
        {
            "name": name,
            "subject": _header(message, "Subject"),
            "main_headers": [
                (label, date if key == "Date" else _header(message, key))
                for key, label in MAIN_HEADERS.items()
                if message[key]
            ],
            "headers": headers,
            "text": text.get_content() if text is not None else None,
            "has_html": html is not None,
            "attachments": _attachments(others),
        },
    )


_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_HTML = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


def _links_open_the_window(html: str) -> str:
    """Links of the mail open in the whole window, not inside the frame (where the portal's
    pages refuse to be shown)."""
    base = '<base target="_top">'
    for tag in (_HEAD, _HTML):
        found = tag.search(html)
        if found:
            return html[: found.end()] + base + html[found.end() :]
    return base + html


@never_cache
@xframe_options_sameorigin
@csp(FRAME_POLICY)
def mail_html(request, name: str):
    _text, html, _others = _bodies(_parse(_path(mail_folder(), name)))
    if html is None:
        raise Http404
    return HttpResponse(
        _links_open_the_window(html.get_content()), content_type="text/html; charset=utf-8"
    )


@never_cache
@csp(ATTACHMENT_POLICY)
def mail_attachment(request, name: str, number: int):
    _text, _html, others = _bodies(_parse(_path(mail_folder(), name)))
    if not 1 <= number <= len(others):
        raise Http404
    part = others[number - 1]
    response = HttpResponse(
        part.get_payload(decode=True) or b"", content_type=part.get_content_type()
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=part.get_filename() or f"attachment-{number}"
    )
    return response


def context(request) -> dict:
    """For templates (a context processor): the mailbox's address, where there is one."""
    return {"dev_mailbox_url": reverse("dev_mailbox") if is_available() else ""}
