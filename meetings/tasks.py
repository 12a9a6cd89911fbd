"""Thin tasks: a service writes the outbox rows, the one sender sends each once."""

from celery import shared_task

from network_portal.activity import Process
from network_portal.mail import send_outbox

from . import services
from .models import Meeting


@shared_task(name="meetings.send_reminders")
def send_reminders() -> int:
    mail_ids = services.write_reminders(process=Process.BEAT)
    if mail_ids:
        send_outbox()
    return len(mail_ids)


@shared_task(name="meetings.send_feedback_requests")
def send_feedback_requests() -> int:
    mail_ids = services.write_feedback_requests(process=Process.BEAT)
    if mail_ids:
        send_outbox()
    return len(mail_ids)


@shared_task(name="meetings.send_meeting_mails")
def send_meeting_mails(*, meeting_id: int, kind: str) -> int:
    """Only for messages the release before this one queued (it wrote a meeting's mails in a
    task; now the publishing transaction does). Writing again is safe: keys skip what exists.
    Remove with the next release."""
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    return len(services.write_meeting_mails(meeting=meeting, kind=kind, process=Process.WORKER))
