"""The bounce mailbox: where the mail systems' delivery status reports arrive (the address the
portal's mails name as their return path). Beat reads it every few minutes
(``newsletter.read_bounce_mailbox``); the setting ``BOUNCE_MAILBOX_URL`` says where:

- ``imaps://user:password@host[:port]/INBOX`` (IMAP over TLS; the path is the folder, default
  INBOX; ``?move_to=Archiv/Bounces`` moves processed reports there instead of deleting them),
- ``pop3s://user:password@host[:port]`` (POP3 over TLS),
- ``imap://`` and ``pop3://`` without TLS, only inside a trusted network (and in the tests).

User and password are URL-encoded (``%40`` for an ``@`` in the user name).

Each report is read (:mod:`newsletter.bounce_reports`), its failures recorded
(``services.bounce_record``: a hard bounce suppresses the address), and then it is deleted or
moved, so the next run does not see it again.

Anyone who knows the return path can send this mailbox a report, so a failure is recorded only
if the report proves that the portal sent that mail to that address: the mail it returns (its
message/rfc822 or text/rfc822-headers part, an ``Original-Message-ID`` or
``X-Original-Message-ID`` field, qmail's copy) carries a Message-ID the portal made
(``network_portal.sending.message_id``: ``<time.queue.row@domain>``) of a row of that queue
that was sent, and the row's recipient is the address the report names (in any case). A report
that proves it for none of its addresses records nothing, and one that does not prove it for
every address is not deleted: both stay in the mailbox for a person to look at, logged at
info level. A report is recorded under its Message-ID: if the
connection breaks after recording and before deleting, the next run finds the report recorded
and only deletes it. Mail that is no bounce report (an out-of-office reply) is left in the
mailbox for a person to look at. A mailbox that cannot be reached is logged and tried again at
the next run.
"""

import contextlib
import email
import hashlib
import imaplib
import logging
import poplib
import ssl
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from network_portal import sending
from network_portal.activity import Process

from . import services
from .bounce_reports import failures, returned_message_ids

logger = logging.getLogger(__name__)

SOURCE = "mailbox"
DEFAULT_PORTS = {"imap": 143, "imaps": 993, "pop3": 110, "pop3s": 995}
# What a broken or unreachable mail server raises; logged, and tried again next time.
MAILBOX_ERRORS = (OSError, EOFError, imaplib.IMAP4.error, poplib.error_proto, ssl.SSLError)


@dataclass
class MailboxRun:
    """What one run found: reports read, bounces recorded, mails left (no bounce report, or
    one that does not prove that the portal sent the mail it returns)."""

    read: int = 0
    recorded: int = 0
    left: int = 0


@dataclass(frozen=True)
class Mailbox:
    scheme: str
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    move_to: str = ""

    @property
    def tls(self) -> bool:
        return self.scheme.endswith("s")

    @classmethod
    def from_url(cls, url: str) -> "Mailbox":
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname:
            raise ImproperlyConfigured(
                "BOUNCE_MAILBOX_URL must look like imaps://user:password@host/INBOX or "
                "pop3s://user:password@host."
            )
        query = parse_qs(parts.query)
        return cls(
            scheme=scheme,
            host=parts.hostname,
            port=parts.port or DEFAULT_PORTS[scheme],
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.strip("/")) or "INBOX",
            move_to=query.get("move_to", [""])[0],
        )


def reference_of(raw: bytes, message) -> str:
    """What names the report: its Message-ID, else a digest of its bytes."""
    message_id = " ".join(str(message.get("message-id", "")).split())
    if message_id:
        return f"{SOURCE}:{message_id}"
    return f"{SOURCE}:sha256:{hashlib.sha256(raw).hexdigest()}"


def sent_to(message, address: str) -> bool:
    """Whether the mail the report ``message`` returns is one the portal sent to ``address``
    (see the module)."""
    for message_id in returned_message_ids(message):
        row = sending.sent_row(message_id)
        if row is not None and sending.recipient(row).strip().lower() == address:
            return True
    return False


