from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QueuedMail(models.Model):
    """What the one sender (``network_portal.sending``) needs of a row it sends.

    The outbox and the newsletter's deliveries both are such rows: pending until the SMTP server
    took them, retried after a back-off on temporary errors, failed after the last attempt.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("mail status", "pending")
        SENT = "sent", pgettext_lazy("mail status", "sent")
        FAILED = "failed", pgettext_lazy("mail status", "failed")

    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("Next attempt"), null=True, blank=True)
    last_error = models.TextField(_("Last error"), blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Sent at"), null=True, blank=True)

    class Meta:
        abstract = True


class OutboxMail(QueuedMail):
    """One mail to one recipient for one purpose.

    The unique ``key`` (e.g. ``company:7:approved``) makes every mail idempotent: a service
    that runs twice finds the row and writes nothing; the sender only sends pending rows.
    """

    key = models.CharField(_("Key"), max_length=200, unique=True)
    to = models.EmailField(_("Recipient"))
    from_email = models.CharField(_("Sender"), max_length=254)
    subject = models.CharField(_("Subject"), max_length=300)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("Headers"), default=dict, blank=True)
    # [{"filename": ..., "content": <text>, "mimetype": ...}], e.g. a calendar entry.
    attachments = models.JSONField(_("Attachments"), default=list, blank=True)
    language = models.CharField(_("Language"), max_length=10)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["sent_at"]),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class SendRate(models.Model):
    """A rate limit shared by every sender in every process: the earliest moment the next
    message under this key may go out (``network_portal.sending.reserve_send_slot``)."""

    key = models.CharField(max_length=100, unique=True)
    next_slot_at = models.DateTimeField()

    def __str__(self):
        return self.key


class SenderLease(models.Model):
    """One of a queue's sender slots. A sender holds a slot while it works and renews it after
    each message; a slot whose holder died frees itself when ``expires_at`` has passed."""

    queue = models.CharField(max_length=100)
    slot = models.PositiveSmallIntegerField()
    holder = models.CharField(max_length=64, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["queue", "slot"], name="one_lease_per_queue_slot")
        ]

    def __str__(self):
        return f"{self.queue}#{self.slot}"


class Heartbeat(models.Model):
    """When a background process last showed it is alive (``worker``, ``beat``): read by the
    readiness check."""

    name = models.CharField(max_length=50, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.seen_at:%Y-%m-%d %H:%M:%S}"
