"""allauth's passkey forms with the portal's labels (MFA_FORMS)."""

from allauth.mfa.webauthn.forms import AddWebAuthnForm, EditWebAuthnForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from network_portal.text import validate_single_line

NAME_HELP = _("So that you can tell your passkeys apart, e.g. “Laptop office” or “Phone”.")
NAME_MAX_LENGTH = 100


def _name_field(field) -> None:
    field.label = _("Name of the passkey")
    field.help_text = NAME_HELP
    field.validators += [MaxLengthValidator(NAME_MAX_LENGTH), validate_single_line]
    field.widget.attrs["maxlength"] = str(NAME_MAX_LENGTH)


class AddPasskeyForm(AddWebAuthnForm):
    def __init__(self, *args, user, **kwargs):  # allauth passes the user as a keyword
        super().__init__(*args, user=user, **kwargs)
        _name_field(self.fields["name"])
        if "passwordless" in self.fields:
            passwordless = self.fields["passwordless"]
            passwordless.label = _("Also use it to log in without a password")
            passwordless.help_text = _(
                "Your device then asks for your fingerprint, face or PIN each time. Without "
                "this, the passkey only confirms a login with your password (a security key)."
            )
            passwordless.initial = True


class EditPasskeyForm(EditWebAuthnForm):
    def __init__(self, *args, instance, **kwargs):  # allauth passes the passkey as a keyword
        super().__init__(*args, instance=instance, **kwargs)
        _name_field(self.fields["name"])
