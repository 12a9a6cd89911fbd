"""The newsletter's fast path: rows leased in batches by one statement, the message built once
per issue and language and only its personal parts filled in per recipient, byte for byte
what the per-recipient build sends; two senders never lease the same row."""

import re
import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network_portal import sending
from newsletter import delivery, rendering
from newsletter.models import Delivery, Issue, IssueAttachment, Subscriber
from tests.newsletter.factories import IssueFactory, MailingListFactory, SubscriptionFactory
from tests.smtp_sink import SMTPSink

SITE = "https://portal.example.org"


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.SITE_URL = SITE
    settings.NEWSLETTER_FROM_EMAIL = "Netzwerk Trier <newsletter@portal.example.org>"
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = "abmelden@portal.example.org"
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    settings.MAIL_RATE_PER_SECOND = 0


def deliveries_for(issue, people) -> list[Delivery]:
    mailing_list = MailingListFactory()
    issue.lists.add(mailing_list)
    rows = []
    for email, extra in people:
        subscription = SubscriptionFactory(
            mailing_list=mailing_list, subscriber__email=email, **extra
        )
        rows.append(
            Delivery.objects.create(issue=issue, subscriber=subscription.subscriber, email=email)
        )
    return rows


PEOPLE = [
    ("petra.mueller@moselblick.example", {"subscriber__last_name": "Müller"}),
    (
        "hans@weinbau-trier.example",
        {"subscriber__salutation": Subscriber.Salutation.MR, "subscriber__title": "Dr."},
    ),
    ("anna@example.org", {"subscriber__salutation": "", "subscriber__language": "en"}),
    ("lea@example.org", {"subscriber__language": "en", "subscriber__last_name": "O'Brien & Co"}),
]

BOUNDARY = re.compile(rb'boundary="([^"]+)"')
DATE = re.compile(rb"\r\nDate: [^\r]+\r\n")


@pytest.mark.django_db
def test_the_fast_message_is_byte_for_byte_the_per_recipient_build():
    issue = IssueFactory(subject="Einladung zum Sommerfest – Trier", body="Hallo **Trier**!\n")
    IssueAttachment.objects.create(
        issue=issue,
        file=ContentFile(b"%PDF-1.4 programm", name="programm.pdf"),
        filename="programm.pdf",
        content_type="application/pdf",
    )
    rows = deliveries_for(issue, PEOPLE)
    run = sending.SendRun()
    for row in Delivery.objects.filter(pk__in=[r.pk for r in rows]).select_related("subscriber"):
        fast = delivery._raw_message(row, run)
        slow = sending.raw_message(delivery._message(row, sending.SendRun()))
        assert (fast.from_email, fast.recipients) == (slow.from_email, slow.recipients)
        # The MIME boundary is random per build and the Date the moment of sending: the rest
        # must be the same bytes.
        data = slow.data
        for old, new in zip(BOUNDARY.findall(slow.data), BOUNDARY.findall(fast.data), strict=True):
            data = data.replace(old, new)
        date = DATE.search(fast.data)[0]
        assert DATE.sub(date, data) == fast.data, row.email
        assert row.email.encode() in fast.data
        assert (
            sending.message_id(queue_name="newsletter", row=row, from_email=issue_from()).encode()
            in fast.data
        )
    # Built once per language for the four recipients.
    assert sorted(key[2] for key in run.cache if key[0] == "newsletter-template") == ["de", "en"]


def issue_from():
    from django.conf import settings

    return settings.NEWSLETTER_FROM_EMAIL


@pytest.mark.django_db
def test_a_value_that_would_change_the_encoding_is_built_the_slow_way():
    # Django sends a part with a line over 998 bytes quoted-printable: a personal value that
    # would make a line that long is not filled into the 8-bit template; that mail is built in
    # full instead.
    issue = IssueFactory(body="Hallo!\n")
    (row,) = deliveries_for(issue, [("lang@example.org", {})])
    template = rendering.issue_template(
        issue, language="de", attachments=[], message_id="<x@example.org>"
    )
    body, header = rendering.personal_parts(row.subscriber)

    def fill(salutation):
        return template.personalise(
            to=row.email,
            message_id="<x@example.org>",
            body={**body, "salutation": salutation},
            list_unsubscribe=header,
        )

    assert fill("Sehr geehrte Frau Lang,") is not None
    assert fill("X" * 990) is None
    too_long = ({**body, "salutation": "X" * 990}, header)
    with (
        mock.patch.object(rendering, "personal_parts", return_value=too_long),
        mock.patch.object(delivery, "_message", wraps=delivery._message) as slow,
    ):
        message = delivery._raw_message(row, sending.SendRun())
    assert slow.call_count == 1
    assert b"lang@example.org" in message.data


