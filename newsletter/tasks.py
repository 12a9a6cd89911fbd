"""Thin tasks: ids in, services do the work. Safe to run twice or after a crash.

The deliveries themselves are sent by the portal's one sender (``network_portal.send_mail``).
"""

import logging

from celery import shared_task
from django.conf import settings

from network_portal.activity import Process

from . import bounce_mailbox, services

logger = logging.getLogger(__name__)


@shared_task(name="newsletter.dispatch")
def dispatch() -> int:
    """Beat: start scheduled issues whose time has come, mark finished sends sent."""
    started = services.issues_due(process=Process.BEAT)
    services.issues_resume(process=Process.BEAT)
    services.issues_finish(process=Process.BEAT)
    return len(started)


@shared_task(name="newsletter.sync_member_lists")
def sync_member_lists() -> None:
    services.sync_member_lists(process=Process.BEAT)


@shared_task(name="newsletter.read_bounce_mailbox")
def read_bounce_mailbox() -> int:
    """Beat: record the bounce reports in the bounce mailbox (``BOUNCE_MAILBOX_URL``; empty:
    off). A mail server that cannot be reached is logged and read again next time. Returns
    the number of bounces recorded."""
    if not settings.BOUNCE_MAILBOX_URL:
        return 0
    try:
        run = bounce_mailbox.read_mailbox(settings.BOUNCE_MAILBOX_URL)
    except bounce_mailbox.MAILBOX_ERRORS as error:
        logger.warning("Bounce mailbox not read (%s); trying again at the next run.", error)
        return 0
    return run.recorded
