"""/readyz: database, broker, worker, beat and mail; 503 naming what is stuck."""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from network_portal.celery import app as celery_app
from network_portal.models import Heartbeat, OutboxMail
from newsletter.models import Delivery, Issue
from tests.utils import ON_CI, skip_or_fail

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
CHECKS = ["database", "broker", "worker", "beat", "mail"]


@pytest.fixture(autouse=True)
def _intervals(settings):
    settings.HEARTBEAT_SECONDS = 30  # worker and beat are silent after 90 s
    settings.READINESS_MAIL_STUCK_SECONDS = 1200


def seen(name: str, seconds_ago: float) -> None:
    Heartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": timezone.now() - timedelta(seconds=seconds_ago)}
    )


def outbox_mail(key: str, *, status="pending", minutes_ago: float, **fields) -> OutboxMail:
    mail = OutboxMail.objects.create(
        key=key,
        to="personal@moselblick.example",
        from_email="netzwerk@aut-trier.de",
        subject="Ihre Anmeldung",
        body_text="Guten Tag",
        language="de",
        status=status,
        **fields,
    )
    OutboxMail.objects.filter(pk=mail.pk).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return mail


def sent_mail(key: str, *, minutes_ago: float) -> None:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    outbox_mail(key, status="sent", minutes_ago=minutes_ago, sent_at=at)


@pytest.fixture
def alive():
    """Worker and beat were heard of a few seconds ago."""
    seen("worker", 5)
    seen("beat", 2)


def readyz(client, query=""):
    response = client.get(f"/readyz{query}")
    assert response["Content-Type"] == "application/json"
    return response, response.json()


@pytest.mark.usefixtures("alive")
def test_ready_when_everything_answers_and_mail_moves(client):
    outbox_mail("due-now", minutes_ago=1)
    sent_mail("sent-before", minutes_ago=3)
    response, body = readyz(client)
    assert response.status_code == 200, body
    assert body["status"] == "ready" and body["stuck"] == []
    assert list(body["checks"]) == CHECKS
    assert all(check["ok"] is True for check in body["checks"].values())
    assert body["checks"]["worker"]["limit_seconds"] == 90
    assert 4 < body["checks"]["worker"]["seen_seconds_ago"] < 60
    assert body["checks"]["mail"]["due"] == 1
    assert 170 < body["checks"]["mail"]["queues"]["outbox"]["last_sent_seconds"] < 240
    # Never kept by a browser, proxy or load balancer: each call asks anew.
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    if ON_CI:
        assert celery_app.conf.broker_url.startswith("redis://")


@pytest.mark.parametrize("silent", ["worker", "beat"])
@pytest.mark.parametrize("last_seen", [None, 95], ids=["never", "95s-ago"])
def test_not_ready_naming_a_silent_worker_or_beat(client, silent, last_seen):
    for name in ("worker", "beat"):
        if name != silent:
            seen(name, 3)
    if last_seen is not None:
        seen(silent, last_seen)
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["stuck"] == [silent]
    assert body["checks"][silent]["ok"] is False
    if last_seen is None:
        assert body["checks"][silent]["seen_seconds_ago"] is None
    else:
        assert 94 < body["checks"][silent]["seen_seconds_ago"] < 150


@pytest.mark.usefixtures("alive")
def test_not_ready_naming_mail_when_due_mail_waits_and_nothing_is_sent(client):
    outbox_mail("waiting", minutes_ago=25)
    sent_mail("long-ago", minutes_ago=21)
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["stuck"] == ["mail"]
    mail = body["checks"]["mail"]
    assert mail["ok"] is False and mail["due"] == 1 and mail["limit_seconds"] == 1200
    assert mail["stuck_queues"] == ["outbox"]
    assert 25 * 60 <= mail["queues"]["outbox"]["oldest_due_seconds"] < 27 * 60


@pytest.mark.usefixtures("alive")
def test_not_ready_naming_mail_when_nothing_was_ever_sent(client):
    outbox_mail("waiting", minutes_ago=25)
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["stuck"] == ["mail"]
    assert body["checks"]["mail"]["queues"]["outbox"]["last_sent_seconds"] is None


@pytest.mark.usefixtures("alive")
def test_a_moving_newsletter_does_not_hide_a_stuck_outbox(client):
    outbox_mail("waiting", minutes_ago=25)
    issue = Issue.objects.create(subject="Neues aus dem Netzwerk", body="Hallo", status="sending")
    Delivery.objects.create(
        issue=issue, email="leser@example.org", status="sent", sent_at=timezone.now()
    )
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["checks"]["mail"]["stuck_queues"] == ["outbox"]


@pytest.mark.usefixtures("alive")
def test_a_retry_counts_as_waiting_from_its_retry_time(client):
    # Written long ago, refused, due again only since a minute: it has not waited 20 minutes.
    outbox_mail("retried", minutes_ago=90, next_attempt_at=timezone.now() - timedelta(minutes=1))
    sent_mail("long-ago", minutes_ago=60)
    response, body = readyz(client)
    assert response.status_code == 200, body
    assert 60 <= body["checks"]["mail"]["queues"]["outbox"]["oldest_due_seconds"] < 120


