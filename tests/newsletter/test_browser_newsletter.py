"""In the browser: sign up on the public page, confirm from the mail, unsubscribe from an issue."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from newsletter import services
from newsletter.models import Delivery, Subscription
from tests.factories import CoordinatorFactory
from tests.newsletter.factories import IssueFactory, MailingListFactory
from tests.utils import only_link

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_subscribe_confirm_receive_and_unsubscribe(page, live_server, settings):
    settings.SITE_URL = live_server.url  # links in mails written by the portal itself
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    mailing_list = MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")
    coordinator = CoordinatorFactory(email="koordination@example.org")

    page.goto("/newsletter/subscribe/")
    expect(page.get_by_role("heading", name="Newsletter abonnieren")).to_be_visible()
    expect(page.get_by_label("Fachkräfte-Newsletter")).to_be_checked()  # the only list
    page.fill("#id_email", "jana.welter@saarblick.example")
    page.select_option("#id_salutation", "ms")
    page.fill("#id_last_name", "Welter")
    page.check("#id_consent")
    page.get_by_role("button", name="Abonnieren").click()
    page.wait_for_url(re.compile(r"/newsletter/subscribe/sent/$"))
    expect(page.get_by_role("heading", name="Bitte sehen Sie in Ihr Postfach")).to_be_visible()

    assert len(mail.outbox) == 1
    confirmation = mail.outbox[0]
    assert confirmation.to == ["jana.welter@saarblick.example"]
    page.goto(only_link(confirmation, "/newsletter/confirm/"))
    # Nothing is confirmed until the person presses the button (not a mail scanner).
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    expect(
        page.get_by_text(
            "Ihre Anmeldung ist bestätigt. Ab sofort senden wir folgende Newsletter an "
            "jana.welter@saarblick.example:"
        )
    ).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Fachkräfte-Newsletter")).to_be_visible()
    assert Subscription.objects.get().status == "confirmed"

    issue = IssueFactory(
        subject="Neues aus dem Netzwerk",
        body="Der **Weihnachtsempfang** findet am 10. Dezember statt.",
        lists=[mailing_list],
        created_by=coordinator,
    )
    mail.outbox.clear()
    services.issue_send(issue=issue)  # Celery runs eagerly once the transaction commits
    assert Delivery.objects.get(issue=issue).status == "sent"
    (newsletter,) = mail.outbox
    assert newsletter.to == ["jana.welter@saarblick.example"]
    assert newsletter.subject == "Neues aus dem Netzwerk"
    assert "Sehr geehrte Frau Welter," in newsletter.body

    page.goto(only_link(newsletter, "/newsletter/unsubscribe/"))
    expect(
        page.get_by_text(
            "Möchten Sie unsere Newsletter an jana.welter@saarblick.example nicht mehr erhalten?"
        )
    ).to_be_visible()
    assert Subscription.objects.get().status == "confirmed"  # opening the link changes nothing
    page.get_by_role("button", name="Von allen Newslettern abmelden").click()
    expect(page.get_by_role("heading", name="Sie sind abgemeldet")).to_be_visible()
    expect(
        page.get_by_text("Wir senden keine Newsletter mehr an jana.welter@saarblick.example.")
    ).to_be_visible()

    subscription = Subscription.objects.get()
    assert subscription.status == "unsubscribed"
    assert subscription.unsubscribed_at is not None
