"""Who may offer internship places and change an offer (asked by views and templates)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from members.permissions import active_company_of

from .models import InternshipOffer


class InternshipCompanyMixin(LoginRequiredMixin):
    """The company side: users of an active member company act for it (``self.company``);
    everyone else logged in is refused (403), visitors are sent to the login. Offers are
    looked up through ``self.company``: another company's offer does not exist (404)."""

    refused_message = _("Internship places are offered by the users of active member companies.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.company = active_company_of(request.user)
        if self.company is None:
            raise PermissionDenied(self.refused_message)
        return super().dispatch(request, *args, **kwargs)


def can_change_offer(offer: InternshipOffer) -> bool:
    """An open offer can be changed and withdrawn; a withdrawn one stays as it was."""
    return offer.is_open
