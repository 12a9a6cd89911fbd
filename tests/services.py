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


@contextmanager
def celery_worker(*, email_url: str, queue: str, extra_env: dict | None = None):
    """A worker process on the test database; yields the Popen, stops it afterwards."""
    db = connection.settings_dict
    env = {
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
    log = tempfile.NamedTemporaryFile(mode="w+", prefix="celery-worker-", suffix=".log")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "network_portal",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
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


def wait_until(predicate, *, timeout: float = 60, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()
