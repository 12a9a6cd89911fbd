from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_portal.cache_versions import GenerationQuerySet
from network_portal.choices import choice_label
from network_portal.text import validate_multi_line, validate_single_line
from network_portal.uploads import RandomFileName


class SizeClass(models.TextChoices):
    """INQA size classes by number of employees."""

    SMALL = "small", _("small (1–9 employees)")
    MEDIUM = "medium", _("medium (10–249 employees)")
    LARGE = "large", _("large (250 employees or more)")


class LegalForm(models.TextChoices):
    EINZELUNTERNEHMEN = "einzel", _("Sole proprietorship")
    EK = "ek", "e. K."
    GBR = "gbr", "GbR"
    OHG = "ohg", "OHG"
    KG = "kg", "KG"
    GMBH = "gmbh", "GmbH"
    UG = "ug", _("UG (limited liability)")
    GMBH_CO_KG = "gmbh_co_kg", "GmbH & Co. KG"
    AG = "ag", "AG"
    EG = "eg", "eG"
    EV = "ev", "e. V."
    PUBLIC = "public", _("Public-law corporation or institution")
    OTHER = "other", pgettext_lazy("legal form", "other")


class Industry(models.TextChoices):
    CRAFTS = "crafts", _("Skilled trades")
    CONSTRUCTION = "construction", _("Construction")
    MANUFACTURING = "manufacturing", _("Industry and manufacturing")
    TRADE = "trade", _("Retail and wholesale")
    HOSPITALITY = "hospitality", _("Restaurants and hotels")
    HEALTH = "health", _("Health and care")
    SOCIAL = "social", _("Social services and education")
    IT = "it", _("IT and communications")
    SERVICES = "services", _("Services")
    FINANCE = "finance", _("Banking and insurance")
    LOGISTICS = "logistics", _("Transport and logistics")
    PUBLIC = "public", _("Public administration")
    OTHER = "other", _("Other")


# Named, as the first migration refers to it by this name.
logo_upload_to = RandomFileName("logos/")


class CompanyQuerySet(GenerationQuerySet):
    def active(self):
        return self.filter(status=Company.Status.ACTIVE)

    def in_public_directory(self):
        return self.active().filter(directory_consent=True)


