from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from accounts.roles import is_coordinator, is_juror
from network_portal.downloads import stored_file_response
from network_portal.flash import flash_errors
from network_portal.signing import LinkProblem, LinkProblemPageMixin, read_link

from . import services
from .forms import (
    CompanyForm,
    ContactPersonForm,
    DirectoryFilterForm,
    InvitationForm,
    JoinRequestForm,
    RegistrationContactForm,
)
from .models import Company, CompanyInvitation, CompanyMembership, ContactPerson, JoinRequest
from .permissions import (
    CompanyAdminRequiredMixin,
    CompanyMemberRequiredMixin,
    NetworkMemberRequiredMixin,
    can_see_logo,
    is_company_admin,
    membership_of,
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
        return render(request, self.template_name, {"form": JoinRequestForm()})

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
        return render(request, self.template_name, {"form": form})


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
            "memberships": company.memberships.select_related("user").order_by("user__email"),
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
            form.save()
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
            form.save()
            messages.success(request, _("The contact person has been saved."))
            return redirect("members:company")
        return render(request, self.template_name, {"form": form, "is_new": pk is None})


class ContactDeleteView(CompanyAdminRequiredMixin, View):
    template_name = "members/contact_confirm_delete.html"

    def get(self, request, pk):
        contact = get_object_or_404(ContactPerson, pk=pk, company=self.company)
        return render(request, self.template_name, {"contact": contact})

    def post(self, request, pk):
        contact = get_object_or_404(ContactPerson, pk=pk, company=self.company)
        contact.delete()
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
    """Make a colleague company admin, take the role back, or remove their access."""

    def post(self, request, pk, action):
        membership = get_object_or_404(CompanyMembership, pk=pk, company=self.company)
        try:
            if action == "remove":
                services.membership_remove(membership=membership, by_user=request.user)
            else:
                role = (
                    CompanyMembership.Role.ADMIN
                    if action == "make-admin"
                    else CompanyMembership.Role.MEMBER
                )
                services.membership_set_role(membership=membership, role=role, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Your company’s accounts have been updated."))
        if action == "remove" and membership.user_id == request.user.pk:
            return redirect("members:onboarding")
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


class MemberDirectoryView(NetworkMemberRequiredMixin, ListView):
    """Members-only: active companies with their contact persons."""

    template_name = "members/directory_members.html"
    paginate_by = 20
    context_object_name = "companies"
    members_only_message = gettext_lazy(
        "Only members of active member companies can see the member directory."
    )

    def get_queryset(self):
        self.filter_form = DirectoryFilterForm(self.request.GET or None)
        contacts = ContactPerson.objects.order_by("last_name", "first_name")
        return self.filter_form.filter(Company.objects.active()).prefetch_related(
            Prefetch("contacts", queryset=contacts)
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form, query_string=_query_without_page(self.request), **kwargs
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
