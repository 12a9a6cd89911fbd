"""The coordinators' side of meetings: planning, publishing, the participant overview, topics.

Every state change goes through :mod:`meetings.services`; the admin binds forms, calls one
service, reports the outcome as a message and redirects. Calendar feeds are not registered:
their tokens are secrets.
"""

from collections import Counter
from statistics import mean

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from network_portal.downloads import csv_attachment, pdf_attachment, pdf_view
from network_portal.pdf import render_pdf
from network_portal.uploads import DOCUMENT_EXTENSIONS, validate_document_upload

from . import services
from .models import AgendaItem, Feedback, Material, Meeting, Registration, TopicProposal

# Empty rows at the end of the printed list, for people who come without registering.
BLANK_PDF_ROWS = 5


def _timestamp(value) -> str:
    return date_format(timezone.localtime(value), "d.m.Y H:i") if value else ""


# --------------------------------------------------------------------------------------------
# Forms


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


# --------------------------------------------------------------------------------------------
# Meetings


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


def _meeting_action(service, done_message):
    """An admin action that calls ``service(meeting=…, by_user=…)`` for each selected meeting.

    A meeting the service refuses is reported as a warning; the others count as done.
    """

    def action(modeladmin, request, queryset):
        done = 0
        for meeting in queryset:
            try:
                service(meeting=meeting, by_user=request.user)
            except ValidationError as error:
                modeladmin.message_user(
                    request, f"{meeting}: {'; '.join(error.messages)}", messages.WARNING
                )
            else:
                done += 1
        if done:
            modeladmin.message_user(request, done_message(done), messages.SUCCESS)

    return action


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
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
        return (
            super()
            .get_queryset(request)
            .annotate(
                seats_taken=Count(
                    "registrations",
                    filter=Q(registrations__status=Registration.Status.CONFIRMED),
                )
            )
        )

    @admin.display(description=_("Seats taken"), ordering="seats_taken")
    def seats_taken(self, meeting):
        return meeting.seats_taken

    @admin.display(description=_("Participants"))
    def participants_link(self, meeting):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:meetings_meeting_participants", args=[meeting.pk]),
            gettext("Participant overview"),
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
    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Meeting.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Publish and send invitations"), permissions=["change"])
    def publish(self, request, queryset):
        _meeting_action(
            services.meeting_publish,
            lambda n: (
                ngettext(
                    "%(n)d meeting published; the invitations are being sent.",
                    "%(n)d meetings published; the invitations are being sent.",
                    n,
                )
                % {"n": n}
            ),
        )(self, request, queryset)

    @admin.action(description=_("Cancel and notify everyone invited"), permissions=["change"])
    def cancel(self, request, queryset):
        _meeting_action(
            services.meeting_cancel,
            lambda n: (
                ngettext(
                    "%(n)d meeting cancelled; everyone invited is notified.",
                    "%(n)d meetings cancelled; everyone invited is notified.",
                    n,
                )
                % {"n": n}
            ),
        )(self, request, queryset)

    @admin.action(description=_("Mark as held"), permissions=["change"])
    def mark_held(self, request, queryset):
        _meeting_action(
            services.meeting_mark_held,
            lambda n: (
                ngettext("%(n)d meeting marked as held.", "%(n)d meetings marked as held.", n)
                % {"n": n}
            ),
        )(self, request, queryset)

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

    # ----------------------------------------------------------------------------------------
    # Participant overview, downloads and check-in

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/participants/",
                wrap(self.participants_view),
                name="meetings_meeting_participants",
            ),
            path(
                "<int:pk>/participants/csv/",
                wrap(self.participants_csv_view),
                name="meetings_meeting_participants_csv",
            ),
            path(
                "<int:pk>/participants/pdf/",
                wrap(pdf_view(self.participants_pdf_view)),
                name="meetings_meeting_participants_pdf",
            ),
            path(
                "<int:pk>/participants/check-in/",
                wrap(require_POST(self.check_in_view)),
                name="meetings_meeting_check_in",
            ),
            *super().get_urls(),
        ]

    def _meeting_for(self, request, pk, *, change=False) -> Meeting:
        meeting = Meeting.objects.select_related("host").filter(pk=pk).first()
        if meeting is None:
            raise Http404
        allowed = (
            self.has_change_permission(request, meeting)
            if change
            else self.has_view_permission(request, meeting)
        )
        if not allowed or not request.user.has_perm("meetings.view_registration"):
            raise PermissionDenied
        return meeting

    def participants_view(self, request, pk):
        meeting = self._meeting_for(request, pk)
        overview = participant_overview(meeting)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Participants: %(meeting)s") % {"meeting": meeting.title},
            "meeting": meeting,
            "can_check_in": self.has_change_permission(request, meeting),
            **overview,
        }
        return TemplateResponse(request, "admin/meetings/meeting/participants.html", context)

    def participants_csv_view(self, request, pk):
        meeting = self._meeting_for(request, pk)
        overview = participant_overview(meeting)
        return csv_attachment(participant_rows(overview), filename=_filename(meeting, "csv"))

    def participants_pdf_view(self, request, pk):
        meeting = self._meeting_for(request, pk)
        overview = participant_overview(meeting)
        pdf = render_pdf(
            template="meetings/pdf/participants.html",
            context={
                "meeting": meeting,
                "participants": overview["seated"],
                "blank_rows": range(BLANK_PDF_ROWS),
                "printed_at": timezone.now(),
            },
        )
        return pdf_attachment(pdf, filename=_filename(meeting, "pdf"))

    def check_in_view(self, request, pk):
        meeting = self._meeting_for(request, pk, change=True)
        if not request.user.has_perm("meetings.change_registration"):
            raise PermissionDenied
        registration_id = request.POST.get("registration", "")
        if not registration_id.isdigit():
            raise Http404
        registration = get_object_or_404(Registration, pk=registration_id, meeting=meeting)
        present = request.POST.get("present") == "1"
        services.check_in(registration=registration, present=present, by_user=request.user)
        if present:
            message = gettext("%(name)s is checked in.")
        else:
            message = gettext("The check-in of %(name)s has been undone.")
        self.message_user(request, message % {"name": registration.name}, messages.SUCCESS)
        url = reverse("admin:meetings_meeting_participants", args=[meeting.pk])
        return HttpResponseRedirect(f"{url}#registration-{registration.pk}")


