"""Planning and publishing meetings: the form, agenda and materials, the status actions."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import object_link, service_action
from network_portal.uploads import DOCUMENT_EXTENSIONS, validate_document_upload

from .. import selectors, services
from ..models import AgendaItem, Material, Meeting
from .participants import ParticipantsScreen


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "slug",
            "topic",
            "description",
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
        ]

    def clean_reminder_days(self):
        days = self.cleaned_data.get("reminder_days")
        if days in (None, ""):
            return []
        if not isinstance(days, list) or not all(
            isinstance(d, int) and not isinstance(d, bool) and 0 < d <= 365 for d in days
        ):
            raise ValidationError(
                _("Please enter a list of whole days between 1 and 365, e.g. [7, 1].")
            )
        return sorted(set(days), reverse=True)

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
    extra = 0
    fields = ["starts_at", "title", "speaker_contact", "speaker_name", "speaker_organisation"]
    autocomplete_fields = ["speaker_contact"]


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
class MeetingAdmin(ParticipantsScreen, admin.ModelAdmin):
    form = MeetingAdminForm
    change_form_template = "admin/meetings/meeting/change_form.html"
    list_display = [
        "title",
        "starts_at",
        "host",
        "status",
        "capacity",
        "seats_taken",
        "rsvp_deadline",
        "participants_link",
    ]
    list_filter = ["status", "starts_at", ("host", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["host"]
    search_fields = ["title", "topic", "venue_name", "host__name"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["host"]
    readonly_fields = ["status", "sequence", "published_at"]
    inlines = [AgendaItemInline, MaterialInline]
    actions = ["publish", "cancel", "mark_held"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "topic", "description"]}),
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
        (_("Seats"), {"fields": ["capacity", "per_company_limit"]}),
        (_("Status"), {"fields": ["status", "published_at", "sequence"]}),
    ]

    def get_queryset(self, request):
        return selectors.with_seat_counts(super().get_queryset(request))

    @admin.display(description=_("Seats taken"), ordering="seated")
    def seats_taken(self, meeting):
        return meeting.seated

    @admin.display(description=_("Participants"))
    def participants_link(self, meeting):
        return object_link(
            "admin:meetings_meeting_participants", meeting, gettext("Participant overview")
        )

    # A published meeting keeps its address: the links in sent invitations point to it.
    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != Meeting.Status.DRAFT:
            fields.append("slug")
        return fields

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.status != Meeting.Status.DRAFT:
            return {}
        return super().get_prepopulated_fields(request, obj)

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
    )
    mark_held = service_action(
        services.meeting_mark_held,
        name="mark_held",
        description=_("Mark as held"),
        done_message=ngettext_lazy(
            "%(n)d meeting marked as held.", "%(n)d meetings marked as held.", "n"
        ),
    )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            return
        if services.meeting_schedule_changed(
            meeting=obj, changed_fields=form.changed_data, by_user=request.user
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
