"""„Mein Konto“: what a person sees and changes about their own account.

The page shows the login itself (name, login address, language, open sessions, second
factors) and the sections the apps above register (``accounts.account_parts``: the contact
entry, the newsletters). Every change goes through ``accounts.services``.
"""

from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.i18n import set_language as django_set_language

from . import account_parts, services
from .forms import LanguageForm, NameForm
from .middleware import set_language_cookie
from .selectors import open_sessions, second_factors


def _render_account(request, *, name_form=None, language_form=None, status=200):
    user = request.user
    addresses = sorted(
        EmailAddress.objects.filter(user=user), key=lambda a: (not a.primary, a.email)
    )
    sessions = list(open_sessions(user))
    current = request.session.session_key
    for session in sessions:
        session.current = session.session_key == current
    return render(
        request,
        "accounts/account.html",
        {
            "name_form": name_form
            or NameForm(initial={"first_name": user.first_name, "last_name": user.last_name}),
            "language_form": language_form or LanguageForm(initial={"language": user.language}),
            "addresses": addresses,
            "pending_addresses": [a for a in addresses if not a.verified],
            "factors": second_factors(user),
            "sessions": sessions,
            "parts": account_parts.sections(request),
        },
        status=status,
    )


class AccountView(LoginRequiredMixin, View):
    def get(self, request):
        return _render_account(request)


class NameChangeView(LoginRequiredMixin, View):
    def get(self, request):
        return redirect("accounts:account")

    def post(self, request):
        form = NameForm(request.POST)
        if form.is_valid():
            try:
                changed = services.user_name_change(
                    user=request.user,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if changed:
                    messages.success(request, _("Your name has been saved."))
                return redirect("accounts:account")
        return _render_account(request, name_form=form)


class LanguageChangeView(LoginRequiredMixin, View):
    def get(self, request):
        return redirect("accounts:account")

    def post(self, request):
        form = LanguageForm(request.POST)
        if not form.is_valid():
            return _render_account(request, language_form=form)
        language = form.cleaned_data["language"]
        # The page, now in that language, is the confirmation.
        services.user_language_set(user=request.user, language=language)
        response = redirect("accounts:account")
        set_language_cookie(response, language)
        return response


@method_decorator(login_required, name="dispatch")
@method_decorator(reauthentication_required, name="dispatch")
class AccountDeleteView(View):
    """Says what deleting does (or why it cannot be done now), and deletes on the button."""

    template_name = "accounts/account_delete.html"

    def _render(self, request, *, errors=()):
        user = request.user
        return render(
            request,
            self.template_name,
            {
                "refused": list(errors) or services.account_deletion_refusals(user=user),
                "notes": services.account_deletion_notes(user=user),
            },
        )

    def get(self, request):
        return self._render(request)

    def post(self, request):
        try:
            services.account_delete(user=request.user)
        except ValidationError as error:
            return self._render(request, errors=error.messages)
        logout(request)
        messages.success(request, _("Your account has been deleted."))
        return redirect("home")


def set_language(request):
    """Django's language switch; for a logged-in person the choice is kept with the account
    (the next login and the mails to them use it)."""
    response = django_set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    if (
        language
        and request.user.is_authenticated
        and translation.check_for_language(language)
        and language in dict(LanguageForm.base_fields["language"].choices)
    ):
        services.user_language_set(user=request.user, language=language)
    return response
