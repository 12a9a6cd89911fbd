"""Thin tasks: ids in, services do the work. Safe to run twice or after a crash."""

import logging

from celery import shared_task
from django.conf import settings

from . import services
from .models import Issue

logger = logging.getLogger(__name__)


@shared_task(name="newsletter.send_issue")
def send_issue(*, issue_id: int) -> int:
    """Expand the issue into deliveries, then start the senders that work through them."""
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status != Issue.Status.SENDING:
        logger.info("Issue %s is not sending; nothing to do.", issue_id)
        return 0
    created = services.issue_expand(issue=issue)
    for _sender in range(settings.NEWSLETTER_PARALLEL_SENDERS):
        send_deliveries.delay(issue_id=issue_id)
    return created


@shared_task(name="newsletter.send_deliveries")
def send_deliveries(*, issue_id: int) -> dict:
    """One sender: pending deliveries over one SMTP connection. Several may run at once;
    row locks keep them from sending the same delivery."""
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status != Issue.Status.SENDING:
        return {}
    return services.issue_send_deliveries(issue=issue)


@shared_task(name="newsletter.dispatch")
def dispatch() -> int:
    """Beat: start scheduled issues and resume any send that is still open."""
    issue_ids = services.issues_due()
    for issue_id in issue_ids:
        send_issue.delay(issue_id=issue_id)
    return len(issue_ids)


@shared_task(name="newsletter.sync_member_lists")
def sync_member_lists() -> None:
    services.sync_member_lists()
