import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Identified by email; acts for at most one company."""

    username = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    language = models.CharField(
        _("Sprache"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("Benutzer/in")
        verbose_name_plural = _("Benutzer/innen")
        ordering = ["email"]

    def __str__(self):
        return self.get_full_name() or self.email


class SizeClass(models.TextChoices):
    """INQA size classes by number of employees."""

    SMALL = "small", _("klein (1–9 Beschäftigte)")
    MEDIUM = "medium", _("mittel (10–249 Beschäftigte)")
    LARGE = "large", _("groß (ab 250 Beschäftigten)")


class LegalForm(models.TextChoices):
    EINZELUNTERNEHMEN = "einzel", _("Einzelunternehmen")
    EK = "ek", "e. K."
    GBR = "gbr", "GbR"
    OHG = "ohg", "OHG"
    KG = "kg", "KG"
    GMBH = "gmbh", "GmbH"
    UG = "ug", _("UG (haftungsbeschränkt)")
    GMBH_CO_KG = "gmbh_co_kg", "GmbH & Co. KG"
    AG = "ag", "AG"
    EG = "eg", "eG"
    EV = "ev", "e. V."
    PUBLIC = "public", _("Körperschaft/Anstalt des öffentlichen Rechts")
    OTHER = "other", _("andere")


class Industry(models.TextChoices):
    CRAFTS = "crafts", _("Handwerk")
    CONSTRUCTION = "construction", _("Bau")
    MANUFACTURING = "manufacturing", _("Industrie und Produktion")
    TRADE = "trade", _("Handel")
    HOSPITALITY = "hospitality", _("Gastronomie und Hotellerie")
    HEALTH = "health", _("Gesundheit und Pflege")
    SOCIAL = "social", _("Soziales und Bildung")
    IT = "it", _("IT und Kommunikation")
    SERVICES = "services", _("Dienstleistungen")
    FINANCE = "finance", _("Banken und Versicherungen")
    LOGISTICS = "logistics", _("Transport und Logistik")
    PUBLIC = "public", _("Öffentliche Verwaltung")
    OTHER = "other", _("Sonstiges")


def logo_upload_to(instance, filename):
    # Random names: an uploaded file never keeps a name someone could guess or abuse.
    return f"logos/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class CompanyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Company.Status.ACTIVE)

    def in_public_directory(self):
        return self.active().filter(directory_consent=True)


class Company(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Freigabe")
        ACTIVE = "active", _("aktiv")
        PAUSED = "paused", _("pausiert")
        LEFT = "left", _("ausgetreten")
        REJECTED = "rejected", _("abgelehnt")

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kurzname"), max_length=220, unique=True)
    legal_form = models.CharField(_("Rechtsform"), max_length=20, choices=LegalForm.choices)
    industry = models.CharField(_("Branche"), max_length=20, choices=Industry.choices)
    size_class = models.CharField(_("Größenklasse"), max_length=10, choices=SizeClass.choices)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200)
    postcode = models.CharField(_("PLZ"), max_length=5)
    city = models.CharField(_("Ort"), max_length=100)
    website = models.URLField(_("Website"), blank=True)
    logo = models.ImageField(_("Logo"), upload_to=logo_upload_to, blank=True)
    description = models.TextField(_("Kurzbeschreibung"), blank=True, max_length=2000)
    directory_consent = models.BooleanField(
        _("im öffentlichen Verzeichnis zeigen"),
        default=False,
        help_text=_("Name, Branche, Ort, Website und Beschreibung sind öffentlich sichtbar."),
    )
    status = models.CharField(
        _("Mitgliedsstatus"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    registered_at = models.DateTimeField(_("registriert am"), default=timezone.now)
    member_since = models.DateField(_("Mitglied seit"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("Status geändert am"), default=timezone.now)
    internal_notes = models.TextField(_("interne Notizen der Koordination"), blank=True)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Mitgliedsunternehmen")
        verbose_name_plural = _("Mitgliedsunternehmen")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "name"])]

    def __str__(self):
        return self.name

    @property
    def is_active_member(self):
        return self.status == self.Status.ACTIVE


class CompanyMembership(models.Model):
    """A login acting for a company; a user acts for one company only."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Unternehmens-Admin")
        MEMBER = "member", _("Mitarbeiter/in")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("Benutzer/in"),
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Unternehmen")
    )
    role = models.CharField(_("Rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(_("seit"), auto_now_add=True)

    class Meta:
        verbose_name = _("Unternehmenszugang")
        verbose_name_plural = _("Unternehmenszugänge")

    def __str__(self):
        return f"{self.user} – {self.company} ({self.get_role_display()})"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


class ContactPerson(models.Model):
    class Salutation(models.TextChoices):
        MS = "ms", pgettext_lazy("salutation", "Frau")
        MR = "mr", pgettext_lazy("salutation", "Herr")
        NONE = "", _("keine Angabe")

    class Function(models.TextChoices):
        MANAGEMENT = "management", _("Geschäftsführung")
        HR = "hr", _("Personal")
        TRAINING = "training", _("Ausbildung")
        MARKETING = "marketing", _("Marketing")
        OTHER = "other", _("Sonstiges")

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("Unternehmen")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name=_("Zugang"),
    )
    salutation = models.CharField(
        _("Anrede"), max_length=5, choices=Salutation.choices, blank=True
    )
    title = models.CharField(_("Titel"), max_length=50, blank=True, help_text=_("z. B. Dr."))
    first_name = models.CharField(_("Vorname"), max_length=100)
    last_name = models.CharField(_("Nachname"), max_length=100)
    function = models.CharField(
        _("Funktion"), max_length=20, choices=Function.choices, default=Function.OTHER
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    wants_meeting_invitations = models.BooleanField(_("Einladungen zu Netzwerktreffen"), default=True)
    wants_newsletter = models.BooleanField(_("Newsletter"), default=True)

    class Meta:
        verbose_name = _("Ansprechpartner/in")
        verbose_name_plural = _("Ansprechpartner/innen")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "email"], name="contact_email_unique_per_company"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(p for p in (self.title, self.first_name, self.last_name) if p)


class JoinRequest(models.Model):
    """A verified user asks to act for an existing company."""

    class Status(models.TextChoices):
        PENDING = "pending", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("Benutzer/in"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="join_requests",
        verbose_name=_("Unternehmen"),
    )
    message = models.TextField(_("Nachricht"), blank=True, max_length=1000)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("gestellt am"), auto_now_add=True)
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )

    class Meta:
        verbose_name = _("Beitrittsanfrage")
        verbose_name_plural = _("Beitrittsanfragen")
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
        Company, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("Unternehmen")
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("eingeladen von"),
    )
    created_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("angenommen von"),
    )
    revoked_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
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
            return _("angenommen")
        if self.revoked_at:
            return _("zurückgezogen")
        if self.expires_at <= timezone.now():
            return _("abgelaufen")
        return _("offen")
