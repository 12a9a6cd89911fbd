from urllib.parse import urlencode

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.roles import is_coordinator, is_juror
from network_portal.cache_versions import cached
from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.downloads import stored_file_response
from network_portal.flash import flash_errors
from network_portal.pagination import page_number
from network_portal.signing import LinkProblem, LinkProblemPageMixin, read_link

from . import services
from .apps import DIRECTORY_TOPIC
from .forms import (
    CompanyForm,
    ContactPersonForm,
    DirectoryFilterForm,
    InvitationForm,
    JoinRequestForm,
    OwnContactForm,
    RegistrationContactForm,
)
from .models import Company, CompanyInvitation, CompanyMembership, ContactPerson, JoinRequest
from .permissions import (
    CompanyAdminRequiredMixin,
    CompanyMemberRequiredMixin,
    NetworkMemberRequiredMixin,
    can_see_logo,
    is_company_admin,
    keeps_an_admin,
    membership_of,
    with_allowed_changes,
)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


class DashboardView(LoginRequiredMixin, View):
    """Where a user lands after login: their company, or the way to one."""

    def get(self, request):
        if membership_of(request.user):
            return redirect("members:company")
        if is_coordinator(request.user):
            return redirect("admin:index")
        if is_juror(request.user):
            return redirect("seal:jury")  # jurors from outside the member companies
        return redirect("members:onboarding")


class OnboardingView(LoginRequiredMixin, TemplateView):
    template_name = "members/onboarding.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and membership_of(request.user):
            return redirect("members:company")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        verified = EmailAddress.objects.filter(user=self.request.user, verified=True).values_list(
            "email", flat=True
        )
        invitations = [
            (invitation, services.invitation_token(invitation))
            for invitation in CompanyInvitation.objects.filter(
                email__in=list(verified), accepted_at__isnull=True, revoked_at__isnull=True
            ).select_related("company")
            if invitation.is_open
        ]
        return super().get_context_data(
            invitations=invitations,
            pending_request=JoinRequest.objects.filter(
                user=self.request.user, status=JoinRequest.Status.PENDING
            )
            .select_related("company")
            .first(),
            **kwargs,
        )


class CompanyRegisterView(LoginRequiredMixin, View):
    template_name = "members/company_register.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and membership_of(request.user):
            messages.info(request, _("Your account already belongs to a company."))
            return redirect("members:company")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(CompanyForm(), RegistrationContactForm())

    def post(self, request):
        company_form = CompanyForm(request.POST, request.FILES)
        contact_form = RegistrationContactForm(request.POST)
        if company_form.is_valid() and contact_form.is_valid():
            try:
                company = services.company_register(
                    user=request.user,
                    company=company_form.save(commit=False),
                    contact_fields=contact_form.cleaned_data,
                )
            except ValidationError as error:
                flash_errors(request, error)
            else:
                messages.success(
                    request,
                    _(
                        "Thank you! “%(company)s” is registered. The coordination team will "
                        "review the registration and get back to you by email."
                    )
                    % {"company": company.name},
                )
                return redirect("members:company")
        return self._render(company_form, contact_form)

    def _render(self, company_form, contact_form):
        return render(
            self.request,
            self.template_name,
            {"company_form": company_form, "contact_form": contact_form},
        )


class JoinRequestCreateView(LoginRequiredMixin, View):
    template_name = "members/join_request.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and membership_of(request.user):
            return redirect("members:company")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(JoinRequestForm())

    def _render(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                # Suggested names: only the companies that agreed to be listed publicly.
                "public_companies": Company.objects.in_public_directory().values_list(
                    "name", flat=True
                ),
            },
        )

    def post(self, request):
        form = JoinRequestForm(request.POST)
        if form.is_valid():
            try:
                services.join_request_create(
                    user=request.user,
                    company=form.cleaned_data["company"],
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "Your request has been sent. You will receive an email as soon as it "
                        "has been decided."
                    ),
                )
                return redirect("members:onboarding")
        return self._render(form)


class JoinRequestWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        join_request = get_object_or_404(JoinRequest, pk=pk, user=request.user)
        try:
            services.join_request_withdraw(join_request=join_request, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Your join request has been withdrawn."))
        return redirect("members:onboarding")


class CompanyProfileView(CompanyMemberRequiredMixin, TemplateView):
    template_name = "members/company_profile.html"

    def get_context_data(self, **kwargs):
        company = self.company
        context = {
            "company": company,
            "contacts": company.contacts.all(),
            "memberships": with_allowed_changes(
                company.memberships.select_related("user").order_by("user__email")
            ),
        }
        if is_company_admin(self.request.user):
            context["join_requests"] = company.join_requests.filter(
                status=JoinRequest.Status.PENDING
            ).select_related("user")
            context["invitations"] = company.invitations.filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            ).select_related("invited_by")
        return super().get_context_data(**context, **kwargs)


class CompanyEditView(CompanyAdminRequiredMixin, View):
    template_name = "members/company_edit.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CompanyForm(instance=self.company)})

    def post(self, request):
        form = CompanyForm(request.POST, request.FILES, instance=self.company)
        if form.is_valid():
            services.company_profile_save(company=form.save(commit=False), by_user=request.user)
            messages.success(request, _("The company profile has been saved."))
            return redirect("members:company")
        return render(request, self.template_name, {"form": form})


class ContactFormView(CompanyAdminRequiredMixin, View):
    """Add (no pk) or edit a contact person of the user's own company."""

    template_name = "members/contact_form.html"

    def get_contact(self, pk):
        if pk is None:
            return None
        return get_object_or_404(ContactPerson, pk=pk, company=self.company)

    def get(self, request, pk=None):
        form = ContactPersonForm(instance=self.get_contact(pk), company=self.company)
        return render(request, self.template_name, {"form": form, "is_new": pk is None})

    def post(self, request, pk=None):
        form = ContactPersonForm(request.POST, instance=self.get_contact(pk), company=self.company)
        if form.is_valid():
            services.contact_save(contact=form.save(commit=False), by_user=request.user)
            messages.success(request, _("The contact person has been saved."))
            return redirect("members:company")
        return render(request, self.template_name, {"form": form, "is_new": pk is None})


class ContactDeleteView(CompanyAdminRequiredMixin, View):
    def get(self, request, pk):
        contact = get_object_or_404(ContactPerson, pk=pk, company=self.company)
        return confirmation_page(
            request,
            Confirmation(
                title=_("Remove contact person"),
                facts=[
                    (_("Name"), contact.full_name),
                    (pgettext("table header", "Email"), contact.email),
                    (_("Position"), contact.get_function_display()),
                ],
                consequences=[
                    _(
                        "%(name)s is removed from your company’s contact persons and then no "
                        "longer receives invitations or the newsletter through your company."
                    )
                    % {"name": contact.full_name}
                ],
                submit_label=_("Remove"),
                cancel_url=reverse("members:company"),
            ),
        )

    def post(self, request, pk):
        contact = get_object_or_404(ContactPerson, pk=pk, company=self.company)
        services.contact_remove(contact=contact, by_user=request.user)
        messages.success(request, _("The contact person has been removed."))
        return redirect("members:company")


class InvitationCreateView(CompanyAdminRequiredMixin, View):
    template_name = "members/invitation_form.html"

    def get(self, request):
        return self._render(InvitationForm())

    def _render(self, form):
        return render(
            self.request,
            self.template_name,
            {"form": form, "invitation_days": settings.INVITATION_MAX_AGE_DAYS},
        )

    def post(self, request):
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    company=self.company, email=form.cleaned_data["email"], invited_by=request.user
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(
                    request,
                    _("The invitation to %(email)s has been sent.") % {"email": invitation.email},
                )
                return redirect("members:company")
        return self._render(form)


