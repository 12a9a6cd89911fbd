"""Bounce reports from the bounce mailbox, read by beat over real POP3 and IMAP connections
(small servers of the tests, tests/newsletter/mail_servers.py) from realistic reports of
Postfix, Microsoft 365 (Exchange), Gmail and qmail (tests/newsletter/bounce_reports/).

A report counts only if it returns a mail the portal sent to the address it names: the tests
send those mails (an issue, invitations through the outbox) and put each one's Message-ID where
the sample says ``<sent-message-id>``."""

import logging
import re
import socket
import threading
from pathlib import Path

import pytest
from django.core import mail

from network_portal import sending
from network_portal.activity import Process
from network_portal.mail import mail_enqueue
from network_portal.models import ActivityEntry
from newsletter import services, tasks
from newsletter.models import Bounce, Delivery, Subscriber
from tests.accounts.test_cockpit import cockpit_page
from tests.factories import CoordinatorFactory
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import (
    DeliveryFactory,
    IssueFactory,
    MailingListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)
from tests.newsletter.mail_servers import Store, mail_server

pytestmark = pytest.mark.django_db

REPORTS = Path(__file__).parent / "bounce_reports"
HARD = {
    "alt@moselblick.example": "postfix_user_unknown.eml",
    "weg@saarweine.example": "exchange_online_not_found.eml",
    "nie.gewesen@mailexample.com": "gmail_does_not_exist.eml",
    "gekuendigt@eifel-bau.example": "qmail_permanent.eml",
}
SOFT = {
    "voll@porta-logistik.example": "postfix_mailbox_full.eml",  # 4.2.2, Action failed
    "langsam@hunsrueck-holz.example": "postfix_delayed.eml",  # 4.4.1, Action delayed
}
BOUNCE_REPORTS = sorted(set(HARD.values()) | set(SOFT.values()))
REPORT_FOR = {name: address for address, name in (HARD | SOFT).items()}
# Invitations and reminders come from the outbox; the other reports return newsletter issues.
OUTBOX_MAILS = {
    "alt@moselblick.example",
    "weg@saarweine.example",
    "voll@porta-logistik.example",
}
OTHER = "urlaub@moselblick.example"  # got the issue and never bounced


def report(name: str, message_id: str = "<sent-message-id>") -> bytes:
    """The sample report, returning the mail with ``message_id``."""
    return (REPORTS / name).read_bytes().replace(b"<sent-message-id>", message_id.encode())


def stored(raw: bytes) -> bytes:
    """A report as a mail server keeps it (CRLF line ends)."""
    return raw.replace(b"\n", b"\r\n")


@pytest.fixture
def subscribers():
    mailing_list = MailingListFactory(name="Fachkräfte-Newsletter")
    people = {}
    for address in [*HARD, *SOFT, OTHER]:
        people[address] = SubscriberFactory(email=address)
        SubscriptionFactory(subscriber=people[address], mailing_list=mailing_list)
    return people


@pytest.fixture
def sent(subscribers, settings, django_capture_on_commit_callbacks) -> dict[str, str]:
    """The portal sends an issue to every subscriber and invitations to some of them, through
    its real sender; returns the Message-ID of the mail each report returns, by address."""
    settings.MAIL_RATE_PER_SECOND = settings.NEWSLETTER_RATE_PER_SECOND = 0
    mailing_list = subscribers[OTHER].subscriptions.get().mailing_list
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=IssueFactory(lists=[mailing_list], subject="Newsletter März"))
    with django_capture_on_commit_callbacks(execute=True):
        for address in sorted(OUTBOX_MAILS):
            mail_enqueue(
                key=f"meeting:1:invitation:{address}",
                to=address,
                rendered=("Einladung: Netzwerktreffen", "Guten Tag,", ""),
            )
    assert Delivery.objects.filter(status="sent").count() == len(subscribers)
    ids = {}
    for message in mail.outbox:
        (address,) = message.to
        is_invitation = message.subject.startswith("Einladung")
        if is_invitation == (address in OUTBOX_MAILS):
            ids[address] = message.message()["Message-ID"]
    return ids


@pytest.fixture
def reports(sent) -> dict[str, bytes]:
    """The sample reports, each returning the mail the portal sent to its address."""
    return {name: report(name, sent[address]) for name, address in REPORT_FOR.items()}


