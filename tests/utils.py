"""Helpers shared by tests (fixtures live in conftest.py)."""

import os
import re
import shutil

import pytest
from django.contrib.messages import get_messages

ON_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def skip_or_fail(reason: str):
    """Skip a test whose service is missing, except on CI, where every test must run."""
    if ON_CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


def messages_of(response) -> list[tuple[str, str]]:
    """The messages the request behind ``response`` left for the user (shown on the page, or
    waiting for the next one after a redirect), as (level, text): ("success", "…")."""
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def message_texts(response) -> list[str]:
    """The texts of :func:`messages_of`."""
    return [text for _level, text in messages_of(response)]


def assert_no_sideways_scrolling(page) -> None:
    """The browser's page, once loaded, needs no horizontal scrolling: nothing is wider than
    the window (its vertical scroll bar left out)."""
    page.wait_for_load_state()
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert scroll_width <= client_width, (
        f"{page.url} is {scroll_width} px wide in a {client_width} px window"
    )


def submit_sign_up(page, *, first_name: str, last_name: str, email: str, password: str) -> None:
    """Fill in the sign-up form the browser's page shows and send it; the page then asks to
    confirm the address."""
    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", last_name)
    page.fill("#id_email", email)
    page.fill("#id_password1", password)
    page.fill("#id_password2", password)
    page.get_by_role("button", name="Konto anlegen").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))


def submit_company_registration(page, *, name: str) -> None:
    """Fill in the company registration form the browser's page shows (a small crafts GmbH in
    Trier, listed in the directory, the person its management) and send it; the page then
    shows the company, waiting for approval."""
    page.fill("#id_name", name)
    page.select_option("#id_legal_form", "gmbh")
    page.select_option("#id_industry", "crafts")
    page.select_option("#id_size_class", "small")
    page.fill("#id_street", "Saarstraße 12")
    page.fill("#id_postcode", "54290")
    page.fill("#id_city", "Trier")
    page.check("#id_directory_consent")
    page.select_option("#id_function", "management")
    page.get_by_role("button", name="Registrierung absenden").click()
    page.wait_for_url(re.compile(r"/members/company/$"))


def links_in(mail, path_fragment: str) -> list[str]:
    """Absolute links in a mail's text part that contain ``path_fragment``."""
    return [url for url in re.findall(r"https?://\S+", mail.body) if path_fragment in url]


def only_link(mail, path_fragment: str) -> str:
    links = links_in(mail, path_fragment)
    assert len(links) == 1, f"expected one {path_fragment} link in: {mail.body}"
    return links[0]
