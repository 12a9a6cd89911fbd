"""The outbox: one row per key, sent once, failures kept for the next run."""

import re
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from network_portal.mail import mail_enqueue, send_pending
from network_portal.models import OutboxMail

pytestmark = pytest.mark.django_db


def enqueue(key="test:1", to="anna@example.org"):
    return mail_enqueue(
        key=key,
        to=to,
        template="members/emails/company_approved",
        context={"company_name": "Moselblick Pflege GmbH", "profile_url": "http://x/p/"},
        language="de",
    )


def test_same_key_writes_one_row_and_sends_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = enqueue()
        second = enqueue()
    assert first is not None and second is None
    assert OutboxMail.objects.count() == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.subject == (
        "[Attraktive Unternehmen Trier] "
        "Willkommen im Netzwerk: „Moselblick Pflege GmbH“ ist freigegeben"
    )
    html = sent.alternatives[0]
    assert html[1] == "text/html" and "Moselblick Pflege GmbH" in html[0]


def test_running_the_send_twice_sends_nothing_twice():
    enqueue(key="a")
    enqueue(key="b", to="b@example.org")
    assert send_pending() == 2
    assert send_pending() == 0
    assert len(mail.outbox) == 2
    assert set(OutboxMail.objects.values_list("status", flat=True)) == {"sent"}


def test_smtp_failure_keeps_the_mail_pending_for_a_retry_after_its_back_off():
    enqueue(key="fails")
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("connection lost"),
    ):
        assert send_pending() == 0
    row = OutboxMail.objects.get()
    assert (row.status, row.attempts, row.last_error) == ("pending", 1, "connection lost")
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=59)
    assert send_pending() == 0  # not before its time
    assert mail.outbox == []
    with mock.patch(
        "django.utils.timezone.now", return_value=row.next_attempt_at + timedelta(seconds=1)
    ):
        assert send_pending() == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2


def test_a_permanent_smtp_error_fails_the_mail_at_once():
    enqueue(key="unknown", to="gibt-es-nicht@example.org")
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPRecipientsRefused(
            {"gibt-es-nicht@example.org": (550, b"5.1.1 no such user")}
        ),
    ):
        assert send_pending() == 0
    row = OutboxMail.objects.get()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "no such user" in row.last_error
    assert send_pending() == 0


def test_message_id_is_in_the_senders_domain_and_the_same_for_every_attempt(settings):
    settings.DEFAULT_FROM_EMAIL = "Netzwerk Trier <netzwerk@wirtschaft.trier-portal.example>"
    enqueue(key="id")
    row = OutboxMail.objects.get()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPResponseException(451, b"greylisted"),
    ):
        send_pending()
    row.refresh_from_db()
    with mock.patch(
        "django.utils.timezone.now", return_value=row.next_attempt_at + timedelta(seconds=1)
    ):
        send_pending()
    (sent,) = mail.outbox
    message_id = sent.message()["Message-ID"]
    assert message_id.endswith("@wirtschaft.trier-portal.example>")
    assert re.search(rf"\.outbox\.{row.pk}\.[0-9a-f]{{16}}@", message_id)


def test_mail_is_rendered_in_the_recipients_language():
    mail_enqueue(
        key="en",
        to="anna@example.org",
        template="members/emails/company_approved",
        context={"company_name": "Moselblick Pflege GmbH", "profile_url": "http://x/p/"},
        language="en",
    )
    row = OutboxMail.objects.get()
    assert row.language == "en"
    assert "Welcome" in row.subject


def test_a_crash_after_the_first_mail_does_not_send_it_again():
    enqueue(key="first", to="eins@example.org")
    enqueue(key="second", to="zwei@example.org")
    real_send = __import__(
        "django.core.mail.backends.locmem", fromlist=["EmailBackend"]
    ).EmailBackend.send_messages
    calls = []

    def send_then_die(backend, messages):
        calls.append(messages)
        if len(calls) == 2:
            raise SystemExit("worker killed")  # not an SMTP error: the process dies
        return real_send(backend, messages)

    with (
        mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", send_then_die),
        pytest.raises(SystemExit),
    ):
        send_pending()
    assert OutboxMail.objects.get(key="first").status == "sent"
    assert OutboxMail.objects.get(key="second").status == "pending"

    send_pending()  # the next worker
    assert sorted(m.to[0] for m in mail.outbox) == ["eins@example.org", "zwei@example.org"]
