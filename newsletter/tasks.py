"""Thin tasks: ids in, services do the work. Safe to run twice or after a crash.

The deliveries themselves are sent by the portal's one sender (``network_portal.send_mail``).
"""

from celery import shared_task

from network_portal.activity import Process

from . import services


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
