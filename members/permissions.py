"""Who may see and change what in members/: the single place views and templates ask."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .models import Company, CompanyMembership


def membership_of(user) -> CompanyMembership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership
    except CompanyMembership.DoesNotExist:
        return None


def is_company_admin(user, company: Company) -> bool:
    membership = membership_of(user)
    return bool(membership and membership.company_id == company.pk and membership.is_admin)


def active_company_of(user) -> Company | None:
    """The active member company the user acts for, if any."""
    membership = membership_of(user)
    if membership and membership.company.status == Company.Status.ACTIVE:
        return membership.company
    return None


def is_network_member(user) -> bool:
    """Coordinators and the users of active member companies: who sees the members-only parts
    (directory, meetings, members' archive)."""
    return user.is_authenticated and (user.is_staff or active_company_of(user) is not None)


def can_see_logo(user, company: Company) -> bool:
    if company.status == Company.Status.ACTIVE and company.directory_consent:
        return True
    membership = membership_of(user)
    if membership and membership.company_id == company.pk:
        return True
    return company.status == Company.Status.ACTIVE and is_network_member(user)


class CompanyMemberRequiredMixin(LoginRequiredMixin):
    """The view acts on the user's own company: ``self.company`` and ``self.membership``.

    Objects that belong to a company are always looked up through ``self.company``, so another
    company's object simply does not exist for this user (404).
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = membership_of(request.user)
        if self.membership is None:
            return redirect("members:onboarding")
        self.company = self.membership.company
        return super().dispatch(request, *args, **kwargs)


class CompanyAdminRequiredMixin(CompanyMemberRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            membership = membership_of(request.user)
            if membership is not None and not membership.is_admin:
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
