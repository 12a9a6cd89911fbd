import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Company
from network_portal.cache_versions import GenerationQuerySet
from network_portal.signing import absolute_url
from network_portal.text import validate_multi_line, validate_single_line
from network_portal.uploads import RandomFileName


class AwardCycle(models.Model):
    """One round of the seal (e.g. "2027") with its dated phases and its criteria catalogue."""

    name = models.CharField(
        _("Name"),
        max_length=50,
        unique=True,
        help_text=_("e.g. 2027"),
        validators=[validate_single_line],
    )
    slug = models.SlugField(_("Short name"), unique=True)
    criteria_published_on = models.DateField(_("Criteria published on"))
    applications_open_at = models.DateTimeField(_("Applications open at"))
    deadline = models.DateTimeField(_("Application deadline"))
    jury_review_until = models.DateField(_("Jury review until"))
    decision_on = models.DateField(_("Decision on"))
    ceremony_on = models.DateField(_("Award ceremony on"))
    validity_years = models.PositiveSmallIntegerField(
        _("Seal valid for (years)"), default=4, validators=[MinValueValidator(1)]
    )
    award_threshold = models.DecimalField(
        _("Award threshold (0–100)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # Scoring opens after the application deadline; a coordinator may open it earlier on
    # purpose (logged), e.g. for applications handed in long before the deadline.
    scoring_opened_at = models.DateTimeField(_("Scoring opened early at"), null=True, blank=True)
    # Nothing of the cycle's result is public before the ceremony, unless a coordinator
    # publishes early on purpose (logged).
    published_at = models.DateTimeField(_("Published early at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    # Queryset writes change the cached seal page too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Award cycle")
        verbose_name_plural = _("Award cycles")
        ordering = ["-applications_open_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("applications_open_at")),
                name="cycle_deadline_after_opening",
                violation_error_message=_("The deadline must be after the opening."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def accepts_applications(self) -> bool:
        return self.applications_open_at <= timezone.now() <= self.deadline

    @property
    def scoring_open(self) -> bool:
        """Jurors may score: the application deadline has passed, or scoring was opened early."""
        return self.scoring_opened_at is not None or timezone.now() > self.deadline

    @property
    def is_published(self) -> bool:
        """The cycle's holders are public: from the award ceremony on, or published early."""
        return self.published_at is not None or timezone.localdate() >= self.ceremony_on

    @property
    def catalogue_frozen(self) -> bool:
        """Once the first application is submitted, the criteria may no longer change (also
        after that application is reopened: jurors may have scored it)."""
        return self.applications.filter(
            models.Q(submitted_at__isnull=False) | models.Q(reopened_at__isnull=False)
        ).exists()


class Category(models.Model):
    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.CASCADE, related_name="categories", verbose_name=_("Cycle")
    )
    name = models.CharField(_("Name"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("Description"), blank=True, validators=[validate_multi_line])
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "Position"), default=0)

    # Queryset writes change the cached seal page too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Category")
        verbose_name_plural = _("Categories")
        ordering = ["cycle", "position", "pk"]

    def __str__(self):
        return self.name


class Criterion(models.Model):
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("Category")
    )
    question = models.CharField(_("Question"), max_length=500, validators=[validate_single_line])
    guidance = models.TextField(_("Guidance"), blank=True, validators=[validate_multi_line])
    scale_max = models.PositiveSmallIntegerField(
        _("Highest level (points)"), default=4, validators=[MinValueValidator(1)]
    )
    weight = models.DecimalField(
        _("Weight"),
        max_digits=4,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )
    evidence_required = models.BooleanField(_("Evidence required"), default=False)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "Position"), default=0)
    # The criterion of an earlier cycle this one was copied from: a re-application starts from
    # the company's answer to it.
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("Copied from"),
    )

    # Queryset writes change the cached seal page too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Criterion")
        verbose_name_plural = _("Criteria")
        ordering = ["category__position", "position", "pk"]

    def __str__(self):
        return self.question


