"""The coordinators' own words in the portal's mails: an editable standard text per kind of mail.

Every kind of mail a coordinator may want to word differently (an invitation, an update, a
cancellation, a reminder, a seal decision …) opens with a subject and a short text. The apps
register these kinds here (:func:`register_mail_kind`, in their ``mail_texts.py``, imported by
the plumbing when the apps are ready, like ``activity.py``): the template the text belongs to,
the subject and opening text the portal ships (gettext, so German and English), the
placeholders the text may use, and a sample for the preview.

A coordinator edits the text in the admin (:class:`~network_portal.models.MailText`, one row per
kind and language); without a row, or after "reset to the shipped text", the shipped text is
used. :func:`network_portal.mail.render_mail` asks :func:`opening_for` and puts the result into
the template's context: ``subject`` replaces the subject template, ``opening`` (text) and
``opening_html`` the mail's first paragraph. The details, the buttons and the footer stay in
the templates.

The text is Markdown-lite (paragraphs, **bold**, *italic*, links, lists), rendered by the
portal's one renderer (:mod:`network_portal.rich_text`) and cleaned to the few tags a mail's
words need. Placeholders are ``{{ name }}`` and nothing else: a small substitution, never a
template, so nobody runs template code through a text (``{% … %}`` is refused when saved, and
an unknown placeholder too).
"""

import re
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_lazy

from . import rich_text
from .activity import Detail, log_activity, register_actions
from .models import MailText

# ``{{ titel }}``: letters only (and digits after the first), spaces inside the braces allowed.
PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}")
# What would be template code (or a mistyped placeholder): refused in a text.
TEMPLATE_SYNTAX = re.compile(r"\{%|%\}|\{#|#\}|\{\{|\}\}")
# The tags a mail's own words may use: no images (a mail loads nothing from elsewhere), no
# headings or tables (the layout is the template's).
MAIL_TAGS = {"a", "p", "br", "strong", "em", "b", "i", "ul", "ol", "li"}


@dataclass(frozen=True)
class Placeholder:
    """``{{ name }}`` in a text: ``value(context)`` from the mail's context (called in the
    recipient's language), explained to coordinators by ``description``."""

    name: str
    description: Any
    value: Callable[[dict], Any]


# Placeholders every app's mails use, with the context keys they read.
NAME = Placeholder(
    "name",
    gettext_lazy("the recipient as greeted, e.g. Frau Dr. Neumann"),
    lambda c: c["recipient_name"],
)
COMPANY = Placeholder(
    "unternehmen", gettext_lazy("the company’s name"), lambda c: c["company_name"]
)


@dataclass(frozen=True)
class MailKind:
    """A kind of mail with an editable standard text.

    ``key``: ``<app>.<kind>``, stored in :class:`MailText`. ``template``: the mail's template
    (as ``mail_enqueue`` names it); ``applies(context)`` tells kinds apart that share one
    (a seal awarded or not). ``subject`` and ``body``: the shipped text (lazy gettext).
    ``sample()``: a context like the real one, for the preview. ``where``: a sentence for the
    coordinators on who gets the mail when.
    """

    key: str
    template: str
    label: Any
    subject: Any
    body: Any
    placeholders: tuple[Placeholder, ...]
    sample: Callable[[], dict]
    where: Any = ""
    applies: Callable[[dict], bool] | None = None
    order: int = field(default=0, compare=False)

    @property
    def area(self) -> str:
        return self.key.split(".", 1)[0]

    def placeholder_names(self) -> set[str]:
        return {placeholder.name for placeholder in self.placeholders}


_kinds: dict[str, MailKind] = {}


def register_mail_kind(**kwargs) -> MailKind:
    """Register a kind of mail with an editable text (the fields of :class:`MailKind`).
    Registering a key again replaces it."""
    kind = MailKind(order=len(_kinds), **kwargs)
    _kinds[kind.key] = kind
    return kind


def mail_kinds() -> list[MailKind]:
    """Every registered kind, in the order registered (app by app, as the apps are ready)."""
    return sorted(_kinds.values(), key=lambda kind: kind.order)


def mail_kind(key: str) -> MailKind | None:
    return _kinds.get(key)


def kind_for(template: str, context: dict) -> MailKind | None:
    """The kind of the mail rendered from ``template`` with ``context``, if it has an
    editable text."""
    for kind in mail_kinds():
        if kind.template == template and (kind.applies is None or kind.applies(context)):
            return kind
    return None


def languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


# --- The texts: shipped, stored, current --------------------------------------------------


@dataclass(frozen=True)
class Text:
    subject: str
    body: str
    edited: bool = False


def shipped_text(kind: MailKind, language: str) -> Text:
    with translation.override(language):
        return Text(subject=str(kind.subject), body=str(kind.body))


# Stored texts of a batch of mails (:func:`batch`): (kind, language) -> row or None.
_memo: ContextVar[dict | None] = ContextVar("mail_texts_memo", default=None)


