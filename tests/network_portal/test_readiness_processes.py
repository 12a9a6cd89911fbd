"""Readiness with a real beat and a real worker on Redis and the PostgreSQL test database."""

import signal

import pytest

from tests.services import celery_beat, celery_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

HEARTBEAT_SECONDS = 2  # worker and beat count as silent after 6 s


def stuck(client) -> list[str]:
    response = client.get("/readyz")
    body = response.json()
    assert (response.status_code == 200) == (body["stuck"] == []), body
    return body["stuck"]


def test_ready_once_beat_and_worker_run_and_not_when_beat_is_killed(client, settings, real_broker):
    settings.HEARTBEAT_SECONDS = HEARTBEAT_SECONDS
    processes = {"HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS)}
    assert stuck(client) == ["worker", "beat"]

    with (
        celery_worker(email_url="memorymail://", queue=real_broker, extra_env=processes) as worker,
        celery_beat(email_url="memorymail://", queue=real_broker, extra_env=processes) as beat,
    ):
        ready = wait_until(lambda: stuck(client) == [], timeout=60)
        assert ready, f"{stuck(client)}\nbeat:\n{beat.log()}\nworker:\n{worker.log()}"

        beat.send_signal(signal.SIGKILL)
        beat.wait(timeout=10)
        # Beat is named (the worker soon follows: nobody sends it the heartbeat task any more).
        assert wait_until(lambda: "beat" in stuck(client), timeout=20), worker.log()
