"""The company side: a member company's internship offers, to add, change and withdraw, and
the pupils placed with it once the coordinators have sent the placement list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.flash import flash_errors

from .. import selectors, services
from ..forms import OfferForm, period_formset
from ..models import InternshipOffer
from ..permissions import InternshipCompanyMixin, can_change_offer


class OfferListView(InternshipCompanyMixin, TemplateView):
    template_name = "internships/offer_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            company=self.company, offers=selectors.company_offers(self.company), **kwargs
        )


class _OfferFormView(InternshipCompanyMixin, View):
    """Add (no ``pk``) or change an offer: the offer's form and its periods."""

    def get_offer(self, pk):
        if pk is None:
            return None
        offer = get_object_or_404(InternshipOffer, pk=pk, company=self.company)
        if not can_change_offer(offer):
            raise ValidationError(_("A withdrawn offer can no longer be changed."))
        return offer

    def render_form(self, request, offer, form, periods):
        return render(
            request,
            "internships/offer_form.html",
            {"offer": offer, "form": form, "periods": periods, "company": self.company},
        )

    def get(self, request, pk=None):
        try:
            offer = self.get_offer(pk)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("internships:offers")
        form = OfferForm(instance=offer, company=self.company)
        return self.render_form(request, offer, form, period_formset(offer=offer))

    def post(self, request, pk=None):
        try:
            offer = self.get_offer(pk)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("internships:offers")
        form = OfferForm(request.POST, instance=offer, company=self.company)
        periods = period_formset(data=request.POST, offer=offer)
        if form.is_valid() and periods.is_valid():
            try:
                if offer is None:
                    services.offer_create(
                        company=self.company,
                        by_user=request.user,
                        data=form.offer_data(),
                        periods=periods.periods(),
                    )
                    messages.success(request, _("Thank you: your internship places are offered."))
                else:
                    services.offer_update(
                        offer=offer,
                        by_user=request.user,
                        data=form.offer_data(),
                        periods=periods.periods(),
                    )
                    messages.success(request, _("The offer has been saved."))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("internships:offers")
        if offer is not None:
            offer.refresh_from_db()  # the form changed the instance it was bound to
        return self.render_form(request, offer, form, periods)


class OfferCreateView(_OfferFormView):
    pass


class OfferUpdateView(_OfferFormView):
    pass


class OfferWithdrawView(InternshipCompanyMixin, View):
    """GET: what withdrawing does; POST: withdraw."""

    def get_offer(self, pk):
        return get_object_or_404(
            InternshipOffer.objects.select_related("company"), pk=pk, company=self.company
        )

    def get(self, request, pk):
        offer = self.get_offer(pk)
        if not can_change_offer(offer):
            messages.info(request, _("This offer has already been withdrawn."))
            return redirect("internships:offers")
        periods = ", ".join(
            f"{formats.date_format(p.starts_on, 'SHORT_DATE_FORMAT')}–"
            f"{formats.date_format(p.ends_on, 'SHORT_DATE_FORMAT')}"
            for p in offer.periods.all()
        )
        consequences = [
            _("The offer takes no more pupils; the coordinators see it as withdrawn."),
            _("You cannot undo this; to offer places again, add a new offer."),
        ]
        if offer.public_consent:
            consequences.insert(1, _("It disappears from the public page “Internship places”."))
        return confirmation_page(
            request,
            Confirmation(
                title=_("Withdraw the internship offer?"),
                consequences=consequences,
                facts=[
                    (_("Field of work"), offer.field_label),
                    (_("Number of places"), str(offer.places)),
                    (_("Periods"), periods),
                ],
                submit_label=_("Withdraw offer"),
                cancel_url=reverse("internships:offers"),
            ),
        )

    def post(self, request, pk):
        offer = self.get_offer(pk)
        try:
            services.offer_withdraw(offer=offer, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("The offer has been withdrawn."))
        return redirect("internships:offers")
