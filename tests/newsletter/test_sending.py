"""Sending an issue: one delivery per address, only to confirmed and unsuppressed addresses,
once and only once, with the RFC 8058 headers, a personal salutation, sanitised HTML, retries
on temporary SMTP errors, scheduling and throttling."""

import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail.backends import locmem
from django.test import TestCase
from django.utils import timezone

from network_portal import sending
from network_portal.signing import read_token
from network_portal.tasks import sweep_mail
from newsletter import delivery, rendering, selectors, services, tasks
from newsletter.models import Delivery, Issue, IssueAttachment, Subscription
from tests.newsletter.factories import (
    IssueFactory,
    MailingListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.org"


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.SITE_URL = SITE
    settings.NEWSLETTER_FROM_EMAIL = "newsletter@portal.example.org"
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = "abmelden@portal.example.org"
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    settings.NEWSLETTER_MAX_ATTEMPTS = 3


@pytest.fixture
def newsletter_list():
    return MailingListFactory(name="Newsletter", slug="newsletter")


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send ``issue`` now (or at ``at``); the send task runs after commit."""

    def send(issue, at=None):
        with django_capture_on_commit_callbacks(execute=True):
            services.issue_send(issue=issue, at=at)
        issue.refresh_from_db()
        return issue

    return send


def subscribe(mailing_list, email, **kwargs):
    return SubscriptionFactory(mailing_list=mailing_list, subscriber__email=email, **kwargs)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def html_part(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


def beat_sweep():
    """What beat does every minute: start senders wherever mail is due."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        sweep_mail()


def later_than(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment + timedelta(seconds=1))


def test_someone_on_two_lists_gets_one_copy(newsletter_list, send):
    christmas = MailingListFactory(name="Weihnachtsempfang", slug="weihnachtsempfang")
    both = subscribe(newsletter_list, "beide@moselblick-pflege.example")
    SubscriptionFactory(mailing_list=christmas, subscriber=both.subscriber)
    subscribe(newsletter_list, "nur-newsletter@example.org")
    subscribe(christmas, "nur-empfang@example.org")
    issue = IssueFactory(lists=[newsletter_list, christmas])

    issue = send(issue)

    assert recipients() == [
        "beide@moselblick-pflege.example",
        "nur-empfang@example.org",
        "nur-newsletter@example.org",
    ]
    assert sorted(issue.deliveries.values_list("email", "status")) == [
        ("beide@moselblick-pflege.example", "sent"),
        ("nur-empfang@example.org", "sent"),
        ("nur-newsletter@example.org", "sent"),
    ]
    assert issue.status == Issue.Status.SENT
    assert issue.sent_at is not None


def test_unconfirmed_unsubscribed_and_hard_bounced_addresses_get_nothing(newsletter_list, send):
    subscribe(newsletter_list, "bestaetigt@example.org")
    subscribe(newsletter_list, "unbestaetigt@example.org", status=Subscription.Status.PENDING)
    leaving = subscribe(newsletter_list, "abgemeldet@example.org")
    services.unsubscribe_all(subscriber=leaving.subscriber, form="unsubscribe-link")
    subscribe(newsletter_list, "gibt-es-nicht@example.org")
    services.bounce_record(
        email="Gibt-es-nicht@example.org", kind="hard", diagnostic="550 5.1.1", source="test"
    )
    issue = IssueFactory(lists=[newsletter_list])

    issue = send(issue)

    assert recipients() == ["bestaetigt@example.org"]
    assert list(issue.deliveries.values_list("email", flat=True)) == ["bestaetigt@example.org"]
    assert issue.status == Issue.Status.SENT


def test_running_the_senders_again_sends_nothing_twice(newsletter_list, send):
    for n in range(4):
        subscribe(newsletter_list, f"leser{n}@example.org")
    issue = IssueFactory(lists=[newsletter_list])
    issue = send(issue)
    assert len(mail.outbox) == 4

    beat_sweep()
    tasks.dispatch()
    # Even if the issue were still marked as sending (a worker died before finishing it),
    # a new sender finds every delivery sent.
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    sending.run_sender(delivery.QUEUE, scope=issue.pk)
    beat_sweep()
    tasks.dispatch()

    assert recipients() == [f"leser{n}@example.org" for n in range(4)]
    assert issue.deliveries.count() == 4
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_every_delivery_is_written_when_the_send_starts(newsletter_list):
    for n in range(3):
        subscribe(newsletter_list, f"leser{n}@example.org")
    issue = IssueFactory(lists=[newsletter_list])

    services.issue_send(issue=issue)  # no task runs: the worker is down, the broker empty

    assert sorted(issue.deliveries.values_list("email", "status")) == [
        (f"leser{n}@example.org", "pending") for n in range(3)
    ]


def test_a_send_started_without_deliveries_is_resumed_by_beat(newsletter_list):
    # As the release before this one left it: sending, its deliveries to be written by a task
    # that the upgrade dropped.
    for n in range(2):
        subscribe(newsletter_list, f"leser{n}@example.org")
    issue = IssueFactory(lists=[newsletter_list], status=Issue.Status.SENDING)

    with TestCase.captureOnCommitCallbacks(execute=True):
        tasks.dispatch()

    assert recipients() == ["leser0@example.org", "leser1@example.org"]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_send_interrupted_after_two_mails_is_finished_by_the_sweep(
    newsletter_list, django_capture_on_commit_callbacks
):
    for n in range(5):
        subscribe(newsletter_list, f"leser{n}@example.org")
    issue = IssueFactory(lists=[newsletter_list])
    with django_capture_on_commit_callbacks(execute=False):
        services.issue_send(issue=issue)  # the senders never start: the task was lost
    sending.drain(sending.get_queue(delivery.QUEUE), scope=issue.pk, limit=2)
    assert len(mail.outbox) == 2

    beat_sweep()
    beat_sweep()

    assert recipients() == [f"leser{n}@example.org" for n in range(5)]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_headers_and_parts_of_a_sent_mail(newsletter_list, send):
    subscription = subscribe(newsletter_list, "petra.mueller@moselblick-pflege.example")
    issue = IssueFactory(lists=[newsletter_list], subject="Einladung zum Weihnachtsempfang")

    send(issue)

    (message,) = mail.outbox
    mime = message.message()
    assert mime["Subject"] == "Einladung zum Weihnachtsempfang"
    assert mime["From"] == "newsletter@portal.example.org"
    assert mime["To"] == "petra.mueller@moselblick-pflege.example"
    assert mime["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    match = re.fullmatch(
        r"<https://portal\.example\.org/newsletter/unsubscribe/([^/>]+)/>, "
        r"<mailto:abmelden@portal\.example\.org\?subject=unsubscribe%20([^>]+)>",
        mime["List-Unsubscribe"],
    )
    assert match, mime["List-Unsubscribe"]
    assert match[1] == match[2]
    payload = read_token(
        purpose=rendering.UNSUBSCRIBE_PURPOSE, token=match[1], max_age_seconds=3600
    )
    assert payload == {"s": subscription.subscriber.pk}
    assert mime.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in mime.get_payload()] == ["text/plain", "text/html"]
    # In the sender's domain, not the machine's host name (a container id under Docker).
    delivery = subscription.subscriber.deliveries.get()
    assert re.fullmatch(
        rf"<\d{{14}}\.newsletter\.{delivery.pk}\.[0-9a-f]{{16}}@portal\.example\.org>",
        mime["Message-ID"],
    )


