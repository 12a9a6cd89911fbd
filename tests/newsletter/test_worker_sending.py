"""Real Celery workers on Redis send an issue to a local SMTP server: every address once,
whatever happens to the workers and the broker; the rate holds however many senders run; a
refused message is retried after its back-off, not before."""

import signal
import time

import pytest

from network_portal.tasks import send_mail
from newsletter import services, tasks
from newsletter.models import Delivery, Issue, MailingList, Subscriber, Subscription
from tests.services import broker_loses_queue, celery_beat, celery_worker, wait_until
from tests.smtp_sink import SMTPSink

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Beat sweeps every second and a dead sender's slot frees itself after 3 s (in production:
# a minute and 90 s), so the tests need not wait minutes for what beat does.
QUICK_RECOVERY = {"MAIL_SWEEP_SECONDS": "1", "MAIL_SENDER_LEASE_SECONDS": "3"}


def issue_to(n: int) -> tuple[Issue, list[str]]:
    mailing_list = MailingList.objects.create(
        name="Öffentlicher Newsletter", slug="oeffentlich", kind=MailingList.Kind.PUBLIC
    )
    emails = [f"leser{i:03d}@trier-region.example" for i in range(n)]
    for email in emails:
        subscriber = Subscriber.objects.create(email=email, last_name="Leser", salutation="ms")
        Subscription.objects.create(
            subscriber=subscriber, mailing_list=mailing_list, status="confirmed", source="test"
        )
    issue = Issue.objects.create(subject="Neues aus dem Netzwerk", body="Hallo **Trier**!")
    issue.lists.add(mailing_list)
    return issue, emails


def test_worker_sends_an_issue_once_to_every_address(real_broker):
    issue, emails = issue_to(25)
    with (
        SMTPSink() as sink,
        celery_worker(
            email_url=sink.url, queue=real_broker, extra_env={"NEWSLETTER_RATE_PER_SECOND": "0"}
        ) as worker,
    ):
        services.issue_send(issue=issue)
        done = wait_until(lambda: len(sink.recipients()) >= len(emails))
        # More senders and beat's tasks change nothing.
        send_mail.delay(queue="newsletter", scope=issue.pk)
        tasks.dispatch.delay()
        time.sleep(2)
        got, log = sink.recipients(), worker.log()
    assert done, log
    assert sorted(got) == emails
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert Delivery.objects.filter(issue=issue, status="sent").count() == len(emails)


def test_worker_killed_mid_send_and_broker_emptied_nothing_lost_nothing_twice(real_broker):
    issue, emails = issue_to(40)
    # Throttled to 10 messages a second, the worker spends most of each 100 ms slot waiting,
    # its last delivery already marked sent. The kill lands 30 ms after the tenth message
    # reached the server: in the middle of the issue, between two messages. (The only moment
    # that cannot be made safe is between the server's "250 OK" and the commit that marks
    # the row sent; see README, "Reliability".)
    env = {
        "NEWSLETTER_RATE_PER_SECOND": "10",
        "NEWSLETTER_PARALLEL_SENDERS": "1",
        **QUICK_RECOVERY,
    }
    with SMTPSink() as sink:
        with celery_worker(email_url=sink.url, queue=real_broker, extra_env=env) as first:
            services.issue_send(issue=issue)
            reached = wait_until(lambda: len(sink.recipients()) >= 10, interval=0.002)
            assert reached, first.log()
            time.sleep(0.03)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        after_kill = len(sink.recipients())
        assert 10 <= after_kill < len(emails)
        assert Issue.objects.get(pk=issue.pk).status == Issue.Status.SENDING
        # Redis restarts empty: the task the dead worker held is gone, and with it every hint
        # that this issue is unfinished, except what the database says.
        broker_loses_queue(real_broker)

        with (
            celery_worker(email_url=sink.url, queue=real_broker, extra_env=env) as second,
            celery_beat(email_url=sink.url, queue=real_broker, extra_env=env) as beat,
        ):
            finished = wait_until(lambda: len(sink.recipients()) >= len(emails), timeout=60)
            wait_until(lambda: Issue.objects.get(pk=issue.pk).status == Issue.Status.SENT)
            time.sleep(1)
            got, log = sink.recipients(), second.log() + beat.log()
    assert finished, log
    assert sorted(got) == emails  # every address exactly once
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_worker_asked_to_stop_finishes_its_slice_in_time_and_sends_nothing_twice(real_broker):
    # 15 seconds of work at 10 messages a second: longer than a stop's grace period.
    issue, emails = issue_to(150)
    env = {
        "NEWSLETTER_RATE_PER_SECOND": "10",
        "NEWSLETTER_PARALLEL_SENDERS": "1",
        **QUICK_RECOVERY,
    }
    with SMTPSink() as sink:
        with celery_worker(email_url=sink.url, queue=real_broker, extra_env=env) as first:
            services.issue_send(issue=issue)
            assert wait_until(lambda: len(sink.recipients()) >= 15), first.log()
            stop_asked = time.monotonic()
            first.send_signal(signal.SIGTERM)  # docker stop, a deploy: 10 s until SIGKILL
            first.wait(timeout=30)
            stopped_after = time.monotonic() - stop_asked
            log = first.log()
        after_stop = len(sink.recipients())
        # The running slice (5 s at most) was finished, not cut off.
        assert stopped_after < 8, log
        assert after_stop < len(emails)
        assert sorted(sink.recipients()) == emails[:after_stop]

        with (
            celery_worker(email_url=sink.url, queue=real_broker, extra_env=env) as second,
            celery_beat(email_url=sink.url, queue=real_broker, extra_env=env),
        ):
            finished = wait_until(lambda: len(sink.recipients()) >= len(emails), timeout=60)
            time.sleep(1)
            got, log = sink.recipients(), second.log()
    assert finished, log
    assert sorted(got) == emails


