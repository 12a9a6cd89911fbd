"""The one way every mail leaves the portal.

A service calls :func:`mail_enqueue`; it renders the mail in the recipient's language, stores
one :class:`OutboxMail` row per unique key and schedules the send task after commit. The task
(:func:`send_pending`) sends pending rows over one SMTP connection and marks each one, so a
second run, or a run after a crash, sends nothing twice.
"""

import base64
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxMail

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SUBJECT_PREFIX = "[Attraktive Unternehmen Trier] "


def render_mail(*, template: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` in ``language``.

    The HTML part comes from ``<template>.html`` where a kind needs its own layout; otherwise the
    text is wrapped in ``emails/base.html``, so both parts always say the same.
    """
    ctx = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = SUBJECT_PREFIX + " ".join(
            render_to_string(f"{template}_subject.txt", ctx).split()
        )
        text = render_to_string(f"{template}.txt", ctx).strip()
        try:
            html = render_to_string(f"{template}.html", ctx)
        except TemplateDoesNotExist:
            html = render_to_string(
                "emails/base.html", {**ctx, "subject": subject, "text": text, "language": language}
            )
    return subject, text, html


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
) -> OutboxMail | None:
    """Store a mail for ``to`` under ``key`` unless one exists; send it after commit.

    Returns the new row, or None when a mail with this key was already written. A caller that
    writes many mails passes ``send=False`` and calls :func:`send_after_commit` once, so they
    go out in one task over one connection.
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
                from_email=settings.DEFAULT_FROM_EMAIL,
                subject=subject[:300],
                body_text=text,
                body_html=html,
                headers=headers or {},
                attachments=attachments or [],
                language=language,
            )
    except IntegrityError:
        return None
    if send:
        send_after_commit([mail.pk])
    return mail


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


def send_after_commit(mail_ids: list[int]) -> None:
    """Enqueue the send task for these rows once the current transaction has committed."""
    if not mail_ids:
        return
    from .tasks import send_pending_mail

    ids = list(mail_ids)
    transaction.on_commit(lambda: send_pending_mail.delay(mail_ids=ids))


def _message(mail: OutboxMail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body_text,
        from_email=mail.from_email,
        to=[mail.to],
        headers=mail.headers,
        connection=connection,
    )
    if mail.body_html:
        message.attach_alternative(mail.body_html, "text/html")
    for attachment in mail.attachments:
        content = attachment["content"]
        if attachment.get("encoding") == "base64":  # binary files, e.g. a PDF
            content = base64.b64decode(content)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


def send_pending(
    *, mail_ids: list[int] | None = None, key_prefix: str | None = None, batch_size: int = 100
) -> int:
    """Send pending mails (all, those in ``mail_ids`` or under ``key_prefix``); return how many
    were sent.

    Each row is claimed in its own transaction with a row lock that skips rows another worker
    holds, and marked sent right after the SMTP server accepted it: a worker that dies leaves
    the rows it had not sent pending for the next run, and a row marked sent is never sent
    again.
    """
    sent = 0
    tried: set[int] = set()
    # Opened here, so every message goes over this one connection (send_messages would
    # otherwise open and close one per message).
    connection = get_connection()
    connection.open()
    try:
        while True:
            pending = OutboxMail.objects.filter(status=OutboxMail.Status.PENDING)
            if mail_ids is not None:
                pending = pending.filter(pk__in=mail_ids)
            if key_prefix is not None:
                pending = pending.filter(key__startswith=key_prefix)
            # A row that failed in this run waits for the next sweep instead of looping.
            candidates = list(
                pending.exclude(pk__in=tried)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not candidates:
                break
            for pk in candidates:
                tried.add(pk)
                with transaction.atomic():
                    mail = (
                        OutboxMail.objects.select_for_update(skip_locked=True)
                        .filter(pk=pk, status=OutboxMail.Status.PENDING)
                        .first()
                    )
                    if mail is None:
                        continue  # another worker has it, or it went out meanwhile
                    if _send_one(mail, connection):
                        sent += 1
            if len(candidates) < batch_size:
                break
    finally:
        connection.close()
    return sent


def _send_one(mail: OutboxMail, connection) -> bool:
    mail.attempts += 1
    try:
        if getattr(connection, "connection", True) is None:
            connection.open()  # reopen after a failure closed it
        _message(mail, connection).send()
    except Exception as exc:  # noqa: BLE001 - any SMTP failure is recorded on the row
        logger.warning("Mail %s to %s failed: %s", mail.key, mail.to, exc)
        mail.last_error = str(exc)[:2000]
        if mail.attempts >= MAX_ATTEMPTS:
            mail.status = OutboxMail.Status.FAILED
        mail.save(update_fields=["attempts", "last_error", "status"])
        return False
    mail.status = OutboxMail.Status.SENT
    mail.sent_at = timezone.now()
    mail.save(update_fields=["attempts", "status", "sent_at"])
    return True
