"""Thin tasks of the plumbing: the one sender, its sweep, and the worker's heartbeat."""

from celery import shared_task
from django.utils import timezone

from . import sending
from .models import Heartbeat


@shared_task(name="network_portal.send_mail")
def send_mail(*, queue: str, scope: int | None = None) -> int:
    """One sender's slice of work on ``queue`` (one scope of it); returns the rows handled."""
    result = sending.run_sender(queue, scope=scope)
    return result.handled if result is not None else 0


@shared_task(name="network_portal.sweep_mail")
def sweep_mail() -> int:
    """Beat: start senders wherever mail is due, also what a dead worker or a lost task left."""
    return sending.sweep()


@shared_task(name="network_portal.heartbeat")
def heartbeat() -> None:
    """Beat sends it, a worker runs it: the readiness check reads when a worker last did."""
    Heartbeat.objects.update_or_create(name="worker", defaults={"seen_at": timezone.now()})
