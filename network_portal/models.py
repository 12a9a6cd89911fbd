from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboxMail(models.Model):
    """One mail to one recipient for one purpose.

    The unique ``key`` (e.g. ``company:7:approved``) makes every mail idempotent: a service
    that runs twice finds the row and writes nothing; the send task only sends pending rows.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("mail status", "pending")
        SENT = "sent", pgettext_lazy("mail status", "sent")
        FAILED = "failed", pgettext_lazy("mail status", "failed")

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
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("Attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.to}: {self.subject}"
