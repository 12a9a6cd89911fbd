"""The one sender: every mail the portal sends leaves through here.

Apps keep what is to be sent as rows (:class:`network_portal.models.QueuedMail`): the outbox's
``OutboxMail``, the newsletter's ``Delivery``. Each kind registers a :class:`MailQueue` that says
how a row becomes a message. A service writes the rows in the transaction of the change that
causes them and calls :func:`kick` after commit; the sender then:

- works in **slices** of ``MAIL_SENDER_SLICE_SECONDS`` and hands over to a new task, so a worker
  asked to stop (SIGTERM) finishes within its grace period instead of being killed mid-send;
- holds one of the queue's **sender slots** (:class:`SenderLease`) while it works, so the number
  of senders stays bounded however often beat or a service kicks;
- **claims** one due row at a time (``FOR UPDATE SKIP LOCKED``, re-checking that it is still
  pending and its retry time has come) and marks it sent in the same transaction right after the
  SMTP server took it: a worker killed at any moment leaves the row pending, never half-done;
- waits for a **send slot** shared by every process (:class:`SendRate`, in the database): one
  per ``MAIL_RATE_PER_SECOND`` overall and one per scope, e.g. per newsletter issue;
- **backs off** on temporary SMTP errors (4xx, lost connection) and fails a row on a permanent
  one or after the queue's last attempt.

Beat's :func:`sweep` kicks every queue that has due rows, so whatever a dead worker, a lost
task or an emptied broker left behind goes out within a minute or two of a worker running.
The one duplicate no design removes: a worker killed after the SMTP server accepted a message
and before the commit that marks it sent sends it again (README, "Reliability").
"""

import logging
import re
import smtplib
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

import kombu.exceptions
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
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


def reserve_send_slot(limits: list[tuple[str, float]]) -> datetime | None:
    """Reserve the next moment a message may go out under every one of ``limits`` (key,
    messages per second; 0 means unlimited) and return it; None if nothing limits.

    The slots live in the database, so every sender in every process shares them: however many
    workers send, the messages under one key go out at most ``rate`` per second.
    """
    limits = sorted((key, rate) for key, rate in limits if rate and rate > 0)
    if not limits:
        return None
    keys = [key for key, _rate in limits]
    for key in keys:
        SendRate.objects.get_or_create(key=key, defaults={"next_slot_at": EPOCH})
    with transaction.atomic():
        rows = list(SendRate.objects.select_for_update().filter(key__in=keys).order_by("key"))
        start = max([timezone.now(), *(row.next_slot_at for row in rows)])
        for row, (_key, rate) in zip(rows, limits, strict=True):
            row.next_slot_at = start + timedelta(seconds=1 / rate)
            row.save(update_fields=["next_slot_at"])
    return start


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


def _deliver(queue: MailQueue, row: QueuedMail, run: SendRun, result: DrainResult) -> None:
    """Send one claimed row and record the outcome on it (inside the claim's transaction)."""
    row.attempts += 1
    try:
        message = queue.build_message(row, run)
        message.connection = run.connection()
        message.send()
    except Undeliverable as reason:
        row.status, row.last_error = QueuedMail.Status.FAILED, str(reason)
        result.failed += 1
    except Exception as error:  # noqa: BLE001 - every SMTP failure is recorded on the row
        logger.warning("Mail %s #%s to %s: %s", queue.name, row.pk, recipient(row), error)
        row.last_error = str(error)[:2000]
        if is_temporary(error) and row.attempts < queue.max_attempts():
            row.next_attempt_at = timezone.now() + retry_delay(row.attempts)
            result.retry += 1
        else:
            row.status = QueuedMail.Status.FAILED
            result.failed += 1
        run.reset_connection()  # a broken connection is opened anew for the next message
    else:
        row.status, row.sent_at, row.next_attempt_at = QueuedMail.Status.SENT, timezone.now(), None
        result.sent += 1
    row.save(update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])


def _warm_up(queue: MailQueue, row: QueuedMail, run: SendRun) -> None:
    """Build one message before the slice's first slot and throw it away: the first message of
    a process is slow to build (templates compiled, an issue's attachments read), and built
    inside its slot it would go out late, right before the next slot's message."""
    try:
        queue.build_message(row, run)
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


def _claim_next(queue: MailQueue, *, scope: int | None, rows):
    """Lock and return the oldest due row no other sender holds, or None. Call inside a
    transaction: the lock is held until the row's outcome is committed."""
    due = due_rows(queue, scope=scope)
    if rows is not None:
        due = due.filter(pk__in=rows)
    return (
        due.select_for_update(skip_locked=True, of=("self",))
        .select_related(*queue.select_related)
        .order_by("pk")
        .first()
    )


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
    run = SendRun()
    slot = None  # a reserved send slot is kept until a row is actually sent in it
    try:
        while True:
            # Every slice sends at least one row, so handing over always makes progress.
            out_of_time = deadline is not None and time.monotonic() >= deadline
            if (out_of_time and result.handled) or (limit is not None and result.handled >= limit):
                result.more = due_rows(queue, scope=scope).exists()
                return result
            if lease is not None and not lease.renew():
                return result  # silent too long: another sender has taken over
            if slot is None:
                # Only a sender with something to send takes one of the shared send slots.
                upcoming = due_rows(queue, scope=scope).order_by("pk").first()
                if upcoming is None:
                    return result
                if not result.handled:
                    _warm_up(queue, upcoming, run)
                slot = reserve_send_slot(limits)
                if (
                    deadline is not None
                    and result.handled
                    and slot is not None
                    and slot > timezone.now() + timedelta(seconds=deadline - time.monotonic())
                ):
                    # A slow rate: waiting would run past the slice (and a stop's grace
                    # period). The slot is given up; the next slice reserves anew.
                    result.more = True
                    return result
                if not _wait_until(slot, lease):
                    return result
            try:
                run.connection()
            except Exception as error:  # noqa: BLE001
                # The server is down: stop without using up anybody's attempt; the sweep
                # tries again in a minute.
                logger.warning("Mail %s: SMTP server not reachable: %s", queue.name, error)
                return result
            with transaction.atomic():
                # Due is checked under the lock: a retry whose time has not come is left
                # alone, whichever sender looks.
                row = _claim_next(queue, scope=scope, rows=rows)
                if row is None:
                    return result  # nothing due, or the rest is being sent by others
                _deliver(queue, row, run, result)
            slot = None
    finally:
        run.close()


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
