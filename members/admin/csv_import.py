"""Importing a member list from CSV: upload, a dry-run preview, confirm. The rules live in
:mod:`members.csv_io`; the preview hands the data to the confirmation signed."""

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext

from network_portal.admin_views import PortalAdminMixin, admin_url

from .. import csv_io


class CsvImportScreen(PortalAdminMixin):
    """Mixed into :class:`~members.admin.companies.CompanyAdmin`; for those who may add
    companies."""

    @admin_url("import/", name="members_company_import")
    def import_csv_view(self, request):
        """Upload → dry-run preview → confirm; the logic lives in :mod:`members.csv_io`."""
        self.check_permissions(request, require=("add",))
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

    def _import_page(self, request, template, title, *, status=200, **extra):
        return self.render_admin_page(
            request,
            template,
            title,
            status=status,
            columns=csv_io.COLUMNS,
            required_columns=csv_io.REQUIRED_COLUMNS,
            **extra,
        )

    def _import_upload(self, request, form, status=200, import_errors=()):
        return self._import_page(
            request,
            "admin/members/company/csv_import.html",
            gettext("Import member list"),
            status=status,
            form=form,
            import_errors=list(import_errors),
        )

    def _import_preview(self, request, preview, filename, text):
        context = {
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
        return self._import_page(
            request,
            "admin/members/company/csv_import_preview.html",
            gettext("Import preview"),
            **context,
        )

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
            companies, contacts = csv_io.import_member_csv(preview, by_user=request.user)
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
        return self.redirect_to_changelist()
