from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import ContactPerson
from network_portal.models import QueuedMail
from network_portal.text import validate_multi_line, validate_single_line
from network_portal.uploads import RandomFileName


class MailingList(models.Model):
    """A list an issue can be sent to.

    ``members`` lists follow the contact persons of active member companies who want the
    newsletter (optionally only those with one function, e.g. HR); ``public`` lists are joined
    on the website with double opt-in.
    """

    class Kind(models.TextChoices):
        MEMBERS = "members", _("member contacts (kept in sync)")
        PUBLIC = "public", _("public sign-up (double opt-in)")

    name = models.CharField(_("Name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("Short name"), unique=True)
    description = models.TextField(_("Description"), blank=True, validators=[validate_multi_line])
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices)
    contact_function = models.CharField(
        _("Only contacts with this function"),
        max_length=20,
        choices=ContactPerson.Function.choices,
        blank=True,
        help_text=_("For member lists: leave empty for all contacts."),
    )

    class Meta:
        verbose_name = _("Mailing list")
        verbose_name_plural = _("Mailing lists")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class Subscriber(models.Model):
    """An email address on one or more lists; the person behind it as far as we know it."""

    class Salutation(models.TextChoices):
        MS = "ms", pgettext_lazy("salutation", "Ms")
        MR = "mr", pgettext_lazy("salutation", "Mr")
        NONE = "", _("not specified")

    email = models.EmailField(_("Email address"), unique=True, validators=[validate_single_line])
    salutation = models.CharField(
        _("Salutation"), max_length=5, choices=Salutation.choices, blank=True
    )
    title = models.CharField(
        _("Title"), max_length=50, blank=True, validators=[validate_single_line]
    )
    first_name = models.CharField(
        _("First name"), max_length=100, blank=True, validators=[validate_single_line]
    )
    last_name = models.CharField(
        _("Last name"), max_length=100, blank=True, validators=[validate_single_line]
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="newsletter_subscribers",
        verbose_name=_("Contact person"),
    )
    language = models.CharField(
        _("Language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    suppressed_at = models.DateTimeField(_("Suppressed since"), null=True, blank=True)
    suppression_reason = models.CharField(_("Reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Subscriber")
        verbose_name_plural = _("Subscribers")
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Subscription(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
        ENDED = "ended", _("no longer a member contact")

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("Subscriber"),
    )
    mailing_list = models.ForeignKey(
        MailingList,
        on_delete=models.CASCADE,
        related_name="subscriptions",
        verbose_name=_("Mailing list"),
    )
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices)
    source = models.CharField(_("Source"), max_length=30)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("Confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("Unsubscribed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Subscription")
        verbose_name_plural = _("Subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "mailing_list"], name="one_subscription_per_list"
            )
        ]

    def __str__(self):
        return f"{self.subscriber} – {self.mailing_list}"


class ConsentRecord(models.Model):
    """Proof of consent: what was agreed to, when, from which form, and when it was confirmed."""

    class Action(models.TextChoices):
        REQUESTED = "requested", _("requested")
        CONFIRMED = "confirmed", _("confirmed")
        WITHDRAWN = "withdrawn", _("withdrawn")

    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.CASCADE,
        related_name="consent_records",
        verbose_name=_("Subscriber"),
    )
    mailing_list = models.ForeignKey(
        MailingList,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Mailing list"),
    )
    action = models.CharField(_("Action"), max_length=10, choices=Action.choices)
    form = models.CharField(_("Form"), max_length=100)
    consent_text = models.TextField(_("Text agreed to"), blank=True)
    created_at = models.DateTimeField(_("At"), auto_now_add=True)

    class Meta:
        verbose_name = _("Consent record")
        verbose_name_plural = _("Consent records")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.subscriber} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class Issue(models.Model):
    """One edition (Ausgabe) of the newsletter."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("issue status", "draft")
        SCHEDULED = "scheduled", pgettext_lazy("issue status", "scheduled")
        SENDING = "sending", pgettext_lazy("issue status", "sending")
        SENT = "sent", pgettext_lazy("issue status", "sent")

    subject = models.CharField(_("Subject"), max_length=200, validators=[validate_single_line])
    preheader = models.CharField(
        _("Preheader"),
        max_length=200,
        blank=True,
        help_text=_("The short line mail programs show after the subject."),
        validators=[validate_single_line],
    )
    body = models.TextField(_("Text (Markdown)"), validators=[validate_multi_line])
    lists = models.ManyToManyField(MailingList, related_name="issues", verbose_name=_("Lists"))
    is_public = models.BooleanField(
        _("Show in the public archive"),
        default=False,
        help_text=_("Otherwise the issue appears in the members-only archive."),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    scheduled_at = models.DateTimeField(_("Send at"), null=True, blank=True)
    sending_started_at = models.DateTimeField(_("Sending started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("Sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Created by"),
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Issue")
        verbose_name_plural = _("Issues")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


# A random name on disk; the mail uses the cleaned original name (``filename``).
# Named, as the first migration refers to it by this name.
attachment_upload_to = RandomFileName("private/newsletter/")


class IssueAttachment(models.Model):
    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("Issue")
    )
    file = models.FileField(_("File"), upload_to=attachment_upload_to)
    filename = models.CharField(_("File name"), max_length=200, validators=[validate_single_line])
    content_type = models.CharField(_("File type"), max_length=100, editable=False)

    class Meta:
        verbose_name = _("Attachment")
        verbose_name_plural = _("Attachments")

    def __str__(self):
        return self.filename


class Delivery(QueuedMail):
    """One issue to one address: the unit that is sent once and only once."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("Issue")
    )
    subscriber = models.ForeignKey(
        Subscriber,
        on_delete=models.SET_NULL,
        null=True,
        related_name="deliveries",
        verbose_name=_("Subscriber"),
    )
    email = models.CharField(_("Email address"), max_length=254)

    class Meta:
        verbose_name = _("Delivery")
        verbose_name_plural = _("Deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "email"],
                condition=~Q(email=""),
                name="one_delivery_per_issue_and_address",
            )
        ]
        indexes = [
            models.Index(fields=["issue", "status", "id"]),
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["sent_at"]),
        ]

    def __str__(self):
        return f"{self.issue} → {self.email}"


class Bounce(models.Model):
    class Kind(models.TextChoices):
        HARD = "hard", _("hard (address does not exist)")
        SOFT = "soft", _("soft (temporary)")

    email = models.EmailField(_("Email address"), db_index=True)
    kind = models.CharField(_("Kind"), max_length=4, choices=Kind.choices)
    diagnostic = models.TextField(_("Diagnostic"), blank=True)
    source = models.CharField(_("Reported by"), max_length=30)
    # What reported it, so a report read or posted twice counts once: the bounce mail's
    # Message-ID, or the provider's event id (empty: the JSON webhook and the command).
    reference = models.CharField(_("Bounce report"), max_length=300, blank=True, editable=False)
    received_at = models.DateTimeField(_("Received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Bounce")
        verbose_name_plural = _("Bounces")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "reference"],
                condition=~Q(reference=""),
                name="one_bounce_per_report_and_address",
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.kind})"
