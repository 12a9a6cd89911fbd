"""In the browser: a coordinator changes a draft issue and sends a test before saving; the
test carries the new text, and the attachment opens from the issue's page. Screenshots go to
SHOTS_DIR when it is set."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from newsletter.models import IssueAttachment
from tests.factories import CoordinatorFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.newsletter.factories import IssueFactory, MailingListFactory, SubscriptionFactory
from tests.newsletter.test_issue_editing import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"


def shot(page, name):
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_a_test_send_before_saving_carries_the_changes(page, settings):
    settings.NEWSLETTER_RATE_PER_SECOND = 0
    newsletter_list = MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")
    SubscriptionFactory(mailing_list=newsletter_list)
    issue = IssueFactory(
        subject="Netzwerktreffen im März", body="Der alte Text.", lists=[newsletter_list]
    )
    attachment = IssueAttachment(
        issue=issue, filename="Programm_Netzwerktreffen.pdf", content_type="application/pdf"
    )
    attachment.file.save("programm.pdf", ContentFile(PDF), save=True)
    coordinator = CoordinatorFactory(email="koordination@example.org")
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"/admin/newsletter/issue/{issue.pk}/change/")
    page.fill("#id_body", "Der **neue** Text, noch nicht gespeichert.")
    shot(page, "issue-change-form")
    # The button above the form: it saves the form below first.
    page.locator("#issue-sending").get_by_role(
        "button", name="Speichern und Test an mich senden"
    ).click()

    expect(
        page.get_by_text(
            "„Netzwerktreffen im März“ ist gespeichert. Ein Testexemplar ist an "
            "koordination@example.org unterwegs."
        )
    ).to_be_visible()
    expect(page.locator("#id_body")).to_have_value("Der **neue** Text, noch nicht gespeichert.")
    (message,) = mail.outbox
    assert message.to == ["koordination@example.org"]
    assert "Der neue Text, noch nicht gespeichert." in message.body
    assert [a[0] for a in message.attachments] == ["Programm_Netzwerktreffen.pdf"]
    shot(page, "issue-test-sent")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Programm_Netzwerktreffen.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "Programm_Netzwerktreffen.pdf"
    assert Path(download.path()).read_bytes() == PDF
    assert re.search(rf"/admin/newsletter/issue/{issue.pk}/attachments/\d+/$", download.url)


def test_enter_in_a_field_saves_without_sending_a_test(page):
    issue = IssueFactory(
        subject="Netzwerktreffen im März", lists=[MailingListFactory(name="Fachkräfte")]
    )
    coordinator = CoordinatorFactory(email="koordination@example.org")
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))

    page.goto(f"/admin/newsletter/issue/{issue.pk}/change/")
    page.fill("#id_subject", "Netzwerktreffen am 12. März")
    page.press("#id_subject", "Enter")

    expect(page.get_by_text("wurde erfolgreich geändert")).to_be_visible()
    issue.refresh_from_db()
    assert issue.subject == "Netzwerktreffen am 12. März"
    assert mail.outbox == []