class Company(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("company status", "awaiting approval")
        ACTIVE = "active", pgettext_lazy("company status", "active")
        PAUSED = "paused", pgettext_lazy("company status", "paused")
        LEFT = "left", pgettext_lazy("company status", "left")
        REJECTED = "rejected", pgettext_lazy("company status", "rejected")

    name = models.CharField(
        _("Name"), max_length=200, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("Short name"), max_length=220, unique=True)
    legal_form = models.CharField(_("Legal form"), max_length=20, choices=LegalForm.choices)
    industry = models.CharField(_("Industry"), max_length=20, choices=Industry.choices)
    size_class = models.CharField(_("Size class"), max_length=10, choices=SizeClass.choices)
    street = models.CharField(
        _("Street and house number"), max_length=200, validators=[validate_single_line]
    )
    postcode = models.CharField(_("Postcode"), max_length=5, validators=[validate_single_line])
    city = models.CharField(_("City"), max_length=100, validators=[validate_single_line])
    website = models.URLField(_("Website"), blank=True, validators=[validate_single_line])
    logo = models.ImageField(_("Logo"), upload_to=logo_upload_to, blank=True)
    description = models.TextField(
        _("Short description"), blank=True, max_length=2000, validators=[validate_multi_line]
    )
    directory_consent = models.BooleanField(
        _("show in the public directory"),
        default=False,
        help_text=_("Name, industry, city, website and description are publicly visible."),
    )
    status = models.CharField(
        _("Membership status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    registered_at = models.DateTimeField(_("registered on"), default=timezone.now)
    member_since = models.DateField(_("Member since"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed on"), default=timezone.now)
    # Set when a coordinator marks the company as having left, cleared when it is reactivated
    # (its membership then counts as unbroken, since member_since stays): the departures of
    # the annual report.
    left_on = models.DateField(_("Left on"), null=True, blank=True)
    internal_notes = models.TextField(
        _("internal notes of the coordination team"), blank=True, validators=[validate_multi_line]
    )

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Member company")
        verbose_name_plural = _("Member companies")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self):
        return self.name

    def get_industry_display(self):
        return choice_label(Industry, self.industry)  # translated once per language

    def get_size_class_display(self):
        return choice_label(SizeClass, self.size_class)

    @property
    def is_active_member(self):
        return self.status == self.Status.ACTIVE


class CompanyMembership(models.Model):
    """A login acting for a company; a user acts for one company only."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Company admin")
        MEMBER = "member", _("Employee")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=pgettext_lazy("portal user", "User"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Company")
    )
    role = models.CharField(_("Role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("Company account")
        verbose_name_plural = _("Company accounts")

    def __str__(self):
        return f"{self.user} – {self.company} ({self.get_role_display()})"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


class ContactPerson(models.Model):
    class Salutation(models.TextChoices):
        MS = "ms", pgettext_lazy("salutation", "Ms")
        MR = "mr", pgettext_lazy("salutation", "Mr")
        NONE = "", _("not specified")

    class Function(models.TextChoices):
        MANAGEMENT = "management", _("Management")
        HR = "hr", _("Human resources")
        TRAINING = "training", _("Vocational training")
        MARKETING = "marketing", _("Marketing")
        OTHER = "other", _("Other")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("Company")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("Account"),
    )
    salutation = models.CharField(
        _("Salutation"), max_length=5, choices=Salutation.choices, blank=True
    )
    title = models.CharField(
        _("Title"),
        max_length=50,
        blank=True,
        help_text=_("e.g. Dr."),
        validators=[validate_single_line],
    )
    first_name = models.CharField(
        _("First name"), max_length=100, validators=[validate_single_line]
    )
    last_name = models.CharField(_("Last name"), max_length=100, validators=[validate_single_line])
    function = models.CharField(
        _("Position"), max_length=20, choices=Function.choices, default=Function.OTHER
    )
    email = models.EmailField(_("Email address"), validators=[validate_single_line])
    phone = models.CharField(
        _("Phone"), max_length=50, blank=True, validators=[validate_single_line]
    )
    wants_meeting_invitations = models.BooleanField(
        _("Invitations to network meetings"), default=True
    )
    # Opt-in: nobody gets the newsletter without having asked for it (GDPR); every way a
    # contact comes about (registration, join, invitation, the forms, the CSV import) starts
    # from this default.
    wants_newsletter = models.BooleanField(
        _("Newsletter"),
        default=False,
        help_text=_("Only with the person’s consent: they receive the network’s newsletter."),
    )

    # Queryset writes change the cached directory too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Contact")
        verbose_name_plural = _("Contacts")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"], name="contact_email_unique_per_company"
            )
        ]

    def __str__(self):
        return self.full_name

    def get_function_display(self):
        return choice_label(ContactPerson.Function, self.function)  # once per language

    @property
    def full_name(self):
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)

    @property
    def name_with_company(self):
        """The name with the company in brackets: tells two people of the same name apart."""
        return f"{self.full_name} ({self.company.name})"

    @property
    def name_with_salutation(self):
        """The name with the salutation, "Frau Dr. Anna Neumann"; where none is given just the
        name ("Jonas Becker"), never "keine Angabe Jonas Becker"."""
        if not self.salutation:
            return self.full_name
        return format_lazy("{} {}", self.Salutation(self.salutation).label, self.full_name)

    @property
    def letter_name(self):
        """The name in a letter's greeting ("Guten Tag Frau Dr. Neumann,"); without a
        salutation the full name ("Guten Tag Jonas Becker,"). Lazy: a mail renders it in the
        recipient's language."""
        if not self.salutation:
            return self.full_name
        name = " ".join(p for p in (self.title, self.last_name) if p)
        return format_lazy("{} {}", self.Salutation(self.salutation).label, name)


class JoinRequest(models.Model):
    """A verified user asks to act for an existing company."""

    class Status(models.TextChoices):
        PENDING = "pending", _("open")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=pgettext_lazy("portal user", "User"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("Company"),
    )
    message = models.TextField(
        _("Message"), blank=True, max_length=1000, validators=[validate_multi_line]
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested on"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    # Queryset writes change the cached cockpit too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Join request")
        verbose_name_plural = _("Join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.company}"


class CompanyInvitation(models.Model):
    """A company admin invites a colleague by email; the link expires and works once."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("Company")
    )
    email = models.EmailField(_("Email address"), validators=[validate_single_line])
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited on"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    accepted_at = models.DateTimeField(_("accepted on"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("Invitation")
        verbose_name_plural = _("Invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.company}"

    @property
    def is_open(self):
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def state_label(self):
        if self.accepted_at:
            return _("accepted")
        if self.revoked_at:
            return _("withdrawn")
        if self.expires_at <= timezone.now():
            return _("expired")
        return _("open")


class ExpertiseTopic(models.Model):
    """A topic tag the coordinators keep, so offers, topic wishes and meetings can be matched."""

    name = models.CharField(
        _("Topic"), max_length=100, unique=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("Expertise topic")
        verbose_name_plural = _("Expertise topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ExpertiseOffer(models.Model):
    """What a member company offers to share with the network: a report from its practice or
    its premises for a meeting. (Internship places for pupils live in the internships app.)"""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report from practice")
        HOST = "host", _("Host a meeting")

    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="expertise_offers",
        verbose_name=_("Company"),
    )
    kind = models.CharField(_("Offer"), max_length=12, choices=Kind.choices)
    topics = models.ManyToManyField(
        ExpertiseTopic, blank=True, related_name="offers", verbose_name=_("Topics")
    )
    description = models.TextField(
        _("What you can share"), blank=True, max_length=2000, validators=[validate_multi_line]
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="expertise_offers",
        verbose_name=_("Contact for this offer"),
    )
    room = models.CharField(
        _("Room"), max_length=200, blank=True, validators=[validate_single_line]
    )
    seats = models.PositiveIntegerField(_("Seats"), null=True, blank=True)
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

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Expertise offer")
        verbose_name_plural = _("Expertise offers")
        ordering = ["company__name", "kind", "pk"]

    def __str__(self):
        return f"{self.company}: {self.get_kind_display()}"
