"""Mails read like German letters: "Guten Tag Frau Dr. Neumann," (or, without a salutation,
"Guten Tag Jonas Becker,"), a blank line, then the text starting in lower case."""

import re
from pathlib import Path

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from meetings import services as meeting_services
from meetings.models import Meeting
from members import services as member_services
from members.models import Company, ContactPerson
from network_portal import mail_texts
from network_portal.mail import render_mail
from network_portal.office import office
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
)
from tests.meetings.factories import MeetingFactory

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def html_part(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.django_db
def test_an_invitation_greets_by_salutation_or_by_name_and_goes_on_in_lower_case(
    django_capture_on_commit_callbacks,
):
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    ContactPersonFactory(
        company=company,
        salutation=ContactPerson.Salutation.MS,
        title="Dr.",
        first_name="Anna",
        last_name="Neumann",
        email="anna@moselblick.example",
    )
    ContactPersonFactory(
        company=company,
        salutation=ContactPerson.Salutation.NONE,
        first_name="Jonas",
        last_name="Becker",
        email="jonas@moselblick.example",
    )
    meeting = MeetingFactory(
        status=Meeting.Status.DRAFT, title="Weiterbildung und Mitarbeiterbindung", host=company
    )

    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_publish(meeting=meeting)

    mails = {message.to[0]: message for message in mail.outbox}
    text = (
        "herzlich laden wir Sie zu unserem nächsten Netzwerktreffen „Weiterbildung und "
        "Mitarbeiterbindung“ ein.\n"
    )
    assert mails["anna@moselblick.example"].body.startswith(
        f"Guten Tag Frau Dr. Neumann,\n\n{text}"
    )
    assert mails["jonas@moselblick.example"].body.startswith(f"Guten Tag Jonas Becker,\n\n{text}")
    assert re.search(
        r"<p[^>]*>Guten Tag Frau Dr. Neumann,</p>", html_part(mails["anna@moselblick.example"])
    )
    assert "keine Angabe" not in mails["jonas@moselblick.example"].body


@pytest.mark.django_db
def test_a_rejection_greets_the_company_admin_and_gives_the_phone_number(
    django_capture_on_commit_callbacks,
):
    company = CompanyFactory(name="Saarburger Feinmechanik KG", status=Company.Status.PENDING)
    CompanyAdminFactory(
        company=company,
        user__first_name="Anna",
        user__last_name="Neumann",
        user__email="anna@feinmechanik.example",
    )

    with django_capture_on_commit_callbacks(execute=True):
        member_services.company_reject(company=company, by_user=CoordinatorFactory())

    (message,) = mail.outbox
    assert message.body.startswith(
        "Guten Tag Anna Neumann,\n\nvielen Dank für Ihr Interesse am Netzwerk. "
    )
    assert (
        "Bei Fragen antworten Sie gern auf diese E-Mail oder rufen Sie uns an unter "
        f"{office().phone}."
    ) in message.body


# Words a German letter may go on with in capitals after "Guten Tag …,": the polite "Sie"
# and "Ihr", nouns, and what a placeholder puts first (a name, a company in quotes).
CAPITALS_ALLOWED = {
    "Sie",
    "Ihr",
    "Ihre",
    "Ihren",
    "Ihrem",
    "Ihnen",
    "Datum",
    "Jonas",
    "„Moselblick",
}

SAMPLE = {
    "recipient_name": "Anna Neumann",
    "meeting_title": "Weiterbildung",
    "company_name": "Moselblick Pflege GmbH",
    "cycle_name": "2027",
    "topic_title": "Ausbildung in Teilzeit",
    "inviter_name": "Jonas Becker",
    "requester_name": "Jonas Becker",
    "requester_email": "jonas@example.org",
    "registered_by": "Jonas Becker",
    "lists": ["Allgemein"],
    "days": 3,
    "question_count": 2,
    "email": "anna@example.org",
    "code": "",
    "status": "registered",
}


def _mail_templates():
    for path in sorted(TEMPLATES.glob("*/emails/*.txt")) + sorted(
        TEMPLATES.glob("account/email/*_message.txt")
    ):
        name = path.name
        if name.startswith("_") or "_subject" in name or name.startswith("base_"):
            continue
        if name == "issue.txt":  # the newsletter: its text is the coordinators'
            continue
        yield str(path.relative_to(TEMPLATES))


@pytest.mark.django_db  # the coordinators' own texts are looked up
@pytest.mark.parametrize("template", list(_mail_templates()))
@pytest.mark.parametrize("variant", [{}, {"accepted": True, "awarded": True}])
def test_every_mail_goes_on_after_the_greeting_in_lower_case(template, variant):
    now = timezone.now()
    context = {
        **SAMPLE,
        **variant,
        "starts_at": now,
        "ends_at": now,
        "rsvp_deadline": now,
        "expires_at": now,
        "valid_until": now.date(),
        "office": office(),
    }
    # A kind of mail with an editable standard text gets its opening from it (render_mail).
    name = template.removesuffix(".txt")
    if mail_texts.kind_for(name, context) is not None:
        _subject, text, _html = render_mail(template=name, context=context, language="de")
    else:
        with translation.override("de"):
            text = render_to_string(template, context).strip()
    greeting, blank, first = text.split("\n")[:3]
    assert re.fullmatch(r"Guten Tag( [^,]+)?,", greeting), greeting
    assert blank == ""
    first_word = first.split()[0].rstrip(",:")
    assert first_word[0].islower() or first_word in CAPITALS_ALLOWED, first
