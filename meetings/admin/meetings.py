"""Planning and publishing meetings: the form, agenda and materials, the status actions."""

import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import object_link, service_action
from network_portal.uploads import DOCUMENT_EXTENSIONS, validate_document_upload

from .. import mails, services
from ..models import AgendaItem, Material, Meeting, Registration
from . import changes
from .changes import MeetingChangesScreen
from .check_in import CheckInScreen
from .dossier import DossierScreen
from .guests import GuestsScreen
from .meeting_form import AgendaItemForm, MeetingFormBase, speaker_queryset
from .participants import ParticipantsScreen
from .publish import PublishScreen
from .questions import ExpertGuestInline, QuestionsScreen
from .reminders import RemindersScreen
from .speakers import MeetingOffersScreen


class MeetingAdminForm(MeetingFormBase):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "topic",
            "expertise_topics",
            "description",
            "introduction",
            "starts_at",
            "ends_at",
            "rsvp_deadline",
            "reminder_days",
            "host",
            "venue_name",
            "venue_street",
            "venue_postcode",
            "venue_city",
            "room",
            "directions",
            "capacity",
            "per_company_limit",
            "invited_companies",
            "is_public",
            "minutes",
            "collects_questions",
        ]
        help_texts = {
            "minutes": _(
                "What was discussed and agreed, in a few paragraphs; blank lines separate "
                "them. Written after the meeting for all member companies, those who came "
                "and those who could not."
            ),
            "title": _(
                "What the meeting is about, e.g. “Weiterbildung und Mitarbeiterbindung”. Pages "
                "and mails say “Netzwerktreffen” themselves."
            ),
        }

    def clean_title(self):
        """Mails say "zum Netzwerktreffen „…“": a title that starts with the word again would
        print it twice. Asked when a title is typed, so older meetings can still be saved."""
        title = self.cleaned_data.get("title", "")
        doubled = re.match(r"\s*(netzwerktreffen|network meeting)\b", title, re.IGNORECASE)
        if doubled and "title" in self.changed_data:
            raise ValidationError(
                _(
                    "Please leave out “Netzwerktreffen” at the start: pages and mails add the "
                    "word themselves (“invitation to the network meeting …”)."
                )
            )
        return title

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        deadline = cleaned.get("rsvp_deadline")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if starts_at and deadline and deadline > starts_at:
            self.add_error("rsvp_deadline", _("The RSVP deadline must not be after the start."))
        return cleaned


