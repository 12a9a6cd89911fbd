"""Real Celery workers on Redis deliver the invitations of a published meeting to a local SMTP
server: exactly one mail per eligible contact, also when the worker dies in the middle and the
broker comes back empty."""

import signal
import time

import pytest

from meetings import services
from meetings.models import Meeting
from network_portal.models import OutboxMail
from network_portal.tasks import send_mail
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory
from tests.services import broker_loses_queue, celery_beat, celery_worker, wait_until
from tests.smtp_sink import SMTPSink

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def contacts_of_companies(companies: int, per_company: int) -> list[str]:
    eligible = []
    for n in range(companies):
        company = CompanyFactory(name=f"Moselbetrieb {n}", slug=f"moselbetrieb-{n}")
        eligible += [
            ContactPersonFactory(company=company, email=f"p{k}-{n}@moselbetrieb.example").email
            for k in range(per_company)
        ]
        ContactPersonFactory(
            company=company, email=f"nein{n}@moselbetrieb.example", wants_meeting_invitations=False
        )
    ContactPersonFactory(company=CompanyFactory(status="left"), email="weg@example.org")
    return eligible


def test_worker_delivers_one_invitation_per_eligible_contact(real_broker):
    eligible = contacts_of_companies(6, 2)
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)

    with SMTPSink() as sink, celery_worker(email_url=sink.url, queue=real_broker) as worker:
        services.meeting_publish(meeting=meeting)  # commits; the senders' tasks go to Redis
        delivered = wait_until(lambda: len(sink.recipients()) >= len(eligible))
        # More senders started later (a retry, beat) send nothing more.
        send_mail.delay(queue="outbox")
        time.sleep(3)
        got = sink.recipients()
        log = worker.log()
    assert delivered, log
    assert sorted(got) == sorted(eligible)
    subjects = {str(message["Subject"]).strip() for _, message in sink.handler.messages}
    assert len(subjects) == 1 and subjects.pop().startswith("[Attraktive Unternehmen Trier] ")


def test_invitations_survive_a_killed_worker_and_an_emptied_broker(real_broker):
    eligible = contacts_of_companies(10, 4)
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    # Ten mails a second through one sender: the kill 30 ms after the tenth invitation reached
    # the server lands while the sender waits for its next slot (README, "Reliability").
    env = {
        "MAIL_RATE_PER_SECOND": "10",
        "MAIL_PARALLEL_SENDERS": "1",
        "MAIL_SWEEP_SECONDS": "1",
        "MAIL_SENDER_LEASE_SECONDS": "3",
    }
    with SMTPSink() as sink:
        with celery_worker(email_url=sink.url, queue=real_broker, extra_env=env) as first:
            services.meeting_publish(meeting=meeting)
            # Every invitation exists the moment the meeting is published.
            assert OutboxMail.objects.filter(key__contains=":invitation:").count() == len(eligible)
            assert wait_until(lambda: len(sink.recipients()) >= 10, interval=0.002), first.log()
            time.sleep(0.03)
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        after_kill = len(sink.recipients())
        assert 10 <= after_kill < len(eligible)
        broker_loses_queue(real_broker)  # Redis restarted without persistence

        started = time.monotonic()
        with (
            celery_worker(email_url=sink.url, queue=real_broker, extra_env=env) as second,
            celery_beat(email_url=sink.url, queue=real_broker, extra_env=env) as beat,
        ):
            finished = wait_until(lambda: len(sink.recipients()) >= len(eligible), timeout=60)
            took = time.monotonic() - started
            time.sleep(1)
            got, log = sink.recipients(), second.log() + beat.log()
    assert finished, log
    assert sorted(got) == sorted(eligible)  # every contact exactly once
    # No broker visibility timeout (10 minutes) was waited for: the sweep found the rest.
    assert took < 30, took