def _filename(meeting: Meeting, extension: str) -> str:
    prefix = slugify(gettext("participants"))
    return f"{prefix}-{meeting.slug}.{extension}"


def participant_overview(meeting: Meeting) -> dict:
    """Everything the participant overview shows, in four queries whatever the numbers."""
    registrations = list(
        meeting.registrations.select_related("company").order_by("company__name", "name", "pk")
    )
    by_status = {status: [] for status in Registration.Status.values}
    for registration in registrations:
        by_status[registration.status].append(registration)
    waitlist = sorted(
        by_status[Registration.Status.WAITLISTED],
        key=lambda r: (r.waitlisted_at or r.created_at, r.pk),
    )
    cancelled_by_company = Counter(r.company_id for r in by_status[Registration.Status.CANCELLED])

    companies = []
    for row in services.company_answer_counts(meeting):
        row = {**row, "cancelled": cancelled_by_company[row["pk"]]}
        if row["confirmed"] or row["waitlisted"]:
            row["answer"] = "yes"
        elif row["declined"] or row["cancelled"]:
            row["answer"] = "no"
        else:
            row["answer"] = "none"
        companies.append(row)
    company_totals = Counter(row["answer"] for row in companies)

    feedback = list(meeting.feedback.order_by("-created_at"))
    seated = by_status[Registration.Status.CONFIRMED]
    return {
        "companies": companies,
        "companies_yes": company_totals["yes"],
        "companies_no": company_totals["no"],
        "companies_no_answer": company_totals["none"],
        "seated": seated,
        "waitlist": waitlist,
        "declined": by_status[Registration.Status.DECLINED],
        "cancelled": by_status[Registration.Status.CANCELLED],
        "free_seats": max(meeting.capacity - len(seated), 0),
        "checked_in": sum(1 for r in seated if r.checked_in_at),
        "feedback_count": len(feedback),
        "feedback_average": mean(f.rating for f in feedback) if feedback else None,
        "feedback_comments": [f for f in feedback if f.comment.strip()],
    }


