"""The one sender: every mail the portal sends leaves through here.

Apps keep what is to be sent as rows (:class:`network_portal.models.QueuedMail`): the outbox's
``OutboxMail``, the newsletter's ``Delivery``. Each kind registers a :class:`MailQueue` that says
how a row becomes a message. A service writes the rows in the transaction of the change that
causes them and calls :func:`kick` after commit; the sender then:

- works in **slices** of ``MAIL_SENDER_SLICE_SECONDS`` and hands over to a new task, so a worker
  asked to stop (SIGTERM) finishes within its grace period instead of being killed mid-send;
- holds one of the queue's **sender slots** (:class:`SenderLease`) while it works, so the number
  of senders stays bounded however often beat or a service kicks;
- **leases** a batch of due rows in one statement (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
  see "Sending in batches" below) and marks each row sent right after the SMTP server took it;
- reserves **send slots** for the batch, shared by every process (:class:`SendRate`, in the
  database): one per ``MAIL_RATE_PER_SECOND`` overall and one per scope, e.g. per newsletter
  issue, and sends each message in its slot;
- **backs off** on temporary SMTP errors (4xx, lost connection) and fails a row on a permanent
  one or after the queue's last attempt.

Beat's :func:`sweep` kicks every queue that has due rows, so whatever a dead worker, a lost
task or an emptied broker left behind goes out within a minute or two of a worker running.
The one duplicate no design removes: a worker killed after the SMTP server accepted a message
and before the UPDATE that marks it sent sends it again (README, "Reliability").
"""

import logging
import re
import smtplib
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import kombu.exceptions
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import QueuedMail, SenderLease, SendRate

logger = logging.getLogger(__name__)

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
OVERALL_RATE_KEY = "mail"


class Undeliverable(Exception):
    """Raised by a queue's ``build_message``: this row must not be sent (e.g. the address was
    suppressed meanwhile); it is marked failed with the reason, without an SMTP attempt."""


@dataclass(frozen=True)
class MailQueue:
    """A kind of row the sender sends.

    ``scope_field`` splits a queue into parts that are sent and rate-limited on their own
    (the newsletter: one scope per issue, each with its own rate and senders).
    """

    name: str
    model: type[QueuedMail]
    build_message: Callable[[QueuedMail, "SendRun"], EmailMessage]
    parallel_senders: Callable[[], int]
    max_attempts: Callable[[], int]
    scope_field: str | None = None
    scope_rate: Callable[[], float] | None = None
    select_related: tuple[str, ...] = ()
    # Called when a sender found nothing more to send in a scope (e.g. mark an issue sent).
    on_drained: Callable[[int | None], None] | None = None
    # Optional, for SMTP: the row's message as bytes, built faster than ``build_message``
    # (e.g. from a message made once per issue) and byte for byte what Django would send.
    raw_message: Callable[[QueuedMail, "SendRun"], "RawMessage"] | None = None


_queues: dict[str, MailQueue] = {}


def register_queue(queue: MailQueue) -> None:
    _queues[queue.name] = queue


def get_queue(name: str) -> MailQueue:
    return _queues[name]


def queues() -> list[MailQueue]:
    return list(_queues.values())


# --- What is due --------------------------------------------------------------------------------


