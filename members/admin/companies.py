"""Member companies: registrations to approve, the membership's status, contacts and logins;
export as CSV (the import is a screen of its own, mixed in)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from network_portal.admin_views import ConfirmFirst, service_action

from .. import csv_io, services
from ..admin_panels import company_panels
from ..models import Company, CompanyMembership, ContactPerson
from .csv_import import CsvImportScreen


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    fields = [
        "salutation",
        "title",
        "first_name",
        "last_name",
        "function",
        "email",
        "phone",
        "wants_meeting_invitations",
        "wants_newsletter",
        "user",
    ]
    raw_id_fields = ["user"]


class MembershipFormSet(forms.BaseInlineFormSet):
    """Accesses are given, their roles changed and ended through the services (logged; a
    company keeps an admin): tried out, rolled back, while the form is checked, so that a
    refusal is the form's error and nothing is half saved; carried out when it is saved."""

    by_user = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        try:
            with transaction.atomic():
                self.apply()
                transaction.set_rollback(True)
        except ValidationError as refused:
            raise ValidationError(refused.messages) from None

    def apply(self):
        # What Django's admin history reads after a save, as formset.save() would leave it.
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []
        for form in self.initial_forms:
            if self._should_delete_form(form):
                services.membership_remove(membership=form.instance, by_user=self.by_user)
                self.deleted_objects.append(form.instance)
            elif "role" in form.changed_data:
                services.membership_set_role(
                    membership=form.instance, role=form.cleaned_data["role"], by_user=self.by_user
                )
                self.changed_objects.append((form.instance, ["role"]))
        for form in self.extra_forms:
            if form.has_changed() and not self._should_delete_form(form):
                membership = services.membership_add(
                    company=self.instance,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    by_user=self.by_user,
                )
                self.new_objects.append(membership)


class MembershipInline(admin.TabularInline):
    model = CompanyMembership
    formset = MembershipFormSet
    extra = 0
    raw_id_fields = ["user"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.by_user = request.user
        return formset


# The services name the company in their refusals themselves (refusal_label=None).
approve = service_action(
    services.company_approve,
    name="approve",
    description=_("Approve selected registrations"),
    done_message=ngettext_lazy(
        "%(n)d company approved and notified.", "%(n)d companies approved and notified.", "n"
    ),
    refusal_label=None,
    confirm=ConfirmFirst(
        title=_("Approve these registrations?"),
        warning=_(
            "The companies become member companies. Their company admins are told by email, "
            "and their contact persons are invited to the meetings still open for answers."
        ),
        submit_label=_("Yes, approve and notify"),
        nothing_to_do=_("None of the selected companies awaits approval."),
        back_label=_("Back to the companies"),
        eligible=lambda queryset: queryset.filter(status=Company.Status.PENDING).order_by("name"),
        dry_run=True,
    ),
)
reject = service_action(
    services.company_reject,
    name="reject",
    description=_("Reject selected registrations"),
    done_message=ngettext_lazy(
        "%(n)d registration rejected and notified.",
        "%(n)d registrations rejected and notified.",
        "n",
    ),
    refusal_label=None,
    confirm=ConfirmFirst(
        title=_("Reject these registrations?"),
        warning=_(
            "The registrations are rejected; this cannot be undone. Their company admins are "
            "told by email, with your note as the reason."
        ),
        submit_label=_("Yes, reject and notify"),
        nothing_to_do=_("None of the selected companies awaits approval."),
        back_label=_("Back to the companies"),
        eligible=lambda queryset: queryset.filter(status=Company.Status.PENDING).order_by("name"),
        dry_run=True,
        note=True,
        note_argument="reason",
    ),
)
pause = service_action(
    services.company_pause,
    name="pause",
    description=_("Pause membership"),
    done_message=ngettext_lazy("%(n)d membership paused.", "%(n)d memberships paused.", "n"),
    refusal_label=None,
)
mark_left = service_action(
    services.company_mark_left,
    name="mark_left",
    description=_("Mark as having left"),
    done_message=ngettext_lazy(
        "%(n)d company marked as having left.", "%(n)d companies marked as having left.", "n"
    ),
    refusal_label=None,
)
reactivate = service_action(
    services.company_reactivate,
    name="reactivate",
    description=_("Reactivate membership"),
    done_message=ngettext_lazy(
        "%(n)d membership reactivated.", "%(n)d memberships reactivated.", "n"
    ),
    refusal_label=None,
    confirm=ConfirmFirst(
        title=_("Reactivate these memberships?"),
        warning=_(
            "The companies are member companies again; their contact persons are invited to "
            "the meetings still open for answers."
        ),
        submit_label=_("Yes, reactivate"),
        nothing_to_do=_("None of the selected memberships is paused or ended."),
        back_label=_("Back to the companies"),
        eligible=lambda queryset: queryset.filter(
            status__in=[Company.Status.PAUSED, Company.Status.LEFT]
        ).order_by("name"),
        dry_run=True,
    ),
)


@admin.register(Company)
class CompanyAdmin(CsvImportScreen, admin.ModelAdmin):
    list_display = [
        "name",
        "status",
        "size_class",
        "industry",
        "city",
        "directory_consent",
        "registered_at",
        "member_since",
    ]
    list_filter = ["status", "size_class", "industry", "directory_consent", "legal_form"]
    search_fields = ["name", "city", "postcode", "contacts__last_name", "contacts__email"]
    date_hierarchy = "registered_at"
    readonly_fields = ["status", "registered_at", "status_changed_at", "member_since", "left_on"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ContactPersonInline, MembershipInline]
    actions = [approve, reject, pause, mark_left, reactivate, "export_csv"]
    fieldsets = [
        (
            None,
            {"fields": ["name", "slug", "legal_form", "industry", "size_class", "description"]},
        ),
        (_("Address and web"), {"fields": ["street", "postcode", "city", "website", "logo"]}),
        (
            _("Membership"),
            {
                "fields": [
                    "status",
                    "registered_at",
                    "member_since",
                    "status_changed_at",
                    "left_on",
                    "directory_consent",
                    "internal_notes",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def save_formset(self, request, form, formset, change):
        """Contact persons are added and changed through ``services.contact_save`` (logged;
        newcomers are invited to the meetings still open); the rest as the admin does."""
        if formset.model is CompanyMembership:
            formset.apply()
            return None
        if formset.model is not ContactPerson:
            return super().save_formset(request, form, formset, change)
        contacts = formset.save(commit=False)
        for contact in formset.deleted_objects:
            services.contact_remove(contact=contact, by_user=request.user)
        for contact in contacts:
            services.contact_save(contact=contact, by_user=request.user)
        formset.save_m2m()
        return None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # What other apps show about the company (members.admin_panels), e.g. its engagement.
        if obj is not None:
            context["company_panels"] = company_panels(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_io.export_response(queryset)
