"""The web archives: sent public issues for everyone, every sent issue for members."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from members.permissions import NetworkMemberRequiredMixin

from .. import rendering
from ..models import Issue


def _sent_issues():
    return Issue.objects.filter(status=Issue.Status.SENT).order_by("-sent_at", "-pk")


class _MembersOnlyMixin(NetworkMemberRequiredMixin):
    members_only_message = _(
        "Only members of active member companies can see the members' archive."
    )


class _ArchiveListView(ListView):
    template_name = "newsletter/archive.html"
    context_object_name = "issues"
    paginate_by = 20
    members_archive = False

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            members_archive=self.members_archive,
            detail_url_name=(
                "newsletter:members_archive_issue"
                if self.members_archive
                else "newsletter:archive_issue"
            ),
            **kwargs,
        )


class _IssueView(TemplateView):
    """One issue as the archive shows it: the body of the mail with the generic salutation.

    The mail's own HTML document is not embedded: its inline styles are what mail programs
    need, and the portal's Content-Security-Policy forbids them.
    """

    template_name = "newsletter/archive_issue.html"
    members_archive = False

    def get_issue(self):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        issue = self.get_issue()
        return super().get_context_data(
            issue=issue,
            salutation=rendering.salutation(None),
            body_html=rendering.body_html(issue.body),
            members_archive=self.members_archive,
            **kwargs,
        )


class PublicArchiveView(_ArchiveListView):
    """Everyone's archive; network members also find the way to theirs (the template asks
    ``is_network_member``)."""

    def get_queryset(self):
        return _sent_issues().filter(is_public=True)


class PublicIssueView(_IssueView):
    def get_issue(self):
        return get_object_or_404(_sent_issues(), pk=self.kwargs["pk"], is_public=True)


class MembersArchiveView(_MembersOnlyMixin, _ArchiveListView):
    members_archive = True

    def get_queryset(self):
        return _sent_issues()


class MembersIssueView(_MembersOnlyMixin, _IssueView):
    members_archive = True

    def get_issue(self):
        return get_object_or_404(_sent_issues(), pk=self.kwargs["pk"])
