from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from network_portal.text import validate_multi_line, validate_single_line

# What the browser offers in its file dialog; the content is checked by the service.
EVIDENCE_ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (empty when none was chosen)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(forms.Form):
    """The company's answer to one criterion: self-assessment, explanation, new evidence."""

    self_assessment = forms.TypedChoiceField(
        label=_("Self-assessment"),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_multi_line],
        help_text=_("What do you offer, since when, for whom? Concrete examples help the jury."),
    )
    files = MultipleFileField(label=_("Add evidence"), required=False)
    evidence_valid_until = forms.DateField(
        label=_("New evidence valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "For documents that expire, e.g. a certification. Expired evidence is not carried "
            "over into your next application."
        ),
    )

    def __init__(self, *args, criterion, **kwargs):
        super().__init__(*args, prefix=f"criterion-{criterion.pk}", **kwargs)
        self.criterion = criterion
        descriptions = {level.points: level.description for level in criterion.levels.all()}
        self.fields["self_assessment"].choices = [
            (points, f"{points} – {descriptions[points]}" if points in descriptions else points)
            for points in range(criterion.scale_max + 1)
        ]
        self.fields["files"].help_text = _(
            "PDF, PNG or JPEG, at most %(size)s per file. You can choose several files."
        ) % {"size": filesizeformat(settings.SEAL_EVIDENCE_MAX_BYTES)}

    def has_input(self) -> bool:
        data = self.cleaned_data
        return data["self_assessment"] is not None or bool(data["explanation"].strip())


class HolderProfileForm(forms.Form):
    """What the company's public seal page shows (with its consent)."""

    public = forms.BooleanField(
        label=_("Show a public page for our seal"),
        required=False,
        help_text=_(
            "With your consent the seal page shows your company with its place, size class and "
            "website, what you offer your staff and the answers chosen below. The page exists "
            "only while your company holds a valid seal."
        ),
    )
    offer = forms.CharField(
        label=_("What we offer our staff"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        validators=[validate_multi_line],
    )
    published_answers = forms.ModelMultipleChoiceField(
        label=_("Answers from your awarded application to show"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    jobs_url = forms.URLField(
        label=_("Jobs page"),
        required=False,
        assume_scheme="https",
        max_length=200,
        validators=[validate_single_line],
    )
    apprenticeships_url = forms.URLField(
        label=_("Apprenticeships page"),
        required=False,
        assume_scheme="https",
        max_length=200,
        validators=[validate_single_line],
    )

    def __init__(self, *args, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_answers"].queryset = answers
        self.fields["published_answers"].label_from_instance = lambda answer: (
            f"{answer.application.cycle.name} · {answer.criterion.question}"
        )