@pytest.fixture
def store(reports):
    store = Store()
    for name in [*BOUNCE_REPORTS, "out_of_office.eml"]:
        store.add(reports.get(name) or report(name))
    return store


def read_mailbox(settings, url) -> int:
    settings.BOUNCE_MAILBOX_URL = url
    return tasks.read_bounce_mailbox()


def suppressed() -> set[str]:
    return set(
        Subscriber.objects.filter(suppressed_at__isnull=False).values_list("email", flat=True)
    )


@pytest.mark.parametrize("protocol", ["pop3", "imap"])
def test_beat_records_each_report_deletes_it_and_a_second_run_changes_nothing(
    protocol, settings, store, reports, client
):
    with mail_server(protocol, store) as url:
        recorded = read_mailbox(settings, url)

        assert recorded == len(HARD) + len(SOFT)
        bounces = {b.email: b for b in Bounce.objects.all()}
        assert {email for email, b in bounces.items() if b.kind == "hard"} == set(HARD)
        assert {email for email, b in bounces.items() if b.kind == "soft"} == set(SOFT)
        assert {b.source for b in bounces.values()} == {"mailbox"}
        assert bounces["weg@saarweine.example"].diagnostic == (
            "5.1.10 smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by "
            "SMTP address lookup"
        )
        assert bounces["voll@porta-logistik.example"].diagnostic == (
            "4.2.2 smtp; 452 4.2.2 Mailbox full"
        )
        # Hard bounces suppress the address; soft ones and the out-of-office reply do not.
        assert suppressed() == set(HARD)
        # The reports are gone; the out-of-office reply stays for a person to read.
        assert store.messages() == [stored(report("out_of_office.eml"))]
        entries = ActivityEntry.objects.filter(action="newsletter.bounce.recorded")
        assert entries.count() == len(HARD) + len(SOFT)
        assert set(entries.values_list("process", flat=True)) == {Process.BEAT}

        # The same reports arriving again (a copy, a second run): nothing counts twice.
        for name in BOUNCE_REPORTS:
            store.add(reports[name])
        assert read_mailbox(settings, url) == 0
        assert read_mailbox(settings, url) == 0
    assert Bounce.objects.count() == len(HARD) + len(SOFT)
    assert store.messages() == [stored(report("out_of_office.eml"))]

    # The coordinators' cockpit counts the hard bounces of the last 30 days.
    login_with_second_factor(client, CoordinatorFactory())
    counters = {c["label"]: c["count"] for c in cockpit_page(client).counters}
    assert counters["Harte Unzustellbarkeiten der letzten 30 Tage"] == str(len(HARD))


def forged_message_id(how: str, sent: dict[str, str], target) -> str:
    """A Message-ID a forged report about ``target`` (a subscriber) could carry."""
    ours = sent[target.email]  # <time.queue.pk.tag@domain>, the mail really sent to the target
    if how == "another program's":
        return "<20250304081228.4Q1Zb23XyzZ@mail.netzwerk.example.org>"
    if how == "made up in our form":
        # Another row's id guessed from ours (time and ids are predictable, the tag is not).
        return re.sub(r"\.(\d+)\.([0-9a-f]{16})@", r".99999999.\2@", ours)
    if how == "ours with another time":
        return "<20200101000000" + ours[15:]
    if how == "of our mail to another address":
        return sent[OTHER]
    # A delivery to the target that has not been sent yet (its Message-ID is known ahead).
    pending = DeliveryFactory(subscriber=target)
    return sending.message_id(queue_name="newsletter", row=pending, from_email="n@example.org")


@pytest.mark.parametrize(
    "how",
    [
        "another program's",
        "made up in our form",
        "ours with another time",
        "of our mail to another address",
        "of a delivery not sent yet",
    ],
)
def test_a_report_that_does_not_prove_we_sent_that_mail_to_that_address_changes_nothing(
    how, settings, sent, subscribers, caplog
):
    target = subscribers["alt@moselblick.example"]
    waiting = DeliveryFactory(subscriber=target)  # would be failed by a hard bounce
    forged = report("postfix_user_unknown.eml", forged_message_id(how, sent, target))
    store = Store()
    store.add(forged)

    with (
        caplog.at_level(logging.INFO, logger="newsletter.bounce_mailbox"),
        mail_server("pop3", store) as url,
    ):
        assert read_mailbox(settings, url) == 0

    assert not Bounce.objects.exists()
    assert suppressed() == set()
    waiting.refresh_from_db()
    assert waiting.status == Delivery.Status.PENDING
    assert store.messages() == [stored(forged)]  # left for a person to look at
    assert "without proving that the portal sent them the mail" in caplog.text