class ScaleLevel(models.Model):
    """What a number of points means for one criterion, e.g. 0 = "not offered"."""

    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="levels", verbose_name=_("Criterion")
    )
    points = models.PositiveSmallIntegerField(_("Points"))
    description = models.CharField(
        _("Description"), max_length=300, validators=[validate_single_line]
    )

    # Queryset writes change the cached seal page too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Scale level")
        verbose_name_plural = _("Scale levels")
        ordering = ["criterion", "points"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "points"], name="one_level_per_points")
        ]

    def __str__(self):
        return f"{self.points}: {self.description}"


class Application(models.Model):
    class Decision(models.TextChoices):
        AWARDED = "awarded", _("awarded")
        NOT_AWARDED = "not_awarded", _("not awarded")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="applications", verbose_name=_("Cycle")
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.PROTECT,
        related_name="seal_applications",
        verbose_name=_("Company"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Started by"),
    )
    submitted_at = models.DateTimeField(_("Submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Submitted by"),
    )
    reopened_at = models.DateTimeField(_("Reopened at"), null=True, blank=True)
    decision = models.CharField(_("Decision"), max_length=12, choices=Decision.choices, blank=True)
    decision_note = models.TextField(
        _("Note on the decision"), blank=True, validators=[validate_multi_line]
    )
    # Set when a decision was made before every assigned juror had submitted scores.
    decision_override_reason = models.TextField(
        _("Reason for deciding without all scores"), blank=True, validators=[validate_multi_line]
    )
    decided_at = models.DateTimeField(_("Decided at"), null=True, blank=True)
    decision_sent_at = models.DateTimeField(_("Decision sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Changed at"), auto_now=True)

    # Queryset writes change the cached cockpit too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Application")
        verbose_name_plural = _("Applications")
        ordering = ["cycle", "company__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "company"], name="one_application_per_cycle")
        ]

    def __str__(self):
        return f"{self.company} – {self.cycle}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def status_label(self):
        """The state as coordinators see it (companies see a decision only once it is sent)."""
        if self.decision:
            return self.get_decision_display()
        if self.is_submitted:
            return pgettext_lazy("application", "submitted")
        return pgettext_lazy("application", "draft")


class Answer(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("Application"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("Criterion")
    )
    self_assessment = models.PositiveSmallIntegerField(_("Self-assessment"), null=True, blank=True)
    explanation = models.TextField(
        _("Explanation"), blank=True, max_length=5000, validators=[validate_multi_line]
    )
    # A re-application starts with the company's answer of its last application: the company
    # is asked to review it before submitting.
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Carried over from"),
    )
    needs_review = models.BooleanField(_("To be reviewed"), default=False)
    updated_at = models.DateTimeField(_("Changed at"), auto_now=True)

    class Meta:
        verbose_name = _("Answer")
        verbose_name_plural = _("Answers")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_answer_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.application}: {self.criterion}"


# Named, as the first migration refers to it by this name.
evidence_upload_to = RandomFileName("private/seal/")


