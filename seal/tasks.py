"""Thin tasks of the seal: a service writes the outbox rows, the one sender sends each once."""

from celery import shared_task

from network_portal.activity import Process
from network_portal.mail import send_outbox

from . import services


@shared_task(name="seal.send_expiry_reminders")
def send_expiry_reminders() -> int:
    """Six and two months before a seal expires (beat, daily; a second run writes nothing)."""
    mail_ids = services.expiry_reminders_send(process=Process.BEAT)
    if mail_ids:
        send_outbox()
    return len(mail_ids)


@shared_task(name="seal.send_jury_reminders")
def send_jury_reminders() -> int:
    """Seven and two days before a cycle's scoring deadline, to jurors with open scores (beat,
    hourly; the first run of the day writes them, later runs nothing)."""
    mail_ids = services.jury_reminders_write(process=Process.BEAT)
    if mail_ids:
        send_outbox()
    return len(mail_ids)
