"""The public page "Internship places" for schools and partners: no login, only offers whose
company agreed to be shown, no personal data."""

from django.views.generic import TemplateView

from .. import selectors
from ..forms import FieldFilterForm
from ..models import Field


class PublicOfferListView(TemplateView):
    """Open, consented offers of active member companies, grouped by field (an anchor per
    field, ``#care``); ``?field=care`` shows one field only. Two queries."""

    template_name = "internships/public_list.html"

    def get_context_data(self, **kwargs):
        form = FieldFilterForm(self.request.GET or None)
        field_code = form.cleaned_data["field"] if form.is_valid() else ""
        offers = selectors.public_offers(field_code=field_code)
        return super().get_context_data(
            form=form,
            field_code=field_code,
            field_label=Field(field_code).label if field_code else "",
            groups=selectors.offers_by_field(offers),
            offer_count=len(offers),
            place_count=sum(offer.places for offer in offers),
            **kwargs,
        )