class Evidence(models.Model):
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("Answer")
    )
    file = models.FileField(_("File"), upload_to=evidence_upload_to)
    original_name = models.CharField(
        _("File name"), max_length=200, validators=[validate_single_line]
    )
    content_type = models.CharField(_("File type"), max_length=100)
    size = models.PositiveIntegerField(_("Size"))
    # Documents such as a certification expire; expired evidence is not carried over.
    valid_until = models.DateField(_("Evidence valid until"), null=True, blank=True)
    carried_over = models.BooleanField(_("Carried over from the last application"), default=False)
    uploaded_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Evidence")
        verbose_name_plural = _("Evidence")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class JurorAssignment(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("Application"),
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jury_assignments",
        verbose_name=_("Juror"),
    )
    conflict_declared_at = models.DateTimeField(
        _("Conflict of interest declared at"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("Scores submitted at"), null=True, blank=True)
    # The juror was mailed about this assignment (one mail lists all new assignments).
    notified_at = models.DateTimeField(_("Juror notified at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("Last reminder at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Assigned at"), auto_now_add=True)

    # Queryset writes change the cached cockpit too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Jury assignment")
        verbose_name_plural = _("Jury assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "juror"], name="one_assignment_per_juror"
            )
        ]

    def __str__(self):
        return f"{self.juror} → {self.application}"


class Score(models.Model):
    assignment = models.ForeignKey(
        JurorAssignment,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=_("Assignment"),
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="scores", verbose_name=_("Criterion")
    )
    points = models.PositiveSmallIntegerField(_("Points"))
    comment = models.TextField(
        _("Comment"), blank=True, max_length=2000, validators=[validate_multi_line]
    )

    # Queryset writes change the cached ranking too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Score")
        verbose_name_plural = _("Scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.assignment}: {self.criterion} = {self.points}"


def new_verification_code() -> str:
    return secrets.token_hex(6).upper()


class Certificate(models.Model):
    """The awarded seal: its verification code proves it is genuine while it is valid."""

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("Application"),
    )
    verification_code = models.CharField(
        _("Verification code"), max_length=20, unique=True, default=new_verification_code
    )
    issued_on = models.DateField(_("Issued on"))
    valid_until = models.DateField(_("Valid until"))
    revoked_at = models.DateTimeField(_("Revoked at"), null=True, blank=True)
    revocation_reason = models.TextField(
        _("Reason for the revocation"), blank=True, validators=[validate_multi_line]
    )
    # The company's admins are reminded six and two months before the seal expires.
    reminded_6_months_at = models.DateTimeField(
        _("Reminded six months before expiry at"), null=True, blank=True
    )
    reminded_2_months_at = models.DateTimeField(
        _("Reminded two months before expiry at"), null=True, blank=True
    )

    # Queryset writes change the cached seal page too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Certificate")
        verbose_name_plural = _("Certificates")
        ordering = ["-issued_on"]

    def __str__(self):
        return f"{self.application.company} ({self.verification_code})"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None and timezone.localdate() <= self.valid_until

    def verify_url(self) -> str:
        """The public page that confirms the certificate, as printed on it and in its QR code."""
        return absolute_url(reverse("seal:verify", args=[self.verification_code]))

    def badge_url(self) -> str:
        """The seal image a company shows on its website, linked to :meth:`verify_url`."""
        return absolute_url(reverse("seal:badge", args=[self.verification_code]))


class HolderProfile(models.Model):
    """What a seal holder shows on its public page, with its consent: what it offers its staff,
    chosen answers of its awarded application, links to its jobs and apprenticeships."""

    company = models.OneToOneField(
        Company,
        on_delete=models.CASCADE,
        related_name="holder_profile",
        verbose_name=_("Company"),
    )
    public = models.BooleanField(
        _("Show a public page for our seal"),
        default=False,
        help_text=_("Only while the company holds a valid seal."),
    )
    consent_given_at = models.DateTimeField(_("Consent given at"), null=True, blank=True)
    consent_given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Consent given by"),
    )
    offer = models.TextField(
        _("What we offer our staff"),
        blank=True,
        max_length=3000,
        validators=[validate_multi_line],
    )
    published_answers = models.ManyToManyField(
        Answer, blank=True, related_name="+", verbose_name=_("Answers shown")
    )
    jobs_url = models.URLField(_("Jobs page"), blank=True, validators=[validate_single_line])
    apprenticeships_url = models.URLField(
        _("Apprenticeships page"), blank=True, validators=[validate_single_line]
    )
    updated_at = models.DateTimeField(_("Changed at"), auto_now=True)

    # Queryset writes change the cached seal page too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Public seal page")
        verbose_name_plural = _("Public seal pages")

    def __str__(self):
        return str(self.company)
