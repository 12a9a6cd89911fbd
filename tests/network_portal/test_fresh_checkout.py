"""Worker and beat in a fresh checkout, on the embedded defaults (SQLite database and broker).

DJANGO_VAR_DIR points the defaults into a folder that does not exist yet, as var/ does not in a
fresh clone. Real processes: ``celery worker``, ``celery beat``, ``manage.py migrate``.
"""

import os
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
MIGRATE_FIRST = "run `make demo` or `python manage.py migrate` first"


def checkout_env(var_dir: Path) -> dict[str, str]:
    """The environment of a developer who set nothing: every default, var/ somewhere new."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "EMAIL_", "CACHE_"))
    }
    # One second between heartbeats, so the test sees worker and beat at work quickly.
    env.update(DJANGO_VAR_DIR=str(var_dir), HEARTBEAT_SECONDS="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py and the celery app set it
    return env


def celery(command: str) -> list[str]:
    return [sys.executable, "-m", "celery", "-A", "network_portal", command, "--loglevel=INFO"]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@contextmanager
def running(args: list[str], env: dict[str, str], log: Path):
    with log.open("w") as out:
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def heartbeats(database: Path) -> set[str]:
    try:
        with sqlite3.connect(database, timeout=5) as db:
            return {name for (name,) in db.execute("SELECT name FROM network_portal_heartbeat")}
    except sqlite3.OperationalError:  # locked by the worker for a moment
        return set()


def test_worker_and_beat_say_in_one_line_to_migrate_then_start_cleanly(tmp_path):
    var_dir = tmp_path / "checkout" / "var"
    env = checkout_env(var_dir)

    # Before the first migrate: one line saying what to do, exit status 1, no traceback loop.
    for command in ("worker", "beat"):
        result = run(celery(command), env)
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert "Traceback" not in output
        last_line = output.strip().splitlines()[-1]
        assert last_line.startswith(f"celery {command}: the database is not migrated"), output
        assert last_line.endswith(MIGRATE_FIRST)
    assert var_dir.is_dir()  # made for the SQLite files, so migrate can create the database

    migrate = run([sys.executable, "manage.py", "migrate", "--noinput"], env)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr

    # Now both run on the SQLite broker: beat sends the heartbeat task, the worker runs it.
    with ExitStack() as stack:
        processes = {
            command: stack.enter_context(running(celery(command), env, tmp_path / command))
            for command in ("worker", "beat")
        }
        deadline = time.monotonic() + 60
        while heartbeats(var_dir / "db.sqlite3") != {"worker", "beat"}:
            exited = {name: p.returncode for name, p in processes.items() if p.poll() is not None}
            assert not exited and time.monotonic() < deadline, f"exited: {exited}\n" + "\n".join(
                (tmp_path / name).read_text()[-3000:] for name in processes
            )
            time.sleep(0.5)
    for command in ("worker", "beat"):
        assert "Traceback" not in (tmp_path / command).read_text()