@contextmanager
def batch():
    """Within this block, the stored texts are read once (one query), not once per mail: for
    a service that writes many mails, and for a dry run that counts them."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _stored(kind: MailKind, language: str) -> MailText | None:
    memo = _memo.get()
    if memo is None:
        return MailText.objects.filter(kind=kind.key, language=language).first()
    if "loaded" not in memo:
        memo["loaded"] = {(row.kind, row.language): row for row in MailText.objects.all()}
    return memo["loaded"].get((kind.key, language))


def current_text(kind: MailKind, language: str) -> Text:
    """The text mails of ``kind`` in ``language`` use now: the coordinators' own, or the
    shipped one."""
    row = _stored(kind, language)
    if row is not None:
        return Text(subject=row.subject, body=row.body, edited=True)
    return shipped_text(kind, language)


# --- Checking and filling in ------------------------------------------------------------------


def text_problems(kind: MailKind, text: str) -> list[str]:
    """Why ``text`` cannot be saved for ``kind``: template code, or a placeholder the kind
    does not know (named, with the ones it knows)."""
    problems = []
    unknown = sorted(set(PLACEHOLDER.findall(text)) - kind.placeholder_names())
    if unknown:
        problems.append(
            gettext("Unknown placeholder: %(names)s. This mail knows: %(known)s.")
            % {
                "names": ", ".join(f"{{{{ {name} }}}}" for name in unknown),
                "known": ", ".join(f"{{{{ {p.name} }}}}" for p in kind.placeholders),
            }
        )
    if TEMPLATE_SYNTAX.search(PLACEHOLDER.sub("", text)):
        problems.append(
            gettext(
                "Please use only the placeholders listed, written as {{ name }}; other "
                "curly braces and template code are not allowed."
            )
        )
    return problems


def placeholder_values(kind: MailKind, context: dict) -> dict[str, str]:
    """The value of each of ``kind``'s placeholders in a mail with ``context``."""
    values = {}
    for placeholder in kind.placeholders:
        try:
            value = placeholder.value(context)
        except (KeyError, AttributeError, TypeError, ValueError):
            value = ""
        values[placeholder.name] = "" if value is None else str(value)
    return values


def fill_in(text: str, values: dict[str, str], *, html: bool = False) -> str:
    """``text`` with each known ``{{ name }}`` replaced by its value (escaped for HTML);
    anything else stays as it is: the text is never run as a template."""

    def replace(match):
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return escape(values[name]) if html else values[name]

    return PLACEHOLDER.sub(replace, text)


def mail_html(markdown: str) -> str:
    """A mail's own words (Markdown) as clean HTML with the tags of :data:`MAIL_TAGS`."""
    return nh3.clean(
        rich_text.markdown_html(markdown),
        tags=MAIL_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def mail_plain(markdown: str) -> str:
    """A mail's own words (Markdown) as plain text for the text part."""
    return rich_text.html_text(mail_html(markdown), width=10_000)


@dataclass(frozen=True)
class Opening:
    """The subject and the opening text of one mail, filled in."""

    subject: str
    text: str
    html: SafeString


def opening_for(
    kind: MailKind, *, language: str, context: dict, draft: Text | None = None
) -> Opening:
    """Subject and opening text of a mail of ``kind`` to go out in ``language`` (the current
    text, or ``draft`` for a preview), with the placeholders filled in from ``context``."""
    with translation.override(language):
        text = draft or current_text(kind, language)
        values = placeholder_values(kind, context)
        subject = " ".join(fill_in(text.subject, values).split())
        plain = fill_in(mail_plain(text.body), values)
        # Cleaned HTML, with the values escaped into it: safe to put into the mail as it is.
        html = mark_safe(fill_in(mail_html(text.body), values, html=True))  # noqa: S308
    return Opening(subject=subject, text=plain, html=html)


# --- Changing the texts (the admin's screen calls these) -------------------------------------

register_actions(
    {
        "network_portal.mail_text.saved": gettext_lazy("Standard text of a mail changed"),
        "network_portal.mail_text.reset": gettext_lazy(
            "Standard text of a mail reset to the shipped text"
        ),
    },
    details={
        "kind": Detail(gettext_lazy("Kind of mail")),
        "language": Detail(gettext_lazy("Language"), choices=settings.LANGUAGES),
    },
)


def _check_kind(kind_key: str, language: str) -> MailKind:
    kind = mail_kind(kind_key)
    if kind is None or language not in dict(settings.LANGUAGES):
        raise ValidationError(gettext("There is no such mail text."))
    return kind


@transaction.atomic
def mail_text_save(*, kind: str, language: str, subject: str, body: str, by_user) -> MailText:
    """Store the coordinators' own subject and opening text for mails of ``kind`` in
    ``language``; the next such mail uses it."""
    mail_kind_ = _check_kind(kind, language)
    problems = text_problems(mail_kind_, subject) + text_problems(mail_kind_, body)
    if problems:
        raise ValidationError(problems)
    row, _created = MailText.objects.update_or_create(
        kind=kind,
        language=language,
        defaults={
            "subject": " ".join(subject.split()),
            "body": body.strip(),
            "updated_by": by_user,
        },
    )
    log_activity(
        action="network_portal.mail_text.saved",
        obj=row,
        by_user=by_user,
        details={"kind": str(mail_kind_.label), "language": language},
    )
    return row


@transaction.atomic
def mail_text_reset(*, kind: str, language: str, by_user) -> bool:
    """Go back to the shipped text for mails of ``kind`` in ``language``; returns whether
    there was an own text to remove."""
    mail_kind_ = _check_kind(kind, language)
    row = MailText.objects.select_for_update().filter(kind=kind, language=language).first()
    if row is None:
        return False
    log_activity(
        action="network_portal.mail_text.reset",
        obj=row,
        by_user=by_user,
        details={"kind": str(mail_kind_.label), "language": language},
    )
    row.delete()
    return True
