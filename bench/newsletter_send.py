"""Benchmark: one newsletter issue to N recipients (default 10,000) with the real worker.

Prints messages per second for the portal (issue_send → Celery worker on Redis → the
senders lease deliveries in batches, send each over one SMTP connection and mark it sent in
PostgreSQL) and for plain smtplib sending the same, already rendered mails to the same local
SMTP sink (once serialising each MIME message in the loop, as a sender using smtplib would,
and once from bytes serialised beforehand: SMTP alone), and the ratios.

Needs PostgreSQL and Redis (as on the development machines and CI):

    .venv/bin/python bench/newsletter_send.py [--count 10000] [--json]

From another script (e.g. bench/load.py): run it as a subprocess with ``--json`` and read the
last line of its output (``count``, ``portal_rate``, ``plain_rate``, ``bytes_rate``,
``ratio``, ``ratio_bytes``, the seconds of each), or call ``measure(count=...)`` in a process
that has not set up Django yet; ``report(figures)`` formats them.

It uses its own database (portal_bench) and its own Celery queue, and removes nothing else.
"""

import argparse
import json
import os
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/5")
QUEUE = "bench-newsletter"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database():
    name = DB_URL.rsplit("/", 1)[1]
    # Fails harmlessly when the database exists already.
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], capture_output=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": DB_URL},
        check=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument(
        "--json", action="store_true", help="print the figures as one JSON object, last line"
    )
    args = parser.parse_args()
    figures = measure(count=args.count)
    print()
    print(json.dumps(figures) if args.json else report(figures))


def report(figures: dict) -> str:
    """The figures as the bench prints them (also used by ``bench/load.py``)."""
    return "\n".join(
        [
            f"recipients               {figures['count']}",
            f"portal (worker, senders) {figures['portal_rate']:8.1f} messages/s"
            f"  ({figures['portal_seconds']:.1f} s)",
            f"plain smtplib            {figures['plain_rate']:8.1f} messages/s"
            f"  ({figures['plain_seconds']:.1f} s; serialising each MIME message)",
            f"plain smtplib, bytes     {figures['bytes_rate']:8.1f} messages/s"
            f"  ({figures['bytes_seconds']:.1f} s; serialised beforehand: SMTP alone)",
            f"ratio portal / smtplib   {figures['ratio']:8.2f}   (target ≥ 0.8)",
            f"ratio portal / bytes     {figures['ratio_bytes']:8.2f}",
        ]
    )


def measure(*, count: int = 2000) -> dict:
    """Send one issue to ``count`` recipients through the real worker, then the same mails with
    plain smtplib to the same sink; returns rates and ratios. Sets up Django itself (call it
    before anything else set up Django in the process, or in a subprocess)."""
    prepare_database()
    os.environ.update(
        DATABASE_URL=DB_URL,
        CELERY_BROKER_URL=BROKER,
        CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        DJANGO_SETTINGS_MODULE="network_portal.settings",
        NEWSLETTER_RATE_PER_SECOND="0",
        MAIL_RATE_PER_SECOND="0",
    )
    port = free_port()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"

    import django

    django.setup()
    from bench.smtp_sink import CountingSink
    from newsletter import rendering, services
    from newsletter.models import Issue, MailingList, Subscriber, Subscription

    print(f"Seeding {count} recipients …", flush=True)
    Issue.objects.filter(subject__startswith="[bench]").delete()
    Subscriber.objects.filter(email__endswith="@bench.example").delete()
    mailing_list, _ = MailingList.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmark", "kind": MailingList.Kind.PUBLIC}
    )
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"leser{i:05d}@bench.example",
                salutation="ms",
                title="Dr." if i % 3 else "",
                last_name=f"Muster{i}",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber=s, mailing_list=mailing_list, status="confirmed", source="bench"
            )
            for s in subscribers
        ],
        batch_size=2000,
    )
    body = (
        "## Neues aus dem Netzwerk\n\nDas nächste **Netzwerktreffen** findet bei der "
        "Moselblick Pflege GmbH statt. [Jetzt anmelden](https://portal.example/meetings/)\n\n"
        "- Weiterbildung\n- Mitarbeiterbindung\n- Sprachkurse für internationale Fachkräfte\n"
    ) * 3
    issue = Issue.objects.create(subject="[bench] Neues aus dem Netzwerk", body=body)
    issue.lists.add(mailing_list)

    sink = CountingSink(port)
    worker = subprocess.Popen(
        # As deployed: the default prefork pool, one process per core.
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "network_portal",
            "worker",
            "-Q",
            QUEUE,
            "--loglevel=WARNING",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        time.sleep(3)  # worker start-up is not part of the send
        print("Portal: issue_send → worker → SMTP sink …", flush=True)
        started = time.perf_counter()
        services.issue_send(issue=issue)
        while sink.count < count:
            time.sleep(0.05)
            if worker.poll() is not None:
                raise SystemExit("worker died")
        portal_seconds = time.perf_counter() - started
    finally:
        worker.terminate()
        worker.wait(20)

    # The same mails, rendered beforehand (rendering is part of the portal's work above).
    print("Plain smtplib: the same mails over one connection …", flush=True)
    messages = [
        rendering.issue_message(issue, s, attachments=[]).message()
        for s in Subscriber.objects.filter(email__endswith="@bench.example").order_by("pk")
    ]

    def smtplib_send(payloads) -> float:
        sink.reset()
        started = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for message, to in zip(payloads, recipients, strict=True):
                data = message if isinstance(message, bytes) else message.as_bytes(linesep="\r\n")
                smtp.sendmail(sender, [to], data)
        while sink.count < count:
            time.sleep(0.01)
        return time.perf_counter() - started

    sender = messages[0]["From"]
    recipients = [str(message["To"]) for message in messages]
    plain_seconds = smtplib_send(messages)
    serialised = [message.as_bytes(linesep="\r\n") for message in messages]
    bytes_seconds = smtplib_send(serialised)
    sink.stop()

    portal_rate = count / portal_seconds
    plain_rate = count / plain_seconds
    bytes_rate = count / bytes_seconds
    return {
        "count": count,
        "portal_seconds": portal_seconds,
        "portal_rate": portal_rate,
        "plain_seconds": plain_seconds,
        "plain_rate": plain_rate,
        "bytes_seconds": bytes_seconds,
        "bytes_rate": bytes_rate,
        "ratio": portal_rate / plain_rate,
        "ratio_bytes": portal_rate / bytes_rate,
    }


if __name__ == "__main__":
    main()