def due_rows(queue: MailQueue, *, scope: int | None = None, now: datetime | None = None):
    """Pending rows whose (next) attempt is due now."""
    now = now or timezone.now()
    rows = queue.model.objects.filter(status=QueuedMail.Status.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    if scope is not None:
        rows = rows.filter(**{queue.scope_field: scope})
    return rows


def due_scopes(queue: MailQueue) -> list[int | None]:
    if queue.scope_field is None:
        return [None] if due_rows(queue).exists() else []
    return list(due_rows(queue).order_by().values_list(queue.scope_field, flat=True).distinct())


def mail_backlog() -> dict:
    """For the readiness check, per queue: how many mails are due, how long the longest-due
    one has been due (since its retry time, else since it was written), and how long ago the
    queue last sent one. ``due`` is the sum over all queues."""
    now = timezone.now()
    per_queue = {}
    for queue in queues():
        pending = due_rows(queue, now=now).aggregate(
            count=Count("pk"), due_since=Min(Coalesce("next_attempt_at", "created_at"))
        )
        # Only sent rows carry sent_at (indexed): the newest one needs no scan.
        last_sent = queue.model.objects.aggregate(last=Max("sent_at"))["last"]
        per_queue[queue.name] = {
            "due": pending["count"],
            "oldest_due_seconds": _seconds_since(pending["due_since"], now),
            "last_sent_seconds": _seconds_since(last_sent, now),
        }
    return {"due": sum(q["due"] for q in per_queue.values()), "queues": per_queue}


def _seconds_since(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else max((now - moment).total_seconds(), 0.0)


# --- Kicking senders ----------------------------------------------------------------------------


def _lease_name(queue: MailQueue, scope: int | None) -> str:
    return queue.name if scope is None else f"{queue.name}:{scope}"


def kick(queue_name: str, *, scope: int | None = None, senders: int | None = None) -> None:
    """Start ``senders`` senders (default: the queue's number) for ``queue_name``, one scope
    of it, once the transaction has committed. A sender that finds every slot of its queue
    taken ends at once, so kicking more often than needed costs a task, nothing more."""
    from .tasks import send_mail

    count = senders if senders is not None else get_queue(queue_name).parallel_senders()

    def start():
        try:
            for _sender in range(max(count, 1)):
                send_mail.delay(queue=queue_name, scope=scope)
        except kombu.exceptions.OperationalError as error:
            # The broker is down: what was saved stays saved, and beat's sweep starts the
            # senders once it is back. The user's request must not fail for it.
            logger.warning("Could not start %s senders (%s); the sweep will.", queue_name, error)

    transaction.on_commit(start)


def sweep() -> int:
    """Beat: kick the free sender slots of every scope with due rows; returns how many."""
    kicked = 0
    now = timezone.now()
    for queue in queues():
        for scope in due_scopes(queue):
            busy = SenderLease.objects.filter(
                queue=_lease_name(queue, scope), expires_at__gt=now
            ).count()
            free = queue.parallel_senders() - busy
            if free > 0:
                kick(queue.name, scope=scope, senders=free)
                kicked += free
    return kicked


# --- Sender slots -------------------------------------------------------------------------------


def _lease_seconds() -> float:
    return settings.MAIL_SENDER_LEASE_SECONDS


class Lease:
    """One sender slot of a queue, held while a sender works."""

    def __init__(self, *, name: str, slots: int):
        self.name, self.slots = name, max(slots, 1)
        self.holder = uuid.uuid4().hex
        self.slot: int | None = None
        self.renewed = 0.0

    def acquire(self) -> bool:
        now = timezone.now()
        for slot in range(self.slots):
            SenderLease.objects.get_or_create(
                queue=self.name, slot=slot, defaults={"expires_at": EPOCH}
            )
            taken = SenderLease.objects.filter(
                queue=self.name, slot=slot, expires_at__lte=now
            ).update(holder=self.holder, expires_at=now + timedelta(seconds=_lease_seconds()))
            if taken:
                self.slot, self.renewed = slot, time.monotonic()
                return True
        return False

    def renew(self, *, force: bool = False) -> bool:
        """Extend the lease (at most every few seconds); False if another sender took it over
        because this one was silent for longer than the lease."""
        if not force and time.monotonic() - self.renewed < _lease_seconds() / 4:
            return True
        kept = SenderLease.objects.filter(
            queue=self.name, slot=self.slot, holder=self.holder
        ).update(expires_at=timezone.now() + timedelta(seconds=_lease_seconds()))
        self.renewed = time.monotonic()
        return bool(kept)

    def release(self) -> None:
        SenderLease.objects.filter(queue=self.name, slot=self.slot, holder=self.holder).update(
            holder="", expires_at=EPOCH
        )


# --- Rate ---------------------------------------------------------------------------------------


def reserve_send_slot(limits: list[tuple[str, float]], *, count: int = 1) -> datetime | None:
    """Reserve the next ``count`` moments messages may go out under every one of ``limits``
    (key, messages per second; 0 means unlimited) and return the first; None if nothing
    limits. The i-th message goes out at ``first + i * send_interval(limits)``.

    The slots live in the database, so every sender in every process shares them: however many
    workers send, the messages under one key go out at most ``rate`` per second.
    """
    limits = sorted((key, rate) for key, rate in limits if rate and rate > 0)
    if not limits:
        return None
    keys = [key for key, _rate in limits]
    for key in keys:
        SendRate.objects.get_or_create(key=key, defaults={"next_slot_at": EPOCH})
    last_offset = timedelta(seconds=(max(count, 1) - 1) * send_interval(limits))
    with transaction.atomic():
        rows = list(SendRate.objects.select_for_update().filter(key__in=keys).order_by("key"))
        start = max([timezone.now(), *(row.next_slot_at for row in rows)])
        for row, (_key, rate) in zip(rows, limits, strict=True):
            row.next_slot_at = start + last_offset + timedelta(seconds=1 / rate)
            row.save(update_fields=["next_slot_at"])
    return start


def send_interval(limits: list[tuple[str, float]]) -> float:
    """Seconds between two messages under ``limits`` (the slowest one binds); 0: unlimited."""
    rates = [rate for _key, rate in limits if rate and rate > 0]
    return 1 / min(rates) if rates else 0.0


def _rate_limits(queue: MailQueue, scope: int | None) -> list[tuple[str, float]]:
    limits = [(OVERALL_RATE_KEY, settings.MAIL_RATE_PER_SECOND)]
    if queue.scope_rate is not None:
        limits.append((_lease_name(queue, scope), queue.scope_rate()))
    return limits


# --- Errors -------------------------------------------------------------------------------------


def is_temporary(error: Exception) -> bool:
    """4xx answers and lost connections are worth another try; 5xx answers are not."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _msg in error.recipients.values())
    return isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError | TimeoutError)


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 … times MAIL_RETRY_BASE_SECONDS, at most an hour."""
    return timedelta(seconds=min(settings.MAIL_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600))


# --- Messages -----------------------------------------------------------------------------------


def message_id(*, queue_name: str, row: QueuedMail, from_email: str) -> str:
    """A Message-ID in the sender's domain, the same for every attempt of one row: should a
    crash send a row twice, mail programs that de-duplicate by Message-ID show it once. It
    ends in a tag only the portal can make, so a bounce report that quotes it proves the
    portal sent that row (nobody can forge the id of a mail to someone else)."""
    domain = parseaddr(from_email)[1].rpartition("@")[2] or "localhost"
    stem = f"{row.created_at:%Y%m%d%H%M%S}.{queue_name}.{row.pk}"
    return f"<{stem}.{_message_id_tag(stem)}@{domain}>"


def _message_id_tag(stem: str) -> str:
    return salted_hmac("network_portal.message-id", stem, algorithm="sha256").hexdigest()[:16]


# What :func:`message_id` writes: the row's creation (UTC, to the second), queue name, key, tag.
MESSAGE_ID = re.compile(
    r"<(?P<stem>(?P<created>\d{14})\.(?P<queue>[\w-]+)\.(?P<pk>\d{1,18}))\.(?P<tag>[0-9a-f]{16})"
    r"@[^<>@\s]+>"
)


def sent_row(message_id: str) -> QueuedMail | None:
    """The row the Message-ID ``message_id`` names, if the portal made that id and sent the
    row: the tag is the portal's, the queue exists, the row was sent and was written at the
    second the id says. None for another program's id or a made-up one (the bounce mailbox's
    proof, see ``newsletter.bounce_mailbox``)."""
    match = MESSAGE_ID.fullmatch(message_id.strip())
    if match is None or match["queue"] not in _queues:
        return None
    if not constant_time_compare(match["tag"], _message_id_tag(match["stem"])):
        return None
    row = (
        _queues[match["queue"]]
        .model.objects.filter(pk=int(match["pk"]), status=QueuedMail.Status.SENT)
        .first()
    )
    if row is None or f"{row.created_at:%Y%m%d%H%M%S}" != match["created"]:
        return None
    return row


def raw_message(message: EmailMessage) -> "RawMessage":
    """``message`` as Django's SMTP backend sends it: envelope and bytes."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    return RawMessage(
        from_email=sanitize_address(message.from_email, encoding),
        recipients=[sanitize_address(addr, encoding) for addr in message.recipients()],
        data=message.message().as_bytes(linesep="\r\n"),
    )


def recipient(row: QueuedMail) -> str:
    """The address a row is (was) sent to."""
    return getattr(row, "to", None) or getattr(row, "email", "")


@dataclass
class SendRun:
    """One sender's working state: its SMTP connection, opened when first needed and anew
    after an error, and a cache for what its rows share (e.g. an issue's attachments)."""

    cache: dict = field(default_factory=dict)
    _connection: object | None = None

    def connection(self):
        if self._connection is None or getattr(self._connection, "connection", True) is None:
            self._connection = get_connection()
            self._connection.open()
        return self._connection

    def raw_sender(self):
        """Django's SMTP backend, when that is the configured backend (raw messages are sent
        through its smtplib connection); None for any other backend (tests, files)."""
        if "raw" not in self.cache:
            self.cache["raw"] = isinstance(get_connection(), SMTPBackend)
        return self.connection() if self.cache["raw"] else None

    def reset_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: BLE001 - a broken connection may fail to close
                logger.debug("Closing a broken SMTP connection failed", exc_info=True)
            self._connection = None

    def close(self) -> None:
        self.reset_connection()


@dataclass
class DrainResult:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    more: bool = False  # stopped for time, with due rows left

    @property
    def handled(self) -> int:
        return self.sent + self.retry + self.failed


# --- Sending in batches ---------------------------------------------------------------------
#
# A sender **leases** a batch of due rows in one statement: their ``next_attempt_at`` is set
# to the lease's end, so they are no longer due for anybody else; the exact value is the
# lease's token, and every later write to a row checks it (a sender that lost its lease
# writes nothing). On PostgreSQL the candidates are locked with ``FOR UPDATE SKIP LOCKED``
# inside that statement: two senders never walk the same rows. A killed worker's leased rows
# are due again when the lease ends (MAIL_SENDER_LEASE_SECONDS), and a sender never starts a
# message after half its lease has gone.
#
# Each row is marked sent by one UPDATE right after the SMTP server accepted it: a SIGKILL can
# at worst hit the message between the server's "250" and that UPDATE, the same single-message
# window as before. On PostgreSQL the marks are committed without waiting for the disk
# (``synchronous_commit = off`` for the sender's session): they are visible to every other
# session at once, so a killed *worker* loses nothing; only a crash of PostgreSQL itself
# within about half a second of a send can lose its mark and send it once more. Everything
# else (retries with their back-off, failures, rows given back unsent) is written in one
# statement at the end of the batch.

BATCH_SIZE = 100  # rows per lease without a rate limit
BATCH_SECONDS = 0.1  # with a rate limit: the rows of this many seconds at that rate (at 10/s: one)


@dataclass(frozen=True)
class RawMessage:
    """A message ready for SMTP: envelope and the bytes Django's SMTP backend would send."""

    from_email: str
    recipients: list[str]
    data: bytes


@dataclass
class _Leased:
    row: QueuedMail
    token: datetime  # the lease's end, in next_attempt_at
    before: datetime | None  # next_attempt_at before the lease, given back if unsent
    outcome: str = ""  # "", "sent", "retry", "failed"
    at: datetime | None = None


def _lease_until() -> datetime:
    # Microseconds from the clock and a random part: two leases never share a token.
    return timezone.now() + timedelta(
        seconds=_lease_seconds(), microseconds=uuid.uuid4().int % 1000
    )


def lease_batch(
    queue: MailQueue, *, scope: int | None = None, rows=None, size: int = BATCH_SIZE
) -> list[_Leased]:
    """Lease up to ``size`` due rows (oldest first) for this sender and return them."""
    now, token = timezone.now(), _lease_until()
    model = queue.model
    if connection.vendor == "postgresql":
        table, column = model._meta.db_table, model._meta.pk.column
        where, params = (
            ["status = %s", "(next_attempt_at IS NULL OR next_attempt_at <= %s)"],
            [
                QueuedMail.Status.PENDING,
                now,
            ],
        )
        if scope is not None:
            where.append(f"{model._meta.get_field(queue.scope_field).column} = %s")
            params.append(scope)
        if rows is not None:
            where.append(f"{column} = ANY(%s)")
            params.append(list(rows))
        # Table and column names come from the model; every value is a parameter.
        sql = (
            f'UPDATE "{table}" AS t SET next_attempt_at = %s '  # noqa: S608
            f'FROM (SELECT "{column}" AS id, next_attempt_at AS before FROM "{table}" '
            f'WHERE {" AND ".join(where)} ORDER BY "{column}" LIMIT %s '
            "FOR UPDATE SKIP LOCKED) AS c "
            f'WHERE t."{column}" = c.id RETURNING c.id, c.before'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [token, *params, size])
            before = dict(cursor.fetchall())
    else:
        # SQLite and others: one writer at a time; the UPDATE checks again that each row is
        # still due, so a row is leased by one sender only.
        with transaction.atomic():
            due = due_rows(queue, scope=scope, now=now)
            if rows is not None:
                due = due.filter(pk__in=rows)
            before = dict(due.order_by("pk").values_list("pk", "next_attempt_at")[:size])
            due_rows(queue, scope=scope, now=now).filter(pk__in=before).update(
                next_attempt_at=token
            )
        before = {
            pk: before[pk]
            for pk in model.objects.filter(pk__in=before, next_attempt_at=token).values_list(
                "pk", flat=True
            )
        }
    if not before:
        return []
    leased = model.objects.filter(pk__in=before).select_related(*queue.select_related)
    return [
        _Leased(row=row, token=token, before=before[row.pk])
        for row in sorted(leased, key=lambda row: row.pk)
    ]


def _mark_sent(queue: MailQueue, item: _Leased) -> None:
    # One plain statement (no ORM compilation): it runs once per message sent.
    model = queue.model
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET status = %s, sent_at = %s, next_attempt_at = NULL, '  # noqa: S608
            f'attempts = attempts + 1 WHERE "{column}" = %s AND status = %s '
            "AND next_attempt_at = %s",
            [QueuedMail.Status.SENT, item.at, item.row.pk, QueuedMail.Status.PENDING, item.token],
        )
        kept = cursor.rowcount
    if not kept:
        logger.warning("Mail %s #%s: lease lost while sending", queue.name, item.row.pk)


def _record_rest(queue: MailQueue, batch: list[_Leased]) -> None:
    """Write what is not a sent mark in one statement: retries with their time, failures, and
    rows given back unsent (due again as they were)."""
    rest = [item for item in batch if item.outcome != "sent"]
    if not rest:
        return
    for item in rest:
        if not item.outcome:
            item.row.next_attempt_at = item.before
    token = rest[0].token
    queue.model.objects.filter(status=QueuedMail.Status.PENDING, next_attempt_at=token).bulk_update(
        [item.row for item in rest], ["status", "attempts", "last_error", "next_attempt_at"]
    )


def _send_one(queue: MailQueue, item: _Leased, run: SendRun, result: DrainResult) -> bool:
    """Send one leased row and note the outcome; False if the SMTP connection broke."""
    row = item.row
    try:
        raw = run.raw_sender() is not None and queue.raw_message is not None
        message = queue.raw_message(row, run) if raw else queue.build_message(row, run)
        connection_ = run.connection()
        if raw:
            connection_.connection.sendmail(message.from_email, message.recipients, message.data)
        else:
            message.connection = connection_
            message.send()
    except Undeliverable as reason:
        row.attempts += 1
        row.status, row.last_error = QueuedMail.Status.FAILED, str(reason)
        item.outcome = "failed"
        result.failed += 1
        return True
    except Exception as error:  # noqa: BLE001 - every SMTP failure is recorded on the row
        logger.warning("Mail %s #%s to %s: %s", queue.name, row.pk, recipient(row), error)
        row.attempts += 1
        row.last_error = str(error)[:2000]
        if is_temporary(error) and row.attempts < queue.max_attempts():
            row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
            item.outcome = "retry"
            result.retry += 1
        else:
            row.status = QueuedMail.Status.FAILED
            item.outcome = "failed"
            result.failed += 1
        run.reset_connection()  # a broken connection is opened anew for the next message
        return False
    item.outcome, item.at = "sent", timezone.now()
    _mark_sent(queue, item)
    result.sent += 1
    return True


def _warm_up(queue: MailQueue, row: QueuedMail, run: SendRun) -> None:
    """Build one message before the slice's first slot and throw it away: the first message of
    a process is slow to build (templates compiled, an issue's attachments read), and built
    inside its slot it would go out late, right before the next slot's message."""
    try:
        run.connection()
        if run.raw_sender() is not None and queue.raw_message is not None:
            queue.raw_message(row, run)
        else:
            queue.build_message(row, run).message()
    except Exception:  # noqa: BLE001 - the real attempt records what is wrong with the row
        logger.debug("Building mail %s #%s ahead failed", queue.name, row.pk, exc_info=True)


def _wait_until(moment: datetime | None, lease: Lease | None) -> bool:
    """Sleep until ``moment``, keeping the lease; False if the lease was lost meanwhile."""
    while moment is not None:
        remaining = (moment - timezone.now()).total_seconds()
        if remaining <= 0:
            break
        time.sleep(min(remaining, _lease_seconds() / 4))
        if lease is not None and not lease.renew():
            return False
    return True


@contextmanager
def _quick_commits():
    """PostgreSQL: commit the sent marks without waiting for the disk (see above)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except Exception:  # noqa: BLE001 - a broken connection is discarded anyway
            logger.debug("Resetting synchronous_commit failed", exc_info=True)


def _batch_size(limits, *, limit: int | None, handled: int) -> int:
    interval = send_interval(limits)
    size = BATCH_SIZE if not interval else max(int(BATCH_SECONDS / interval), 1)
    return size if limit is None else max(min(size, limit - handled), 1)


def drain(
    queue: MailQueue,
    *,
    scope: int | None = None,
    rows=None,
    budget_seconds: float | None = None,
    limit: int | None = None,
    lease: Lease | None = None,
) -> DrainResult:
    """Send due rows of ``queue`` (of one scope, or among the primary keys ``rows``) until none
    is left, the time budget is used up or ``limit`` rows were handled."""
    result = DrainResult()
    deadline = None if budget_seconds is None else time.monotonic() + budget_seconds
    limits = _rate_limits(queue, scope)
    interval = send_interval(limits)
    run = SendRun()
    try:
        with _quick_commits():
            while True:
                # Every slice sends at least one row, so handing over always makes progress.
                out_of_time = deadline is not None and time.monotonic() >= deadline
                if (out_of_time and result.handled) or (
                    limit is not None and result.handled >= limit
                ):
                    result.more = due_rows(queue, scope=scope).exists()
                    return result
                if lease is not None and not lease.renew():
                    return result  # silent too long: another sender has taken over
                try:
                    run.connection()
                except Exception as error:  # noqa: BLE001
                    # The server is down: stop without using up anybody's attempt; the sweep
                    # tries again in a minute.
                    logger.warning("Mail %s: SMTP server not reachable: %s", queue.name, error)
                    return result
                size = _batch_size(limits, limit=limit, handled=result.handled)
                batch = lease_batch(queue, scope=scope, rows=rows, size=size)
                if not batch:
                    return result  # nothing due, or the rest is being sent by others
                if not _send_batch(queue, batch, run, result, lease, limits, interval, deadline):
                    return result
    finally:
        run.close()


def _send_batch(queue, batch, run, result, lease, limits, interval, deadline) -> bool:
    """Send a leased batch, each message in its send slot; False: stop this sender."""
    leased_at = time.monotonic()
    try:
        if not result.handled:
            _warm_up(queue, batch[0].row, run)
        # Only a sender with something to send takes the shared send slots, one per row.
        first = reserve_send_slot(limits, count=len(batch))
        if (
            deadline is not None
            and result.handled
            and first is not None
            and first > timezone.now() + timedelta(seconds=deadline - time.monotonic())
        ):
            # A slow rate: waiting would run past the slice (and a stop's grace period). The
            # slots are given up, the rows given back; the next slice reserves anew.
            result.more = True
            return False
        for index, item in enumerate(batch):
            slot = None if first is None else first + timedelta(seconds=index * interval)
            if not _wait_until(slot, lease):
                return False
            if time.monotonic() - leased_at > _lease_seconds() / 2 or (
                deadline is not None and result.handled and time.monotonic() >= deadline
            ):
                return True  # the rest is given back, leased anew by the next slice
            if not _send_one(queue, item, run, result):
                try:
                    run.connection()
                except Exception as error:  # noqa: BLE001
                    logger.warning("Mail %s: SMTP server not reachable: %s", queue.name, error)
                    return False
        return True
    finally:
        _record_rest(queue, batch)


def run_sender(queue_name: str, *, scope: int | None = None) -> DrainResult | None:
    """One sender's slice of work (the ``send_mail`` task): take a free slot of the queue,
    send for at most MAIL_SENDER_SLICE_SECONDS, then hand over to a new task if rows are left.
    Returns None when every slot was taken."""
    queue = get_queue(queue_name)
    lease = Lease(name=_lease_name(queue, scope), slots=queue.parallel_senders())
    if not lease.acquire():
        return None
    try:
        result = drain(
            queue, scope=scope, budget_seconds=settings.MAIL_SENDER_SLICE_SECONDS, lease=lease
        )
    finally:
        lease.release()
    if result.more:
        kick(queue_name, scope=scope, senders=1)
    elif queue.on_drained is not None:
        queue.on_drained(scope)
    return result
