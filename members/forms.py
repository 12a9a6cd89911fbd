import re

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from network_portal.uploads import validate_image_upload

from .models import Company, CompanyMembership, ContactPerson, Industry, SizeClass


class SignupNameForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    first_name = forms.CharField(label=gettext_lazy("Vorname"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Nachname"), max_length=100)

    def signup(self, request, user):
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.save(update_fields=["first_name", "last_name"])


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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if not re.fullmatch(r"\d{5}", postcode):
            raise forms.ValidationError(_("Bitte geben Sie eine fünfstellige Postleitzahl an."))
        return postcode

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        duplicates = Company.objects.filter(name__iexact=name)
        if self.instance.pk:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            raise forms.ValidationError(
                _(
                    "Ein Unternehmen mit diesem Namen ist bereits registriert. Sie können ihm "
                    "stattdessen beitreten."
                )
            )
        return name

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            validate_image_upload(logo, max_bytes=settings.LOGO_MAX_BYTES)
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
                _("Für diese E-Mail-Adresse gibt es in Ihrem Unternehmen schon einen Eintrag.")
            )
        return email


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-Mail-Adresse der Kollegin / des Kollegen"))

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if CompanyMembership.objects.filter(user__email__iexact=email).exists():
            raise forms.ValidationError(
                _("Diese Adresse hat bereits einen Zugang zu einem Unternehmen.")
            )
        return email


class JoinRequestForm(forms.Form):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Unternehmen"),
        queryset=Company.objects.active(),
        empty_label=gettext_lazy("Bitte wählen …"),
    )
    message = forms.CharField(
        label=gettext_lazy("Nachricht an Ihr Unternehmen (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Suche"), required=False, max_length=100)
    industry = forms.ChoiceField(label=gettext_lazy("Branche"), required=False)
    size_class = forms.ChoiceField(label=gettext_lazy("Größenklasse"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", _("alle Branchen")), *Industry.choices]
        self.fields["size_class"].choices = [("", _("alle Größen")), *SizeClass.choices]

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