class InvitationRevokeView(CompanyAdminRequiredMixin, View):
    def post(self, request, pk):
        invitation = get_object_or_404(CompanyInvitation, pk=pk, company=self.company)
        try:
            services.invitation_revoke(invitation=invitation, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The invitation has been withdrawn."))
        return redirect("members:company")


class JoinRequestDecideView(CompanyAdminRequiredMixin, View):
    def post(self, request, pk, decision):
        join_request = get_object_or_404(JoinRequest, pk=pk, company=self.company)
        accept = decision == "accept"
        try:
            services.join_request_decide(
                join_request=join_request, accept=accept, by_user=request.user
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            name = join_request.user.get_full_name() or join_request.user.email
            messages.success(
                request,
                (
                    _("%(name)s now belongs to your company.")
                    if accept
                    else _("The request from %(name)s has been declined.")
                )
                % {"name": name},
            )
        return redirect("members:company")


class MembershipChangeView(CompanyAdminRequiredMixin, View):
    """Make a colleague company admin, or take the role back."""

    def post(self, request, pk, action):
        membership = get_object_or_404(CompanyMembership, pk=pk, company=self.company)
        role = (
            CompanyMembership.Role.ADMIN
            if action == "make-admin"
            else CompanyMembership.Role.MEMBER
        )
        try:
            services.membership_set_role(membership=membership, role=role, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Your company’s accounts have been updated."))
        return redirect("members:company")


class MembershipRemoveView(CompanyAdminRequiredMixin, View):
    """Remove a colleague's (or one's own) access to the company: a confirmation page first."""

    def get_membership(self, pk):
        return get_object_or_404(
            CompanyMembership.objects.select_related("user"), pk=pk, company=self.company
        )

    def get(self, request, pk):
        membership = self.get_membership(pk)
        admin_count = self.company.memberships.filter(role=CompanyMembership.Role.ADMIN).count()
        if not keeps_an_admin(membership, admin_count=admin_count):
            messages.error(request, _("A company needs at least one company admin."))
            return redirect("members:company")
        user = membership.user
        name = user.get_full_name() or user.email
        own = user.pk == request.user.pk
        consequences = [
            (
                _(
                    "You will no longer act for “%(company)s”: the company page, the meetings "
                    "and the seal application are closed to you from then on."
                )
                if own
                else _(
                    "%(name)s will no longer act for “%(company)s”: the company page, the "
                    "meetings and the seal application are closed to them from then on."
                )
            )
            % {"name": name, "company": self.company.name},
            _(
                "The login account itself remains. To act for the company again, it needs a "
                "new invitation or a join request that a company admin accepts."
            ),
            _(
                "The entry in your company’s contact persons stays, with its choices for "
                "invitations and the newsletter; you can remove it separately."
            ),
        ]
        return confirmation_page(
            request,
            Confirmation(
                title=_("Remove your own access") if own else _("Remove access"),
                facts=[
                    (_("Name"), name),
                    (pgettext("table header", "Email"), user.email),
                    (_("Role"), membership.get_role_display()),
                    (_("Company"), self.company.name),
                ],
                consequences=consequences,
                mails=[] if own else [_("%(name)s is not told by email.") % {"name": name}],
                submit_label=_("Remove my access") if own else _("Remove access"),
                cancel_url=reverse("members:company"),
            ),
        )

    def post(self, request, pk):
        membership = self.get_membership(pk)
        try:
            services.membership_remove(membership=membership, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("members:company")
        if membership.user_id == request.user.pk:
            messages.success(
                request,
                _("You no longer act for “%(company)s”.") % {"company": self.company.name},
            )
            return redirect("members:onboarding")
        user = membership.user
        messages.success(
            request,
            _("%(name)s no longer has access to your company.")
            % {"name": user.get_full_name() or user.email},
        )
        return redirect("members:company")


class InvitationAcceptView(LinkProblemPageMixin, View):
    """The link from the invitation mail. Works without login to explain the next step."""

    template_name = "members/invitation_accept.html"

    def get_invitation(self, token):
        """The open invitation the link was made for, or :class:`LinkProblem`."""
        expired = _("This invitation link has expired. Please ask for a new invitation.")
        payload = read_link(
            token,
            purpose=services.INVITATION_PURPOSE,
            max_age_seconds=services.invitation_max_age_seconds(),
            expired_message=expired,
            invalid_message=_("This invitation link is invalid."),
        )
        invitation = (
            CompanyInvitation.objects.select_related("company")
            .filter(pk=payload.get("i"), email__iexact=payload.get("e", ""))
            .first()
        )
        if invitation is None or invitation.revoked_at:
            raise LinkProblem(_("This invitation has been withdrawn."))
        if invitation.accepted_at:
            raise LinkProblem(_("This invitation has already been used."))
        if not invitation.is_open:
            raise LinkProblem(expired, expired=True)
        return invitation

    def get(self, request, token):
        invitation = self.get_invitation(token)
        if not request.user.is_authenticated:
            # The link reached the invited mailbox: that proves the address. A sign-up with it
            # gets the address filled in and confirmed, without a second mail (allauth reads
            # the stash; accounts.adapters keeps it to exactly this address).
            get_account_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, self.template_name, {"invitation": invitation, "token": token})

    def post(self, request, token):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        try:
            invitation = self.get_invitation(token)
        except LinkProblem as problem:
            messages.error(request, problem.message)
            return redirect("members:onboarding")
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(request.path)
        messages.success(
            request,
            _("Welcome! You now act for “%(company)s”.") % {"company": invitation.company},
        )
        return redirect("members:company")


class MemberDirectoryView(NetworkMemberRequiredMixin, TemplateView):
    """Members-only: active companies with their contact persons.

    The list is the same for every member: it is rendered once per filter, page and language
    and kept in the cache until a company or a contact person changes
    (network_portal.cache_versions); only the filter form is rendered per request."""

    template_name = "members/directory_members.html"
    paginate_by = 20
    members_only_message = gettext_lazy(
        "Only members of active member companies can see the member directory."
    )

    def get_context_data(self, **kwargs):
        filter_form = DirectoryFilterForm(self.request.GET or None)
        # The key is made of what the filter understood, not of what was typed in the address
        # bar: nobody can fill the cache with variants of one page.
        cleaned = filter_form.cleaned_data if filter_form.is_valid() else {}
        query_string = urlencode(sorted((key, value) for key, value in cleaned.items() if value))
        page = page_number(self.request)
        html = cached(
            "members.directory",
            lambda: self.render_list(filter_form, page, query_string),
            topics=[DIRECTORY_TOPIC],
            parts=[query_string, page],
        )
        return super().get_context_data(
            filter_form=filter_form,
            directory_html=mark_safe(html),  # noqa: S308 - rendered from our own template
            **kwargs,
        )

    def render_list(self, filter_form, page_number: str, query_string: str) -> str:
        """The count, the companies of the page and the page links, as HTML (a page that
        does not exist is a 404, as in a ListView)."""
        contacts = ContactPerson.objects.order_by("last_name", "first_name")
        companies = filter_form.filter(Company.objects.active()).prefetch_related(
            Prefetch("contacts", queryset=contacts)
        )
        paginator = Paginator(companies.order_by("name"), self.paginate_by)
        try:
            page = paginator.page("last" if page_number == "last" else int(page_number))
        except (ValueError, InvalidPage) as error:
            raise Http404(_("Invalid page.")) from error
        return render_to_string(
            "members/includes/directory_list.html",
            {
                "companies": page.object_list,
                "page_obj": page,
                "paginator": paginator,
                "is_paginated": page.has_other_pages(),
                "query_string": query_string,
            },
        )


class PublicDirectoryView(ListView):
    """Public: active companies that agreed to be listed; no personal data."""

    template_name = "members/directory_public.html"
    paginate_by = 20
    context_object_name = "companies"

    def get_queryset(self):
        self.filter_form = DirectoryFilterForm(self.request.GET or None)
        return self.filter_form.filter(Company.objects.in_public_directory())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form, query_string=_query_without_page(self.request), **kwargs
        )


class CompanyLogoView(View):
    """Logos are streamed after a visibility check; uploads have no public URL."""

    def get(self, request, slug):
        company = get_object_or_404(Company, slug=slug)
        if not company.logo or not can_see_logo(request.user, company):
            raise Http404
        return stored_file_response(company.logo, cache_control="private, max-age=3600")


class OwnContactView(LoginRequiredMixin, View):
    """„Mein Konto“: the person edits their own contact entry (users without one are sent back
    to „Mein Konto“)."""

    template_name = "members/own_contact_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.contact = services.own_contact(request.user)
        if self.contact is None:
            return redirect("accounts:account")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(OwnContactForm(instance=self.contact))

    def _render(self, form):
        return render(self.request, self.template_name, {"form": form, "contact": self.contact})

    def post(self, request):
        form = OwnContactForm(request.POST, instance=services.own_contact(request.user))
        if not form.is_valid():
            return self._render(form)
        changed = services.own_contact_update(
            contact=self.contact,
            by_user=request.user,
            data={name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        if changed:
            messages.success(request, _("Your contact entry has been saved."))
        return redirect("accounts:account")