class MaterialForm(forms.ModelForm):
    """A material upload is checked by its content; the stored name and type follow from it."""

    class Meta:
        model = Material
        fields = ["title", "file"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            content_type = validate_document_upload(upload, max_bytes=settings.MATERIAL_MAX_BYTES)
            stem = upload.name.rsplit(".", 1)[0] if "." in upload.name else upload.name
            upload.name = f"{stem}{DOCUMENT_EXTENSIONS[content_type]}"
            self.instance.content_type = content_type
        return upload


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    form = AgendaItemForm
    extra = 0
    fields = ["starts_at", "title", "speaker_contact", "speaker_name", "speaker_organisation"]
    autocomplete_fields = ["speaker_contact"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "speaker_contact":
            kwargs["queryset"] = speaker_queryset()  # labelled "Name (Company)"
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MaterialInline(admin.TabularInline):
    model = Material
    form = MaterialForm
    extra = 0
    fields = ["title", "file", "file_type", "uploaded_at"]
    readonly_fields = ["file_type", "uploaded_at"]

    @admin.display(description=_("File type"))
    def file_type(self, material):
        return material.content_type or "–"


@admin.register(Meeting)
class MeetingAdmin(
    DossierScreen,
    GuestsScreen,
    PublishScreen,
    QuestionsScreen,
    MeetingOffersScreen,
    MeetingChangesScreen,
    CheckInScreen,
    RemindersScreen,
    ParticipantsScreen,
    admin.ModelAdmin,
):
    form = MeetingAdminForm
    change_form_template = "admin/meetings/meeting/change_form.html"
    list_display = [
        "title",
        "starts_at",
        "host",
        "status",
        "capacity",
        "seats_taken",
        "kind",
        "rsvp_deadline",
        "participants_link",
    ]
    list_filter = [
        "kind",
        "status",
        "is_public",
        "starts_at",
        ("host", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["host"]
    search_fields = ["title", "topic", "venue_name", "host__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["host", "invited_companies"]
    # The short name is made from the title (see MeetingFormBase.save), the calendar revision
    # by the services: nothing for coordinators to type.
    readonly_fields = ["status", "published_at", "slug", "sequence", "dossier_published_at"]
    inlines = [AgendaItemInline, MaterialInline, ExpertGuestInline]
    actions = ["publish", "cancel", "mark_held"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "topic", "description", "introduction"]}),
        (
            _("Speakers from the member companies"),
            {
                "fields": ["expertise_topics"],
                "description": _(
                    "The topics of the meeting: “Matching offers” at the top lists the member "
                    "companies that offered to report on them, and those that offered to host."
                ),
            },
        ),
        (
            _("Date and RSVP"),
            {"fields": ["starts_at", "ends_at", "rsvp_deadline", "reminder_days"]},
        ),
        (
            _("Host and venue"),
            {
                "fields": [
                    "host",
                    "venue_name",
                    "venue_street",
                    "venue_postcode",
                    "venue_city",
                    "room",
                    "directions",
                ]
            },
        ),
        (_("Seats"), {"fields": ["capacity", "confirm_fewer_seats", "per_company_limit"]}),
        (
            _("Guests and public calendar"),
            {
                "fields": ["invited_companies", "is_public"],
                "description": _(
                    "Only the companies on the guest list are invited and may register; empty, "
                    "all member companies are. A seal ceremony needs its guests: “Take over "
                    "guests …” at the top puts the awarded companies of a cycle on the list. "
                    "Once the event is published, the list changes only there, after a "
                    "confirmation."
                ),
            },
        ),
        (_("Status"), {"fields": ["status", "published_at"]}),
        (
            _("Questions to the experts"),
            {
                "fields": ["collects_questions"],
                "description": _(
                    "Add the external experts below (section “Experts”). While the meeting is "
                    "published and has not begun, members submit questions for them; you send "
                    "them from the page “Questions to the experts”."
                ),
            },
        ),
        (
            _("Dossier"),
            {
                "fields": ["minutes", "dossier_published_at"],
                "description": _(
                    "After the meeting: the short minutes, with the materials below and the "
                    "answered questions to the experts, make up the dossier. Members read it "
                    "once you publish it (“Publish the dossier …” at the top); corrections of "
                    "the minutes after that appear on its page at once, without a new mail."
                ),
            },
        ),
        (
            _("Technical"),
            {
                "classes": ["collapse"],
                "fields": ["slug", "sequence"],
                "description": _(
                    "Set by the portal. The short name is part of the meeting's address: it is "
                    "made from the title and kept once the meeting is published. The calendar "
                    "revision rises with every change of date, time or venue."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        # The seats as a subquery per row, not a grouped join: the list's count, its filters
        # (hosts, dates) and the actions' querysets leave it out, only the page's rows run it.
        seated = (
            Registration.objects.filter(
                meeting=OuterRef("pk"), status=Registration.Status.CONFIRMED
            )
            .order_by()
            .values("meeting")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .select_related("host")
            .annotate(seated=Coalesce(Subquery(seated), 0))
        )

    @admin.display(description=_("Seats taken"), ordering="seated")
    def seats_taken(self, meeting):
        return meeting.seated

    @admin.display(description=_("Participants"))
    def participants_link(self, meeting):
        return object_link(
            "admin:meetings_meeting_participants", meeting, gettext("Participant overview")
        )

    def get_readonly_fields(self, request, obj=None):
        # The guest list is edited here only while the meeting is a draft (nobody is invited
        # yet; the admin history records the change). Once published, "Take over guests …"
        # changes it, after a confirmation naming who is added, who drops out and the mails.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != Meeting.Status.DRAFT:
            fields.append("invited_companies")
        return fields

    # Only drafts may be deleted; a published meeting is cancelled, so everyone is told.
    mass_delete = False

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Meeting.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    publish = service_action(
        services.meeting_publish,
        name="publish",
        description=_("Publish and send invitations"),
        done_message=ngettext_lazy(
            "%(n)d meeting published; the invitations are being sent.",
            "%(n)d meetings published; the invitations are being sent.",
            "n",
        ),
        confirm=changes.PUBLISH,
    )
    cancel = service_action(
        services.meeting_cancel,
        name="cancel",
        description=_("Cancel and notify everyone invited"),
        done_message=ngettext_lazy(
            "%(n)d meeting cancelled; everyone invited is notified.",
            "%(n)d meetings cancelled; everyone invited is notified.",
            "n",
        ),
        confirm=changes.CANCEL,
    )
    mark_held = service_action(
        services.meeting_mark_held,
        name="mark_held",
        description=_("Mark as held"),
        done_message=ngettext_lazy(
            "%(n)d meeting marked as held.", "%(n)d meetings marked as held.", "n"
        ),
        confirm=changes.MARK_HELD,
    )

    def save_model(self, request, obj, form, change):
        # A change that sends everyone invited an update is confirmed first (see .changes).
        note = self.update_note(request, obj, form, change)
        # The meeting as participants know it: the update lists what this save changes.
        form.meeting_before = mails.stored_snapshot(obj) if change else None
        form.update_note = note
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        # The guest list is in the form only for a draft (get_readonly_fields): nobody is
        # invited yet, publishing invites the guests.
        # After the agenda is saved too: the update names its changes as well.
        super().save_related(request, form, formsets, change)
        if not change:
            return
        obj = form.instance
        if services.meeting_schedule_changed(
            meeting=obj,
            changed_fields=form.changed_data,
            by_user=request.user,
            note=form.update_note,
            previous=form.meeting_before,
        ):
            obj.refresh_from_db(fields=["sequence"])
            self.message_user(
                request,
                gettext(
                    "Date, time or venue have changed: everyone invited receives an update "
                    "with the new calendar entry."
                ),
                messages.INFO,
            )
