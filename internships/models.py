"""Internship places for pupils: what member companies offer, the partner schools whose pupils
come for a stay, and which pupil is placed on which offer.

Pupils are mostly minors: only what the placement needs is kept (name, dates, wishes).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Company, ContactPerson
from network_portal.choices import choice_label
from network_portal.text import validate_multi_line, validate_single_line


class Field(models.TextChoices):
    """Fields of work an internship can be in; the codes appear in the public page's URLs
    (``?field=care``), so they stay as they are."""

    CARE = "care", _("Nursing and care")
    ADMINISTRATION = "administration", _("Administration and office")
    CRAFTS = "crafts", _("Skilled trades")
    IT = "it", _("IT and software")
    ENGINEERING = "engineering", _("Engineering and production")
    RETAIL = "retail", _("Retail and sales")
    HOSPITALITY = "hospitality", _("Hotels and gastronomy")
    SOCIAL = "social", _("Education and social work")
    OTHER = "other", _("Other field")


class OfferQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=InternshipOffer.Status.OPEN)

    def public(self):
        """What the public page shows: open offers with the company's consent, of active
        member companies."""
        return self.open().filter(public_consent=True, company__status=Company.Status.ACTIVE)


class InternshipOffer(models.Model):
    """Places a member company offers for pupils' internships, in one or more periods."""

    class Status(models.TextChoices):
        OPEN = "open", _("offered")
        WITHDRAWN = "withdrawn", _("withdrawn")

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="internship_offers",
        verbose_name=_("Company"),
    )
    field = models.CharField(_("Field of work"), max_length=20, choices=Field.choices)
    field_detail = models.CharField(
        _("Field in your own words"),
        max_length=150,
        blank=True,
        help_text=_("Optional, e.g. “Elderly care” or “Carpentry”."),
        validators=[validate_single_line],
    )
    places = models.PositiveSmallIntegerField(
        _("Number of places"),
        help_text=_("How many pupils can do an internship at the same time."),
    )
    description = models.TextField(
        _("Description"),
        max_length=2000,
        blank=True,
        help_text=_("What pupils do and learn; language skills needed, working hours."),
        validators=[validate_multi_line],
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="internship_offers",
        verbose_name=_("Contact person for this offer"),
    )
    public_consent = models.BooleanField(
        _("Show on the public page “Internship places”"),
        default=False,
        help_text=_(
            "Schools see the company's name, city and website, the field with its detail, the "
            "number of places, the periods and the description; enquiries go to the "
            "coordination office. No contact person is shown."
        ),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Entered by"),
    )
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)
    withdrawn_at = models.DateTimeField(_("Withdrawn at"), null=True, blank=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("Internship offer")
        verbose_name_plural = _("Internship offers")
        ordering = ["company__name", "field", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="internship_offer_places_min")
        ]

    def __str__(self):
        return f"{self.company.name}: {self.field_label}"

    def get_field_display(self):
        return choice_label(Field, self.field)

    @property
    def field_label(self) -> str:
        """The field as the offer names it: the choice, with the company's own words."""
        label = self.get_field_display()
        return f"{label} ({self.field_detail})" if self.field_detail else label

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class OfferPeriod(models.Model):
    """A period in which an offer's places are available (from and to, both included)."""

    offer = models.ForeignKey(
        InternshipOffer,
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("Internship offer"),
    )
    starts_on = models.DateField(pgettext_lazy("period", "From"))
    ends_on = models.DateField(pgettext_lazy("period", "To"))

    class Meta:
        verbose_name = _("Period")
        verbose_name_plural = _("Periods")
        ordering = ["starts_on", "ends_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="offer_period_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    def covers(self, starts_on, ends_on) -> bool:
        return self.starts_on <= starts_on and ends_on <= self.ends_on


class PartnerSchool(models.Model):
    """A school (often a German school abroad) whose pupils come for internships."""

    name = models.CharField(_("Name"), max_length=200, validators=[validate_single_line])
    city = models.CharField(_("City"), max_length=100, validators=[validate_single_line])
    country = models.CharField(_("Country"), max_length=100, validators=[validate_single_line])
    contact_name = models.CharField(
        _("Contact person"), max_length=200, blank=True, validators=[validate_single_line]
    )
    contact_email = models.EmailField(
        _("Contact email"), blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("Partner school")
        verbose_name_plural = _("Partner schools")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.city}"


class SchoolStay(models.Model):
    """A group of a partner school's pupils coming for internships at one time."""

    school = models.ForeignKey(
        PartnerSchool, on_delete=models.CASCADE, related_name="stays", verbose_name=_("School")
    )
    starts_on = models.DateField(pgettext_lazy("period", "From"))
    ends_on = models.DateField(pgettext_lazy("period", "To"))
    notes = models.TextField(
        _("Internal notes"), blank=True, max_length=2000, validators=[validate_multi_line]
    )
    # How often the placement lists went to the companies; each sending has its own mail keys.
    lists_sent = models.PositiveSmallIntegerField(_("Placement lists sent"), default=0)
    lists_sent_at = models.DateTimeField(_("Placement lists last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("School stay")
        verbose_name_plural = _("School stays")
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="school_stay_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.school.name} ({self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y})"


class Pupil(models.Model):
    """A pupil of a stay: only what the placement needs (minors' data kept to a minimum)."""

    stay = models.ForeignKey(
        SchoolStay, on_delete=models.CASCADE, related_name="pupils", verbose_name=_("Stay")
    )
    first_name = models.CharField(
        _("First name"), max_length=100, validators=[validate_single_line]
    )
    last_name = models.CharField(_("Last name"), max_length=100, validators=[validate_single_line])
    starts_on = models.DateField(_("Internship from"))
    ends_on = models.DateField(_("Internship to"))
    wished_field = models.CharField(
        _("Wished field"), max_length=20, choices=Field.choices, blank=True
    )
    interests = models.CharField(
        _("Interests"), max_length=300, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("Pupil")
        verbose_name_plural = _("Pupils")
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="pupil_ends_after_start"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Placement(models.Model):
    """A pupil placed on an offer for the pupil's dates; one placement per pupil."""

    pupil = models.OneToOneField(
        Pupil, on_delete=models.CASCADE, related_name="placement", verbose_name=_("Pupil")
    )
    # A company that leaves the network and is deleted takes its placements along.
    offer = models.ForeignKey(
        InternshipOffer,
        on_delete=models.CASCADE,
        related_name="placements",
        verbose_name=_("Internship offer"),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Placed by"),
    )
    placed_at = models.DateTimeField(_("Placed at"), auto_now_add=True)
    # Set when the company got the placement list with this placement: from then on the
    # company sees it in the portal.
    sent_at = models.DateTimeField(_("Sent to the company at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Placement")
        verbose_name_plural = _("Placements")
        ordering = ["pupil__last_name", "pupil__first_name", "pk"]

    def __str__(self):
        # Without the pupil's name (a minor's): the activity log keeps this label, the name
        # only in its details marked personal.
        return _("Placement #%(id)s: %(offer)s, %(stay)s") % {
            "id": self.pk,
            "offer": self.offer,
            "stay": self.pupil.stay,
        }
