"""The outbox: the one way every mail but the newsletter's leaves the portal.

A service calls :func:`mail_enqueue` in the transaction of the change that causes the mail; it
renders the mail in the recipient's language and stores one :class:`OutboxMail` row per unique
key (a second call with the same key writes nothing). After commit the one sender
(:mod:`network_portal.sending`) sends the row, and beat's sweep sends whatever was left behind.
"""

import base64
import re
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation

from . import mail_texts, sending
from .models import OutboxMail
from .office import office

SUBJECT_PREFIX = "[Attraktive Unternehmen Trier] "
# The addresses of the mails written while a dry run (:func:`mails_written_by`) records them.
_recording: ContextVar[list | None] = ContextVar("mails_recorded", default=None)


def render_mail(
    *, template: str, context: dict, language: str, draft: mail_texts.Text | None = None
) -> tuple[str, str, str]:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` in ``language``.

    The HTML part comes from ``<template>.html`` where a kind needs its own layout; otherwise the
    text is wrapped in ``emails/base.html``, so both parts always say the same. Templates get
    ``office``, the coordination office's contact; both parts end with it (:func:`compose_mail`).

    A kind of mail with an editable standard text (:mod:`network_portal.mail_texts`) takes its
    subject from that text, and its templates get the opening text as ``opening`` and
    ``opening_html``; ``draft``: a text not saved yet, for the admin's preview.
    """
    ctx = {"site_url": settings.SITE_URL, "office": office(), "language": language, **context}
    kind = mail_texts.kind_for(template, ctx)
    with translation.override(language):
        if kind is not None:
            opening = mail_texts.opening_for(kind, language=language, context=ctx, draft=draft)
            ctx.update(opening=opening.text, opening_html=opening.html)
            subject = SUBJECT_PREFIX + opening.subject
        else:
            subject = SUBJECT_PREFIX + _render_subject(f"{template}_subject.txt", ctx)
        text = _tidy(render_to_string(f"{template}.txt", ctx))
        try:
            html = render_to_string(f"{template}.html", {**ctx, "subject": subject})
        except TemplateDoesNotExist:
            html = None
    return compose_mail(subject=subject, text=text, html=html, language=language)


def _render_subject(name: str, context: dict) -> str:
    """A subject is plain text on one line: a title typed as "Deutsch & Pflege" stays so, never
    "Deutsch &amp; Pflege" (HTML escaping is for the HTML part only)."""
    template = get_template(name).template  # the engine's own Template: takes a Context
    return " ".join(template.render(Context(context, autoescape=False)).split())


def _tidy(text: str) -> str:
    """A rendered text part without the gaps its templates' tags leave: no spaces at line
    ends, at most one blank line between paragraphs."""
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def compose_mail(
    *, subject: str, text: str, language: str, html: str | None = None
) -> tuple[str, str, str]:
    """The parts of a mail as it goes out: the text with the footer naming the coordination
    office (``emails/_footer.txt``), and the HTML part, ``emails/base.html`` around the text
    unless ``html`` is given. For mails rendered elsewhere too (allauth's)."""
    ctx = {"site_url": settings.SITE_URL, "office": office()}
    with translation.override(language):
        footer = render_to_string("emails/_footer.txt", ctx).strip("\n")
        if html is None:
            html = render_to_string(
                "emails/base.html", {**ctx, "subject": subject, "text": text, "language": language}
            )
    return subject, f"{text.rstrip()}\n\n{footer}", html


def mail_enqueue(
    *,
    key: str,
    to: str,
    template: str | None = None,
    context: dict | None = None,
    language: str | None = None,
    rendered: tuple[str, str, str] | None = None,
    headers: dict | None = None,
    attachments: list[dict] | None = None,
    send: bool = True,
    from_email: str | None = None,
) -> OutboxMail | None:
    """Store a mail for ``to`` under ``key`` unless one exists; send it after commit.

    Returns the new row, or None when a mail with this key was already written. A caller that
    writes many mails passes ``send=False`` and calls :func:`send_outbox` once. ``from_email``:
    a sender other than DEFAULT_FROM_EMAIL (a newsletter's test copy comes from the newsletter's
    address, as the issue does).
    """
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if rendered is None:
        rendered = render_mail(template=template, context=context or {}, language=language)
    subject, text, html = rendered
    try:
        with transaction.atomic():
            mail = OutboxMail.objects.create(
                key=key,
                to=to,
                from_email=from_email or settings.DEFAULT_FROM_EMAIL,
                subject=subject[:300],
                body_text=text,
                body_html=html,
                headers=headers or {},
                attachments=attachments or [],
                language=language,
            )
    except IntegrityError:
        return None
    recording = _recording.get()
    if recording is not None:
        recording.append(mail.to)
    if send:
        send_outbox(senders=1)
    return mail


def mails_written_by(call) -> list[str]:
    """The address of each mail ``call()`` would write, without writing any: it runs in a
    transaction that is rolled back, with whatever else it changed (and what it would have
    started after commit). For a confirmation page that counts exactly the mails a service
    writes. A call that refuses (a ValidationError) writes none."""
    addresses: list[str] = []
    token = _recording.set(addresses)
    try:
        with mail_texts.batch(), transaction.atomic():
            try:
                call()
            except ValidationError:
                addresses.clear()
            transaction.set_rollback(True)
    finally:
        _recording.reset(token)
    return addresses


def keys_written(prefix: str) -> set[str]:
    """The keys under ``prefix`` that have a mail already: a writer that runs again (beat's
    reminders every few minutes, a retried fan-out) renders only the mails still missing."""
    return set(OutboxMail.objects.filter(key__startswith=prefix).values_list("key", flat=True))


def mails_forget(*, addresses) -> int:
    """Delete the outbox's copies of the mails to ``addresses`` (lowercased; a person whose
    account is deleted): their text is personal data. Returns the number deleted."""
    deleted, _by_model = (
        OutboxMail.objects.alias(address=Lower("to")).filter(address__in=addresses).delete()
    )
    return deleted


def binary_attachment(*, filename: str, content: bytes, mimetype: str) -> dict:
    """An attachment for :func:`mail_enqueue` from bytes (stored base64 in the outbox row)."""
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
        "encoding": "base64",
    }


def mail_users(
    *, users, key: str, template: str, context: dict, attachments: list[dict] | None = None
) -> None:
    """The same mail to each of ``users`` (portal logins), in each one's language, personally
    addressed; the key gets ``:user:<id>`` so every person gets it once."""
    for user in users:
        mail_enqueue(
            key=f"{key}:user:{user.pk}",
            to=user.email,
            template=template,
            context={"recipient_name": user.get_full_name(), **context},
            language=user.language,
            attachments=attachments,
        )


def send_outbox(*, senders: int | None = None) -> None:
    """Start the outbox's senders once the current transaction has committed."""
    sending.kick(OUTBOX_QUEUE, senders=senders)


def send_pending(*, mail_ids: list[int] | None = None) -> int:
    """Send the outbox's due mails (all, or those in ``mail_ids``) in this process, now;
    returns how many went out."""
    return sending.drain(sending.get_queue(OUTBOX_QUEUE), rows=mail_ids).sent


def _message(mail: OutboxMail, run: sending.SendRun) -> EmailMultiAlternatives:
    headers = {
        "Message-ID": sending.message_id(
            queue_name=OUTBOX_QUEUE, row=mail, from_email=mail.from_email
        ),
        **mail.headers,
    }
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=mail.from_email,
        to=[mail.to],
        headers=headers,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        content = attachment["content"]
        if attachment.get("encoding") == "base64":  # binary files, e.g. a PDF
            content = base64.b64decode(content)
        if attachment.get("alternative"):
            # Another form of the message itself, e.g. a calendar entry's cancellation
            # (text/calendar; method=CANCEL), which mail programs offer to apply.
            message.attach_alternative(content, attachment["mimetype"])
        else:
            message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


OUTBOX_QUEUE = "outbox"


def outbox_queue() -> sending.MailQueue:
    return sending.MailQueue(
        name=OUTBOX_QUEUE,
        model=OutboxMail,
        build_message=_message,
        parallel_senders=lambda: settings.MAIL_PARALLEL_SENDERS,
        max_attempts=lambda: settings.MAIL_MAX_ATTEMPTS,
    )
