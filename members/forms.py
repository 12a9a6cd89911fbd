import re

from django import forms
from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from network_portal.text import validate_multi_line, validate_single_line
from network_portal.uploads import validate_image_upload

from .models import (
    Company,
    CompanyMembership,
    ContactPerson,
    ExpertiseOffer,
    ExpertiseTopic,
    Industry,
    SizeClass,
)

LOGO_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


class LogoInput(forms.ClearableFileInput):
    """The stored logo shown as the image itself, through the permission-checked logo URL
    (``preview_url``, set by the form), with a box to remove it; never its internal path, whose
    media URL is not served (uploads have no public URL). Rendered by
    ``templates/bootstrap5/layout/field_file.html``."""

    initial_text = gettext_lazy("Current logo")
    clear_checkbox_label = gettext_lazy("Remove the logo")
    preview_url = ""


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
            "logo": LogoInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.logo:
            self.fields["logo"].widget.preview_url = reverse(
                "members:logo", args=[self.instance.slug]
            )

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
        fields = ["salutation", "title", "function", "phone", "wants_newsletter"]
        labels = {"wants_newsletter": gettext_lazy("Send me the network’s newsletter")}
        help_texts = {
            "wants_newsletter": gettext_lazy(
                "Optional. You can unsubscribe at any time with the link in every newsletter."
            )
        }


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
    """The company is named, not picked from a list of all members: the page suggests only the
    companies of the public directory; one that declined it is found by its exact name alone
    (whoever works there knows it), or its admins invite the person."""

    company = forms.CharField(
        label=gettext_lazy("Name of your company"),
        max_length=Company._meta.get_field("name").max_length,
        validators=[validate_single_line],
        help_text=gettext_lazy(
            "Companies in the public directory are suggested as you type. Is yours not listed "
            "there? Enter its exact name, including the legal form (e.g. “GmbH”)."
        ),
        widget=forms.TextInput(attrs={"list": "public-companies", "autocomplete": "off"}),
    )
    message = forms.CharField(
        label=gettext_lazy("Message to your company (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_multi_line],
    )

    def clean_company(self):
        name = " ".join(self.cleaned_data["company"].split())
        company = Company.objects.active().filter(name__iexact=name).first()
        if company is None:
            raise forms.ValidationError(
                _(
                    "No member company has exactly this name. Please check the spelling and "
                    "the legal form, or ask an admin of your company to invite you."
                )
            )
        return company


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


class OwnContactForm(forms.ModelForm):
    """„Mein Konto“: the person's own contact entry. The address is not here: it follows the
    login address (changed on the page of email addresses)."""

    class Meta:
        model = ContactPerson
        fields = [
            "salutation",
            "title",
            "first_name",
            "last_name",
            "function",
            "phone",
            "wants_meeting_invitations",
        ]
        help_texts = {
            "wants_meeting_invitations": gettext_lazy(
                "Invitations, changes and reminders for the network meetings, to your login "
                "address."
            )
        }

    def clean_title(self):
        return " ".join(self.cleaned_data["title"].split())

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_phone(self):
        return " ".join(self.cleaned_data["phone"].split())


class ExpertiseOfferForm(forms.ModelForm):
    """What a company offers to share: a report from practice on the coordinators' topics, or
    its premises for a meeting (room and seats). The topics and the contact are chosen from
    lists: the coordinators' tags, the company's own contact persons."""

    class Meta:
        model = ExpertiseOffer
        fields = ["kind", "topics", "description", "contact", "room", "seats"]
        widgets = {
            "kind": forms.RadioSelect,
            "topics": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"kind": gettext_lazy("What do you offer?")}
        help_texts = {
            "topics": gettext_lazy(
                "The topics the coordination team keeps, so it finds you for a meeting or a "
                "topic wish. Missing one? Describe it below."
            ),
            "description": gettext_lazy(
                "A few sentences: what you can report on, your experience, what others can take "
                "away."
            ),
            "contact": gettext_lazy("Whom the coordination team may ask."),
            "room": gettext_lazy("For hosting: e.g. “Seminarraum, 2. OG”."),
            "seats": gettext_lazy("For hosting: how many guests the room holds."),
        }

    def __init__(self, *args, company: Company, **kwargs):
        self.company = company
        super().__init__(*args, **kwargs)
        self.instance.company = company
        self.fields["kind"].choices = ExpertiseOffer.Kind.choices  # no empty choice
        self.fields["topics"].queryset = ExpertiseTopic.objects.order_by("name")
        self.fields["contact"].queryset = company.contacts.order_by("last_name", "first_name")
        self.fields["contact"].required = True
        self.fields["seats"].widget.attrs["min"] = 1

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ExpertiseOffer.Kind.HOST:
            if not cleaned.get("room"):
                self.add_error("room", _("Please name the room for hosting a meeting."))
            if not cleaned.get("seats"):
                self.add_error("seats", _("Please say how many guests the room holds."))
        elif (
            kind == ExpertiseOffer.Kind.REPORT
            and not cleaned.get("topics")
            and not cleaned.get("description", "").strip()
        ):
            self.add_error(
                "description",
                _("Please choose at least one topic or describe what you can report on."),
            )
        return cleaned