@pytest.mark.usefixtures("alive")
def test_ready_while_a_long_mail_queue_moves_or_waits_for_its_retry(client):
    # A big send: the oldest due mail is old, but mail went out a minute ago.
    outbox_mail("big-send", minutes_ago=40)
    sent_mail("just-now", minutes_ago=1)
    # A mail backing off after a temporary error is not due, however old it is.
    outbox_mail("retry-later", minutes_ago=90, next_attempt_at=timezone.now() + timedelta(hours=1))
    response, body = readyz(client)
    assert response.status_code == 200, body
    assert body["checks"]["mail"]["due"] == 1


@pytest.mark.usefixtures("alive")
def test_not_ready_naming_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    started = time.monotonic()
    response, body = readyz(client)
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert body["stuck"] == ["broker"]
    assert body["checks"]["broker"] == {"ok": False, "error": "OperationalError"}


@pytest.mark.usefixtures("alive")
def test_only_the_checks_asked_for(client):
    # A load balancer asks only what a web server needs to answer pages.
    Heartbeat.objects.all().delete()
    response, body = readyz(client, "?check=database&check=broker")
    assert response.status_code == 200, body
    assert list(body["checks"]) == ["database", "broker"]

    response, body = readyz(client, "?check=database&check=wroker")
    assert response.status_code == 400
    assert body == {"error": "unknown check wroker", "checks": CHECKS}


class CountingProxy:
    """A TCP proxy in front of Redis that counts the connections made through it; ``down()``
    closes everything and refuses new connections, ``up()`` listens again on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.accepted, self.sockets = target, 0, []
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()

    def up(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen()
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread waiting in accept()
        self.listener.close()
        for sock in self.sockets:
            sock.close()
        self.sockets = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            self.accepted += 1
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.mark.usefixtures("alive")
def test_broker_check_keeps_one_connection_and_finds_the_broker_again(client, settings):
    if not django_settings.CELERY_BROKER_URL.startswith("redis://"):
        skip_or_fail("needs CELERY_BROKER_URL pointing at Redis")
    redis = celery_app.connection_for_write(url=django_settings.CELERY_BROKER_URL)
    proxy = CountingProxy((redis.hostname or "127.0.0.1", redis.port or 6379))
    proxy.up()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{proxy.port}/0"
    try:
        for _ in range(10):
            response, body = readyz(client, "?check=broker")
            assert response.status_code == 200, body
        assert proxy.accepted == 1  # not one connection per call

        proxy.down()
        response, body = readyz(client, "?check=broker")
        assert response.status_code == 503 and body["stuck"] == ["broker"]

        proxy.up()
        response, body = readyz(client, "?check=broker")
        assert response.status_code == 200, body
    finally:
        proxy.down()


DATABASE_DOWN = """
import json

import django

django.setup()
from django.test import Client

client = Client(HTTP_HOST="localhost")
ready, alive = client.get("/readyz"), client.get("/healthz")
print("RESULT " + json.dumps(
    {"ready": [ready.status_code, ready.json()], "alive": [alive.status_code, alive.json()]}
))
"""


def test_not_ready_naming_a_database_that_is_down_while_still_alive():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "network_portal.test_settings",
        "DATABASE_URL": "postgres://portal:geheim@127.0.0.1:1/portal",
        "DJANGO_LOG_LEVEL": "CRITICAL",
    }
    result = subprocess.run(
        [sys.executable, "-c", DATABASE_DOWN],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert result.returncode == 0 and lines, result.stdout + result.stderr
    answers = json.loads(lines[-1].removeprefix("RESULT "))
    status, body = answers["ready"]
    assert status == 503
    assert body["stuck"] == ["database"]
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    for name in ("worker", "beat", "mail"):
        assert body["checks"][name] == {"ok": None, "skipped": "database not reachable"}
    # The answer names what is stuck, not where it lives or who logs in.
    assert "geheim" not in json.dumps(body) and "127.0.0.1" not in json.dumps(body)
    assert answers["alive"] == [200, {"status": "ok"}]


def test_heartbeat_check_command_for_the_beat_container():
    # docker-compose's health check of beat: the same rule as /readyz.
    with pytest.raises(CommandError, match="^beat has never recorded a heartbeat$"):
        call_command("heartbeat_check", "beat")
    seen("beat", 95)
    with pytest.raises(
        CommandError, match=r"^beat last recorded a heartbeat 9\d s ago \(limit 90 s\)$"
    ):
        call_command("heartbeat_check", "beat")
    seen("beat", 2)
    out = StringIO()
    call_command("heartbeat_check", "beat", stdout=out)
    assert out.getvalue() == "beat recorded a heartbeat 2 s ago\n"
