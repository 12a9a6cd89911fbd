"""The preview of an issue as the subscribers will read it (HTML, and the plain text)."""

from django.http import HttpResponse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from network_portal.admin_views import PortalAdminMixin, admin_url

from .. import rendering

# The language of the browser preview: most subscribers read German.
PREVIEW_LANGUAGE = "de"


class IssuePreviewScreen(PortalAdminMixin):
    """Mixed into :class:`~newsletter.admin.issues.IssueAdmin`."""

    @admin_url("<int:pk>/preview/", name="newsletter_issue_preview")
    def preview_view(self, request, pk):
        issue = self.object_for(request, pk)
        with translation.override(PREVIEW_LANGUAGE):
            salutation = rendering.salutation(None)
        return self.render_admin_page(
            request,
            "admin/newsletter/issue/preview.html",
            gettext("Preview: %(subject)s") % {"subject": issue.subject},
            original=issue,
            issue=issue,
            salutation=salutation,
            # Sanitised by rendering.body_html: only harmless tags, no scripts or handlers.
            body_html=mark_safe(rendering.body_html(issue.body)),  # noqa: S308
            attachments=list(issue.attachments.all()),
        )

    @admin_url("<int:pk>/preview/text/", name="newsletter_issue_preview_text")
    def preview_text_view(self, request, pk):
        issue = self.object_for(request, pk)
        rendered = rendering.render_issue(issue, None, language=PREVIEW_LANGUAGE)
        return HttpResponse(rendered["text"], content_type="text/plain; charset=utf-8")
