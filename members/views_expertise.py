"""„Was wir teilen“: the users of an active member company say what their company offers the
network (a report from practice on the coordinators' topics, its premises for a meeting), so
the coordinators find a speaker or a host. Another company's offer does not exist here (404).

A module of its own beside ``members/views.py``: the company's offers are a topic of their own.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.flash import flash_errors

from . import services
from .forms import ExpertiseOfferForm
from .models import ExpertiseOffer
from .permissions import ActiveCompanyMemberRequiredMixin
from .selectors import company_expertise_offers


class ExpertiseListView(ActiveCompanyMemberRequiredMixin, View):
    template_name = "members/expertise_list.html"

    def get(self, request):
        return render(
            request,
            self.template_name,
            {"company": self.company, "offers": company_expertise_offers(self.company)},
        )


class ExpertiseFormView(ActiveCompanyMemberRequiredMixin, View):
    """Add (no pk) or edit one of the company's offers."""

    template_name = "members/expertise_form.html"

    def get_offer(self, pk):
        if pk is None:
            return None
        return get_object_or_404(ExpertiseOffer, pk=pk, company=self.company)

    def get(self, request, pk=None):
        initial = {}
        if pk is None:
            own = self.company.contacts.filter(user=request.user).first()
            initial = {"kind": ExpertiseOffer.Kind.REPORT, "contact": own}
        form = ExpertiseOfferForm(
            instance=self.get_offer(pk), company=self.company, initial=initial
        )
        return self._render(form, pk)

    def post(self, request, pk=None):
        form = ExpertiseOfferForm(request.POST, instance=self.get_offer(pk), company=self.company)
        if form.is_valid():
            try:
                services.expertise_offer_save(
                    offer=form.save(commit=False),
                    topics=list(form.cleaned_data["topics"]),
                    by_user=request.user,
                )
            except ValidationError as error:
                flash_errors(request, error)
                return self._render(form, pk)
            messages.success(request, _("Your offer has been saved."))
            return redirect("members:expertise")
        return self._render(form, pk)

    def _render(self, form, pk):
        return render(
            request=self.request,
            template_name=self.template_name,
            context={"form": form, "is_new": pk is None, "company": self.company},
        )


class ExpertiseDeleteView(ActiveCompanyMemberRequiredMixin, View):
    def get(self, request, pk):
        offer = get_object_or_404(
            ExpertiseOffer.objects.prefetch_related("topics"), pk=pk, company=self.company
        )
        topics = ", ".join(topic.name for topic in offer.topics.all())
        return confirmation_page(
            request,
            Confirmation(
                title=_("Remove offer"),
                facts=[
                    (_("Offer"), offer.get_kind_display()),
                    (_("Topics"), topics or "–"),
                ],
                consequences=[
                    _(
                        "The offer is removed: the coordination team no longer finds your "
                        "company for it when looking for speakers or hosts."
                    ),
                    _("Requests to speak already sent stay as they are."),
                ],
                submit_label=_("Remove"),
                cancel_url=reverse("members:expertise"),
            ),
        )

    def post(self, request, pk):
        offer = get_object_or_404(ExpertiseOffer, pk=pk, company=self.company)
        services.expertise_offer_delete(offer=offer, by_user=request.user)
        messages.success(request, _("The offer has been removed."))
        return redirect("members:expertise")
