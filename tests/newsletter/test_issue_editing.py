"""Editing an issue in the admin: the test send takes what is in the form (it saves first; an
invalid form sends nothing), the test copy is the mail a subscriber gets but for the
recipient, attachments open from the issue's page, and the text part is readable text."""

import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from members.models import ContactPerson
from network_portal.models import OutboxMail
from newsletter import rendering, services
from newsletter.models import Delivery, Issue, IssueAttachment, Subscriber
from tests.factories import CompanyFactory, UserFactory
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import (
    IssueFactory,
    MailingListFactory,
    SentIssueFactory,
    SubscriberFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

SITE = "https://portal.example.org"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

# A realistic issue, as coordinators write it.
BODY = """## Netzwerktreffen im März

Liebe Mitglieder, das nächste **Netzwerktreffen** findet am *12. März 2031* bei der \
[Moselblick Pflege GmbH](https://moselblick.example/anfahrt) statt. Wir sprechen über \
Weiterbildung, Mitarbeiterbindung und darüber, wie kleine Betriebe internationale \
Fachkräfte gewinnen.

### Programm

1. Begrüßung durch die Koordination
2. Praxisbericht: *Sprachkurse im Verbund* – Olewiger Backstube KG
3. Fragen an das Ausländeramt

- Anmeldung bis **5. März** an <netzwerk@trier.example>
- Parken im Hof, Zufahrt über die Olewiger Straße 12, 54295 Trier, bitte nicht auf \
den Kundenparkplätzen

> „Der direkte Draht in die Verwaltung ist Gold wert.“

![Gruppenfoto vom Weihnachtsempfang](https://portal.example.org/static/foto.jpg)
"""


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.SITE_URL = SITE
    settings.NEWSLETTER_FROM_EMAIL = "newsletter@portal.example.org"
    settings.NEWSLETTER_UNSUBSCRIBE_MAILTO = "abmelden@portal.example.org"
    settings.NEWSLETTER_RATE_PER_SECOND = 0


@pytest.fixture
def coordinator_client(client, coordinator):
    login_with_second_factor(client, coordinator)
    return client


@pytest.fixture
def newsletter_list():
    return MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")


@pytest.fixture
def draft(newsletter_list):
    SubscriptionFactory(
        mailing_list=newsletter_list,
        subscriber__email="petra.welter@moselblick.example",
        subscriber__last_name="Welter",
    )
    return IssueFactory(
        subject="Netzwerktreffen im März",
        preheader="Am 12. März bei der Moselblick Pflege GmbH",
        body="Der alte Text.",
        lists=[newsletter_list],
    )


def attach_pdf(issue, filename="Programm_Netzwerktreffen.pdf"):
    attachment = IssueAttachment(issue=issue, filename=filename, content_type="application/pdf")
    attachment.file.save("programm.pdf", ContentFile(PDF), save=True)
    return attachment


def url(name, issue, *args):
    return reverse(f"admin:newsletter_issue_{name}", args=[issue.pk, *args])


def change_form(issue, **fields):
    """The issue's change form as the browser posts it, with ``fields`` changed."""
    attachments = list(issue.attachments.all())
    data = {
        "subject": issue.subject,
        "preheader": issue.preheader,
        "body": issue.body,
        "lists": [ml.pk for ml in issue.lists.all()],
        "attachments-TOTAL_FORMS": str(len(attachments)),
        "attachments-INITIAL_FORMS": str(len(attachments)),
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    for n, attachment in enumerate(attachments):
        data[f"attachments-{n}-id"] = str(attachment.pk)
        data[f"attachments-{n}-issue"] = str(issue.pk)
    if issue.is_public:
        data["is_public"] = "on"
    data.update(fields)
    return data


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


# --------------------------------------------------------------------------------------------
# The test send takes what is in the form


def test_the_test_send_saves_the_form_and_sends_what_is_in_it(
    coordinator_client, coordinator, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url("change", draft),
            change_form(
                draft,
                subject="Netzwerktreffen am 12. März",
                body="Der **neue** Text, noch nicht gespeichert.",
                _send_test="1",
            ),
        )

    assert response.status_code == 302
    assert response["Location"] == url("change", draft)
    draft.refresh_from_db()
    assert (draft.subject, draft.body) == (
        "Netzwerktreffen am 12. März",
        "Der **neue** Text, noch nicht gespeichert.",
    )
    (message,) = mail.outbox
    assert message.to == ["koordination@example.org"]
    assert message.subject == "Netzwerktreffen am 12. März"
    assert "Der neue Text, noch nicht gespeichert." in message.body
    assert "alte Text" not in message.body
    ((html, _mimetype),) = message.alternatives
    assert "Der <strong>neue</strong> Text, noch nicht gespeichert." in html
    assert messages_of(response) == [
        (
            "success",
            "„Netzwerktreffen am 12. März“ ist gespeichert. Ein Testexemplar ist an "
            "koordination@example.org unterwegs.",
        )
    ]
    assert draft.status == Issue.Status.DRAFT
    assert not Delivery.objects.exists()


def test_an_invalid_form_is_shown_again_and_nothing_is_sent(
    coordinator_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url("change", draft), change_form(draft, subject="", body="Neu", _send_test="1")
        )

    assert response.status_code == 200
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    assert mail.outbox == []
    assert not OutboxMail.objects.exists()
    draft.refresh_from_db()
    assert draft.body == "Der alte Text."


def test_a_get_sends_no_test(coordinator_client, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.get(url("change", draft), {"_send_test": "1"})
        not_allowed = coordinator_client.get(url("send_test", draft))

    assert page.status_code == 200
    assert not_allowed.status_code == 405
    assert mail.outbox == []
    assert not OutboxMail.objects.exists()


def test_the_draft_page_offers_the_test_send_as_a_button_of_its_form(coordinator_client, draft):
    html = coordinator_client.get(url("change", draft)).content.decode()

    assert (
        '<input type="submit" form="issue_form" name="_send_test" id="send-test" '
        'value="Speichern und Test an mich senden">'
    ) in html
    assert '<form enctype="multipart/form-data" method="post" id="issue_form"' in html
    # The separate test send (of the saved issue) is only for issues that can't be edited.
    assert url("send_test", draft) not in html


def test_a_new_issue_can_be_saved_and_sent_as_a_test(
    coordinator_client, newsletter_list, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            reverse("admin:newsletter_issue_add"),
            {
                "subject": "Sprachkurse im Verbund",
                "preheader": "",
                "body": "Ab Mai gibt es **gemeinsame** Sprachkurse.",
                "lists": [newsletter_list.pk],
                "attachments-TOTAL_FORMS": "0",
                "attachments-INITIAL_FORMS": "0",
                "_send_test": "1",
            },
        )

    issue = Issue.objects.get()
    assert response["Location"] == url("change", issue)
    (message,) = mail.outbox
    assert message.to == ["koordination@example.org"]
    assert "Ab Mai gibt es gemeinsame Sprachkurse." in message.body


# --------------------------------------------------------------------------------------------
# The test copy is the real mail


TOKEN_LINK = re.compile(r"(/newsletter/(?:unsubscribe|preferences)/)[^/\s\"<>]+/")
MAILTO_TOKEN = re.compile(r"(unsubscribe%20)[^>\s]+")


def without_recipient(message, subscriber):
    """The message with what differs per recipient replaced: the salutation and the tokens of
    the unsubscribe and preference links (they carry the address, and the time they were
    made). The Message-ID differs per mail in any case."""

    def neutral(text):
        text = text.replace(rendering.salutation(subscriber), "«salutation»")
        return MAILTO_TOKEN.sub(r"\1«token»", TOKEN_LINK.sub(r"\1«token»/", text))

    ((html, mimetype),) = message.alternatives
    headers = {k: neutral(v) for k, v in message.extra_headers.items() if k != "Message-ID"}
    return {
        "from": message.from_email,
        "subject": message.subject,
        "headers": headers,
        "text": neutral(message.body),
        "html": (neutral(html), mimetype),
        "attachments": [tuple(attachment) for attachment in message.attachments],
    }


def test_the_test_copy_equals_the_real_mail_but_for_the_recipient(
    coordinator, draft, newsletter_list, django_capture_on_commit_callbacks
):
    draft.body = BODY
    draft.save()
    attach_pdf(draft)
    # The coordinator reads the newsletter too: the test copy is the mail they will get.
    tester = SubscriberFactory(
        email="koordination@example.org",
        salutation=Subscriber.Salutation.MR,
        title="Dr.",
        last_name="Becker",
    )
    SubscriptionFactory(subscriber=tester, mailing_list=newsletter_list)
    petra = Subscriber.objects.get(email="petra.welter@moselblick.example")

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send_test(issue=draft, to_user=coordinator)
    (test_copy,) = mail.outbox
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft)
    real = {message.to[0]: message for message in mail.outbox}

    assert test_copy.to == ["koordination@example.org"]
    assert test_copy.subject == "Netzwerktreffen im März"
    assert test_copy.from_email == "newsletter@portal.example.org"
    assert test_copy.body.startswith(
        "Am 12. März bei der Moselblick Pflege GmbH\n\nSehr geehrter Herr Dr. Becker,\n\n"
    )
    assert test_copy.attachments == [
        ("Programm_Netzwerktreffen.pdf", PDF, "application/pdf"),
    ]
    assert test_copy.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert test_copy.extra_headers["Precedence"] == "bulk"
    assert "/newsletter/unsubscribe/" in test_copy.extra_headers["List-Unsubscribe"]
    assert "Wirtschaftsförderung Trier" in test_copy.body  # the footer with the office
    # The mail the coordinator gets from the send: the same, to the letter.
    assert without_recipient(test_copy, tester) == without_recipient(
        real["koordination@example.org"], tester
    )
    # And a subscriber's: the same but for the salutation and the links to their address.
    assert without_recipient(test_copy, tester) == without_recipient(
        real["petra.welter@moselblick.example"], petra
    )
    assert "Sehr geehrte Frau Welter," in real["petra.welter@moselblick.example"].body


def test_the_links_of_a_test_copy_unsubscribe_the_tester(
    client, coordinator, draft, newsletter_list, django_capture_on_commit_callbacks
):
    tester = SubscriptionFactory(
        mailing_list=newsletter_list, subscriber__email="koordination@example.org"
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send_test(issue=draft, to_user=coordinator)
    (message,) = mail.outbox
    link = re.search(r"https://portal\.example\.org(/newsletter/unsubscribe/\S+/)", message.body)

    page = client.get(link[1])
    assert "koordination@example.org" in page.content.decode()
    client.post(link[1])
    tester.refresh_from_db()
    assert tester.status == "unsubscribed"


def test_a_tester_without_a_subscription_is_greeted_by_name_and_their_links_lead_nowhere(
    client, coordinator, draft, django_capture_on_commit_callbacks
):
    ContactPerson.objects.create(
        company=CompanyFactory(),
        user=coordinator,
        salutation=ContactPerson.Salutation.MS,
        first_name="Anna",
        last_name="Kettern",
        email="koordination@example.org",
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send_test(issue=draft, to_user=coordinator)

    (message,) = mail.outbox
    assert "\n\nSehr geehrte Frau Kettern,\n\n" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"https://portal\.example\.org(/newsletter/unsubscribe/\S+/)", message.body)
    page = client.get(link[1])
    assert page.status_code == 410
    assert "Dieser Link ist ungültig." in page.content.decode()
    assert not Subscriber.objects.filter(email="koordination@example.org").exists()


# --------------------------------------------------------------------------------------------
# Attachments open from the issue's page


def test_the_attachment_link_on_the_draft_page_downloads_the_file(coordinator_client, draft):
    attachment = attach_pdf(draft)

    html = coordinator_client.get(url("change", draft)).content.decode()
    response = coordinator_client.get(url("attachment", draft, attachment.pk))

    download = url("attachment", draft, attachment.pk)
    assert f'<a href="{download}">Programm_Netzwerktreffen.pdf</a>' in html
    assert "/media-not-served/" not in html
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Programm_Netzwerktreffen.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_attachment_link_of_a_sent_issue_downloads_the_file(coordinator_client):
    issue = SentIssueFactory()
    attachment = attach_pdf(issue, filename="Checkliste.pdf")

    html = coordinator_client.get(url("change", issue)).content.decode()
    response = coordinator_client.get(url("attachment", issue, attachment.pk))

    assert f'<a href="{url("attachment", issue, attachment.pk)}">Checkliste.pdf</a>' in html
    assert "/media-not-served/" not in html
    assert response.status_code == 200


def test_others_get_no_attachment(client, coordinator_client, draft):
    attachment = attach_pdf(draft)
    other_issue = IssueFactory()

    # Through another issue's address: not found.
    assert coordinator_client.get(url("attachment", other_issue, attachment.pk)).status_code == 404
    # Staff without the newsletter's permissions: forbidden.
    client.logout()
    staff = UserFactory(is_staff=True)
    login_with_second_factor(client, staff)
    assert client.get(url("attachment", draft, attachment.pk)).status_code == 403


# --------------------------------------------------------------------------------------------
# The text part is readable text


def test_the_text_part_is_readable_text_not_markdown(
    draft, newsletter_list, django_capture_on_commit_callbacks
):
    draft.body = BODY
    draft.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.issue_send(issue=draft)

    (message,) = mail.outbox
    text = message.body
    body = text[text.index("Sehr geehrte Frau Welter,") : text.index("\n-- \n")]
    assert body == (
        "Sehr geehrte Frau Welter,\n"
        "\n"
        "Netzwerktreffen im März\n"
        "=======================\n"
        "\n"
        "Liebe Mitglieder, das nächste Netzwerktreffen findet am 12. März 2031\n"
        "bei der Moselblick Pflege GmbH (https://moselblick.example/anfahrt)\n"
        "statt. Wir sprechen über Weiterbildung, Mitarbeiterbindung und darüber,\n"
        "wie kleine Betriebe internationale Fachkräfte gewinnen.\n"
        "\n"
        "Programm\n"
        "--------\n"
        "\n"
        "1. Begrüßung durch die Koordination\n"
        "2. Praxisbericht: Sprachkurse im Verbund – Olewiger Backstube KG\n"
        "3. Fragen an das Ausländeramt\n"
        "\n"
        "- Anmeldung bis 5. März an netzwerk@trier.example\n"
        "- Parken im Hof, Zufahrt über die Olewiger Straße 12, 54295 Trier, bitte\n"
        "  nicht auf den Kundenparkplätzen\n"
        "\n"
        "> „Der direkte Draht in die Verwaltung ist Gold wert.“\n"
        "\n"
        "[Bild: Gruppenfoto vom Weihnachtsempfang]\n"
    )
    for syntax in ("##", "**", "](", "![", "<"):
        assert syntax not in body
    assert all(len(line) <= 72 for line in body.splitlines())
