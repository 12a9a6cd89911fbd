"""Benchmark: does a newsletter go out at the rate it is set to, however many workers send it?

For each rate setting and each number of worker processes (each with its own pool, like
separate containers), with beat sweeping every second, one issue goes to a local SMTP sink;
the sink notes when each message arrives. Prints the measured rate next to the setting, the
busiest second, and the duplicate window a SIGKILL can still hit (the SMTP server's reply to the
message plus the commit that marks it sent, measured on this machine).

Needs PostgreSQL and Redis (as on the development machines and CI):

    .venv/bin/python bench/send_rate.py [--rates 10 25] [--workers 1 2 4] [--seconds 12]

It uses its own database (portal_bench_rate) and its own Redis database, and removes nothing
else.
"""

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_rate"
)
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/7")
QUEUE = "bench-rate"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database():
    name = DB_URL.rsplit("/", 1)[1]
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": DB_URL},
        check=True,
    )


def celery(args: list[str], env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "network_portal", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def measure(*, rate: float, workers: int, seconds: float, port: int) -> dict:
    from bench.smtp_sink import CountingSink
    from newsletter import services
    from newsletter.models import Issue, MailingList

    count = int(rate * seconds)
    issue = Issue.objects.create(subject=f"[bench] {rate}/s, {workers} workers", body="Hallo!")
    issue.lists.add(MailingList.objects.get(slug="bench"))
    sink = CountingSink(port, keep_times=count)
    env = {
        **os.environ,
        "NEWSLETTER_RATE_PER_SECOND": str(rate),
        "NEWSLETTER_PARALLEL_SENDERS": str(workers * 2),
        "MAIL_SWEEP_SECONDS": "1",
    }
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    processes = [
        celery(
            [
                "worker",
                "-Q",
                QUEUE,
                "-n",
                f"bench{n}@%h",
                "--concurrency=2",
                "--loglevel=WARNING",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            env,
            log,
        )
        for n in range(workers)
    ]
    schedule = tempfile.mkdtemp(prefix="bench-beat-")
    processes.append(
        celery(["beat", "--max-interval=1", "-s", f"{schedule}/s", "--loglevel=WARNING"], env, log)
    )
    try:
        time.sleep(4)  # start-up is not part of the send
        services.issue_send(issue=issue)
        deadline = time.monotonic() + seconds * 3 + 30
        while sink.count < count and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
        log.close()
    arrivals = sink.times()
    sink.stop()
    if len(arrivals) < count:
        raise SystemExit(f"only {len(arrivals)} of {count} messages arrived")
    measured = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    busiest = max(sum(1 for t in arrivals if s <= t < s + 1) for s in arrivals)
    return {"measured": measured, "busiest": busiest, "count": count}


def duplicate_window(port: int, rounds: int = 200) -> tuple[float, float]:
    """Median time of the SMTP server's answer to a message's data and of one commit (ms)."""
    from django.db import connection, transaction

    from bench.smtp_sink import CountingSink
    from network_portal.models import OutboxMail

    sink = CountingSink(port)
    row = OutboxMail.objects.create(
        key="bench:window",
        to="a@bench.example",
        from_email="n@bench.example",
        subject="x",
        body_text="x",
        language="de",
    )
    replies, commits = [], []
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.ehlo()
        for _ in range(rounds):
            smtp.mail("n@bench.example")
            smtp.rcpt("a@bench.example")
            smtp.putcmd("data")
            smtp.getreply()
            smtp.send(b"Subject: x\r\n\r\nHallo\r\n.\r\n")
            started = time.perf_counter()
            smtp.getreply()  # the server took the message: from here a kill means a duplicate
            replies.append(time.perf_counter() - started)
            started = time.perf_counter()
            with transaction.atomic():
                OutboxMail.objects.filter(pk=row.pk).update(attempts=1)
            commits.append(time.perf_counter() - started)
    sink.stop()
    row.delete()
    connection.close()
    return statistics.median(replies) * 1000, statistics.median(commits) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rates", type=float, nargs="+", default=[10, 25])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=float, default=12, help="length of each send")
    args = parser.parse_args()

    prepare_database()
    port = free_port()
    os.environ.update(
        DATABASE_URL=DB_URL,
        CELERY_BROKER_URL=BROKER,
        CELERY_TASK_DEFAULT_QUEUE=QUEUE,
        DJANGO_SETTINGS_MODULE="network_portal.settings",
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        MAIL_RATE_PER_SECOND="0",
    )
    import django

    django.setup()
    from newsletter.models import MailingList, Subscriber, Subscription

    most = int(max(args.rates) * args.seconds)
    mailing_list = MailingList.objects.create(
        name="Benchmark", slug="bench", kind=MailingList.Kind.PUBLIC
    )
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"leser{i:05d}@bench.example", last_name="Muster") for i in range(most)]
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=s, mailing_list=mailing_list, status="confirmed", source="b")
            for s in subscribers
        ]
    )
    print(f"{'setting':>10} {'workers':>8} {'senders':>8} {'measured':>10} {'busiest 1 s':>12}")
    for rate in args.rates:
        # Subscribers beyond this rate's count are taken off the list for this run.
        wanted = int(rate * args.seconds)
        Subscription.objects.filter(mailing_list=mailing_list).update(status="confirmed")
        Subscription.objects.filter(
            mailing_list=mailing_list, subscriber__email__gte=f"leser{wanted:05d}"
        ).update(status="unsubscribed")
        for workers in args.workers:
            result = measure(rate=rate, workers=workers, seconds=args.seconds, port=port)
            print(
                f"{rate:>8.1f}/s {workers:>8} {workers * 2:>8} {result['measured']:>8.2f}/s "
                f"{result['busiest']:>12}",
                flush=True,
            )
    reply_ms, commit_ms = duplicate_window(free_port())
    print()
    print(f"duplicate window on SIGKILL: SMTP reply {reply_ms:.2f} ms + commit {commit_ms:.2f} ms")
    print("(median on this machine against a local SMTP sink; a real relay answers in 10–1000 ms)")


if __name__ == "__main__":
    main()
