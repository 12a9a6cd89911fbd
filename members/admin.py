from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import csv_io, services
from .models import Company, CompanyInvitation, CompanyMembership, ContactPerson, JoinRequest, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    # Coordinators manage accounts through their group's permissions, without being superusers:
    # they must not be able to make anyone (themselves) one, nor take over a superuser's account.
    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions"]
        return readonly

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


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


class MembershipInline(admin.TabularInline):
    model = CompanyMembership
    extra = 0
    raw_id_fields = ["user"]


def _status_action(service, done_message, name, description):
    def action(modeladmin, request, queryset):
        done = 0
        for company in queryset:
            try:
                service(company=company, by_user=request.user)
            except ValidationError as error:
                modeladmin.message_user(request, "; ".join(error.messages), messages.WARNING)
            else:
                done += 1
        if done:
            modeladmin.message_user(request, done_message(done), messages.SUCCESS)

    action.__name__ = name
    action.short_description = description
    action.allowed_permissions = ("change",)
    return action


approve = _status_action(
    services.company_approve,
    lambda n: (
        ngettext(
            "%(n)d company approved and notified.",
            "%(n)d companies approved and notified.",
            n,
        )
        % {"n": n}
    ),
    "approve",
    _("Approve selected registrations"),
)
reject = _status_action(
    services.company_reject,
    lambda n: (
        ngettext(
            "%(n)d registration rejected and notified.",
            "%(n)d registrations rejected and notified.",
            n,
        )
        % {"n": n}
    ),
    "reject",
    _("Reject selected registrations"),
)
pause = _status_action(
    services.company_pause,
    lambda n: ngettext("%(n)d membership paused.", "%(n)d memberships paused.", n) % {"n": n},
    "pause",
    _("Pause membership"),
)
mark_left = _status_action(
    services.company_mark_left,
    lambda n: (
        ngettext(
            "%(n)d company marked as having left.",
            "%(n)d companies marked as having left.",
            n,
        )
        % {"n": n}
    ),
    "mark_left",
    _("Mark as having left"),
)
reactivate = _status_action(
    services.company_reactivate,
    lambda n: (
        ngettext("%(n)d membership reactivated.", "%(n)d memberships reactivated.", n) % {"n": n}
    ),
    "reactivate",
    _("Reactivate membership"),
)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
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
    readonly_fields = ["status", "registered_at", "status_changed_at", "member_since"]
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
                    "directory_consent",
                    "internal_notes",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_io.export_response(queryset)

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_csv_view)
        return [
            path("import/", import_view, name="members_company_import"),
            *super().get_urls(),
        ]

    def import_csv_view(self, request):
        """Upload → dry-run preview → confirm; the logic lives in :mod:`members.csv_io`."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("step") == "confirm":
            return self._import_confirm(request)
        if request.method == "POST":
            form = csv_io.MemberCsvUploadForm(request.POST, request.FILES)
        else:
            form = csv_io.MemberCsvUploadForm()
        if form.is_bound and form.is_valid():
            preview = csv_io.parse_member_csv(form.text)
            return self._import_preview(request, preview, form.cleaned_data["file"].name, form.text)
        return self._import_upload(request, form)

    def _import_context(self, request, title):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "columns": csv_io.COLUMNS,
            "required_columns": csv_io.REQUIRED_COLUMNS,
        }

    def _import_upload(self, request, form, status=200, import_errors=()):
        context = {
            **self._import_context(request, gettext("Import member list")),
            "form": form,
            "import_errors": list(import_errors),
        }
        return TemplateResponse(
            request, "admin/members/company/csv_import.html", context, status=status
        )

    def _import_preview(self, request, preview, filename, text):
        context = {
            **self._import_context(request, gettext("Import preview")),
            "preview": preview,
            "filename": filename,
            "column_labels": [(c, csv_io.COLUMN_LABELS[c]) for c in csv_io.COLUMNS],
        }
        if preview.is_valid:
            context["confirm_form"] = csv_io.MemberCsvConfirmForm(
                initial={
                    "payload": csv_io.sign_payload(text=text, filename=filename, user=request.user)
                },
                user=request.user,
            )
        return TemplateResponse(request, "admin/members/company/csv_import_preview.html", context)

    def _import_confirm(self, request):
        confirm = csv_io.MemberCsvConfirmForm(request.POST, user=request.user)
        if not confirm.is_valid():
            errors = confirm.errors.get("payload", [])
            return self._import_upload(
                request, csv_io.MemberCsvUploadForm(), status=400, import_errors=errors
            )
        data = confirm.cleaned_data["payload"]
        # Checked again: the database may have changed since the preview.
        preview = csv_io.parse_member_csv(data["csv"])
        if not preview.is_valid:
            return self._import_preview(request, preview, data["name"], data["csv"])
        try:
            companies, contacts = csv_io.import_member_csv(preview)
        except IntegrityError:
            self.message_user(
                request,
                gettext(
                    "The import failed because the data has changed in the meantime. Nothing was "
                    "imported; please upload the file again."
                ),
                messages.ERROR,
            )
            return redirect(reverse("admin:members_company_import"))
        self.message_user(
            request,
            gettext("Import complete: %(summary)s created.")
            % {"summary": csv_io.summary_text(len(companies), len(contacts))},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:members_company_changelist"))


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "company",
        "function",
        "email",
        "wants_meeting_invitations",
        "wants_newsletter",
    ]
    list_filter = [
        "function",
        "wants_meeting_invitations",
        "wants_newsletter",
        "company__status",
    ]
    search_fields = ["first_name", "last_name", "email", "company__name"]
    list_select_related = ["company"]
    raw_id_fields = ["company", "user"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__email", "company__name"]
    list_select_related = ["user", "company", "decided_by"]
    readonly_fields = [
        "user",
        "company",
        "message",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    actions = ["accept", "decline"]

    def has_add_permission(self, request):
        return False

    def _decide(self, request, queryset, accept):
        for join_request in queryset:
            try:
                services.join_request_decide(
                    join_request=join_request, accept=accept, by_user=request.user
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{join_request}: {'; '.join(error.messages)}", messages.WARNING
                )
            else:
                self.message_user(request, str(join_request), messages.SUCCESS)

    @admin.action(description=_("Accept selected requests"), permissions=["change"])
    def accept(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Decline selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, False)


@admin.register(CompanyInvitation)
class CompanyInvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "company",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    search_fields = ["email", "company__name"]
    list_select_related = ["company", "invited_by"]
    readonly_fields = [
        "company",
        "email",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]

    def has_add_permission(self, request):
        return False
