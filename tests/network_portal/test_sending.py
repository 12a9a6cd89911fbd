"""The one sender's bookkeeping: bounded senders, slices that hand over, the sweep."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from network_portal import sending
from network_portal.mail import mail_enqueue
from network_portal.models import OutboxMail
from network_portal.tasks import sweep_mail

pytestmark = pytest.mark.django_db


def enqueue(n: int) -> None:
    for i in range(n):
        mail_enqueue(
            key=f"test:{i}",
            to=f"kontakt{i}@moselblick.example",
            template="members/emails/company_approved",
            context={"company_name": "Moselblick Pflege GmbH", "profile_url": "http://x/p/"},
            language="de",
            send=False,
        )


def test_a_queue_has_only_as_many_senders_as_it_has_slots(settings):
    settings.MAIL_PARALLEL_SENDERS = 2
    enqueue(1)
    first, second, third = (sending.Lease(name="outbox", slots=2) for _ in range(3))
    assert first.acquire() and second.acquire()
    assert not third.acquire()
    # A sender started now finds no slot and ends without sending.
    assert sending.run_sender("outbox") is None
    assert mail.outbox == []

    second.release()
    assert sending.run_sender("outbox").sent == 1


def test_a_dead_senders_slot_frees_itself_after_the_lease(settings):
    settings.MAIL_SENDER_LEASE_SECONDS = 90
    dead = sending.Lease(name="outbox", slots=1)
    assert dead.acquire()  # and then the worker was killed: no release
    assert not sending.Lease(name="outbox", slots=1).acquire()
    later = timezone.now() + timedelta(seconds=91)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert sending.Lease(name="outbox", slots=1).acquire()
        assert not dead.renew(force=True)  # the dead one cannot take it back


def test_a_sender_hands_over_to_a_new_task_after_its_slice(settings):
    settings.MAIL_SENDER_SLICE_SECONDS = 0  # one mail per slice
    enqueue(3)

    result = sending.run_sender("outbox")

    assert (result.sent, result.more) == (1, True)
    assert OutboxMail.objects.filter(status="pending").count() == 2
    # The next slices run as new tasks after commit; together they send the rest once.
    with TestCase.captureOnCommitCallbacks(execute=True) as handed_over:
        sending.run_sender("outbox")
    assert len(handed_over) >= 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        f"kontakt{i}@moselblick.example" for i in range(3)
    ]


def test_the_sweep_starts_senders_only_for_free_slots_where_mail_is_due(settings):
    settings.MAIL_PARALLEL_SENDERS = 2
    assert sweep_mail() == 0  # nothing due, nobody started

    enqueue(2)
    busy = sending.Lease(name="outbox", slots=2)
    assert busy.acquire()
    with TestCase.captureOnCommitCallbacks(execute=False) as started:
        assert sweep_mail() == 1
    assert len(started) == 1


def test_mail_backlog_says_per_queue_how_long_due_mail_has_waited():
    nothing = {"due": 0, "oldest_due_seconds": None, "last_sent_seconds": None}
    assert sending.mail_backlog() == {
        "due": 0,
        "queues": {"outbox": nothing, "newsletter": nothing},
    }
    enqueue(2)
    OutboxMail.objects.filter(key="test:0").update(
        created_at=timezone.now() - timedelta(minutes=25)
    )
    OutboxMail.objects.filter(key="test:1").update(
        status="sent", sent_at=timezone.now() - timedelta(minutes=30)
    )
    backlog = sending.mail_backlog()
    assert backlog["due"] == 1
    outbox = backlog["queues"]["outbox"]
    assert 25 * 60 <= outbox["oldest_due_seconds"] < 26 * 60
    assert 30 * 60 <= outbox["last_sent_seconds"] < 31 * 60
    assert backlog["queues"]["newsletter"] == nothing
