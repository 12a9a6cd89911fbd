"""Start a real Celery worker against the test database and a real broker."""

import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.utils import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def require_real_services():
    """The worker must share the database and the broker with the test: PostgreSQL and Redis."""
    if connection.vendor != "postgresql":
        skip_or_fail("needs DATABASE_URL pointing at PostgreSQL (a worker cannot share SQLite)")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        skip_or_fail("needs CELERY_BROKER_URL pointing at Redis")


def service_env(*, email_url: str, queue: str, extra_env: dict | None) -> dict:
    """Environment of a worker or beat process on the test database and the test's queue."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "network_portal.settings",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        # Tasks the worker itself sends (e.g. from beat's dispatch) stay on the test's queue.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "EMAIL_URL": email_url,
        "SITE_URL": settings.SITE_URL,
        **(extra_env or {}),
    }


@contextmanager
def _process(args: list[str], *, env: dict, name: str):
    """A celery process; yields the Popen (with ``.log()``), stops it afterwards."""
    log = tempfile.NamedTemporaryFile(mode="w+", prefix=f"{name}-", suffix=".log")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "network_portal", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.log = lambda: Path(log.name).read_text()[-4000:]
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@contextmanager
def celery_worker(
    *,
    email_url: str,
    queue: str,
    extra_env: dict | None = None,
    hostname: str = "worker",
    processes: int | None = None,
):
    """A worker on the test database (one process, or a pool of ``processes`` as deployed);
    yields the Popen, stops it afterwards."""
    pool = ["--pool=solo"] if processes is None else ["--pool=prefork", f"-c{processes}"]
    args = [
        "worker",
        *pool,
        "--loglevel=INFO",
        "-Q",
        queue,
        "-n",
        f"{hostname}-{queue}@%h",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
    ]
    with _process(
        args, env=service_env(email_url=email_url, queue=queue, extra_env=extra_env), name=hostname
    ) as process:
        yield process


@contextmanager
def celery_beat(*, email_url: str, queue: str, extra_env: dict | None = None):
    """Beat on the test database, sending its tasks to the test's queue (set the intervals
    short through ``extra_env``, e.g. MAIL_SWEEP_SECONDS)."""
    schedule = tempfile.mkdtemp(prefix="celery-beat-")
    args = ["beat", "--loglevel=INFO", "--max-interval=1", "-s", f"{schedule}/schedule"]
    with _process(
        args, env=service_env(email_url=email_url, queue=queue, extra_env=extra_env), name="beat"
    ) as process:
        yield process


def broker_loses_queue(queue: str) -> int:
    """What a Redis restarted without persistence does to the test's queue: every message
    waiting in it, and every one a dead worker had taken without acknowledging, is gone.
    Returns how many messages were dropped."""
    import json

    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    dropped = client.llen(queue)
    client.delete(queue)
    for tag, payload in client.hgetall("unacked").items():
        _message, _exchange, routing_key = json.loads(payload)
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
            dropped += 1
    return dropped


def wait_until(predicate, *, timeout: float = 60, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