def test_a_report_naming_one_address_too_many_records_ours_and_stays(settings, sent, subscribers):
    genuine = report("postfix_user_unknown.eml", sent["alt@moselblick.example"])
    padded = genuine.replace(
        b"\n\n--4Q1Zb23XyzZ.1741075951/mail.netzwerk.example.org\nContent-Description: Undelivered",
        b"\n\nFinal-Recipient: rfc822; urlaub@moselblick.example\nAction: failed\n"
        b"Status: 5.1.1\n"
        b"\n--4Q1Zb23XyzZ.1741075951/mail.netzwerk.example.org\nContent-Description: Undelivered",
        1,
    )
    assert padded != genuine
    store = Store()
    store.add(padded)
    with mail_server("imap", store) as url:
        assert read_mailbox(settings, url) == 1
        assert read_mailbox(settings, url) == 0
    assert suppressed() == {"alt@moselblick.example"}
    assert store.messages() == [stored(padded)]


@pytest.mark.parametrize("protocol", ["pop3", "imap"])
def test_a_connection_lost_before_the_deletion_counts_nothing_twice(
    protocol, settings, store, subscribers
):
    store.drop_before_commit = True
    with mail_server(protocol, store) as url:
        # The server drops the connection before deleting: the task logs it and returns.
        read_mailbox(settings, url)
        assert Bounce.objects.count() == len(HARD) + len(SOFT)
        assert len(store.messages()) == len(BOUNCE_REPORTS) + 1

        store.drop_before_commit = False
        assert read_mailbox(settings, url) == 0
    assert Bounce.objects.count() == len(HARD) + len(SOFT)
    assert store.messages() == [stored(report("out_of_office.eml"))]


def test_imap_can_move_processed_reports_to_a_folder(settings, store, reports):
    with mail_server("imap", store) as url:
        read_mailbox(settings, f"{url}?move_to=Erledigt/Bounces")
    assert Bounce.objects.filter(kind="hard").count() == len(HARD)
    assert sorted(store.folders["Erledigt/Bounces"]) == sorted(
        stored(reports[name]) for name in BOUNCE_REPORTS
    )
    assert store.messages() == [stored(report("out_of_office.eml"))]


@pytest.mark.parametrize("protocol", ["pop3", "imap"])
def test_a_wrong_password_is_logged_and_tried_again_next_time(
    protocol, settings, store, subscribers, caplog
):
    with mail_server(protocol, store) as url:
        assert read_mailbox(settings, url.replace("54290", "falsch")) == 0
        assert "Bounce mailbox not read" in caplog.text
        assert not Bounce.objects.exists()
        assert read_mailbox(settings, url) == len(HARD) + len(SOFT)


def test_an_unreachable_or_broken_server_does_not_break_the_task(settings, caplog):
    with socket.socket() as unused:  # a port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    assert read_mailbox(settings, f"pop3://u:p@127.0.0.1:{port}") == 0

    # A server that greets and then talks nonsense.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]

    def talk_nonsense():
        connection, _address = listener.accept()
        with connection:
            connection.sendall(b"220 this is an SMTP server, not an IMAP one\r\n")
            connection.recv(100)

    thread = threading.Thread(target=talk_nonsense, daemon=True)
    thread.start()
    assert read_mailbox(settings, f"imap://u:p@127.0.0.1:{port}/INBOX") == 0
    thread.join(timeout=5)
    listener.close()
    assert caplog.text.count("Bounce mailbox not read") == 2


def test_the_task_does_nothing_without_a_mailbox(settings):
    settings.BOUNCE_MAILBOX_URL = ""
    assert tasks.read_bounce_mailbox() == 0


def test_the_task_is_on_beats_schedule(settings):
    assert settings.CELERY_BEAT_SCHEDULE["newsletter-bounce-mailbox"]["task"] == (
        tasks.read_bounce_mailbox.name
    )