def test_the_rate_holds_with_four_worker_processes_and_beat(real_broker):
    rate = 10
    issue, emails = issue_to(160)
    # Two senders for the issue, but four worker processes that could run more: beat and
    # repeated dispatches must not start senders beyond the two, nor raise the rate.
    env = {
        "NEWSLETTER_RATE_PER_SECOND": str(rate),
        "NEWSLETTER_PARALLEL_SENDERS": "2",
        **QUICK_RECOVERY,
    }
    with SMTPSink() as sink:
        workers = [
            celery_worker(
                email_url=sink.url,
                queue=real_broker,
                extra_env=env,
                hostname=f"w{n}",
                processes=2,
            )
            for n in range(2)
        ]
        started = [worker.__enter__() for worker in workers]
        try:
            with celery_beat(email_url=sink.url, queue=real_broker, extra_env=env):
                services.issue_send(issue=issue)
                # Beat sweeps every second; its newsletter dispatch (every minute in
                # production) runs here every two seconds as well.
                deadline = time.monotonic() + 60
                while len(sink.recipients()) < len(emails) and time.monotonic() < deadline:
                    tasks.dispatch.delay()
                    time.sleep(2)
                finished = len(sink.recipients()) >= len(emails)
                time.sleep(1)
        finally:
            for worker in reversed(workers):
                worker.__exit__(None, None, None)
        arrivals = sink.accepted_at()
        got = sink.recipients()
    assert finished, started[0].log()
    assert sorted(got) == emails
    measured = (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])
    assert rate * 0.9 <= measured <= rate * 1.1, measured
    # Not just on average: the slots are a tenth of a second apart, so a second holds at most
    # the rate, plus one at its edge and one that a message sent late pushed into it.
    busiest = max(sum(1 for t in arrivals if start <= t < start + 1) for start in arrivals)
    assert busiest <= rate + 2, busiest


def test_refused_messages_are_retried_after_their_back_off_not_before(real_broker):
    issue, emails = issue_to(80)
    greylisted = set(emails[::10])  # every tenth address is refused at the first try

    def refuse(recipient, offered_before):
        return recipient in greylisted and offered_before == 0

    back_off = 3
    env = {
        "NEWSLETTER_RATE_PER_SECOND": "40",
        "NEWSLETTER_PARALLEL_SENDERS": "2",
        "MAIL_RETRY_BASE_SECONDS": str(back_off),
        **QUICK_RECOVERY,
    }
    with (
        SMTPSink(refuse=refuse) as sink,
        celery_worker(email_url=sink.url, queue=real_broker, extra_env=env, hostname="w1") as one,
        celery_worker(email_url=sink.url, queue=real_broker, extra_env=env, hostname="w2"),
        celery_beat(email_url=sink.url, queue=real_broker, extra_env=env),
    ):
        services.issue_send(issue=issue)
        finished = wait_until(lambda: len(sink.recipients()) >= len(emails), timeout=60)
        time.sleep(1)
        events, got, log = sink.events(), sink.recipients(), one.log()
    assert finished, log
    assert sorted(got) == emails
    for address in greylisted:
        (refused_at, accepted_at) = [at for at, rcpt, _ok in events if rcpt == address]
        assert accepted_at - refused_at >= back_off - 0.05, (address, accepted_at - refused_at)
    delivery = Delivery.objects.get(issue=issue, email=sorted(greylisted)[0])
    assert (delivery.status, delivery.attempts) == ("sent", 2)
