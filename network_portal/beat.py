"""Celery beat's scheduler: django_celery_beat's DatabaseScheduler that records when it ran.

Configured as CELERY_BEAT_SCHEDULER (and named in docker-compose's and the demo's beat command):

    celery -A network_portal beat --scheduler network_portal.beat:HeartbeatScheduler

On start it stops with one line when the database is not reachable or not migrated. While it
runs, each tick records ``Heartbeat(name="beat")``, at most once per HEARTBEAT_SECONDS; the
readiness check (``/readyz``) and ``manage.py heartbeat_check beat`` read it.
"""

import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, close_old_connections
from django.utils import timezone
from django_celery_beat.schedulers import DatabaseScheduler

from .health import exit_unless_database_ready
from .models import Heartbeat

logger = logging.getLogger(__name__)


class HeartbeatScheduler(DatabaseScheduler):
    # Beat makes a scheduler for its banner, then the one it runs: check the database once.
    _database_checked = False

    def __init__(self, *args, **kwargs):
        if not HeartbeatScheduler._database_checked:
            exit_unless_database_ready("beat")
            HeartbeatScheduler._database_checked = True
        self._heartbeat_recorded_at: float | None = None
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        self.record_heartbeat()
        return super().tick(*args, **kwargs)

    def record_heartbeat(self) -> None:
        now = time.monotonic()
        recorded = self._heartbeat_recorded_at
        if recorded is not None and now - recorded < settings.HEARTBEAT_SECONDS:
            return
        try:
            close_old_connections()  # as DatabaseScheduler does: beat has no request cycle
            Heartbeat.objects.update_or_create(name="beat", defaults={"seen_at": timezone.now()})
        except (DatabaseError, InterfaceError) as exc:
            # Beat keeps scheduling; the readiness check shows the silence.
            logger.warning("Beat could not record its heartbeat: %r", exc)
            return
        self._heartbeat_recorded_at = now
