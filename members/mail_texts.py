"""The member companies' mails whose standard text coordinators may word themselves (see
``network_portal.mail_texts``): the confirmation of a registration, the welcome when a company is
approved, and the answer when it is not. Imported by the plumbing when the apps are ready."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network_portal.mail_texts import COMPANY, NAME, register_mail_kind
from network_portal.signing import absolute_url


def _sample(**extra) -> dict:
    return {
        "recipient_name": "Frau Dr. Neumann",
        "company_name": "Moselblick Pflege GmbH",
        "profile_url": absolute_url(reverse("members:company")),
        "reason": "",
        **extra,
    }


register_mail_kind(
    key="members.registration_received",
    template="members/emails/registration_received",
    label=_("Registration of a company received"),
    where=_("To whoever registered a company, right after the registration."),
    subject=_("Registration of “{{ unternehmen }}” received"),
    body=_(
        "Thank you for registering “{{ unternehmen }}” in the “Attraktive Unternehmen Trier” "
        "network."
    ),
    placeholders=(COMPANY, NAME),
    sample=_sample,
)
register_mail_kind(
    key="members.company_approved",
    template="members/emails/company_approved",
    label=_("Welcome of an approved company"),
    where=_("To the company’s administrators, when coordinators approve the company."),
    subject=_("Welcome to the network: “{{ unternehmen }}” has been approved"),
    body=_(
        "“{{ unternehmen }}” is now a member of the “Attraktive Unternehmen Trier” network. "
        "A warm welcome!"
    ),
    placeholders=(COMPANY, NAME),
    sample=_sample,
)
register_mail_kind(
    key="members.company_rejected",
    template="members/emails/company_rejected",
    label=_("Registration of a company not approved"),
    where=_("To the company’s administrators, when coordinators reject the registration."),
    subject=_("Your registration of “{{ unternehmen }}”"),
    body=_(
        "Thank you for your interest in the network. Unfortunately, we cannot approve the "
        "registration of “{{ unternehmen }}”."
    ),
    placeholders=(COMPANY, NAME),
    sample=lambda: _sample(reason="Der Sitz des Unternehmens liegt außerhalb der Region."),
)
