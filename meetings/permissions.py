"""Who may see meetings and answer for whom."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.permissions import NetworkMemberRequiredMixin, active_company_of

from .models import Meeting


class MeetingsMemberMixin(NetworkMemberRequiredMixin):
    """Members of active companies and coordinators; ``self.company`` is the user's company
    (None for a coordinator without one, who can look but not answer)."""

    members_only_message = gettext_lazy(
        "Network meetings are for the users of active member companies."
    )

    def dispatch(self, request, *args, **kwargs):
        self.company = active_company_of(request.user)
        return super().dispatch(request, *args, **kwargs)


class MeetingsCompanyMixin(MeetingsMemberMixin):
    """Views that answer for a company: only users of an active member company."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and active_company_of(request.user) is None:
            raise PermissionDenied(_("Only users of active member companies can register."))
        return super().dispatch(request, *args, **kwargs)


def questions_open(meeting) -> bool:
    """Members submit, change and withdraw questions to the experts while the meeting is
    published, collects questions and has not started."""
    return (
        meeting.collects_questions
        and meeting.status == Meeting.Status.PUBLISHED
        and timezone.now() < meeting.starts_at
    )


def can_change_question(question, company) -> bool:
    """The asking company's users change or withdraw a question until it is sent."""
    return company is not None and question.company_id == company.pk and question.sent_at is None
