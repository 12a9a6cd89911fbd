"""In the browser: the demo's mailbox, from a sign-up to the confirmed address, on a laptop and
on a phone; and a mail's HTML version in its frame, whose links open the whole window.

Debug mode and mails written as files, as with `make demo`. Set MAILBOX_SHOTS to a folder to
keep screenshots of the pages.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from network_portal.mail import mail_enqueue
from tests.utils import assert_no_sideways_scrolling, submit_sign_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


@pytest.fixture
def demo_mail(settings, tmp_path):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "network_portal.mail_files.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    return tmp_path / "mail"


def shot(page, name):
    folder = os.environ.get("MAILBOX_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_sign_up_is_confirmed_from_the_demo_mailbox(page, demo_mail, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/accounts/signup/")
    submit_sign_up(
        page,
        first_name="Katrin",
        last_name="Lenz",
        email="katrin.lenz@saarblick.example",
        password="Moselsteig-2026!",
    )

    page.get_by_role("link", name="Postfach der Entwicklung öffnen").click()
    page.wait_for_url(re.compile(r"/dev/mails/$"))
    expect(page.get_by_role("heading", name="Postfach der Entwicklung")).to_be_visible()
    (only_mail,) = demo_mail.glob("*.eml")
    entry = page.locator("#mail-list a")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("An: katrin.lenz@saarblick.example")
    assert_no_sideways_scrolling(page)
    shot(page, f"{width}-mailbox")

    entry.click()
    page.wait_for_url(re.compile(rf"/dev/mails/{re.escape(only_mail.name)}/$"))
    expect(page.locator("#mail-headers")).to_contain_text("katrin.lenz@saarblick.example")
    assert_no_sideways_scrolling(page)
    shot(page, f"{width}-mail")

    page.locator("#mail-text a[href*='/accounts/confirm-email/']").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/[^/]+/$"))
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(re.compile(r"/members/welcome/$"))


@pytest.mark.parametrize("width", WIDTHS)
def test_a_link_in_the_html_version_opens_in_the_whole_window(
    page, demo_mail, live_server, settings, width
):
    settings.SITE_URL = live_server.url
    directory = f"{live_server.url}/members/directory/"
    mail_enqueue(
        key="browser:html",
        to="anna@example.org",
        template="members/emails/company_approved",
        context={"company_name": "Moselblick Pflege GmbH", "profile_url": directory},
        language="de",
    )
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/dev/mails/")
    page.locator("#mail-list a").first.click()
    frame = page.frame_locator("iframe.mail-frame")
    expect(frame.get_by_text("„Moselblick Pflege GmbH“ ist jetzt Mitglied")).to_be_visible()
    assert_no_sideways_scrolling(page)
    shot(page, f"{width}-html-mail")

    frame.get_by_role("link", name=directory).click()
    page.wait_for_url(directory)
    expect(page.locator("iframe")).to_have_count(0)
