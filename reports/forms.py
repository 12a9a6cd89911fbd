from django import forms
from django.utils.translation import gettext_lazy as _


class ReportYearForm(forms.Form):
    """The year of an annual report, one of ``years`` (reports.selectors.report_years)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
