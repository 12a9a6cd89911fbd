"""The newsletter's deliveries as a queue of the one sender (``network_portal.sending``).

One scope per issue: each issue goes out at NEWSLETTER_RATE_PER_SECOND over at most
NEWSLETTER_PARALLEL_SENDERS senders, whatever the number of workers.
"""

from django.conf import settings

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


def _message(delivery: Delivery, run: sending.SendRun):
    subscriber = delivery.subscriber
    if subscriber is None or subscriber.suppressed_at:
        raise sending.Undeliverable("suppressed")
    # A sender works on one issue: its attachments are read once per slice, not per mail.
    key = ("newsletter-issue", delivery.issue_id)
    if key not in run.cache:
        run.cache[key] = (delivery.issue, issue_attachments(delivery.issue))
    issue, attachments = run.cache[key]
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
        parallel_senders=lambda: settings.NEWSLETTER_PARALLEL_SENDERS,
        max_attempts=lambda: settings.NEWSLETTER_MAX_ATTEMPTS,
        scope_field="issue_id",
        scope_rate=lambda: settings.NEWSLETTER_RATE_PER_SECOND,
        select_related=("subscriber",),
        on_drained=_finish_issue,
    )
