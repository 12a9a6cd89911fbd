"""The newsletter's deliveries as a queue of the one sender (``network_portal.sending``).

One scope per issue: each issue goes out at NEWSLETTER_RATE_PER_SECOND over at most
NEWSLETTER_PARALLEL_SENDERS senders, whatever the number of workers.
"""

from django.conf import settings
from django.core.mail.message import sanitize_address

from network_portal import sending
from network_portal.activity import Process

from . import rendering
from .models import Delivery, Issue

QUEUE = "newsletter"


def issue_attachments(issue: Issue) -> list[tuple]:
    """The issue's attachments as the mail carries them: (file name, content, type)."""
    result = []
    for attachment in issue.attachments.all():
        with attachment.file.open("rb") as handle:
            result.append((attachment.filename, handle.read(), attachment.content_type))
    return result


def _issue(delivery: Delivery, run: sending.SendRun) -> tuple[Issue, list[tuple]]:
    # A sender works on one issue: its attachments are read once per slice, not per mail.
    key = ("newsletter-issue", delivery.issue_id)
    if key not in run.cache:
        run.cache[key] = (delivery.issue, issue_attachments(delivery.issue))
    return run.cache[key]


def _subscriber(delivery: Delivery):
    subscriber = delivery.subscriber
    if subscriber is None or subscriber.suppressed_at:
        raise sending.Undeliverable("suppressed")
    return subscriber


def _raw_message(delivery: Delivery, run: sending.SendRun) -> sending.RawMessage:
    """The mail as bytes for SMTP, from the issue's mail built once per language in this
    sender's slice; byte for byte what :func:`_message` would send."""
    subscriber = _subscriber(delivery)
    issue, attachments = _issue(delivery, run)
    key = ("newsletter-template", delivery.issue_id, subscriber.language)
    if key not in run.cache:
        run.cache[key] = rendering.issue_template(
            issue,
            language=subscriber.language,
            attachments=attachments,
            message_id="<template@localhost>",
        )
    template = run.cache[key]
    body, list_unsubscribe = rendering.personal_parts(subscriber)
    data = template.personalise(
        to=subscriber.email,
        message_id=sending.message_id(
            queue_name=QUEUE, row=delivery, from_email=settings.NEWSLETTER_FROM_EMAIL
        ),
        body=body,
        list_unsubscribe=list_unsubscribe,
    )
    if data is None:  # a value that changes how a part is encoded: this one the slow way
        return sending.raw_message(_message(delivery, run))
    return sending.RawMessage(
        from_email=template.from_email,
        recipients=[sanitize_address(subscriber.email, template.encoding)],
        data=data,
    )


def _message(delivery: Delivery, run: sending.SendRun):
    subscriber = _subscriber(delivery)
    issue, attachments = _issue(delivery, run)
    message = rendering.issue_message(issue, subscriber, attachments=attachments)
    message.extra_headers["Message-ID"] = sending.message_id(
        queue_name=QUEUE, row=delivery, from_email=message.from_email
    )
    return message


def _finish_issue(issue_id: int | None) -> None:
    """The sender (run by a worker, ``run_sender``) drained the issue: mark it sent."""
    from .services import issue_finish_if_done

    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is not None:
        issue_finish_if_done(issue=issue, process=Process.WORKER)


def delivery_queue() -> sending.MailQueue:
    return sending.MailQueue(
        name=QUEUE,
        model=Delivery,
        build_message=_message,
        raw_message=_raw_message,
        parallel_senders=lambda: settings.NEWSLETTER_PARALLEL_SENDERS,
        max_attempts=lambda: settings.NEWSLETTER_MAX_ATTEMPTS,
        scope_field="issue_id",
        scope_rate=lambda: settings.NEWSLETTER_RATE_PER_SECOND,
        select_related=("subscriber",),
        on_drained=_finish_issue,
    )