def test_attachments_go_with_every_mail(newsletter_list, send):
    subscribe(newsletter_list, "leser@example.org")
    issue = IssueFactory(lists=[newsletter_list])
    IssueAttachment.objects.create(
        issue=issue,
        file=ContentFile(b"%PDF-1.4 Einladung", name="einladung.pdf"),
        filename="Einladung.pdf",
        content_type="application/pdf",
    )

    send(issue)

    (message,) = mail.outbox
    assert message.attachments == [("Einladung.pdf", b"%PDF-1.4 Einladung", "application/pdf")]
    assert message.message()["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize(
    ("salutation", "title", "last_name", "expected"),
    [
        ("ms", "Dr.", "Müller", "Sehr geehrte Frau Dr. Müller,"),
        ("mr", "", "Becker", "Sehr geehrter Herr Becker,"),
        ("mr", "Prof. Dr.", "Weber", "Sehr geehrter Herr Prof. Dr. Weber,"),
        ("", "", "Becker", "Guten Tag,"),
        ("ms", "", "", "Guten Tag,"),
    ],
)
def test_personal_german_salutation(newsletter_list, send, salutation, title, last_name, expected):
    subscriber = SubscriberFactory(
        email="empfaenger@example.org",
        salutation=salutation,
        title=title,
        first_name="Petra",
        last_name=last_name,
        language="de",
    )
    SubscriptionFactory(subscriber=subscriber, mailing_list=newsletter_list)
    issue = IssueFactory(lists=[newsletter_list], preheader="", body="Der Text.")

    send(issue)

    (message,) = mail.outbox
    assert message.body.splitlines()[0] == expected
    assert f'<p style="margin:0 0 14px;">{expected}</p>' in html_part(message)


