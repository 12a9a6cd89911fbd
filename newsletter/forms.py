from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_portal.text import validate_single_line

from .models import MailingList, Subscriber

# The exact text a visitor agrees to on the public sign-up form. It is the checkbox's label and,
# in the visitor's language, the text stored in the consent record: change it here only.
CONSENT_TEXT = _(
    "I would like to receive the newsletter of the network “Attraktive Unternehmen Trier” "
    "of the Wirtschaftsförderung Trier by email. I can withdraw this consent at any time, "
    "for example with the unsubscribe link in every newsletter."
)

# What someone agrees to when they tick lists on the preference page.
PREFERENCES_CONSENT_TEXT = _(
    "I would like to receive the newsletters I have ticked by email. I can change this choice "
    "or unsubscribe at any time."
)

SIGNUP_FORM = "public-signup"


class _ListCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name

    def clean(self, value):
        # Django compares the ids in one "IN" query, where an id beyond 64 bits crashes SQLite
        # (OverflowError); such an id is simply not one of ours.
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                number = int(pk)  # as Django converts it for the query
            except (TypeError, ValueError):
                continue  # Django calls it "not a valid value" itself
            if not -(2**63) <= number < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class SubscribeForm(forms.Form):
    """The public sign-up: an address, optionally a name, the lists, and the consent."""

    email = forms.EmailField(
        label=_("Email address"), max_length=254, validators=[validate_single_line]
    )
    salutation = forms.ChoiceField(
        label=_("Salutation"),
        required=False,
        choices=[
            ("", _("not specified")),
            (Subscriber.Salutation.MS, pgettext_lazy("salutation", "Ms")),
            (Subscriber.Salutation.MR, pgettext_lazy("salutation", "Mr")),
        ],
    )
    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=50,
        help_text=_("e.g. Dr."),
        validators=[validate_single_line],
    )
    first_name = forms.CharField(
        label=_("First name"), required=False, max_length=100, validators=[validate_single_line]
    )
    last_name = forms.CharField(
        label=_("Last name"), required=False, max_length=100, validators=[validate_single_line]
    )
    lists = _ListCheckboxes(
        label=_("Newsletters"),
        queryset=MailingList.objects.none(),
        error_messages={"required": _("Please choose at least one newsletter.")},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Please agree so that we may send you the newsletter.")},
    )
    # A honeypot: hidden from people, filled in by bots that fill in every field.
    website = forms.CharField(
        label=_("Please leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, public_lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = public_lists
        if len(public_lists) == 1:
            self.fields["lists"].initial = [public_lists[0].pk]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    # The field's validator has refused tabs and line breaks before the spaces are tidied up.
    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())


class PreferencesForm(forms.Form):
    """The lists of one subscriber: the ticked ones are kept, the others left."""

    lists = _ListCheckboxes(
        label=_("Newsletters"), queryset=MailingList.objects.none(), required=False
    )

    def __init__(self, *args, available_lists, subscribed_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = available_lists
        self.fields["lists"].initial = list(subscribed_ids)


# What a logged-in person agrees to when they tick lists on „Mein Konto“.
ACCOUNT_CONSENT_TEXT = _(
    "I would like to receive the newsletters I have ticked by email at my login address. I can "
    "change this choice here or unsubscribe at any time."
)


class AccountListsForm(forms.Form):
    """„Mein Konto“: the lists for the person's login address."""

    lists = _ListCheckboxes(
        label=_("Newsletters to your login address"),
        queryset=MailingList.objects.none(),
        required=False,
    )

    def __init__(self, *args, lists, subscribed=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lists"].queryset = MailingList.objects.filter(
            pk__in=[mailing_list.pk for mailing_list in lists]
        ).order_by("kind", "name")
        self.fields["lists"].initial = list(subscribed)
