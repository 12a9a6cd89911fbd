from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy

from network_portal.text import validate_single_line


class SignupNameForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(
        label=gettext_lazy("First name"), max_length=100, validators=[validate_single_line]
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"), max_length=100, validators=[validate_single_line]
    )

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


class NameForm(forms.Form):
    """„Mein Konto“: the person's name."""

    first_name = forms.CharField(
        label=gettext_lazy("First name"), max_length=100, validators=[validate_single_line]
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"), max_length=100, validators=[validate_single_line]
    )


class LanguageForm(forms.Form):
    """„Mein Konto“: the language of the portal and of the mails to the person."""

    language = forms.ChoiceField(
        label=gettext_lazy("Language of the portal and of our emails to you"),
        choices=settings.LANGUAGES,
    )
