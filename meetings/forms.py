from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.models import ContactPerson
from network_portal.text import validate_multi_line, validate_single_line


class ColleagueForm(forms.Form):
    """Register a colleague: pick a contact person of the company or type name and email."""

    contact = forms.ModelChoiceField(
        label=_("Contact person of your company"),
        queryset=ContactPerson.objects.none(),
        required=False,
        empty_label=_("– someone else –"),
    )
    name = forms.CharField(
        label=_("Name"), max_length=200, required=False, validators=[validate_single_line]
    )
    # max_length: the registration's column takes 254 characters; the standard allows 320.
    email = forms.EmailField(
        label=pgettext_lazy("person", "Email"),
        required=False,
        max_length=254,
        validators=[validate_single_line],
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = ContactPerson.objects.filter(company=company)

    def clean(self):
        data = super().clean()
        contact = data.get("contact")
        if contact is not None:
            data["name"], data["email"] = contact.full_name, contact.email
        elif not data.get("name") or not data.get("email"):
            raise forms.ValidationError(
                _("Please choose a contact person or enter name and email address.")
            )
        return data


class TopicProposalForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200, validators=[validate_single_line])
    description = forms.CharField(
        label=_("Why this topic?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multi_line],
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was the meeting for you?"),
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("5 = very useful, 1 = not useful"),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_multi_line],
    )


class ExpertQuestionForm(forms.Form):
    """A member's question to the experts of a meeting: to one of them or to all."""

    expert = forms.ModelChoiceField(
        label=_("To"),
        queryset=None,
        required=False,
        empty_label=_("All experts"),
    )
    text = forms.CharField(
        label=_("Your question"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_multi_line],
    )
    show_company = forms.BooleanField(
        label=_("Show my company's name to other members"),
        required=False,
        initial=True,
        help_text=_(
            "Without the tick, other members and the expert see the question without your "
            "company's name. The coordinators always see it."
        ),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = meeting.experts.all()
        self.fields["expert"].label_from_instance = lambda expert: str(expert)

    def clean_text(self):
        return self.cleaned_data["text"].strip()
