"""Thin tasks: ids in, a service writes the outbox rows, the rows are sent once."""

import logging

from celery import shared_task

from network_portal.mail import send_pending

from . import services
from .models import Meeting

logger = logging.getLogger(__name__)


@shared_task(name="meetings.send_meeting_mails")
def send_meeting_mails(*, meeting_id: int, kind: str) -> int:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        logger.info("Meeting %s is gone; no %s mails.", meeting_id, kind)
        return 0
    services.write_meeting_mails(meeting=meeting, kind=kind)
    # Send every pending row of this meeting, also those a crashed run left behind.
    return send_pending(key_prefix=f"meeting:{meeting_id}:")


@shared_task(name="meetings.send_reminders")
def send_reminders() -> int:
    mail_ids = services.write_reminders()
    return send_pending(mail_ids=mail_ids) if mail_ids else 0


@shared_task(name="meetings.send_feedback_requests")
def send_feedback_requests() -> int:
    mail_ids = services.write_feedback_requests()
    return send_pending(mail_ids=mail_ids) if mail_ids else 0
