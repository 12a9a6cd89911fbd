"""Liveness, readiness and the start-up check of worker and beat.

- **Liveness** (``/healthz``) answers from the web process alone, touching neither database nor
  broker: it says "this process serves requests". Restarting web would not mend a database or a
  broker that is down, so liveness must not fail because of them (every web container would be
  restarted at once, in a loop).
- **Readiness** (``/readyz``) asks everything the portal needs to do its work: the database, the
  broker, a worker that answers, beat that runs, and mail that moves. It names what is stuck.
- **Start-up** of worker and beat: :func:`exit_unless_database_ready` stops them with one line
  when the database is not reachable or not migrated, instead of a loop of tracebacks.
"""

import logging
import threading
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.utils import timezone

from .models import Heartbeat

logger = logging.getLogger(__name__)

# A worker or beat counts as silent when its heartbeat is older than this many intervals.
HEARTBEAT_MISSED_INTERVALS = 3
# The mail backlog is counted at most this often.
MAIL_CACHE_SECONDS = 5


# --- The checks ---------------------------------------------------------------------------------


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return {"ok": cursor.fetchone() == (1,)}


_broker_lock = threading.Lock()
_broker_connections: dict = {}  # broker URL -> kombu Connection, reused from call to call


def _broker_connection(url: str):
    """One connection per broker URL and process, kept open between checks."""
    from .celery import app as celery_app

    conn = _broker_connections.get(url)
    if conn is None:
        timeout = settings.READINESS_BROKER_TIMEOUT_SECONDS
        options = {}
        if url.startswith(("redis://", "rediss://")):
            # Also bounds a command on a connection that hangs, not only connecting.
            options = {"socket_timeout": timeout, "socket_connect_timeout": timeout}
        conn = celery_app.connection_for_write(
            url=url, connect_timeout=timeout, transport_options=options
        )
        _broker_connections[url] = conn
    return conn


def check_broker() -> dict:
    """Connect once (at most READINESS_BROKER_TIMEOUT_SECONDS, no retry), then ping the broker
    over the same connection on each later call; a failed connection is dropped and made anew
    by the next call."""
    url = settings.CELERY_BROKER_URL
    with _broker_lock:
        conn = _broker_connection(url)
        try:
            conn.ensure_connection(max_retries=0, timeout=settings.READINESS_BROKER_TIMEOUT_SECONDS)
            client = getattr(conn.default_channel, "client", None)
            if client is not None:  # Redis; the SQLite and memory brokers have no server
                client.ping()
        except Exception:
            _broker_connections.pop(url, None)
            conn.collect()  # drops its sockets without waiting on them
            raise
    return {"ok": True}


def heartbeat_limit_seconds() -> float:
    return HEARTBEAT_MISSED_INTERVALS * settings.HEARTBEAT_SECONDS


def heartbeat_age_seconds(name: str) -> float | None:
    """Seconds since the process ``name`` ("worker", "beat") last recorded itself, or None."""
    seen_at = Heartbeat.objects.filter(name=name).values_list("seen_at", flat=True).first()
    return (timezone.now() - seen_at).total_seconds() if seen_at else None


def _check_heartbeat(name: str) -> dict:
    age, limit = heartbeat_age_seconds(name), heartbeat_limit_seconds()
    return {
        "ok": age is not None and age <= limit,
        "seen_seconds_ago": _rounded(age),
        "limit_seconds": limit,
    }


def check_worker() -> dict:
    """A worker ran the heartbeat task that beat sends every HEARTBEAT_SECONDS."""
    return _check_heartbeat("worker")


def check_beat() -> dict:
    """Beat's scheduler (network_portal.beat) recorded its last run."""
    return _check_heartbeat("beat")


def check_mail() -> dict:
    """Stuck: in some queue (the outbox, the newsletter), a mail has been due for longer than
    READINESS_MAIL_STUCK_SECONDS and the queue sent nothing for as long. A long queue that
    moves (a big newsletter) is not stuck. Counted at most every few seconds: the readiness
    check is public and polled."""
    from .sending import mail_backlog

    backlog = cache.get_or_set("network_portal:readiness:mail", mail_backlog, MAIL_CACHE_SECONDS)
    limit = settings.READINESS_MAIL_STUCK_SECONDS
    queues, stuck = {}, []
    for name, queue in backlog["queues"].items():
        oldest, last_sent = queue["oldest_due_seconds"], queue["last_sent_seconds"]
        if (
            queue["due"] > 0
            and oldest is not None
            and oldest > limit
            and (last_sent is None or last_sent > limit)
        ):
            stuck.append(name)
        queues[name] = {
            "due": queue["due"],
            "oldest_due_seconds": _rounded(oldest),
            "last_sent_seconds": _rounded(last_sent),
        }
    return {
        "ok": not stuck,
        "due": backlog["due"],
        "stuck_queues": stuck,
        "queues": queues,
        "limit_seconds": limit,
    }


def _rounded(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds, 1)


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "broker": check_broker,
    "worker": check_worker,
    "beat": check_beat,
    "mail": check_mail,
}
NEEDS_DATABASE = {"worker", "beat", "mail"}


def readiness(names: Iterable[str] | None = None) -> dict:
    """Run the checks ``names`` (default: all) and say which are stuck.

    A failing check is reported by the kind of its error only (the message may name hosts or
    users); the log has the whole of it. While the database is down, the checks that read it
    are not run (``"ok": null``).
    """
    names = list(CHECKS) if names is None else [name for name in CHECKS if name in names]
    results: dict[str, dict] = {}
    for name in names:
        if name in NEEDS_DATABASE and results.get("database", {}).get("ok") is False:
            results[name] = {"ok": None, "skipped": "database not reachable"}
            continue
        try:
            results[name] = CHECKS[name]()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            logger.warning("Readiness check %r failed: %r", name, exc)
            results[name] = {"ok": False, "error": exc.__class__.__name__}
    stuck = [name for name, result in results.items() if result["ok"] is False]
    return {"status": "unavailable" if stuck else "ready", "stuck": stuck, "checks": results}


# --- Start-up of worker and beat ----------------------------------------------------------------


def database_problem() -> str | None:
    """What keeps a worker or beat from working with the database, in one line, or None."""
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return (
            f"the database is not reachable ({exc.__class__.__name__}: {first_line}); "
            "check DATABASE_URL"
        )
    finally:
        # The worker forks its pool after this: no child may inherit this connection.
        connection.close()
    if pending:
        return (
            f"the database is not migrated ({len(pending)} migrations pending): "
            "run `make demo` or `python manage.py migrate` first"
        )
    return None


def exit_unless_database_ready(process: str) -> None:
    """Stop ``process`` ("worker", "beat") with one line and exit status 1 if the database
    is not ready for it."""
    problem = database_problem()
    if problem:
        raise SystemExit(f"celery {process}: {problem}")
