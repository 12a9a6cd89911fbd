"""An issue's attachments as the coordinators open them from the issue's page.

Uploads have no public URL (MEDIA_URL is not served): the file goes out through this view,
to whoever may see the issue, under the name it was stored with (cleaned at upload), as a
download of the type found in its content.
"""

from django.contrib.admin.widgets import AdminFileWidget
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html

from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.downloads import stored_file_response

from ..models import IssueAttachment


def attachment_url(attachment: IssueAttachment) -> str:
    return reverse("admin:newsletter_issue_attachment", args=[attachment.issue_id, attachment.pk])


class _StoredAttachment:
    """What the file input shows of a stored attachment: its name, linked to the download
    view (Django's widget would link the file's internal path under MEDIA_URL)."""

    def __init__(self, attachment: IssueAttachment):
        self.url = attachment_url(attachment)
        self.name = attachment.filename

    def __str__(self):
        return self.name


class AttachmentInput(AdminFileWidget):
    """The file field of a stored attachment: a link to its download, and a field to replace
    it. ``attachment`` is set by the form."""

    attachment: IssueAttachment | None = None

    def is_initial(self, value):
        return self.attachment is not None and bool(value)

    def format_value(self, value):
        if self.is_initial(value):
            return _StoredAttachment(self.attachment)
        return None


class IssueAttachmentScreen(PortalAdminMixin):
    """Mixed into :class:`~newsletter.admin.issues.IssueAdmin`."""

    @admin_url("<int:pk>/attachments/<int:attachment_pk>/", name="newsletter_issue_attachment")
    def attachment_view(self, request, pk, attachment_pk):
        issue = self.object_for(request, pk)
        attachment = get_object_or_404(issue.attachments, pk=attachment_pk)
        return stored_file_response(
            attachment.file, filename=attachment.filename, content_type=attachment.content_type
        )


def attachment_link(attachment: IssueAttachment) -> str:
    """The attachment's name, linked to its download (the read-only issue's inline)."""
    if not attachment.pk or not attachment.file:
        return "–"
    return format_html('<a href="{}">{}</a>', attachment_url(attachment), attachment.filename)
