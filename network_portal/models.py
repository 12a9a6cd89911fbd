from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMail(models.Model):
    """One mail to one recipient for one purpose.

    The unique ``key`` (e.g. ``company:7:approved``) makes every mail idempotent: a service
    that runs twice finds the row and writes nothing; the send task only sends pending rows.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")

    key = models.CharField(_("Schlüssel"), max_length=200, unique=True)
    to = models.EmailField(_("Empfänger"))
    from_email = models.CharField(_("Absender"), max_length=254)
    subject = models.CharField(_("Betreff"), max_length=300)
    body_text = models.TextField(_("Text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("Kopfzeilen"), default=dict, blank=True)
    language = models.CharField(_("Sprache"), max_length=10)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("erstellt"), auto_now_add=True)
    sent_at = models.DateTimeField(_("gesendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("ausgehende E-Mail")
        verbose_name_plural = _("ausgehende E-Mails")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.to}: {self.subject}"
