"""Issues: writing them (text, lists, attachments) and following their sending. The preview
and the sending are screens of their own, mixed in. An issue that is no longer a draft is shown
read-only, and only drafts can be deleted."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network_portal.uploads import DOCUMENT_EXTENSIONS, validate_document_upload

from .. import selectors, services
from ..models import Delivery, Issue, IssueAttachment
from .attachments import AttachmentInput, IssueAttachmentScreen, attachment_link
from .preview import IssuePreviewScreen
from .sending import IssueSendingScreen, ScheduleForm

# How many failed addresses the issue page lists; the rest are in the delivery list.
FAILED_SHOWN = 50


class IssueAdminForm(forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["subject", "preheader", "body", "lists", "is_public"]
        widgets = {"lists": forms.CheckboxSelectMultiple}
        help_texts = {
            "body": _(
                "Markdown: **bold**, *italic*, [link text](https://…), lists with “- ”, "
                "headings with “## ”. Every mail starts with a personal salutation and ends "
                "with the unsubscribe links and the legal notice: please leave them out here."
            ),
        }


def attachment_filename(original: str, content_type: str) -> str:
    """A safe file name: the uploaded name's stem, cleaned, with the extension of the type
    read from the content."""
    stem = original.replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    try:
        stem = get_valid_filename(stem).lstrip(".")[:150]
    except SuspiciousFileOperation:
        stem = ""
    return f"{stem or slugify(gettext('attachment'))}{DOCUMENT_EXTENSIONS[content_type]}"


class IssueAttachmentForm(forms.ModelForm):
    """An attachment is checked by its content; the stored name and type follow from it."""

    class Meta:
        model = IssueAttachment
        fields = ["file"]
        widgets = {"file": AttachmentInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "file" in self.fields:  # not on a read-only issue
            self.fields["file"].widget.attachment = self.instance

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            content_type = validate_document_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
            upload.name = attachment_filename(upload.name, content_type)
            self.instance.filename = upload.name
            self.instance.content_type = content_type
        return upload


class IssueAttachmentInline(admin.TabularInline):
    model = IssueAttachment
    form = IssueAttachmentForm
    extra = 0
    # The file field shows the stored file by the name the mail gives it, linked to it.
    fields = ["file", "content_type"]
    readonly_fields = ["content_type", "download"]

    def get_fields(self, request, obj=None):
        # A read-only issue's attachments: the download link instead of the file field (whose
        # read-only display links the file's internal path, which is not served).
        if obj is not None and not obj.is_editable:
            return ["download", "content_type"]
        return super().get_fields(request, obj)

    @admin.display(description=_("File"))
    def download(self, attachment):
        return attachment_link(attachment)

    # ``obj`` is the issue: its attachments are fixed once it is no longer a draft.
    def has_add_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)


@admin.register(Issue)
class IssueAdmin(IssuePreviewScreen, IssueSendingScreen, IssueAttachmentScreen, admin.ModelAdmin):
    form = IssueAdminForm
    change_form_template = "admin/newsletter/issue/change_form.html"
    list_display = ["subject", "status", "list_names", "scheduled_at", "sent_at", "progress"]
    list_filter = ["status", "is_public", "lists"]
    search_fields = ["subject"]
    inlines = [IssueAttachmentInline]
    readonly_fields = ["status", "scheduled_at", "sending_started_at", "sent_at", "created_by"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(None, {"fields": ["subject", "preheader", "body", "lists", "is_public"]})]
        if obj is not None:
            fieldsets.append(
                (
                    _("Status"),
                    {
                        "fields": [
                            "status",
                            "scheduled_at",
                            "sending_started_at",
                            "sent_at",
                            "created_by",
                        ]
                    },
                )
            )
        return fieldsets

    def get_queryset(self, request):
        # Subqueries, not a join: the page's count query and the list filter stay untouched.
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=_delivery_count(Delivery.Status.SENT),
                failed_count=_delivery_count(Delivery.Status.FAILED),
                pending_count=_delivery_count(Delivery.Status.PENDING),
            )
            .prefetch_related("lists")
        )

    @admin.display(description=_("Lists"))
    def list_names(self, issue):
        return ", ".join(mailing_list.name for mailing_list in issue.lists.all()) or "–"

    @admin.display(description=_("Sent / failed / pending"))
    def progress(self, issue):
        if issue.status in (Issue.Status.DRAFT, Issue.Status.SCHEDULED):
            return "–"
        return f"{issue.sent_count} / {issue.failed_count} / {issue.pending_count}"

    # A scheduled, sending or sent issue is read-only; only drafts can be deleted.
    mass_delete = False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not obj.is_editable:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # "Save and send a test to me": the form's button of this name saves what is in the form
    # (an invalid form is shown again with its errors, and nothing is sent), then sends the
    # saved issue as a test.
    SEND_TEST = "_send_test"

    def response_add(self, request, obj, post_url_continue=None):
        if self.SEND_TEST in request.POST:
            return self._send_test_after_save(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if self.SEND_TEST in request.POST:
            return self._send_test_after_save(request, obj)
        return super().response_change(request, obj)

    def _send_test_after_save(self, request, issue):
        self.check_permissions(request, require=("send",))
        self.run_service(
            request,
            lambda: services.issue_send_test(issue=issue, to_user=request.user),
            done_message=lambda _none: (
                gettext("“%(subject)s” was saved. A test copy is on its way to %(email)s.")
                % {"subject": issue.subject, "email": request.user.email}
            ),
        )
        return self.redirect_to_change(issue)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                {
                    "progress": selectors.issue_progress(obj),
                    "failed_deliveries": list(
                        obj.deliveries.filter(status=Delivery.Status.FAILED).order_by("email")[
                            :FAILED_SHOWN
                        ]
                    ),
                    "failed_list_url": _delivery_list_url(obj, Delivery.Status.FAILED),
                    "can_send": self.has_change_permission(request),
                    "schedule_form": ScheduleForm(),
                }
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


def _delivery_count(status: str):
    """The number of the issue's deliveries in ``status``, as a correlated subquery."""
    deliveries = (
        Delivery.objects.filter(issue=OuterRef("pk"), status=status)
        .order_by()
        .values("issue")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(deliveries), 0)


def _delivery_list_url(issue: Issue, status: str) -> str:
    url = reverse("admin:newsletter_delivery_changelist")
    return f"{url}?issue__id__exact={issue.pk}&status__exact={status}"
