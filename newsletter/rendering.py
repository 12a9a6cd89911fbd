"""Turn an issue into the mail one subscriber receives."""

import functools
import re
import secrets
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import forbid_multi_line_headers, sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from network_portal import rich_text
from network_portal.office import Office, office
from network_portal.signing import absolute_url, make_token, site_domain

from .models import Issue, Subscriber

UNSUBSCRIBE_PURPOSE = "newsletter-unsubscribe"
PREFERENCES_PURPOSE = "newsletter-preferences"
CONFIRM_PURPOSE = "newsletter-confirm"


def body_html(text: str) -> str:
    """Markdown to HTML, sanitised: no scripts, no event handlers, only http(s)/mailto links
    (cached: an issue's body is rendered once, not once per recipient)."""
    return rich_text.markdown_html(text)


def body_text(text: str) -> str:
    """The mail's text part: readable plain text made from the Markdown, not its source."""
    return rich_text.markdown_text(text)


def salutation(subscriber: Subscriber | None) -> str:
    """ "Sehr geehrte Frau Dr. Müller," – or "Guten Tag," when we don't know enough."""
    if subscriber is None or not subscriber.last_name or not subscriber.salutation:
        return _("Hello,")
    name = " ".join(p for p in (subscriber.title, subscriber.last_name) if p)
    if subscriber.salutation == Subscriber.Salutation.MS:
        return pgettext("letter salutation", "Dear Ms %(name)s,") % {"name": name}
    return pgettext("letter salutation", "Dear Mr %(name)s,") % {"name": name}


def subscriber_links(subscriber: Subscriber) -> dict:
    unsubscribe = make_token(purpose=UNSUBSCRIBE_PURPOSE, payload={"s": subscriber.pk})
    preferences = make_token(purpose=PREFERENCES_PURPOSE, payload={"s": subscriber.pk})
    return {
        "unsubscribe_url": absolute_url(reverse("newsletter:unsubscribe", args=[unsubscribe])),
        "preferences_url": absolute_url(reverse("newsletter:preferences", args=[preferences])),
        "unsubscribe_token": unsubscribe,
    }


# Placeholders for what differs per recipient: the issue's templates are rendered once per
# issue and language, and each mail only fills these in.
_PERSONAL = {
    "salutation": "\x00SALUTATION\x00",
    "unsubscribe_url": "\x00UNSUBSCRIBE\x00",
    "preferences_url": "\x00PREFERENCES\x00",
}


@functools.lru_cache(maxsize=16)
def _issue_layout(
    issue_pk: int, revision: str, language: str, personal: bool, site_url: str, office: Office
) -> tuple:
    issue = Issue.objects.get(pk=issue_pk)
    with translation.override(language):
        context = {
            "issue": issue,
            "body_html": rich_text.markdown_mail_html(issue.body),
            "body_text": body_text(issue.body),
            "site_url": settings.SITE_URL,
            "office": office,
            "imprint_url": absolute_url(reverse("imprint")),
            "archive_url": absolute_url(reverse("newsletter:archive")),
            "language": language,
            **(_PERSONAL if personal else {"salutation": _PERSONAL["salutation"]}),
        }
        text = render_to_string("newsletter/emails/issue.txt", context).strip()
        html = render_to_string("newsletter/emails/issue.html", context)
    return text, html


def render_issue(issue: Issue, subscriber: Subscriber | None, *, language: str) -> dict:
    """Subject, text and HTML of ``issue`` for ``subscriber`` (None: the archive's version)."""
    links = subscriber_links(subscriber) if subscriber is not None else {}
    revision = f"{issue.subject}\x00{issue.preheader}\x00{issue.body}"
    text, html = _issue_layout(
        issue.pk, revision, language, subscriber is not None, settings.SITE_URL, office()
    )
    with translation.override(language):
        greeting = salutation(subscriber)
    for key, marker in _PERSONAL.items():
        value = greeting if key == "salutation" else links.get(key, "")
        text = text.replace(marker, value)
        html = html.replace(marker, escape(value))
    return {"subject": issue.subject, "text": text, "html": html, **links}


def issue_message(issue: Issue, subscriber: Subscriber, *, attachments):
    """The complete mail, with RFC 8058 one-click unsubscribe headers."""
    rendered = render_issue(issue, subscriber, language=subscriber.language)
    return _issue_email(
        rendered,
        to=subscriber.email,
        list_unsubscribe=list_unsubscribe(
            rendered["unsubscribe_url"], rendered["unsubscribe_token"]
        ),
        attachments=attachments,
    )


def list_unsubscribe(unsubscribe_url: str, unsubscribe_token: str) -> str:
    mailto = (
        f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe%20{unsubscribe_token}"
    )
    return f"<{unsubscribe_url}>, <{mailto}>"