def test_footer_has_unsubscribe_and_preference_links_and_the_imprint(newsletter_list, send):
    subscription = subscribe(newsletter_list, "leser@example.org")
    issue = IssueFactory(lists=[newsletter_list])

    send(issue)

    (message,) = mail.outbox
    links = rendering.subscriber_links(subscription.subscriber)
    html = html_part(message)
    unsubscribe = f"{SITE}/newsletter/unsubscribe/"
    preferences = f"{SITE}/newsletter/preferences/"
    assert links["unsubscribe_url"].startswith(unsubscribe)
    assert links["preferences_url"].startswith(preferences)
    text_footer = message.body.split("\n-- \n", 1)[1]
    for part in (text_footer, html):
        assert unsubscribe in part
        assert preferences in part
        assert f"{SITE}/impressum/" in part
    assert f'<a href="{SITE}/impressum/"' in html
    assert "Abmelden" in html
    assert "Impressum" in html


def test_html_part_is_sanitised(newsletter_list, send):
    subscribe(newsletter_list, "leser@example.org")
    issue = IssueFactory(
        lists=[newsletter_list],
        body=(
            "Liebe Mitglieder,\n\n"
            "<script>alert(1)</script>\n\n"
            "<img src=x onerror=alert(1)>\n\n"
            '<a href="javascript:alert(1)">Klick</a> und **fett** und '
            "[Programm](https://example.org/programm)\n"
        ),
    )

    send(issue)

    html = html_part(mail.outbox[0]).lower()
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<strong>fett</strong>" in html
    assert 'href="https://example.org/programm"' in html


