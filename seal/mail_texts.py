"""The seal's mails whose standard text coordinators may word themselves (see
``network_portal.mail_texts``): the confirmation of a submitted application, its reopening, and
the jury's decision (awarded, not awarded). Imported by the plumbing when the apps are ready."""

from datetime import date

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from network_portal.mail_texts import COMPANY, NAME, Placeholder, register_mail_kind
from network_portal.signing import absolute_url

CYCLE = Placeholder("runde", _("the award round, e.g. 2025"), lambda c: c["cycle_name"])
VALID_UNTIL = Placeholder(
    "gueltigbis",
    _("the last day the seal is valid"),
    lambda c: formats.date_format(c["valid_until"], "DATE_FORMAT") if c["valid_until"] else "",
)


def _sample(**extra) -> dict:
    return {
        "recipient_name": "Frau Dr. Neumann",
        "company_name": "Moselblick Pflege GmbH",
        "cycle_name": "2025",
        "application_url": absolute_url(reverse("seal:application")),
        **extra,
    }


def _decision_sample(awarded: bool):
    def sample():
        return _sample(
            awarded=awarded,
            note="",
            valid_until=date(2029, 5, 31) if awarded else None,
            verify_url=absolute_url(reverse("seal:verify", args=["BEISPIEL"])) if awarded else "",
        )

    return sample


register_mail_kind(
    key="seal.submitted",
    template="seal/emails/submitted",
    label=_("Seal application received"),
    where=_("To the company’s administrators, when they submit their application."),
    subject=_("Application received: seal “Mein Top Job Trier” {{ runde }}"),
    body=_(
        "Thank you! The application of {{ unternehmen }} for the seal “Mein Top Job Trier” "
        "{{ runde }} has been submitted. A summary of your answers is attached as a PDF."
    ),
    placeholders=(COMPANY, CYCLE, NAME),
    sample=_sample,
)
register_mail_kind(
    key="seal.reopened",
    template="seal/emails/reopened",
    label=_("Seal application reopened"),
    where=_("To the company’s administrators, when coordinators reopen their application."),
    subject=_("Your seal application {{ runde }} is open for changes"),
    body=_(
        "The coordinators have reopened your application for the seal “Mein Top Job Trier” "
        "{{ runde }}, so that you can change or complete it. Please submit it again afterwards:"
    ),
    placeholders=(CYCLE, NAME),
    sample=_sample,
)
register_mail_kind(
    key="seal.awarded",
    template="seal/emails/decision",
    applies=lambda context: bool(context.get("awarded")),
    label=_("Seal decision: awarded"),
    where=_("To the company’s contacts, when coordinators send the jury’s decisions."),
    subject=_("Congratulations: seal “Mein Top Job Trier” {{ runde }}"),
    body=_(
        "Congratulations! The jury awards {{ unternehmen }} the seal “Mein Top Job Trier” "
        "{{ runde }}. The seal is valid until {{ gueltigbis }}."
    ),
    placeholders=(COMPANY, CYCLE, VALID_UNTIL, NAME),
    sample=_decision_sample(True),
)
register_mail_kind(
    key="seal.not_awarded",
    template="seal/emails/decision",
    applies=lambda context: not context.get("awarded"),
    label=_("Seal decision: not awarded"),
    where=_("To the company’s contacts, when coordinators send the jury’s decisions."),
    subject=_("Your application for the seal “Mein Top Job Trier” {{ runde }}"),
    body=_(
        "Thank you for applying for the seal “Mein Top Job Trier” {{ runde }}. This time the "
        "jury has not awarded the seal to {{ unternehmen }}."
    ),
    placeholders=(COMPANY, CYCLE, NAME),
    sample=_decision_sample(False),
)
