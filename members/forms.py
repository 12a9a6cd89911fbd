import re

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from network_portal.text import validate_multi_line, validate_single_line
from network_portal.uploads import validate_image_upload

from .models import Company, CompanyMembership, ContactPerson, Industry, SizeClass

LOGO_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = [
            "name",
            "legal_form",
            "industry",
            "size_class",
            "street",
            "postcode",
            "city",
            "website",
            "logo",
            "description",
            "directory_consent",
        ]
        # A plain file field: clean_logo checks the image itself, size first, so a file that is
        # too large is called too large (Django's ImageField would call it "not an image").
        field_classes = {"logo": forms.FileField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if not re.fullmatch(r"[0-9]{5}", postcode):  # \d would take Arabic-Indic digits too
            raise forms.ValidationError(_("Please enter a five-digit postcode."))
        return postcode

    def clean_name(self):
        # Checked before the spaces are tidied up: a tab or line break is refused, not joined.
        validate_single_line(self.cleaned_data["name"])
        name = " ".join(self.cleaned_data["name"].split())
        duplicates = Company.objects.filter(name__iexact=name)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                _("A company with this name is already registered. You can join it instead.")
            )
        return name

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            content_type = validate_image_upload(logo, max_bytes=settings.LOGO_MAX_BYTES)
            # Stored, and served, with the extension of what it is, not of what it is called
            # (a PNG named logo.html must not come back as text/html).
            logo.name = f"logo{LOGO_EXTENSIONS[content_type]}"
        return logo


class RegistrationContactForm(forms.ModelForm):
    """The registering person's own contact details."""

    class Meta:
        model = ContactPerson
        fields = ["salutation", "title", "function", "phone"]


class ContactPersonForm(forms.ModelForm):
    class Meta:
        model = ContactPerson
        fields = [
            "salutation",
            "title",
            "first_name",
            "last_name",
            "function",
            "email",
            "phone",
            "wants_meeting_invitations",
            "wants_newsletter",
        ]

    def __init__(self, *args, company: Company, **kwargs):
        self.company = company
        super().__init__(*args, **kwargs)
        self.instance.company = company

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = ContactPerson.objects.filter(company=self.company, email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("Your company already has an entry for this email address.")
            )
        return email


class InvitationForm(forms.Form):
    # max_length: the invitation's column takes 254 characters; the standard allows 320.
    email = forms.EmailField(
        label=gettext_lazy("Your colleague’s email address"),
        max_length=254,
        validators=[validate_single_line],
    )

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if CompanyMembership.objects.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(_("This address already has an account with a company."))
        return email


class JoinRequestForm(forms.Form):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Company"),
        queryset=Company.objects.active(),
        empty_label=gettext_lazy("Please choose …"),
    )
    message = forms.CharField(
        label=gettext_lazy("Message to your company (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multi_line],
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=pgettext_lazy("directory filter", "Search"), required=False, max_length=100
    )
    industry = forms.ChoiceField(label=gettext_lazy("Industry"), required=False)
    size_class = forms.ChoiceField(label=gettext_lazy("Size class"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("all industries")), *Industry.choices]
        self.fields["size_class"].choices = [("", _("all sizes")), *SizeClass.choices]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(Q(name__icontains=data["q"]) | Q(city__icontains=data["q"]))
        if data["industry"]:
            queryset = queryset.filter(industry=data["industry"])
        if data["size_class"]:
            queryset = queryset.filter(size_class=data["size_class"])
        return queryset
