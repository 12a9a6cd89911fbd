"""The cooperation board: projects member companies run together.

A project belongs to a member company or to the coordinators (the Wirtschaftsförderung,
``company`` empty). Companies say they are interested; a project with places (a shared
language course) takes bookings: each company books places up to a limit per company, what
is not free waits on the waitlist in order, and each company pays its share of the cost.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Company
from network_portal.text import validate_multi_line, validate_single_line

CENT = Decimal("0.01")


class Project(models.Model):
    class Kind(models.TextChoices):
        LANGUAGE_COURSE = "language_course", _("Shared language course")
        FAMILY_JOBS = "family_jobs", _("Jobs for family members of international staff")
        OTHER = "other", pgettext_lazy("cooperation kind", "Other cooperation")

    class Status(models.TextChoices):
        PLANNING = "planning", _("Idea / in planning")
        OPEN = "open", _("Open for registrations")
        RUNNING = "running", pgettext_lazy("cooperation status", "Running")
        COMPLETED = "completed", pgettext_lazy("cooperation status", "Completed")

    # The steps a project may take (services.project_set_status): back from "open" to
    # "planning" while nothing runs yet; a completed project stays completed.
    TRANSITIONS = {
        Status.PLANNING: (Status.OPEN,),
        Status.OPEN: (Status.PLANNING, Status.RUNNING),
        Status.RUNNING: (Status.COMPLETED,),
        Status.COMPLETED: (),
    }

    kind = models.CharField(_("Kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("Title"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("Description"), validators=[validate_multi_line])
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="cooperation_projects",
        verbose_name=_("Owner"),
        help_text=_("Empty: the coordinators (Wirtschaftsförderung) run the project."),
    )
    status = models.CharField(
        _("Status"), max_length=12, choices=Status.choices, default=Status.PLANNING
    )
    contact_name = models.CharField(
        _("Contact person"), max_length=200, blank=True, validators=[validate_single_line]
    )
    contact_email = models.EmailField(
        _("Contact email"), blank=True, validators=[validate_single_line]
    )
    contact_phone = models.CharField(
        _("Contact phone"), max_length=50, blank=True, validators=[validate_single_line]
    )
    # Places: a project with places (a language course) takes bookings.
    total_places = models.PositiveIntegerField(
        _("Places in total"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    max_places_per_company = models.PositiveIntegerField(
        _("Places per company at most"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    total_cost = models.DecimalField(
        _("Total cost (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Shared by the places: each company pays the cost per place for each place."),
    )
    starts_on = models.DateField(_("Starts on"), null=True, blank=True)
    schedule = models.TextField(
        _("Dates and sessions"),
        blank=True,
        validators=[validate_multi_line],
        help_text=_("For example: Tuesdays 17:00–18:30, 12 sessions, Volkshochschule Trier."),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    class Meta:
        verbose_name = _("Cooperation project")
        verbose_name_plural = _("Cooperation projects")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(max_places_per_company__isnull=True)
                | models.Q(total_places__isnull=False),
                name="cooperation_limit_needs_places",
                violation_error_message=_("A limit per company needs a number of places."),
            )
        ]

    def __str__(self):
        return self.title

    @property
    def has_places(self) -> bool:
        return self.total_places is not None

    @property
    def takes_bookings(self) -> bool:
        return self.has_places and self.status == self.Status.OPEN

    @property
    def company_limit(self) -> int | None:
        """The most places one company may hold (booked and waiting together)."""
        if not self.has_places:
            return None
        return min(self.max_places_per_company or self.total_places, self.total_places)

    @property
    def cost_per_place(self) -> Decimal | None:
        return self.cost_for(1)

    def cost_for(self, places: int) -> Decimal | None:
        """A company's share for ``places`` booked places: the total cost times its part of
        the places, rounded once (so the shares of all places add up to the total cost)."""
        if self.total_cost is None or not self.total_places:
            return None
        share = self.total_cost * places / self.total_places
        return share.quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def next_statuses(self) -> tuple:
        return self.TRANSITIONS[self.Status(self.status)]


class Interest(models.Model):
    """A company said it is interested in a project; the project's mails reach it."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="interests", verbose_name=_("Project")
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="cooperation_interests",
        verbose_name=_("Company"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("Interest in a project")
        verbose_name_plural = _("Interests in projects")
        ordering = ["project", "company__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "company"], name="cooperation_interest_once")
        ]

    def __str__(self):
        return f"{self.company} – {self.project}"


class BookingQuerySet(models.QuerySet):
    def waiting(self):
        """Bookings with places on the waitlist, in the waitlist's order."""
        return self.filter(waiting_places__gt=0).order_by("waitlisted_at", "pk")


class Booking(models.Model):
    """A company's places on a project: ``places`` booked, ``waiting_places`` on the
    waitlist (since ``waitlisted_at``, which keeps the order)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("Project")
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="cooperation_bookings",
        verbose_name=_("Company"),
    )
    places = models.PositiveIntegerField(_("Booked places"), default=0)
    waiting_places = models.PositiveIntegerField(_("Places on the waitlist"), default=0)
    waitlisted_at = models.DateTimeField(_("on the waitlist since"), null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("booked by"),
    )
    created_at = models.DateTimeField(_("booked on"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed on"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Booking")
        verbose_name_plural = _("Bookings")
        ordering = ["project", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "company"], name="cooperation_booking_once")
        ]

    def __str__(self):
        return f"{self.company} – {self.project}"

    @property
    def is_active(self) -> bool:
        return bool(self.places or self.waiting_places)

    @property
    def cost_share(self) -> Decimal | None:
        return self.project.cost_for(self.places)


class Participant(models.Model):
    """A person a company sent on its booked places, and whether they attended (recorded by
    the project's owner or the coordinators)."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="participants", verbose_name=_("Booking")
    )
    name = models.CharField(_("Name"), max_length=200, validators=[validate_single_line])
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("Participant")
        verbose_name_plural = _("Participants")
        ordering = ["booking", "pk"]

    def __str__(self):
        return self.name


class Message(models.Model):
    """A mail the owner or the coordinators sent to the companies interested in a project."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="messages", verbose_name=_("Project")
    )
    subject = models.CharField(_("Subject"), max_length=200, validators=[validate_single_line])
    text = models.TextField(_("Text"), validators=[validate_multi_line])
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent on"), default=timezone.now)
    companies = models.PositiveIntegerField(_("Companies"), default=0)
    recipients = models.PositiveIntegerField(_("Recipients"), default=0)
    # The confirmation form's one-time token: a second POST of the same form sends nothing.
    token = models.UUIDField(
        _("one-time token"), null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name = _("Message to interested companies")
        verbose_name_plural = _("Messages to interested companies")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return self.subject
