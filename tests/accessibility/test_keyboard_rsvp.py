"""The RSVP flow with the keyboard alone (WCAG 2.1.1 Keyboard, 2.4.1 Bypass Blocks, 2.4.7 Focus
Visible): from the meetings list to "Ich nehme teil", a colleague registered and cancelled (on
the confirmation page), with Tab, Enter, Space and typing only – no click."""

import pytest
from playwright.sync_api import expect

from meetings.models import Registration
from tests.factories import CompanyFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 60


def log_in_with_keyboard(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_login").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type("geheim-123-trier")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def tab_to(page, locator):
    """Press Tab until ``locator`` has the focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{locator} is not reachable with Tab ({MAX_TABS} presses)")


def assert_focus_visible(page):
    """The focused element shows the portal's focus ring: an outline of at least 2 px."""
    focus = page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            return {
                focusVisible: element.matches(":focus-visible"),
                outlineStyle: style.outlineStyle,
                outlineWidth: parseFloat(style.outlineWidth),
                text: element.textContent.trim(),
            };
        }"""
    )
    assert focus["focusVisible"], focus
    assert focus["outlineStyle"] != "none" and focus["outlineWidth"] >= 2, focus


def test_company_user_answers_registers_and_cancels_a_colleague_by_keyboard(page, live_server):
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    user = MembershipFactory(company=company, user__email="petra@moselblick.example").user
    meeting = MeetingFactory(title="Netzwerktreffen Herbst: KI im Recruiting", capacity=12)
    log_in_with_keyboard(page, user.email)

    # The first Tab reaches the skip link; it shows up and jumps past the navigation.
    page.goto("/meetings/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert skip.bounding_box()["width"] > 50  # shown, not clipped to 1 px
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first_in_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert first_in_main, "Tab after the skip link must land inside <main>"

    # From the list to the meeting.
    meeting_link = page.get_by_role("link", name=meeting.title)
    tab_to(page, meeting_link)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(meeting.title)

    # "Ich nehme teil" with Enter.
    attend = page.get_by_role("button", name="Ich nehme teil")
    tab_to(page, attend)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Vielen Dank, Sie sind angemeldet.")
    expect(page.get_by_text("Sie sind angemeldet.", exact=True)).to_be_visible()
    expect(page.locator("#free-seats")).to_have_text("11 Plätze frei")
    mine = Registration.objects.get(meeting=meeting, email=user.email)
    assert mine.status == Registration.Status.CONFIRMED

    # A colleague who is no contact person yet: name and email typed, the button with Space.
    tab_to(page, page.get_by_label("Name", exact=True))
    assert_focus_visible(page)
    page.keyboard.type("Jonas Reuter")
    page.keyboard.press("Tab")
    page.keyboard.type("jonas@moselblick.example")
    tab_to(page, page.get_by_role("button", name="Anmelden", exact=True))
    assert_focus_visible(page)
    page.keyboard.press("Space")
    expect(page.get_by_role("alert")).to_have_text("Jonas Reuter ist angemeldet.")
    colleague = Registration.objects.get(meeting=meeting, email="jonas@moselblick.example")
    assert colleague.status == Registration.Status.CONFIRMED

    # And cancelled again: the link names whose registration it cancels; the confirmation page
    # says what happens, and its button does it.
    cancel = page.get_by_role("link", name="Stornieren: Jonas Reuter")
    tab_to(page, cancel)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung stornieren")
    confirm = page.get_by_role("button", name="Anmeldung stornieren")
    tab_to(page, confirm)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_have_text("Die Anmeldung von Jonas Reuter ist storniert.")
    colleague.refresh_from_db()
    assert colleague.status == Registration.Status.CANCELLED
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED
