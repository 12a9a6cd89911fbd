"""The web archives: sent public issues for everyone, every sent issue for members."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from members.permissions import is_network_member

from .. import rendering
from ..models import Issue


def _sent_issues():
    return Issue.objects.filter(status=Issue.Status.SENT).order_by("-sent_at", "-pk")


class _MembersOnlyMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_network_member(request.user):
            raise PermissionDenied(
                _("Only members of active member companies can see the members' archive.")
            )
        return super().dispatch(request, *args, **kwargs)


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
    def get_queryset(self):
        return _sent_issues().filter(is_public=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_see_members_archive=is_network_member(self.request.user), **kwargs
        )


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
