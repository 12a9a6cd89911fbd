"""Sending and scheduling an issue pass a confirmation page with the number of subscribers,
counted as the send writes its deliveries; opening the page sends and changes nothing."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from network_portal.models import OutboxMail
from newsletter.models import Delivery, Issue, Subscription
from tests.factories import ContactPersonFactory, UserFactory
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import (
    IssueFactory,
    MailingListFactory,
    MemberListFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _newsletter_settings(settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 0


@pytest.fixture
def coordinator_client(client, coordinator):
    login_with_second_factor(client, coordinator)
    return client


@pytest.fixture
def issue():
    """Two confirmed subscribers of the newsletter (one also on the member list), one who
    unsubscribed, one who never confirmed; a member contact the member list lacks so far."""
    newsletter = MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")
    members = MemberListFactory(name="Alle Mitglieder")
    for email in ("petra@moselblick.example", "jonas@olewig.example"):
        SubscriptionFactory(mailing_list=newsletter, subscriber__email=email)
    SubscriptionFactory(
        mailing_list=newsletter,
        subscriber__email="weg@example.org",
        status=Subscription.Status.UNSUBSCRIBED,
    )
    SubscriptionFactory(
        mailing_list=newsletter,
        subscriber__email="offen@example.org",
        status=Subscription.Status.PENDING,
    )
    ContactPersonFactory(email="lea@porta.example", wants_newsletter=True)
    return IssueFactory(subject="Weihnachtsempfang", lists=[newsletter, members])


def url(name, issue):
    return reverse(f"admin:newsletter_issue_{name}", args=[issue.pk])


def stated(html: str) -> int:
    return int(re.search(r"(\d+) Abonnenten (?:erhalten|würden)", html).group(1))


def test_send_now_is_confirmed_with_the_number_of_subscribers(
    coordinator_client, issue, django_capture_on_commit_callbacks
):
    change_page = coordinator_client.get(url("change", issue)).content.decode()
    assert f'href="{url("send", issue)}"' in change_page  # a link to the page, not a POST
    subscriptions = Subscription.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.get(url("send", issue))

    html = page.content.decode()
    assert page.status_code == 200
    assert "„Weihnachtsempfang“ jetzt versenden?" in html
    # The two confirmed subscribers and the member contact the send adds to the member list.
    count = stated(html)
    assert count == 3
    assert "Jetzt an 3 Abonnenten versenden" in html
    assert "Alle Mitglieder, Fachkräfte-Newsletter" in html
    assert f'href="{url("change", issue)}"' in html  # the way back
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert Subscription.objects.count() == subscriptions  # the count changed no list
    assert not Delivery.objects.exists()
    assert mail.outbox == [] and not OutboxMail.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("send", issue))

    issue.refresh_from_db()
    assert issue.status == Issue.Status.SENT
    assert Delivery.objects.filter(issue=issue).count() == len(mail.outbox) == count
    assert sorted(m.to[0] for m in mail.outbox) == [
        "jonas@olewig.example",
        "lea@porta.example",
        "petra@moselblick.example",
    ]


def test_scheduling_is_confirmed_with_the_time_and_the_number(
    coordinator_client, issue, django_capture_on_commit_callbacks
):
    at = (timezone.localtime() + timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    value = at.strftime("%Y-%m-%dT%H:%M")

    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.get(url("schedule", issue), {"at": value})

    html = page.content.decode()
    assert page.status_code == 200
    assert "„Weihnachtsempfang“ einplanen?" in html
    assert stated(html) == 3
    with translation.override("de"):
        when = date_format(at, "DATETIME_FORMAT")  # 6. Dezember 2026 09:30
    assert f"Die Ausgabe wird am {when} von selbst verschickt." in html
    assert f"Für {when} einplanen" in html
    assert f'name="at" value="{value}"' in html
    issue.refresh_from_db()
    assert (issue.status, issue.scheduled_at) == (Issue.Status.DRAFT, None)
    assert mail.outbox == [] and not Delivery.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(url("schedule", issue), {"at": value})

    issue.refresh_from_db()
    assert (issue.status, issue.scheduled_at) == (Issue.Status.SCHEDULED, at)
    assert mail.outbox == []


def test_a_time_in_the_past_gets_no_confirmation(coordinator_client, issue):
    past = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = coordinator_client.get(url("schedule", issue), {"at": past}, follow=True)
    assert "Bitte wählen Sie einen Zeitpunkt in der Zukunft." in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT


def test_a_sent_issue_gets_no_confirmation(coordinator_client, issue):
    issue.status = Issue.Status.SENT
    issue.save()
    response = coordinator_client.get(url("send", issue), follow=True)
    assert "Diese Ausgabe ist bereits versandt oder geplant." in response.content.decode()


def test_staff_who_may_only_view_issues_get_no_confirmation(client, issue):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_issue"))
    login_with_second_factor(client, viewer)

    assert client.get(url("send", issue)).status_code == 403
    assert client.get(url("schedule", issue), {"at": "2099-01-01T09:00"}).status_code == 403
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