class FlakySMTP:
    """Replaces the locmem backend's send: raises ``errors`` in turn, then delivers."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.calls = 0

    def __enter__(self):
        original = locmem.EmailBackend.send_messages
        flaky = self

        def send_messages(backend, messages):
            flaky.calls += 1
            if flaky.errors:
                raise flaky.errors.pop(0)
            return original(backend, messages)

        self._patch = mock.patch.object(locmem.EmailBackend, "send_messages", send_messages)
        self._patch.start()
        return self

    def __exit__(self, *exc):
        self._patch.stop()


def test_a_temporary_smtp_error_is_retried_later(newsletter_list, send):
    subscribe(newsletter_list, "leser@example.org")
    issue = IssueFactory(lists=[newsletter_list])

    with FlakySMTP(smtplib.SMTPResponseException(451, b"try later")):
        issue = send(issue)

    delivery = issue.deliveries.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.PENDING, 1)
    assert delivery.next_attempt_at > timezone.now()
    assert "try later" in delivery.last_error
    assert mail.outbox == []
    assert issue.status == Issue.Status.SENDING

    beat_sweep()  # before the backoff has passed: nothing happens
    assert mail.outbox == []

    with later_than(delivery.next_attempt_at):
        beat_sweep()

    assert recipients() == ["leser@example.org"]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_permanent_smtp_error_marks_the_delivery_failed(newsletter_list, send):
    subscribe(newsletter_list, "gibt-es-nicht@example.org")
    subscribe(newsletter_list, "leser@example.org")
    issue = IssueFactory(lists=[newsletter_list])

    with FlakySMTP(smtplib.SMTPResponseException(550, b"5.1.1 no such user")):
        issue = send(issue)

    failed = issue.deliveries.get(email="gibt-es-nicht@example.org")
    assert (failed.status, failed.attempts) == (Delivery.Status.FAILED, 1)
    assert "no such user" in failed.last_error
    assert recipients() == ["leser@example.org"]
    assert issue.status == Issue.Status.SENT
    assert selectors.issue_progress(issue) == {"sent": 1, "failed": 1, "pending": 0}


def test_after_the_maximum_number_of_temporary_errors_the_delivery_fails(newsletter_list, send):
    subscribe(newsletter_list, "leser@example.org")
    issue = IssueFactory(lists=[newsletter_list])
    busy = [smtplib.SMTPResponseException(451, b"try later") for _ in range(5)]

    with FlakySMTP(*busy) as smtp:
        issue = send(issue)
        for _ in range(4):
            delivery = issue.deliveries.get()
            if delivery.status != Delivery.Status.PENDING:
                break
            with later_than(delivery.next_attempt_at):
                beat_sweep()

    delivery = issue.deliveries.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.FAILED, 3)
    assert smtp.calls == 3
    assert mail.outbox == []
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_a_scheduled_issue_is_sent_when_due_and_not_before(
    newsletter_list, send, django_capture_on_commit_callbacks
):
    subscribe(newsletter_list, "leser@example.org")
    at = timezone.now() + timedelta(hours=2)
    issue = send(IssueFactory(lists=[newsletter_list]), at=at)
    assert (issue.status, issue.scheduled_at) == (Issue.Status.SCHEDULED, at)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch() == 0
    with (
        mock.patch("django.utils.timezone.now", return_value=at - timedelta(minutes=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.dispatch() == 0
    assert mail.outbox == []
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED

    with later_than(at), django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch()

    assert recipients() == ["leser@example.org"]
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT


def test_sending_is_throttled_to_the_configured_rate(newsletter_list, send, settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 8
    for n in range(4):
        subscribe(newsletter_list, f"leser{n}@example.org")
    issue = IssueFactory(lists=[newsletter_list])

    send(issue)

    sent_at = sorted(issue.deliveries.values_list("sent_at", flat=True))
    assert len(mail.outbox) == 4
    gaps = [(b - a).total_seconds() for a, b in zip(sent_at, sent_at[1:], strict=False)]
    # One message every 1/8 s at most, however many senders worked on the issue.
    assert all(gap >= 0.12 for gap in gaps), gaps


def test_send_slots_are_shared_per_issue_and_overall(settings):
    # Two senders of one issue reserve one after the other: 1/4 s apart.
    first = sending.reserve_send_slot([("newsletter:1", 4)])
    second = sending.reserve_send_slot([("newsletter:1", 4)])
    assert (second - first).total_seconds() == pytest.approx(0.25, abs=0.01)
    # Another issue has its own rate …
    other = sending.reserve_send_slot([("newsletter:2", 4)])
    assert other < second
    # … but every message also waits for the overall one.
    a = sending.reserve_send_slot([("mail", 2), ("newsletter:1", 4)])
    b = sending.reserve_send_slot([("mail", 2), ("newsletter:2", 4)])
    assert a >= second + timedelta(seconds=0.24)
    assert (b - a).total_seconds() == pytest.approx(0.5, abs=0.01)
    # 0 means unlimited: nothing to wait for.
    assert sending.reserve_send_slot([("newsletter:3", 0)]) is None
