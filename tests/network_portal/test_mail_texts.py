"""The coordinators' own words: the standard text of each kind of mail, edited in the admin with
a preview, used by the next mail, back to the shipped text when reset; placeholders filled in,
template code never run."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services as meeting_services
from meetings.models import Meeting
from network_portal import mail_texts
from network_portal.mail import render_mail
from network_portal.models import ActivityEntry, MailText
from tests.factories import CompanyFactory, ContactPersonFactory, UserFactory
from tests.meetings.factories import MeetingFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

PREFIX = "[Attraktive Unternehmen Trier] "
LIST = reverse("admin:network_portal_mailtext_changelist")


def edit_url(kind="meetings.invitation", language="de"):
    return reverse("admin:network_portal_mailtext_edit", args=[kind, language])


def preview_url(kind="meetings.invitation", language="de"):
    return reverse("admin:network_portal_mailtext_preview", args=[kind, language])


@pytest.fixture
def invited(db):
    """One contact who gets invitations in German, one in English."""
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    ContactPersonFactory(company=company, email="anna@moselblick.example", last_name="Neumann")
    user = UserFactory(email="sam@moselblick.example", language="en")
    ContactPersonFactory(company=company, email=user.email, user=user, last_name="Carter")
    return company


def publish_one(capture, **kwargs):
    """Publish a new meeting; its invitations, by address."""
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, **kwargs)
    mail.outbox.clear()
    with capture(execute=True):
        meeting_services.meeting_publish(meeting=meeting)
    return {message.to[0]: message for message in mail.outbox}


def test_an_edited_text_goes_into_the_next_mail_with_its_placeholders_filled_in(
    invited, coordinator, django_capture_on_commit_callbacks
):
    mail_texts.mail_text_save(
        kind="meetings.invitation",
        language="de",
        subject="Herzliche Einladung: {{ titel }} ({{datum}})",
        body=(
            "wir freuen uns auf **{{ titel }}** um {{ uhrzeit }} bei {{ ort }}.\n\n"
            "Melden Sie sich bis {{ anmeldeschluss }} an."
        ),
        by_user=coordinator,
    )

    sent = publish_one(
        django_capture_on_commit_callbacks, title="Weiterbildung", venue_name="Schreinerei Olewig"
    )

    german = sent["anna@moselblick.example"]
    assert german.subject.startswith(f"{PREFIX}Herzliche Einladung: Weiterbildung (")
    assert "{{" not in german.subject
    assert "wir freuen uns auf Weiterbildung um " in german.body
    assert " bei Schreinerei Olewig.\n\nMelden Sie sich bis " in german.body
    html = next(c for c, m in german.alternatives if m == "text/html")
    assert "<strong>Weiterbildung</strong>" in html
    assert "{{" not in german.body and "{{" not in html
    # English readers keep the shipped English text.
    english = sent["sam@moselblick.example"]
    assert english.subject.startswith(f"{PREFIX}Invitation: Weiterbildung on ")
    assert "We warmly invite you to our next network meeting “Weiterbildung”." in english.body
    entry = ActivityEntry.objects.get(action="network_portal.mail_text.saved")
    assert entry.actor == coordinator and entry.details["language"] == "de"


def test_after_a_reset_the_next_mail_has_the_shipped_text_again(
    invited, coordinator, django_capture_on_commit_callbacks
):
    mail_texts.mail_text_save(
        kind="meetings.invitation",
        language="de",
        subject="Kommen Sie: {{ titel }}",
        body="ein eigener Text.",
        by_user=coordinator,
    )
    assert mail_texts.mail_text_reset(
        kind="meetings.invitation", language="de", by_user=coordinator
    )

    german = publish_one(django_capture_on_commit_callbacks, title="Weiterbildung")[
        "anna@moselblick.example"
    ]
    assert german.subject.startswith(f"{PREFIX}Einladung: Weiterbildung am ")
    assert "herzlich laden wir Sie zu unserem nächsten Netzwerktreffen „Weiterbildung“ ein." in (
        german.body
    )
    assert "ein eigener Text" not in german.body
    assert MailText.objects.count() == 0
    assert ActivityEntry.objects.filter(action="network_portal.mail_text.reset").count() == 1
    # Nothing left to reset: no second entry.
    assert not mail_texts.mail_text_reset(
        kind="meetings.invitation", language="de", by_user=coordinator
    )


@pytest.mark.parametrize(
    "text",
    [
        "{% load static %}Hallo",
        "{{ titel|upper }}",
        "{{ settings.SECRET_KEY }}",
        "Hallo {{ geheimnis }}",
        "{# Kommentar #}",
    ],
)
def test_template_code_and_unknown_placeholders_are_refused(coordinator, text):
    with pytest.raises(ValidationError):
        mail_texts.mail_text_save(
            kind="meetings.invitation",
            language="de",
            subject="Einladung",
            body=text,
            by_user=coordinator,
        )
    assert MailText.objects.count() == 0


def test_template_syntax_in_the_data_is_printed_never_run(
    invited, coordinator, django_capture_on_commit_callbacks
):
    """A title with braces is the meeting's data: the substitution prints it as it is, and
    never renders the text (with the title in it) as a template."""
    mail_texts.mail_text_save(
        kind="meetings.invitation",
        language="de",
        subject="Einladung: {{ titel }}",
        body="zum Treffen „{{ titel }}“ laden wir Sie ein.",
        by_user=coordinator,
    )
    title = "{% now 'Y' %} und {{ name }}"

    german = publish_one(django_capture_on_commit_callbacks, title=title)["anna@moselblick.example"]

    assert german.subject == f"{PREFIX}Einladung: {title}"
    assert f"zum Treffen „{title}“ laden wir Sie ein." in german.body
    html = next(c for c, m in german.alternatives if m == "text/html")
    assert "zum Treffen „{% now &#x27;Y&#x27; %} und {{ name }}“ laden wir Sie ein." in html


# --- The admin screen --------------------------------------------------------------------------


@pytest.fixture
def coordinator_client(client, coordinator):
    login_with_second_factor(client, coordinator)
    return client


def test_the_list_names_every_kind_in_both_languages(coordinator_client, coordinator):
    mail_texts.mail_text_save(
        kind="seal.awarded",
        language="en",
        subject="Well done: {{ runde }}",
        body="Congratulations, {{ unternehmen }}!",
        by_user=coordinator,
    )
    response = coordinator_client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    for label in (
        "Einladung zu einem Netzwerktreffen",
        "Änderung eines Netzwerktreffens",
        "Absage eines Netzwerktreffens",
        "Erinnerung vor einem Netzwerktreffen",
        "Auf der Warteliste",
        "Von der Warteliste nachgerückt",
        "Erinnerung an den Anmeldeschluss",
        "Bitte um Rückmeldung",
        "Siegel-Entscheidung: verliehen",
        "Siegel-Entscheidung: nicht verliehen",
    ):
        assert label in page, label
    assert edit_url("seal.awarded", "en") in page
    assert page.count("eigener Text (seit") == 1


def test_the_list_runs_a_constant_number_of_queries(
    coordinator_client, coordinator, django_assert_num_queries
):
    coordinator_client.get(LIST)
    for kind in ("meetings.invitation", "meetings.update", "meetings.reminder"):
        for language in ("de", "en"):
            mail_texts.mail_text_save(
                kind=kind, language=language, subject="Betreff", body="Text", by_user=coordinator
            )
        # The session, the user, the stored texts: whatever their number.
        with django_assert_num_queries(3):
            assert coordinator_client.get(LIST).status_code == 200


def test_the_edit_page_previews_unsaved_words_and_saves_them(coordinator_client, coordinator):
    page = coordinator_client.get(edit_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "Der mitgelieferte Text ist in Gebrauch." in html
    assert "herzlich laden wir Sie zu unserem nächsten Netzwerktreffen" in html  # the form
    assert "{{ titel }}" in html and "Weiterbildung und Mitarbeiterbindung" in html  # example
    assert f'src="{preview_url()}"' in html and 'sandbox=""' in html

    draft = {
        "subject": "Bitte vormerken: {{ titel }}",
        "body": "wir haben *Neuigkeiten*.",
        "_preview": "Vorschau",
    }
    preview = coordinator_client.post(edit_url(), draft)
    assert preview.status_code == 200
    assert MailText.objects.count() == 0  # nothing saved
    context = preview.context
    assert context["preview_subject"] == (
        f"{PREFIX}Bitte vormerken: Weiterbildung und Mitarbeiterbindung"
    )
    assert "wir haben Neuigkeiten." in context["preview_text"]
    assert "Guten Tag Frau Dr. Neumann," in context["preview_text"]
    framed = coordinator_client.get(context["preview_url"])
    assert framed.status_code == 200
    assert "<em>Neuigkeiten</em>" in framed.content.decode()
    assert "sandbox" in framed["Content-Security-Policy"]
    assert "script-src" not in framed["Content-Security-Policy"]
    assert framed["X-Frame-Options"] == "SAMEORIGIN"

    saved = coordinator_client.post(edit_url(), {**draft, "_save": "Sichern"})
    assert saved.status_code == 302
    row = MailText.objects.get()
    assert (row.kind, row.language, row.subject, row.updated_by) == (
        "meetings.invitation",
        "de",
        "Bitte vormerken: {{ titel }}",
        coordinator,
    )
    framed = coordinator_client.get(preview_url())
    assert "<em>Neuigkeiten</em>" in framed.content.decode()


def test_the_form_names_what_it_refuses(coordinator_client):
    response = coordinator_client.post(
        edit_url(), {"subject": "Einladung {{ vorname }}", "body": "{% debug %}", "_save": "1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Unbekannter Platzhalter: {{ vorname }}." in errors["subject"][0]
    assert "{{ titel }}" in errors["subject"][0]
    assert errors["body"] == [
        "Bitte verwenden Sie nur die aufgeführten Platzhalter in der Form {{ name }}; andere "
        "geschweifte Klammern und Vorlagen-Code sind nicht erlaubt."
    ]
    assert MailText.objects.count() == 0


def test_going_back_to_the_shipped_text_is_confirmed_first(coordinator_client, coordinator):
    mail_texts.mail_text_save(
        kind="meetings.cancellation",
        language="en",
        subject="Off: {{ titel }}",
        body="Sorry.",
        by_user=coordinator,
    )
    url = edit_url("meetings.cancellation", "en")
    confirm = coordinator_client.post(url, {"_reset": "1"})
    assert confirm.status_code == 200
    assert "Cancelled: {{ titel }} on {{ datum }}" in confirm.content.decode()
    assert MailText.objects.count() == 1

    done = coordinator_client.post(url, {"_reset_confirmed": "1"})
    assert done.status_code == 302
    assert MailText.objects.count() == 0
    page = coordinator_client.get(url).content.decode()
    assert "Der mitgelieferte Text ist in Gebrauch." in page


def test_an_unknown_kind_or_language_is_not_found(coordinator_client):
    assert coordinator_client.get(edit_url("meetings.nothing", "de")).status_code == 404
    assert coordinator_client.get(edit_url("meetings.invitation", "fr")).status_code == 404
    assert coordinator_client.get(preview_url("meetings.nothing", "de")).status_code == 404


def test_a_forged_draft_shows_the_current_text(coordinator_client):
    response = coordinator_client.get(preview_url() + "?draft=abc:def")
    assert response.status_code == 200
    assert "herzlich laden wir Sie" in response.content.decode()


def test_every_kind_renders_in_both_languages():
    for kind in mail_texts.mail_kinds():
        for language in ("de", "en"):
            shipped = mail_texts.shipped_text(kind, language)
            assert mail_texts.text_problems(kind, shipped.subject) == [], kind.key
            assert mail_texts.text_problems(kind, shipped.body) == [], kind.key
            subject, text, html = render_mail(
                template=kind.template, context=kind.sample(), language=language
            )
            assert "{{" not in subject + text + html, (kind.key, language)
            assert subject.startswith(PREFIX) and len(subject) > len(PREFIX) + 5


@pytest.mark.django_db
def test_a_subject_keeps_ampersands_and_quotes_as_typed():
    """The subject line is plain text: no "&amp;" or "&quot;" in the recipient's inbox."""
    subject, text, _html = render_mail(
        template="members/emails/invitation",
        context={"company_name": 'Müller & Söhne "Holzbau"', "inviter_name": "Jonas Becker"},
        language="de",
    )
    assert subject.endswith('für „Müller & Söhne "Holzbau"“ im Netzwerkportal handeln')
    assert "&amp;" not in subject and "&quot;" not in subject
