"""Who may see meetings and answer for whom."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from members.permissions import active_company_of, is_network_member


class MeetingsMemberMixin(LoginRequiredMixin):
    """Members of active companies and coordinators; ``self.company`` is the user's company
    (None for a coordinator without one, who can look but not answer)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_network_member(request.user):
            raise PermissionDenied(
                _("Network meetings are for the users of active member companies.")
            )
        self.company = active_company_of(request.user)
        return super().dispatch(request, *args, **kwargs)


class MeetingsCompanyMixin(MeetingsMemberMixin):
    """Views that answer for a company: only users of an active member company."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and active_company_of(request.user) is None:
            raise PermissionDenied(_("Only users of active member companies can register."))
        return super().dispatch(request, *args, **kwargs)
