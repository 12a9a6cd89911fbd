"""„Mein Konto“: the newsletters for the person's login address (the section is
newsletter/account.py; the form posts here)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from members.services import own_contact
from network_portal.flash import flash_form_errors

from .. import services
from ..forms import ACCOUNT_CONSENT_TEXT, AccountListsForm


class AccountListsView(LoginRequiredMixin, View):
    def get(self, request):
        return redirect("accounts:account")

    def post(self, request):
        user = request.user
        contact = own_contact(user)
        offered = services.account_lists(user=user, contact=contact)["lists"]
        form = AccountListsForm(request.POST, lists=[mailing_list for mailing_list, _s in offered])
        if not form.is_valid():
            flash_form_errors(request, form)
            return redirect(reverse("accounts:account") + "#newsletter")
        result = services.account_lists_save(
            user=user,
            contact=contact,
            wanted_lists=list(form.cleaned_data["lists"]),
            consent_text=str(ACCOUNT_CONSENT_TEXT),
        )
        if result["requested"]:
            messages.success(
                request,
                _(
                    "We have sent you an email to %(email)s. Please confirm there that you "
                    "would like to receive %(lists)s."
                )
                % {"email": user.email, "lists": ", ".join(result["requested"])},
            )
        if result["joined"] or result["left"] or not result["requested"]:
            messages.success(request, _("Your choice of newsletters has been saved."))
        return redirect(reverse("accounts:account") + "#newsletter")
