from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _

from network_portal.text import validate_multi_line, validate_single_line

from .models import Project
from .selectors import booked_places
from .services import PROJECT_FIELDS, check_fixed_once_running


def check_places(form) -> None:
    """The places must hold the bookings made; a limit per company needs places; places and
    cost stay once the project runs (the service refuses the same)."""
    data = form.cleaned_data
    try:
        check_fixed_once_running(project=form.instance, values=data)
    except ValidationError as error:
        form.add_error(None, error)
    if data.get("max_places_per_company") and not data.get("total_places"):
        form.add_error("max_places_per_company", _("A limit per company needs a number of places."))
    if form.instance.pk is not None and "total_places" in data:
        booked = booked_places(form.instance)
        if booked and (data.get("total_places") or 0) < booked:
            form.add_error(
                "total_places",
                _("%(n)d places are booked already; the project needs at least as many places.")
                % {"n": booked},
            )


class ProjectForm(forms.ModelForm):
    """A company's proposal, and the owner's changes. Places, limit, cost and dates matter
    for a language course."""

    class Meta:
        model = Project
        fields = PROJECT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "schedule": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        data = super().clean()
        check_places(self)
        return data


class ProjectAdminForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["company", *PROJECT_FIELDS]

    def clean(self):
        data = super().clean()
        check_places(self)
        return data


class FilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds"))] + Project.Kind.choices
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses"))] + Project.Status.choices,
    )


class BookingForm(forms.Form):
    places = forms.IntegerField(label=_("Number of places"), min_value=1, initial=1)

    def __init__(self, *args, limit: int | None = None, **kwargs):
        """``limit``: the most places the company may still ask for."""
        super().__init__(*args, **kwargs)
        if limit is not None:
            self.fields["places"].widget.attrs["max"] = limit
            self.fields["places"].validators.append(MaxValueValidator(limit))


class CancelForm(forms.Form):
    places = forms.IntegerField(label=_("Places to give back"), min_value=1, initial=1)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200, validators=[validate_single_line])
    text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        validators=[validate_multi_line],
    )


class ParticipantForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, validators=[validate_single_line]
    )
    attended = forms.BooleanField(label=_("attended"), required=False)


ParticipantFormSet = forms.formset_factory(ParticipantForm, extra=0)