@pytest.mark.django_db
def test_a_batch_lease_takes_due_rows_only_and_a_dead_senders_rows_come_back():
    issue = IssueFactory()
    rows = deliveries_for(issue, [(f"l{n}@example.org", {}) for n in range(6)])
    now = timezone.now()
    Delivery.objects.filter(pk=rows[1].pk).update(next_attempt_at=now + timedelta(minutes=5))
    Delivery.objects.filter(pk=rows[2].pk).update(next_attempt_at=now - timedelta(minutes=1))
    Delivery.objects.filter(pk=rows[3].pk).update(status="sent")
    Delivery.objects.filter(pk=rows[4].pk).update(status="failed")
    queue = sending.get_queue(delivery.QUEUE)

    leased = sending.lease_batch(queue, scope=issue.pk, size=10)

    assert [item.row.pk for item in leased] == [rows[0].pk, rows[2].pk, rows[5].pk]
    # Leased rows are nobody else's to send …
    assert sending.lease_batch(queue, scope=issue.pk, size=10) == []
    assert not sending.due_rows(queue, scope=issue.pk).exists()
    # … until the lease of a sender that died with them has run out.
    later = now + timedelta(seconds=sending._lease_seconds() + 5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        again = sending.lease_batch(queue, scope=issue.pk, size=10)
    assert [item.row.pk for item in again] == [rows[0].pk, rows[2].pk, rows[5].pk]


@pytest.mark.django_db(transaction=True)
def test_two_senders_never_lease_the_same_row():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent senders need PostgreSQL")
    issue = IssueFactory()
    rows = deliveries_for(issue, [(f"l{n:03d}@example.org", {}) for n in range(120)])
    queue = sending.get_queue(delivery.QUEUE)
    claims: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def sender(n):
        try:
            start.wait()
            while batch := sending.lease_batch(queue, scope=issue.pk, size=7):
                claims[n].extend(item.row.pk for item in batch)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sender, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    every = claims[0] + claims[1]
    assert len(every) == len(rows)  # claims == rows: nobody skipped or took a row twice
    assert sorted(every) == sorted(row.pk for row in rows)


@pytest.fixture
def smtp(settings):
    with SMTPSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield sink


@pytest.mark.django_db
def test_over_smtp_the_message_is_built_once_per_issue_and_language(smtp):
    issue = IssueFactory(subject="Neues aus dem Netzwerk")
    people = [(f"de{n}@example.org", {}) for n in range(4)]
    people += [(f"en{n}@example.org", {"subscriber__language": "en"}) for n in range(3)]
    deliveries_for(issue, people)

    with mock.patch.object(rendering, "issue_template", wraps=rendering.issue_template) as builds:
        result = sending.drain(sending.get_queue(delivery.QUEUE), scope=issue.pk)

    assert result.sent == 7
    assert sorted(smtp.recipients()) == sorted(email for email, _extra in people)
    assert sorted(call.kwargs["language"] for call in builds.call_args_list) == ["de", "en"]
    assert Delivery.objects.filter(issue=issue, status="sent", attempts=1).count() == 7
    assert Issue.objects.get(pk=issue.pk).pk == issue.pk


@pytest.mark.django_db
def test_per_batch_only_the_sent_marks_grow_with_the_batch(smtp, monkeypatch):
    """A batch costs a constant number of queries (lease, rows, what is not sent) plus one
    UPDATE per accepted message: the mark written right after the server took it, so that a
    killed worker sends at most that one message twice."""
    queue = sending.get_queue(delivery.QUEUE)
    counts = {}
    for size in (5, 20):
        issue = IssueFactory()
        deliveries_for(issue, [(f"s{size}-{n}@example.org", {}) for n in range(size)])
        monkeypatch.setattr(sending, "BATCH_SIZE", size)
        sending.drain(queue, scope=issue.pk, limit=1)  # warm: templates, first connection
        with CaptureQueriesContext(connection) as queries:
            result = sending.drain(queue, scope=issue.pk)
        assert result.sent == size - 1
        marks = [
            q for q in queries.captured_queries if "'sent'" in q["sql"] and "UPDATE" in q["sql"]
        ]
        assert len(marks) == result.sent
        counts[size] = len(queries.captured_queries) - len(marks)
    assert counts[5] == counts[20], counts
