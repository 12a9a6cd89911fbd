import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import Company, ContactPerson, ExpertiseOffer, ExpertiseTopic
from network_portal.cache_versions import GenerationQuerySet
from network_portal.text import validate_multi_line, validate_single_line
from network_portal.uploads import RandomFileName


def default_reminder_days():
    return [7, 1]


class MeetingQuerySet(GenerationQuerySet):
    def visible(self):
        """What members see: everything but drafts."""
        return self.exclude(status=Meeting.Status.DRAFT)

    def upcoming(self):
        return self.visible().filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self):
        return self.visible().filter(ends_at__lt=timezone.now()).order_by("-starts_at")


class Meeting(models.Model):
    """An event of the network: mostly the quarterly Netzwerktreffen at a member company's
    premises, also the Christmas reception, the seal ceremony and workshops (``kind``)."""

    class Kind(models.TextChoices):
        NETWORK_MEETING = "meeting", _("Network meeting")
        RECEPTION = "reception", _("Christmas reception")
        CEREMONY = "ceremony", _("Seal ceremony")
        WORKSHOP = "workshop", _("Workshop")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meeting status", "draft")
        PUBLISHED = "published", pgettext_lazy("meeting status", "published")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "cancelled")
        HELD = "held", pgettext_lazy("meeting status", "held")

    kind = models.CharField(
        _("Kind of event"), max_length=10, choices=Kind.choices, default=Kind.NETWORK_MEETING
    )
    title = models.CharField(_("Title"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("Short name"), max_length=220, unique=True)
    topic = models.CharField(_("Topic"), max_length=300, validators=[validate_single_line])
    description = models.TextField(_("Description"), blank=True, validators=[validate_multi_line])
    introduction = models.TextField(
        _("Personal introduction for the invitation"),
        blank=True,
        max_length=3000,
        validators=[validate_multi_line],
        help_text=_(
            "A few words of your own that open the invitation mail, e.g. why this topic now. "
            "Markdown: **bold**, *italic*, [link text](https://…), lists with “- ”. Leave "
            "empty for the standard text alone."
        ),
    )
    starts_at = models.DateTimeField(_("Starts at"))
    ends_at = models.DateTimeField(_("Ends at"))
    host = models.ForeignKey(
        Company,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("Host"),
    )
    venue_name = models.CharField(_("Venue"), max_length=200, validators=[validate_single_line])
    venue_street = models.CharField(
        _("Street and number"), max_length=200, validators=[validate_single_line]
    )
    venue_postcode = models.CharField(
        _("Postcode"), max_length=5, validators=[validate_single_line]
    )
    venue_city = models.CharField(
        _("City"), max_length=100, default="Trier", validators=[validate_single_line]
    )
    room = models.CharField(
        _("Room"), max_length=200, blank=True, validators=[validate_single_line]
    )
    directions = models.TextField(_("Directions"), blank=True, validators=[validate_multi_line])
    capacity = models.PositiveIntegerField(_("Seats"), validators=[MinValueValidator(1)])
    per_company_limit = models.PositiveSmallIntegerField(
        _("Participants per company"), default=3, validators=[MinValueValidator(1)]
    )
    rsvp_deadline = models.DateTimeField(_("RSVP deadline"))
    reminder_days = models.JSONField(
        _("Reminders (days before)"),
        default=default_reminder_days,
        blank=True,
        help_text=_(
            "Days before the meeting on which participants are reminded, separated by "
            "commas, e.g. 7, 1."
        ),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Who is invited: empty means every member company (the kind's rule decides which of their
    # contacts); the seal ceremony invites the awarded companies only.
    invited_companies = models.ManyToManyField(
        Company,
        blank=True,
        related_name="event_invitations",
        verbose_name=_("Invited companies"),
        help_text=_("Leave empty to invite all member companies."),
    )
    is_public = models.BooleanField(
        _("In the public event calendar"),
        default=False,
        help_text=_("Title, date and venue appear in the public calendar (iCal and JSON)."),
    )
    expertise_topics = models.ManyToManyField(
        ExpertiseTopic,
        blank=True,
        related_name="meetings",
        verbose_name=_("Expertise topics"),
        help_text=_("To find member companies that offered to report on these topics."),
    )
    collects_questions = models.BooleanField(
        _("Collect questions for the experts"),
        default=False,
        help_text=_("Members can submit questions for the external experts beforehand."),
    )
    minutes = models.TextField(
        _("Short minutes"), blank=True, max_length=10000, validators=[validate_multi_line]
    )
    dossier_published_at = models.DateTimeField(
        _("Dossier published at"), null=True, blank=True, editable=False
    )
    # Stable calendar identity: the UID never changes, SEQUENCE rises with every change.
    calendar_uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField(_("Calendar revision"), default=0, editable=False)
    published_at = models.DateTimeField(_("Published at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("Network meeting")
        verbose_name_plural = _("Network meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(rsvp_deadline__lte=models.F("starts_at")),
                name="meeting_deadline_before_start",
                violation_error_message=_("The RSVP deadline must be before the meeting starts."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%d.%m.%Y})"

    @property
    def venue_address(self):
        return f"{self.venue_street}, {self.venue_postcode} {self.venue_city}"

    @property
    def is_open_for_answers(self):
        return self.status == self.Status.PUBLISHED and timezone.now() <= self.rsvp_deadline

    @property
    def is_over(self):
        return self.ends_at < timezone.now()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("Meeting")
    )
    starts_at = models.TimeField(pgettext_lazy("agenda", "Time"))
    title = models.CharField(_("Title"), max_length=300, validators=[validate_single_line])
    speaker_contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Speaker from a member company"),
    )
    speaker_name = models.CharField(
        _("External speaker"), max_length=200, blank=True, validators=[validate_single_line]
    )
    speaker_organisation = models.CharField(
        _("Organisation"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Ausländeramt, Agentur für Arbeit"),
        validators=[validate_single_line],
    )

    # Queryset writes change the cached meeting pages too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Agenda item")
        verbose_name_plural = _("Agenda")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return f"{self.starts_at:%H:%M} {self.title}"

    @property
    def speaker(self):
        if self.speaker_contact_id:
            return self.speaker_contact.name_with_company
        if self.speaker_name:
            return ", ".join(p for p in (self.speaker_name, self.speaker_organisation) if p)
        return ""


# Named, as the first migration refers to it by this name.
material_upload_to = RandomFileName("private/meetings/")


class Material(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="materials", verbose_name=_("Meeting")
    )
    title = models.CharField(_("Title"), max_length=200, validators=[validate_single_line])
    file = models.FileField(_("File"), upload_to=material_upload_to)
    content_type = models.CharField(_("File type"), max_length=100, editable=False)
    uploaded_at = models.DateTimeField(_("Uploaded at"), auto_now_add=True)

    # Queryset writes change the cached meeting pages too (network_portal.cache_versions).
    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Material")
        verbose_name_plural = _("Materials")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.title


class RegistrationQuerySet(GenerationQuerySet):
    def seated(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by("waitlisted_at", "pk")

    def holding_a_place(self):
        """Confirmed or on the waitlist: what counts against the per-company limit."""
        return self.filter(
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
        )


class Registration(models.Model):
    """One person's answer for one meeting: yes (seated or waitlisted), no, or cancelled."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", pgettext_lazy("registration", "registered")
        WAITLISTED = "waitlisted", pgettext_lazy("registration", "waitlist")
        DECLINED = "declined", pgettext_lazy("registration", "not attending")
        CANCELLED = "cancelled", pgettext_lazy("registration", "cancelled")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("Meeting")
    )
    # A member company; only a walk-in from elsewhere has none, but the name of theirs.
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("Company"),
    )
    company_name = models.CharField(
        _("Company (not a member)"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("Contact person"),
    )
    name = models.CharField(_("Name"), max_length=200, validators=[validate_single_line])
    # Only a walk-in may come without an address.
    email = models.EmailField(
        pgettext_lazy("person", "Email"), blank=True, validators=[validate_single_line]
    )
    walk_in = models.BooleanField(
        _("Came without registration"),
        default=False,
        help_text=_("Added at the door on the day of the meeting."),
    )
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Registered by"),
    )
    waitlisted_at = models.DateTimeField(_("On the waitlist since"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("Checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Registration")
        verbose_name_plural = _("Registrations")
        ordering = ["company__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=~Q(email=""),
                name="one_registration_per_person_and_meeting",
            ),
            models.CheckConstraint(
                condition=Q(company__isnull=False) | ~Q(company_name=""),
                name="registration_names_its_company",
                violation_error_message=_("Please name the company."),
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.meeting}"

    @property
    def is_attending(self):
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)

    @property
    def company_label(self) -> str:
        """The member company's name, or the name a walk-in gave for theirs."""
        return self.company.name if self.company_id else self.company_name


class CalendarFeed(models.Model):
    """A user's personal calendar feed; the secret token can be replaced to revoke the URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    renewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Calendar feed")
        verbose_name_plural = _("Calendar feeds")

    def __str__(self):
        return str(self.user)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


class TopicProposal(models.Model):
    """A company's wish for a topic of a future meeting; members upvote."""

    title = models.CharField(_("Topic"), max_length=200, validators=[validate_single_line])
    description = models.TextField(
        _("Why this topic?"), blank=True, max_length=2000, validators=[validate_multi_line]
    )
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="topic_proposals", verbose_name=_("Company")
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="topic_proposals",
        verbose_name=_("Proposed by"),
    )
    scheduled_meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topic_proposals",
        verbose_name=_("Scheduled for"),
    )
    expertise_topics = models.ManyToManyField(
        ExpertiseTopic,
        blank=True,
        related_name="topic_proposals",
        verbose_name=_("Expertise topics"),
    )
    created_at = models.DateTimeField(_("Proposed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Topic proposal")
        verbose_name_plural = _("Topic proposals")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class TopicVote(models.Model):
    proposal = models.ForeignKey(TopicProposal, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="one_vote_per_user")
        ]

    def __str__(self):
        return f"{self.user} → {self.proposal}"


class Feedback(models.Model):
    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("Registration"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("Meeting")
    )
    rating = models.PositiveSmallIntegerField(
        _("Rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(
        _("Comment"), blank=True, max_length=2000, validators=[validate_multi_line]
    )
    created_at = models.DateTimeField(_("Given at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Feedback")
        verbose_name_plural = _("Feedback")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            )
        ]

    def __str__(self):
        return f"{self.meeting}: {self.rating}"


class ExpertGuest(models.Model):
    """An external expert at a meeting (immigration office, employment agency) whom members
    can send questions beforehand."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="experts", verbose_name=_("Meeting")
    )
    name = models.CharField(_("Name"), max_length=200, validators=[validate_single_line])
    organisation = models.CharField(
        _("Organisation"),
        max_length=200,
        help_text=_("e.g. Ausländeramt, Agentur für Arbeit"),
        validators=[validate_single_line],
    )
    email = models.EmailField(_("Email address"), validators=[validate_single_line])
    questions_sent_at = models.DateTimeField(
        _("Questions sent at"), null=True, blank=True, editable=False
    )

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Expert")
        verbose_name_plural = _("Experts")
        ordering = ["organisation", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class ExpertQuestion(models.Model):
    """A member's question to the experts of a meeting, collected before it."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="questions", verbose_name=_("Meeting")
    )
    expert = models.ForeignKey(
        ExpertGuest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("To"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="expert_questions",
        verbose_name=_("Company"),
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Asked by"),
    )
    text = models.TextField(_("Question"), max_length=2000, validators=[validate_multi_line])
    show_company = models.BooleanField(_("Show my company's name to other members"), default=True)
    created_at = models.DateTimeField(_("Asked at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("Sent to the expert at"), null=True, blank=True)
    answer = models.TextField(
        _("Answer"), blank=True, max_length=5000, validators=[validate_multi_line]
    )
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Question to the experts")
        verbose_name_plural = _("Questions to the experts")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class SpeakerRequest(models.Model):
    """The coordinators ask a member company that offered its expertise to speak at a meeting;
    the contact answers with a signed accept or decline link."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("speaker request", "open")
        ACCEPTED = "accepted", pgettext_lazy("speaker request", "accepted")
        DECLINED = "declined", pgettext_lazy("speaker request", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("speaker request", "withdrawn")

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="speaker_requests",
        verbose_name=_("Meeting"),
    )
    topic_proposal = models.ForeignKey(
        TopicProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_requests",
        verbose_name=_("Topic wish"),
    )
    offer = models.ForeignKey(
        ExpertiseOffer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_requests",
        verbose_name=_("Expertise offer"),
    )
    company = models.ForeignKey(
        Company,
        on_delete=models.CASCADE,
        related_name="speaker_requests",
        verbose_name=_("Company"),
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.CASCADE,
        related_name="speaker_requests",
        verbose_name=_("Asked person"),
    )
    talk_title = models.CharField(
        _("Title of the contribution"), max_length=300, validators=[validate_single_line]
    )
    message = models.TextField(
        _("Personal message"), blank=True, max_length=3000, validators=[validate_multi_line]
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    agenda_item = models.OneToOneField(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_request",
        verbose_name=_("Agenda item"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Requested by"),
    )
    created_at = models.DateTimeField(_("Requested at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)

    objects = GenerationQuerySet.as_manager()

    class Meta:
        verbose_name = _("Speaker request")
        verbose_name_plural = _("Speaker requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contact"],
                condition=Q(status="pending"),
                name="one_open_speaker_request_per_contact_and_meeting",
            )
        ]

    def __str__(self):
        return f"{self.talk_title} – {self.contact}"
