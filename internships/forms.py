"""The company's form for an internship offer, with its periods (a small formset)."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from members.models import ContactPerson

from .models import Field, InternshipOffer

MAX_PLACES = 50


class OfferForm(forms.ModelForm):
    class Meta:
        model = InternshipOffer
        fields = ["field", "field_detail", "places", "description", "contact", "public_consent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = ContactPerson.objects.filter(company=company)
        self.fields["contact"].required = True
        places = self.fields["places"]
        places.validators += [MinValueValidator(1), MaxValueValidator(MAX_PLACES)]
        places.widget.attrs.update(min=1, max=MAX_PLACES)

    def offer_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PeriodForm(forms.Form):
    """One period; a row left empty is no period (the formset asks for at least one)."""

    starts_on = forms.DateField(
        label=_("Available from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    ends_on = forms.DateField(
        label=_("Available to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if self.errors:
            return data
        if bool(starts_on) != bool(ends_on):
            raise forms.ValidationError(_("Please give both the first and the last day."))
        if starts_on and ends_on < starts_on:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class BasePeriodFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.periods():
            raise forms.ValidationError(
                _("Please give at least one period in which the places are free.")
            )

    def periods(self) -> list:
        return [
            (form.cleaned_data["starts_on"], form.cleaned_data["ends_on"])
            for form in self.forms
            if form.cleaned_data.get("starts_on") and form.cleaned_data.get("ends_on")
        ]


def period_formset(*, data=None, offer: InternshipOffer | None = None, blank_rows: int = 2):
    """The periods of ``offer`` (or none yet) and ``blank_rows`` empty rows to add more."""
    initial = []
    if offer is not None:
        initial = [{"starts_on": p.starts_on, "ends_on": p.ends_on} for p in offer.periods.all()]
    formset_class = forms.formset_factory(
        PeriodForm,
        formset=BasePeriodFormSet,
        extra=blank_rows if initial else blank_rows + 1,
        max_num=6,
        validate_max=True,
    )
    return formset_class(data=data, initial=initial, prefix="periods")


class FieldFilterForm(forms.Form):
    """The public page's filter by field (GET ``?field=care``)."""

    field = forms.ChoiceField(
        label=_("Field of work"),
        choices=[("", _("All fields")), *Field.choices],
        required=False,
    )