def _issue_email(rendered: dict, *, to: str, list_unsubscribe: str, attachments):
    message = EmailMultiAlternatives(
        subject=rendered["subject"],
        body=rendered["text"],
        from_email=settings.NEWSLETTER_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": list_unsubscribe,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Newsletter <newsletter.{site_domain()}>",
            "Precedence": "bulk",
        },
    )
    message.attach_alternative(rendered["html"], "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


# --- One message per issue and language, personalised per recipient -------------------------


class IssueTemplate:
    """An issue's mail in one language, serialised once, with the personal parts left as
    markers: salutation and links in the text and HTML parts, and the headers To, Date,
    Message-ID and List-Unsubscribe. :meth:`personalise` fills them in and returns exactly the
    bytes Django's SMTP backend would send for :func:`issue_message` (with the same MIME
    boundary), or None where that cannot be guaranteed (a value that would change a part's
    transfer encoding): then the caller builds that one message the slow way."""

    PERSONAL_HEADERS = ("To", "Date", "Message-ID", "List-Unsubscribe")
    LINE_LIMIT = 998  # longer lines make Django encode a part as quoted-printable

    def __init__(self, message, *, token: str):
        self.token = token
        self.from_email = sanitize_address(message.from_email, message.encoding or "utf-8")
        self.encoding = message.encoding or settings.DEFAULT_CHARSET
        mime = message.message()
        self.policy = mime.policy.clone(linesep="\r\n")
        data = mime.as_bytes(linesep="\r\n")
        self.headers = [
            (name, self.policy.fold_binary(name, value)) for name, value in mime.raw_items()
        ]
        head = b"".join(folded for _name, folded in self.headers) + b"\r\n"
        self.usable = data.startswith(head)
        self.body = data[len(head) :]
        encodings = {
            str(part.get("Content-Transfer-Encoding", "")).lower()
            for part in mime.walk()
            if part.get_content_maintype() == "text"
        }
        self.usable = self.usable and encodings <= {"7bit", "8bit"}
        self.ascii_only = encodings != {"8bit"}
        # The body split at the markers, and the lines they are on.
        pattern = re.compile(rf"\[\[{self.token}:([th]):(\w+)\]\]".encode())
        pieces = pattern.split(self.body)
        # [bytes, part, key, bytes, part, key, ..., bytes]
        self.pieces = pieces
        self.lines = []
        for line in self.body.split(b"\r\n"):
            found = pattern.findall(line)
            if found:
                rest = len(pattern.sub(b"", line))
                self.lines.append((rest, [(part.decode(), key.decode()) for part, key in found]))

    def personalise(
        self, *, to: str, message_id: str, body: dict, list_unsubscribe: str
    ) -> bytes | None:
        if not self.usable:
            return None
        values = {("t", key): value.encode() for key, value in body.items()} | {
            ("h", key): escape(value).encode() for key, value in body.items()
        }
        if self.ascii_only and not all(value.isascii() for value in values.values()):
            return None
        for rest, keys in self.lines:
            if rest + sum(len(values[key]) for key in keys) > self.LINE_LIMIT:
                return None
        personal = {
            "To": to,
            "Date": formatdate(localtime=settings.EMAIL_USE_LOCALTIME),
            "Message-ID": message_id,
            "List-Unsubscribe": list_unsubscribe,
        }
        out = []
        for name, folded in self.headers:
            if name in personal:
                _name, value = forbid_multi_line_headers(name, personal[name], self.encoding)
                folded = self.policy.fold_binary(name, value)
            out.append(folded)
        out.append(b"\r\n")
        pieces = self.pieces
        out.append(pieces[0])
        for index in range(1, len(pieces), 3):
            out.append(values[(pieces[index].decode(), pieces[index + 1].decode())])
            out.append(pieces[index + 2])
        return b"".join(out)


def issue_template(issue: Issue, *, language: str, attachments, message_id: str) -> IssueTemplate:
    """Build the issue's mail in ``language`` once (see :class:`IssueTemplate`)."""
    revision = f"{issue.subject}\x00{issue.preheader}\x00{issue.body}"
    text, html = _issue_layout(issue.pk, revision, language, True, settings.SITE_URL, office())
    token = secrets.token_hex(8)
    for key, marker in _PERSONAL.items():
        text = text.replace(marker, f"[[{token}:t:{key}]]")
        html = html.replace(marker, f"[[{token}:h:{key}]]")
    message = _issue_email(
        {"subject": issue.subject, "text": text, "html": html},
        to="to@template.invalid",
        list_unsubscribe="<template>",
        attachments=attachments,
    )
    message.extra_headers["Message-ID"] = message_id
    return IssueTemplate(message, token=token)


def personal_parts(subscriber: Subscriber) -> tuple[dict, str]:
    """What differs per recipient in an issue's mail: the body's salutation and links, and the
    List-Unsubscribe header."""
    links = subscriber_links(subscriber)
    with translation.override(subscriber.language):
        greeting = salutation(subscriber)
    body = {
        "salutation": greeting,
        "unsubscribe_url": links["unsubscribe_url"],
        "preferences_url": links["preferences_url"],
    }
    return body, list_unsubscribe(links["unsubscribe_url"], links["unsubscribe_token"])
