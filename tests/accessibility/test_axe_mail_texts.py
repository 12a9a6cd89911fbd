"""axe-core finds no WCAG 2.0/2.1 A or AA violation on the standard texts of the mails: the
list, and a text's page with its form, placeholders and preview (on a laptop and a phone)."""

import pytest
from playwright.sync_api import expect

from tests.accessibility.conftest import assert_no_axe_violations
from tests.factories import CoordinatorFactory
from tests.mfa import browser_log_in, enroll_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe"),
]


def test_the_mail_texts_list_and_a_text_page(page):
    coordinator = CoordinatorFactory(email="koordination@example.org")
    browser_log_in(
        page, coordinator.email, "geheim-123-trier", totp_secret=enroll_totp(coordinator)
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/admin/network_portal/mailtext/")
    expect(page.locator("#mail-texts")).to_be_visible()
    assert_no_axe_violations(page)

    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/admin/network_portal/mailtext/meetings.update/de/text/")
        expect(
            page.frame_locator("#mail-text-frame").get_by_text("Was sich geändert hat")
        ).to_be_visible()
        assert_no_axe_violations(page)
