"""allauth's forms as the portal uses them (ACCOUNT_FORMS["signup"], ACCOUNT_FORMS["add_email"]).

A module of its own: allauth's forms import ACCOUNT_SIGNUP_FORM_CLASS (accounts.forms) while they
load, so accounts.forms cannot import them in turn.
"""

from allauth.account.forms import AddEmailForm as AllauthAddEmailForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django.core.exceptions import ValidationError

from network_portal import ratelimits
from network_portal.text import validate_single_line


class SignupForm(AllauthSignupForm):
    """A valid sign-up mails the address typed in (a link to confirm it, or a note that the
    account exists already): limited per client address and overall."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The adapter's clean_email refuses them as well; here the rule is the field's own.
        self.fields["email"].validators.append(validate_single_line)

    def clean(self):
        cleaned_data = super().clean()
        if not self.errors and not ratelimits.signup_allowed(
            context.request, action=ratelimits.ACCOUNT_SIGNUP
        ):
            raise ValidationError(ratelimits.REFUSED)
        return cleaned_data


class AddEmailForm(AllauthAddEmailForm):
    """A new address for the login: refused at once where it could not become the login
    address later (e.g. another contact entry of the person's company has it), so nothing
    is confirmed in vain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].validators.append(validate_single_line)

    def clean_email(self):
        from . import services

        value = super().clean_email()
        reason = services.login_address_refusal(user=self.user, new_email=value)
        if reason:
            raise ValidationError(reason)
        return value
