"""Who may see the cooperation board and act on its projects and bookings: the one place
views and templates ask (templates get the answers from the views' context)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_coordinator
from members.permissions import NetworkMemberRequiredMixin, active_company_of

from .models import Booking, Project


def can_manage(user, project: Project) -> bool:
    """The project's owner (the users of its company) and the coordinators: edit it, change
    its status, write to the interested companies, record attendance."""
    if is_coordinator(user):
        return True
    company = active_company_of(user)
    return company is not None and project.company_id == company.pk


def can_take_part(user) -> bool:
    """Speaking for a company (interest, bookings, proposals): users of active member
    companies."""
    return active_company_of(user) is not None


def owns_booking(user, booking: Booking) -> bool:
    company = active_company_of(user)
    return company is not None and booking.company_id == company.pk


class CooperationMemberMixin(NetworkMemberRequiredMixin):
    """Members of active companies and coordinators; ``self.company`` is the user's company
    (None for a coordinator without one, who can look and manage but not book)."""

    members_only_message = gettext_lazy(
        "The cooperation board is for the users of active member companies."
    )

    def dispatch(self, request, *args, **kwargs):
        self.company = active_company_of(request.user)
        return super().dispatch(request, *args, **kwargs)

    def require_company(self) -> None:
        if self.company is None:
            raise PermissionDenied(
                _("Only users of active member companies can take part in cooperations.")
            )

    def require_manager(self, project: Project) -> None:
        if not can_manage(self.request.user, project):
            raise PermissionDenied(_("Only the project's owner and the coordinators can do this."))
