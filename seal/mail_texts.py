"""The seal's mails whose standard text coordinators may word themselves (see
``network_portal.mail_texts``): the confirmation of a submitted application, its reopening, and
the jury's decision (awarded, not awarded). Imported by the plumbing when the apps are ready."""

from datetime import date, datetime

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


def _expiry_sample():
    return _sample(
        valid_until=date(2029, 5, 31),
        months=6,
        next_cycle_name="2029",
        next_cycle_opens=datetime(2028, 11, 1, 9, 0),
        next_cycle_deadline=datetime(2029, 2, 1, 23, 59),
        seal_url=absolute_url(reverse("seal:home")),
    )


register_mail_kind(
    key="seal.expiry_reminder",
    template="seal/emails/expiry_reminder",
    label=_("Seal expires soon"),
    where=_(
        "To the company’s administrators, six and two months before their seal expires, with "
        "the dates of the next cycle."
    ),
    subject=_("Your seal “Mein Top Job Trier” {{ runde }} is valid until {{ gueltigbis }}"),
    body=_(
        "The seal “Mein Top Job Trier” {{ runde }} of {{ unternehmen }} is valid until "
        "{{ gueltigbis }}. To keep showing it, please apply again in the next cycle: your "
        "answers from last time will be filled in for you to review."
    ),
    placeholders=(COMPANY, CYCLE, VALID_UNTIL, NAME),
    sample=_expiry_sample,
)


# --- The jury's mails (assignment, reminder before the scoring deadline) ---------------------

DEADLINE = Placeholder(
    "frist",
    _("the jurors’ scoring deadline"),
    lambda c: formats.date_format(c["deadline"], "DATE_FORMAT") if c.get("deadline") else "",
)


def _jury_sample(**extra):
    def sample():
        return _sample(
            recipient_name="Herr Becker",
            deadline=date(2027, 3, 15),
            applications=[
                {"company": "Moselblick Pflege GmbH", "size_class": "50–249"},
                {"company": "Porta Digital GmbH", "size_class": "10–49"},
            ],
            jury_url=absolute_url(reverse("seal:jury")),
            **extra,
        )

    return sample


register_mail_kind(
    key="seal.juror_assigned",
    template="seal/emails/juror_assigned",
    label=_("Applications assigned to a juror"),
    where=_(
        "To a juror, when coordinators assign applications to them (one mail listing all new ones)."
    ),
    subject=_("New applications to score: seal “Mein Top Job Trier” {{ runde }}"),
    body=_(
        "The coordinators have assigned you applications for the seal “Mein Top Job Trier” "
        "{{ runde }}. Please score them by {{ frist }}:"
    ),
    placeholders=(CYCLE, DEADLINE, NAME),
    sample=_jury_sample(),
)
register_mail_kind(
    key="seal.juror_reminder",
    template="seal/emails/juror_reminder",
    label=_("Reminder of the jury’s scoring deadline"),
    where=_(
        "To a juror with applications still to score, seven and two days before the scoring "
        "deadline."
    ),
    subject=_("Reminder: scores for the seal {{ runde }} due by {{ frist }}"),
    body=_(
        "A reminder: the scoring deadline for the seal “Mein Top Job Trier” {{ runde }} is "
        "{{ frist }}. These applications still await your scores:"
    ),
    placeholders=(CYCLE, DEADLINE, NAME),
    sample=_jury_sample(days=7),
)
