"""Who may see meetings and answer for whom."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from members.models import Company
from members.permissions import membership_of


def acting_company(user) -> Company | None:
    """The active member company the user answers for, if any."""
    membership = membership_of(user)
    if membership and membership.company.status == Company.Status.ACTIVE:
        return membership.company
    return None


def can_see_meetings(user) -> bool:
    return user.is_authenticated and (user.is_staff or acting_company(user) is not None)


class MeetingsMemberMixin(LoginRequiredMixin):
    """Members of active companies and coordinators; ``self.company`` is the user's company
    (None for a coordinator without one, who can look but not answer)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not can_see_meetings(request.user):
            raise PermissionDenied(
                _("Network meetings are for the users of active member companies.")
            )
        self.company = acting_company(request.user)
        return super().dispatch(request, *args, **kwargs)


class MeetingsCompanyMixin(MeetingsMemberMixin):
    """Views that answer for a company: only users of an active member company."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and acting_company(request.user) is None:
            raise PermissionDenied(_("Only users of active member companies can register."))
        return super().dispatch(request, *args, **kwargs)