def record_report(raw: bytes, *, process: str = Process.BEAT) -> tuple[bool, int]:
    """Record the proven failures of one mail of the bounce mailbox, in one transaction.
    Returns whether it is done with (a bounce report whose every failure is proven: then it may
    be deleted) and how many bounces are new."""
    message = email.message_from_bytes(raw)
    found = failures(message)
    if not found:
        return False, 0
    reference = reference_of(raw, message)
    proven = [failure for failure in found if sent_to(message, failure.email)]
    if len(proven) < len(found):
        logger.info(
            "Bounce mailbox: the report %s names %d addresses without proving that the portal "
            "sent them the mail it returns; they are not recorded, and it stays in the mailbox.",
            reference,
            len(found) - len(proven),
        )
    recorded = 0
    with transaction.atomic():
        for failure in proven:
            bounce = services.bounce_record(
                email=failure.email,
                kind=failure.kind,
                diagnostic=failure.diagnostic,
                source=SOURCE,
                reference=reference,
                process=process,
            )
            recorded += bounce is not None
    return len(proven) == len(found), recorded


def _handle(raw: bytes, run: MailboxRun, *, process: str) -> bool:
    """One mail: recorded if it is a bounce report. Returns whether to delete it (a report
    whose every failure was proven and recorded)."""
    run.read += 1
    try:
        is_report, recorded = record_report(raw, process=process)
    except Exception:  # a mail no parser expected: keep it, go on with the others
        logger.exception("Bounce mailbox: could not read a mail; it stays in the mailbox.")
        run.left += 1
        return False
    run.recorded += recorded
    if not is_report:
        run.left += 1
    return is_report


def _ssl_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def _read_imap(mailbox: Mailbox, *, batch: int, timeout: float, process: str) -> MailboxRun:
    run = MailboxRun()
    if mailbox.tls:
        connection = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=_ssl_context(), timeout=timeout
        )
    else:
        connection = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
    try:
        connection.login(mailbox.user, mailbox.password)
        status, _data = connection.select(_quoted(mailbox.folder))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open the folder {mailbox.folder!r}")
        # Reports flagged deleted by a run that broke off before EXPUNGE are done already.
        status, data = connection.uid("SEARCH", None, "UNDELETED")
        if status != "OK":
            raise imaplib.IMAP4.error("SEARCH failed")
        uids = (data[0] or b"").split()[:batch]
        for uid in uids:
            status, data = connection.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in data or [] if isinstance(item, tuple)), None)
            if status != "OK" or raw is None:
                continue
            if not _handle(raw, run, process=process):
                continue
            if mailbox.move_to:
                status, _data = connection.uid("COPY", uid, _quoted(mailbox.move_to))
                if status != "OK":
                    raise imaplib.IMAP4.error(f"cannot move to {mailbox.move_to!r}")
            connection.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
        connection.expunge()
        connection.close()
    finally:
        with contextlib.suppress(*MAILBOX_ERRORS):
            connection.logout()
    return run


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _read_pop3(mailbox: Mailbox, *, batch: int, timeout: float, process: str) -> MailboxRun:
    run = MailboxRun()
    if mailbox.tls:
        connection = poplib.POP3_SSL(
            mailbox.host, mailbox.port, timeout=timeout, context=_ssl_context()
        )
    else:
        connection = poplib.POP3(mailbox.host, mailbox.port, timeout=timeout)
    try:
        connection.user(mailbox.user)
        connection.pass_(mailbox.password)
        count, _size = connection.stat()
        for number in range(1, min(count, batch) + 1):
            _response, lines, _octets = connection.retr(number)
            if _handle(b"\r\n".join(lines) + b"\r\n", run, process=process):
                connection.dele(number)
        # Deletions take effect with QUIT (RFC 1939): a connection lost before it deletes
        # nothing, and the next run finds those reports recorded already.
        connection.quit()
    except BaseException:
        connection.close()
        raise
    return run


def read_mailbox(
    url: str, *, batch: int | None = None, timeout: float | None = None, process=Process.BEAT
) -> MailboxRun:
    """Read the bounce mailbox at ``url`` once (see the module). Raises what the mail server
    or the network raises (:data:`MAILBOX_ERRORS`); the task logs it."""
    mailbox = Mailbox.from_url(url)
    batch = batch or settings.BOUNCE_MAILBOX_BATCH
    timeout = timeout or settings.BOUNCE_MAILBOX_TIMEOUT
    reader = _read_imap if mailbox.scheme.startswith("imap") else _read_pop3
    run = reader(mailbox, batch=batch, timeout=timeout, process=process)
    if run.read:
        logger.info(
            "Bounce mailbox %s: %d mails read, %d bounces recorded, %d mails left.",
            mailbox.host,
            run.read,
            run.recorded,
            run.left,
        )
    return run
