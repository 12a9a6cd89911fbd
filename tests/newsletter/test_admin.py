"""The coordinators' newsletter admin: preview, test send, send now, scheduling, the read-only
sent issue, progress, attachments, member list sync, export and erasure of subscribers."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.models import ContactPerson
from newsletter import services
from newsletter.models import (
    ConsentRecord,
    Delivery,
    Issue,
    IssueAttachment,
    MailingList,
    Subscriber,
    Subscription,
)
from tests.factories import CompanyFactory, ContactPersonFactory, UserFactory
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import (
    DeliveryFactory,
    IssueFactory,
    MailingListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db

ISSUES = reverse("admin:newsletter_issue_changelist")
SUBSCRIBERS = reverse("admin:newsletter_subscriber_changelist")
MALICIOUS_BODY = (
    "Liebe Mitglieder,\n\n"
    "<script>alert(1)</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    '<a href="javascript:alert(1)">Klick</a> und **Weihnachtsempfang** am 12. Dezember.\n'
)


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def coordinator_client(client, coordinator):
    login_with_second_factor(client, coordinator)
    return client


@pytest.fixture
def newsletter_list():
    return MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")


@pytest.fixture
def draft(newsletter_list):
    for email in ("petra.mueller@moselblick.example", "jonas.becker@olewig.example"):
        SubscriptionFactory(mailing_list=newsletter_list, subscriber__email=email)
    return IssueFactory(
        subject="Einladung zum Weihnachtsempfang",
        preheader="Am 12. Dezember in der Moselblick Pflege GmbH",
        body=MALICIOUS_BODY,
        lists=[newsletter_list],
    )


def url(name, issue):
    return reverse(f"admin:newsletter_issue_{name}", args=[issue.pk])


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def section(html: str, element_id: str, tag: str = "div") -> str:
    """The inner HTML of the element with ``element_id`` up to the first ``</tag>``."""
    start = html.index(f'id="{element_id}"')
    return html[html.index(">", start) + 1 : html.index(f"</{tag}>", start)].strip()


# --------------------------------------------------------------------------------------------
# Preview and test send


def test_preview_shows_subject_preheader_and_the_sanitised_body(coordinator_client, draft):
    response = coordinator_client.get(url("preview", draft))

    assert response.status_code == 200
    html = response.content.decode()
    assert section(html, "preview-subject", "td") == "Einladung zum Weihnachtsempfang"
    assert (
        section(html, "preview-preheader", "td") == "Am 12. Dezember in der Moselblick Pflege GmbH"
    )
    body = section(html, "preview-body")
    assert "<p>Guten Tag,</p>" in body
    assert "<strong>Weihnachtsempfang</strong>" in body
    assert "<script" not in body
    assert "onerror" not in body
    assert "javascript:" not in body
    assert 'style="' not in body
    assert url("preview_text", draft) in html


def test_plain_text_preview(coordinator_client, draft):
    response = coordinator_client.get(url("preview_text", draft))

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Am 12. Dezember in der Moselblick Pflege GmbH\n\nGuten Tag,\n\n")
    # Readable text made from the Markdown, not its source.
    assert "Klick und Weihnachtsempfang am 12. Dezember." in text
    assert "**" not in text
    assert "https://portal.example.org/impressum/" in text


def test_test_send_goes_only_to_the_coordinator(
    coordinator_client, coordinator, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("send_test", draft))

    assert response.status_code == 302
    assert response["Location"] == url("change", draft)
    (message,) = mail.outbox
    assert message.to == ["koordination@example.org"]
    # The mail a subscriber gets (tests/newsletter/test_issue_editing.py), to the tester.
    assert message.subject == "Einladung zum Weihnachtsempfang"
    ((html, _mimetype),) = message.alternatives
    assert "<strong>Weihnachtsempfang</strong>" in html
    assert "<script" not in html
    draft.refresh_from_db()
    assert draft.status == Issue.Status.DRAFT
    assert not Delivery.objects.exists()
    assert messages_of(response) == [
        ("success", "Ein Testexemplar ist an koordination@example.org unterwegs.")
    ]


# --------------------------------------------------------------------------------------------
# Send now, schedule, take back


def test_send_now_sends_the_issue_to_every_subscriber(
    coordinator_client, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("send", draft))

    assert response["Location"] == url("change", draft)
    assert recipients() == ["jonas.becker@olewig.example", "petra.mueller@moselblick.example"]
    assert {m.subject for m in mail.outbox} == {"Einladung zum Weihnachtsempfang"}
    draft.refresh_from_db()
    assert draft.status == Issue.Status.SENT
    assert messages_of(response) == [
        ("success", "Die Ausgabe wird versendet. Den Fortschritt sehen Sie auf dieser Seite.")
    ]


def test_send_now_without_lists_is_refused(coordinator_client, django_capture_on_commit_callbacks):
    issue = IssueFactory()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(url("send", issue))

    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert mail.outbox == []
    assert messages_of(response) == [("error", "Bitte wählen Sie mindestens einen Verteiler.")]


def test_get_does_not_send(coordinator_client, draft):
    # A GET shows the confirmation (tests/newsletter/test_send_confirmation.py).
    assert coordinator_client.get(url("send", draft)).status_code == 200
    draft.refresh_from_db()
    assert draft.status == Issue.Status.DRAFT


def test_schedule_and_take_back(coordinator_client, draft):
    at = (timezone.localtime() + timedelta(days=2)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )

    response = coordinator_client.post(
        url("schedule", draft), {"at": at.strftime("%Y-%m-%dT%H:%M")}
    )

    draft.refresh_from_db()
    assert (draft.status, draft.scheduled_at) == (Issue.Status.SCHEDULED, at)
    assert messages_of(response)[0][0] == "success"
    page = coordinator_client.get(url("change", draft)).content.decode()
    assert 'id="issue-scheduled"' in page
    assert url("unschedule", draft) in page
    assert url("send", draft) not in page

    response = coordinator_client.post(url("unschedule", draft))

    draft.refresh_from_db()
    assert (draft.status, draft.scheduled_at) == (Issue.Status.DRAFT, None)
    assert messages_of(response) == [
        ("success", "Die Ausgabe ist wieder ein Entwurf und wird nicht versendet.")
    ]
    assert mail.outbox == []


def test_a_time_in_the_past_is_not_scheduled(coordinator_client, draft):
    past = timezone.localtime() - timedelta(hours=1)

    response = coordinator_client.post(
        url("schedule", draft), {"at": past.strftime("%Y-%m-%dT%H:%M")}
    )

    draft.refresh_from_db()
    assert draft.status == Issue.Status.DRAFT
    assert mail.outbox == []
    assert messages_of(response) == [("error", "Bitte wählen Sie einen Zeitpunkt in der Zukunft.")]


def test_taking_back_a_draft_is_reported_as_an_error(coordinator_client, draft):
    response = coordinator_client.post(url("unschedule", draft))

    assert messages_of(response) == [
        ("error", "Nur eine geplante Ausgabe kann zurückgenommen werden.")
    ]


# --------------------------------------------------------------------------------------------
# Read-only after sending, progress


@pytest.fixture
def sent_issue(newsletter_list):
    issue = IssueFactory(
        subject="Neues zum Siegel", lists=[newsletter_list], status=Issue.Status.SENT
    )
    for _ in range(2):
        DeliveryFactory(issue=issue, status=Delivery.Status.SENT, sent_at=timezone.now())
    DeliveryFactory(
        issue=issue,
        subscriber__email="gibt-es-nicht@example.org",
        status=Delivery.Status.FAILED,
        attempts=1,
        last_error="(550, b'5.1.1 user unknown')",
    )
    DeliveryFactory(issue=issue, status=Delivery.Status.PENDING)
    return issue


def test_a_sent_issue_is_read_only(coordinator_client, sent_issue, newsletter_list):
    page = coordinator_client.get(url("change", sent_issue))

    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="subject"' not in html
    assert 'name="body"' not in html
    assert 'type="file"' not in html
    assert 'name="_save"' not in html
    assert url("send", sent_issue) not in html

    response = coordinator_client.post(
        url("change", sent_issue),
        {
            "subject": "Geändert",
            "body": "Anders",
            "lists": [newsletter_list.pk],
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "_save": "1",
        },
    )

    assert response.status_code == 403
    sent_issue.refresh_from_db()
    assert sent_issue.subject == "Neues zum Siegel"
    assert coordinator_client.post(url("delete", sent_issue), {"post": "yes"}).status_code == 403
    assert Issue.objects.filter(pk=sent_issue.pk).exists()


def test_a_scheduled_issue_cannot_be_edited(coordinator_client, draft):
    services.issue_send(issue=draft, at=timezone.now() + timedelta(days=1))

    response = coordinator_client.post(url("change", draft), {"subject": "Geändert"})

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.subject == "Einladung zum Weihnachtsempfang"


def test_a_draft_can_be_edited(coordinator_client, draft, newsletter_list):
    response = coordinator_client.post(
        url("change", draft),
        {
            "subject": "Einladung zum Weihnachtsempfang 2025",
            "preheader": "",
            "body": "Neuer Text",
            "lists": [newsletter_list.pk],
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "_save": "1",
        },
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.subject, draft.body) == ("Einladung zum Weihnachtsempfang 2025", "Neuer Text")


def test_progress_on_the_issue_page(coordinator_client, sent_issue):
    html = coordinator_client.get(url("change", sent_issue)).content.decode()

    assert 'id="progress-sent">2<' in html
    assert 'id="progress-failed">1<' in html
    assert 'id="progress-pending">1<' in html
    failed = html[html.index('id="failed-deliveries"') :]
    assert (
        "<td>gibt-es-nicht@example.org</td><td>1</td><td>(550, b&#x27;5.1.1 user unknown&#x27;)"
        in (failed)
    )


def test_progress_in_the_issue_list(coordinator_client, sent_issue, draft):
    html = coordinator_client.get(ISSUES).content.decode()

    assert '<td class="field-progress">2 / 1 / 1</td>' in html
    assert '<td class="field-progress">–</td>' in html
    assert '<td class="field-list_names">Fachkräfte-Newsletter</td>' in html


def make_issues(n, lists):
    for _ in range(n):
        issue = IssueFactory(lists=lists, status=Issue.Status.SENT)
        DeliveryFactory(issue=issue, status=Delivery.Status.SENT)
        DeliveryFactory(issue=issue, status=Delivery.Status.FAILED)


def test_issue_list_needs_the_same_queries_for_one_and_for_many(
    coordinator_client, newsletter_list, django_assert_num_queries
):
    lists = [newsletter_list, MailingListFactory(name="Ausbildung", slug="ausbildung")]
    make_issues(1, lists)
    with django_assert_num_queries(7):
        assert coordinator_client.get(ISSUES).status_code == 200

    make_issues(6, lists)
    with django_assert_num_queries(7):
        response = coordinator_client.get(ISSUES)
    assert response.content.decode().count('class="field-progress">1 / 1 / 0<') == 7


def test_the_list_filter_does_not_multiply_the_counts(coordinator_client, sent_issue):
    second = MailingListFactory(name="Ausbildung", slug="ausbildung")
    sent_issue.lists.add(second)

    html = coordinator_client.get(
        ISSUES, {"lists__id__exact": second.pk, "status__exact": "sent"}
    ).content.decode()

    assert '<td class="field-progress">2 / 1 / 1</td>' in html


# --------------------------------------------------------------------------------------------
# Attachments


def add_form(newsletter_list, upload):
    return {
        "subject": "Programm des Netzwerktreffens",
        "preheader": "",
        "body": "Das Programm hängt an.",
        "lists": [newsletter_list.pk],
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "0",
        "attachments-0-file": upload,
        "_save": "1",
    }


def test_a_pdf_attachment_is_stored_with_its_type_and_a_clean_name(
    coordinator_client, coordinator, newsletter_list
):
    upload = SimpleUploadedFile(
        "Programm Netzwerktreffen (März) <neu>.PDF",
        b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n",
        content_type="text/html",
    )

    response = coordinator_client.post(
        reverse("admin:newsletter_issue_add"), add_form(newsletter_list, upload)
    )

    assert response.status_code == 302
    issue = Issue.objects.get()
    assert issue.created_by == coordinator
    attachment = IssueAttachment.objects.get()
    assert attachment.filename == "Programm_Netzwerktreffen_März_neu.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read().startswith(b"%PDF-1.4")


def test_an_html_file_named_pdf_is_refused(coordinator_client, newsletter_list):
    upload = SimpleUploadedFile(
        "einladung.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )

    response = coordinator_client.post(
        reverse("admin:newsletter_issue_add"), add_form(newsletter_list, upload)
    )

    assert response.status_code == 200
    assert "Dieser Dateityp ist nicht erlaubt." in response.content.decode()
    assert not Issue.objects.exists()
    assert not IssueAttachment.objects.exists()


def test_a_too_large_attachment_is_refused(coordinator_client, newsletter_list, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024
    upload = SimpleUploadedFile("gross.pdf", b"%PDF-1.4\n" + b"0" * 2048)

    response = coordinator_client.post(
        reverse("admin:newsletter_issue_add"), add_form(newsletter_list, upload)
    )

    assert response.status_code == 200
    assert "Die Datei ist zu groß" in response.content.decode()
    assert not IssueAttachment.objects.exists()


# --------------------------------------------------------------------------------------------
# Access


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("preview", "get"),
        ("preview_text", "get"),
        ("send_test", "post"),
        ("send", "post"),
        ("schedule", "post"),
        ("unschedule", "post"),
    ],
)
def test_non_staff_cannot_reach_the_issue_views(
    client, company_user, draft, name, method, django_capture_on_commit_callbacks
):
    client.force_login(company_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(url(name, draft))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Issue.Status.DRAFT
    assert mail.outbox == []


def test_staff_who_may_only_view_issues_cannot_send(
    client, draft, django_capture_on_commit_callbacks
):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_issue"))
    login_with_second_factor(client, viewer)

    assert client.get(url("preview", draft)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("send", draft)).status_code == 403
        assert client.post(url("send_test", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Issue.Status.DRAFT
    assert mail.outbox == []


def test_member_list_sync_button(coordinator_client):
    members = MailingListFactory(
        name="Alle Mitglieder", slug="alle-mitglieder", kind=MailingList.Kind.MEMBERS
    )
    ContactPersonFactory(
        company=CompanyFactory(), email="personal@moselblick.example", function="hr"
    )
    changelist = reverse("admin:newsletter_mailinglist_changelist")
    sync = reverse("admin:newsletter_mailinglist_sync")
    assert sync in coordinator_client.get(changelist).content.decode()
    assert coordinator_client.get(sync).status_code == 405

    response = coordinator_client.post(sync)

    assert response["Location"] == changelist
    assert list(members.subscriptions.values_list("subscriber__email", "status")) == [
        ("personal@moselblick.example", "confirmed")
    ]
    html = coordinator_client.get(changelist).content.decode()
    assert '<td class="field-confirmed_count">1</td>' in html
    assert ContactPerson.objects.count() == 1


# --------------------------------------------------------------------------------------------
# Subscribers: export and erasure


@pytest.fixture
def subscriber(newsletter_list):
    subscriber = SubscriberFactory(email="petra.mueller@moselblick.example", last_name="Müller")
    SubscriptionFactory(subscriber=subscriber, mailing_list=newsletter_list)
    ConsentRecord.objects.create(
        subscriber=subscriber,
        mailing_list=newsletter_list,
        action="requested",
        form="subscribe-page",
        consent_text="Ich möchte den Newsletter erhalten.",
    )
    DeliveryFactory(
        issue=IssueFactory(status=Issue.Status.SENT),
        subscriber=subscriber,
        status=Delivery.Status.SENT,
    )
    return subscriber


def action(client, name, subscribers, **extra):
    return client.post(
        SUBSCRIBERS,
        {"action": name, "_selected_action": [s.pk for s in subscribers], **extra},
    )


def test_export_one_subscriber_as_json(coordinator_client, subscriber):
    response = action(coordinator_client, "export_json", [subscriber])

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="newsletter-petramuellermoselblickexample.json"'
    )
    assert json.loads(response.content) == json.loads(services.subscriber_export(subscriber))


def test_export_several_subscribers_as_a_json_list(coordinator_client, subscriber):
    other = SubscriberFactory(email="jonas.becker@olewig.example")

    response = action(coordinator_client, "export_json", [subscriber, other])

    data = json.loads(response.content)
    assert [entry["email"] for entry in data] == [
        "jonas.becker@olewig.example",
        "petra.mueller@moselblick.example",
    ]
    assert data[1] == json.loads(services.subscriber_export(subscriber))


def test_erase_asks_first_then_erases(coordinator_client, subscriber):
    issue = subscriber.deliveries.get().issue

    response = action(coordinator_client, "erase", [subscriber])

    assert response.status_code == 200
    assert "<li>petra.mueller@moselblick.example</li>" in response.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    response = action(coordinator_client, "erase", [subscriber], post="yes")

    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    assert not ConsentRecord.objects.exists()
    assert list(issue.deliveries.values_list("email", "status")) == [("", "sent")]
    assert messages_of(response) == [
        ("success", "Die personenbezogenen Daten von 1 Adresse wurden gelöscht.")
    ]


def test_subscribers_cannot_be_deleted_or_added_directly(coordinator_client, subscriber):
    assert (
        coordinator_client.post(
            reverse("admin:newsletter_subscriber_delete", args=[subscriber.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert coordinator_client.get(reverse("admin:newsletter_subscriber_add")).status_code == 403
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()


def test_subscriber_page_shows_subscriptions_and_consent_log(coordinator_client, subscriber):
    html = coordinator_client.get(
        reverse("admin:newsletter_subscriber_change", args=[subscriber.pk])
    ).content.decode()

    assert "Ich möchte den Newsletter erhalten." in html
    assert "subscribe-page" in html
    assert "Fachkräfte-Newsletter" in html
    assert 'name="subscriptions-0-status"' not in html


def test_subscriber_filter_by_list_and_status(coordinator_client, newsletter_list):
    other_list = MailingListFactory(name="Ausbildung", slug="ausbildung")
    on_list = SubscriptionFactory(
        mailing_list=newsletter_list, subscriber__email="bestaetigt@example.org"
    )
    SubscriptionFactory(mailing_list=other_list, subscriber=on_list.subscriber, status="pending")
    SubscriptionFactory(
        mailing_list=newsletter_list, subscriber__email="offen@example.org", status="pending"
    )

    html = coordinator_client.get(
        SUBSCRIBERS, {"list": newsletter_list.pk, "subscription_status": "pending"}
    ).content.decode()

    assert "offen@example.org" in html
    assert "bestaetigt@example.org" not in html
