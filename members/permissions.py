"""Who may see and change what in members/: the single place views and templates ask.

Templates ask the same rules through ``members.context_processors.roles``.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from accounts.roles import is_coordinator

from .models import Company, CompanyMembership

# The user's side of CompanyMembership.user: Django keeps the loaded account on the user object.
_ACCOUNT_OF_USER = CompanyMembership._meta.get_field("user").remote_field


def membership_of(user, *, with_company: bool = False) -> CompanyMembership | None:
    """The user's company account, None for visitors and users without one.

    Read once per request: the user object keeps it. ``with_company`` reads the company in the
    same query when the account has not been read yet (the navigation needs its status).
    """
    if not user.is_authenticated:
        return None
    if with_company and not _ACCOUNT_OF_USER.is_cached(user):
        membership = CompanyMembership.objects.select_related("company").filter(user=user).first()
        _ACCOUNT_OF_USER.set_cached_value(user, membership)
        return membership
    try:
        return user.membership
    except CompanyMembership.DoesNotExist:
        return None


def is_company_admin(user, company: Company | None = None) -> bool:
    """The user is a company admin of ``company`` (of their own company when None)."""
    membership = membership_of(user)
    if membership is None or not membership.is_admin:
        return False
    return company is None or membership.company_id == company.pk


def keeps_an_admin(membership: CompanyMembership, *, admin_count: int) -> bool:
    """The company still has a company admin when ``membership`` gives up the admin role or
    its access (``admin_count``: the company's admins now). The services refuse what this
    refuses; the company page offers only what it allows."""
    return not membership.is_admin or admin_count > 1


def with_allowed_changes(memberships) -> list[CompanyMembership]:
    """The company's accounts, each with ``keeps_an_admin``: whether its admin role can be
    taken back and its access removed (a role given always can)."""
    memberships = list(memberships)
    admin_count = sum(1 for membership in memberships if membership.is_admin)
    for membership in memberships:
        membership.keeps_an_admin = keeps_an_admin(membership, admin_count=admin_count)
    return memberships


def active_company_of(user) -> Company | None:
    """The active member company the user acts for, if any."""
    membership = membership_of(user)
    if membership and membership.company.is_active_member:
        return membership.company
    return None


def is_network_member(user) -> bool:
    """Coordinators and the users of active member companies: who sees the members-only parts
    (directory, meetings, members' archive)."""
    return is_coordinator(user) or active_company_of(user) is not None


def can_see_logo(user, company: Company) -> bool:
    if company.is_active_member and company.directory_consent:
        return True
    membership = membership_of(user)
    if membership and membership.company_id == company.pk:
        return True
    return company.is_active_member and is_network_member(user)


class NetworkMemberRequiredMixin(LoginRequiredMixin):
    """The members-only parts (:func:`is_network_member`): anonymous visitors are sent to the
    login, everyone else outside the network gets 403 with ``members_only_message``."""

    members_only_message = _("Only members of active member companies can see this page.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_network_member(request.user):
            raise PermissionDenied(self.members_only_message)
        return super().dispatch(request, *args, **kwargs)


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
    """Company admins only; other users of the company get 403, users without one are led to
    the onboarding."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if membership_of(user) is not None and not is_company_admin(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def can_share_expertise(user) -> bool:
    """Users of an active member company say what their company can share with the network
    (a report from practice, its premises for a meeting)."""
    return active_company_of(user) is not None


class ActiveCompanyMemberRequiredMixin(CompanyMemberRequiredMixin):
    """A page of the user's own company for active member companies only
    (:func:`can_share_expertise`): the users of a company awaiting approval, paused or gone get
    403 with ``inactive_message``."""

    inactive_message = _("Only users of active member companies can use this page.")

    def dispatch(self, request, *args, **kwargs):
        membership = membership_of(request.user)
        if membership is not None and not membership.company.is_active_member:
            raise PermissionDenied(self.inactive_message)
        return super().dispatch(request, *args, **kwargs)
