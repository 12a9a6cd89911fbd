from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .text import validate_multi_line, validate_single_line


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


class ActivityEntry(models.Model):
    """One entry of the activity log (Protokoll): who did what, when, to which object.

    Written only by ``network_portal.activity.log_activity``, in the transaction of the change,
    so an entry exists exactly when its change does. Who: ``actor`` is the user who acted
    (``actor_label`` keeps how they were called then); without a user, ``process`` names the
    way the change came (beat, a worker, a command, a webhook, a signed link, the website's
    form) and ``actor_label`` the anonymous person, if any (e.g. the address that
    unsubscribed). The object is kept by type and id and, for reading after it is gone, by
    the label it had; ``details`` holds what matters (old and new status, recipients of a mass
    mail, the reason given), described per action in the apps' ``activity.py``. Erasure under
    the GDPR keeps the entry and removes the personal data in it
    (``personal_data_erased_at``).
    """

    class Process(models.TextChoices):
        BEAT = "beat", _("schedule (beat)")
        WORKER = "worker", _("background process (worker)")
        COMMAND = "command", _("command (manage.py)")
        WEBHOOK = "webhook", _("webhook")
        LINK = "link", _("link from an email")
        FORM = "form", _("form on the website")

    at = models.DateTimeField(
        pgettext_lazy("activity log", "When"), default=timezone.now, db_index=True, editable=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Who"),
    )
    actor_label = models.CharField(_("Who (as recorded)"), max_length=300, blank=True)
    process = models.CharField(
        _("Triggered by"), max_length=20, choices=Process.choices, blank=True
    )
    action = models.CharField(_("Action"), max_length=100, db_index=True)
    object_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Kind of object"),
    )
    object_id = models.CharField(_("Object ID"), max_length=64, blank=True)
    object_label = models.CharField(_("Concerning"), max_length=300, blank=True)
    details = models.JSONField(_("Details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    personal_data_erased_at = models.DateTimeField(
        _("Personal data erased on"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="activity_object_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class MailText(models.Model):
    """A coordinator's own words for one kind of mail in one language: the subject and the
    opening text (Markdown, with placeholders such as ``{{ titel }}``), in place of the text
    the portal ships. Without a row the shipped text is used; deleting the row goes back to
    it. The kinds and their placeholders are registered by the apps
    (:mod:`network_portal.mail_texts`)."""

    kind = models.CharField(_("Kind of mail"), max_length=100)
    language = models.CharField(_("Language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("Subject"), max_length=200, validators=[validate_single_line])
    body = models.TextField(_("Opening text"), max_length=4000, validators=[validate_multi_line])
    updated_at = models.DateTimeField(_("Changed at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Changed by"),
    )

    class Meta:
        verbose_name = _("standard text of a mail")
        verbose_name_plural = _("standard texts of the mails")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="one_mail_text_per_language")
        ]

    def __str__(self):
        from .mail_texts import mail_kind

        kind = mail_kind(self.kind)
        label = kind.label if kind is not None else self.kind
        return f"{label} ({self.get_language_display()})"