def participant_rows(overview: dict) -> list[list[str]]:
    """The participant list for Excel: seated, then the waitlist in order."""
    rows = [
        [
            gettext("Name"),
            gettext("Company"),
            gettext("Email"),
            gettext("Status"),
            gettext("Waitlist position"),
            gettext("Checked in at"),
        ]
    ]
    for registration in overview["seated"]:
        rows.append(_participant_row(registration, ""))
    for position, registration in enumerate(overview["waitlist"], start=1):
        rows.append(_participant_row(registration, str(position)))
    return rows


def _participant_row(registration: Registration, position: str) -> list[str]:
    return [
        registration.name,
        registration.company.name,
        registration.email,
        str(registration.get_status_display()),
        position,
        _timestamp(registration.checked_in_at),
    ]


# --------------------------------------------------------------------------------------------
# Registrations, topics, feedback


def _check_in_action(present: bool, done_message):
    def action(modeladmin, request, queryset):
        done = 0
        for registration in queryset:
            services.check_in(registration=registration, present=present, by_user=request.user)
            done += 1
        modeladmin.message_user(request, done_message(done), messages.SUCCESS)

    return action


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Read-only: answers change only through the RSVP rules (seats, waitlist, limits)."""

    list_display = ["name", "company", "meeting", "status", "email", "checked_in_at", "created_at"]
    list_filter = [
        ("meeting", admin.RelatedOnlyFieldListFilter),
        "status",
        ("company", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "email", "company__name", "meeting__title"]
    list_select_related = ["company", "meeting"]
    readonly_fields = [
        "meeting",
        "company",
        "contact",
        "name",
        "email",
        "status",
        "registered_by",
        "waitlisted_at",
        "checked_in_at",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    actions = ["check_in", "undo_check_in"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting a seat would skip the waitlist promotion.
        return False

    @admin.action(description=_("Check in"), permissions=["change"])
    def check_in(self, request, queryset):
        _check_in_action(
            True,
            lambda n: (
                ngettext("%(n)d person checked in.", "%(n)d people checked in.", n) % {"n": n}
            ),
        )(self, request, queryset)

    @admin.action(description=_("Undo check-in"), permissions=["change"])
    def undo_check_in(self, request, queryset):
        _check_in_action(
            False,
            lambda n: (
                ngettext(
                    "Check-in undone for %(n)d person.", "Check-in undone for %(n)d people.", n
                )
                % {"n": n}
            ),
        )(self, request, queryset)


@admin.register(TopicProposal)
class TopicProposalAdmin(admin.ModelAdmin):
    """Topic wishes ranked by votes; linking one to a meeting tells the proposer."""

    list_display = ["title", "company", "vote_count", "scheduled_meeting", "created_at"]
    list_filter = [("scheduled_meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["company", "scheduled_meeting"]
    search_fields = ["title", "description", "company__name"]
    fields = [
        "title",
        "description",
        "company",
        "proposed_by",
        "vote_count",
        "created_at",
        "scheduled_meeting",
    ]
    readonly_fields = ["company", "proposed_by", "vote_count", "created_at"]

    def get_queryset(self, request):
        # Annotated before the ordering is applied: the ranking orders by the vote count.
        queryset = self.model._default_manager.annotate(vote_count=Count("votes", distinct=True))
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["-vote_count", "-created_at"]

    def has_add_permission(self, request):
        # Proposals come from the companies (with the proposer's own vote).
        return False

    @admin.display(description=_("Votes"), ordering="vote_count")
    def vote_count(self, proposal):
        return proposal.vote_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "scheduled_meeting":
            # Members must be able to open the meeting the proposer is told about.
            kwargs["queryset"] = Meeting.objects.filter(
                status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "scheduled_meeting" in form.changed_data:
            services.topic_schedule(
                proposal=obj, meeting=obj.scheduled_meeting, by_user=request.user
            )
            if obj.scheduled_meeting is not None and obj.proposed_by_id:
                self.message_user(
                    request,
                    gettext("The proposer is told by email that the topic is on the agenda."),
                    messages.INFO,
                )


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["meeting", "rating", "comment", "created_at"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), "rating"]
    list_select_related = ["meeting"]
    search_fields = ["comment"]
    fields = ["meeting", "rating", "comment", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
