"""In the browser: a coordinator words the invitation in their own way, looks at the preview of
the real mail before saving, and saves it; on a laptop and on a phone."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import COORDINATOR_GROUP
from network_portal.models import MailText
from tests.factories import UserFactory
from tests.mfa import browser_log_in, enroll_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"
SHOTS = Path("/tmp/shots_hi")


def test_a_coordinator_previews_and_saves_the_invitations_opening_text(page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    coordinator = UserFactory(email="koordination@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    secret = enroll_totp(coordinator)
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=secret)

    page.goto("/admin/network_portal/mailtext/")
    row = page.locator("#mail-texts tr", has_text="Einladung zu einem Netzwerktreffen")
    page.screenshot(path=str(SHOTS / "mail-texts-list-1280.png"), full_page=True)
    row.get_by_role(
        "link", name="mitgelieferter Text – Einladung zu einem Netzwerktreffen, Deutsch"
    ).click()

    expect(page.locator("#mail-text-state")).to_have_text("Der mitgelieferte Text ist in Gebrauch.")
    frame = page.frame_locator("#mail-text-frame")
    expect(frame.get_by_role("link", name="Ich nehme teil")).to_be_visible()
    page.get_by_label("Betreff").fill("Bitte vormerken: {{ titel }} am {{ datum }}")
    page.get_by_label("Einleitungstext").fill(
        "nach vielen Wünschen aus Ihren Reihen geht es diesmal um **{{ thema }}**."
    )
    page.get_by_role("button", name="Vorschau ohne Speichern").click()

    expect(
        page.get_by_role("heading", name="Vorschau Ihrer Änderungen (nicht gespeichert)")
    ).to_be_visible()
    expect(page.locator("#mail-text-preview-subject")).to_contain_text(
        "Bitte vormerken: Weiterbildung und Mitarbeiterbindung am "
    )
    expect(
        frame.locator("strong", has_text="Wie kleine Betriebe Fachkräfte halten")
    ).to_be_visible()
    assert MailText.objects.count() == 0
    page.screenshot(path=str(SHOTS / "mail-text-preview-1280.png"), full_page=True)

    page.get_by_role("button", name="Speichern", exact=True).click()
    expect(page.locator("#mail-text-state")).to_contain_text("Ihr eigener Text ist in Gebrauch")
    assert MailText.objects.get().subject == "Bitte vormerken: {{ titel }} am {{ datum }}"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 391)
            .map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)"""
    )
    assert wide == []
    expect(frame.get_by_role("link", name="Ich nehme teil")).to_be_visible()
    page.screenshot(path=str(SHOTS / "mail-text-edit-390.png"), full_page=True)
    page.locator("#mail-text-frame").scroll_into_view_if_needed()
    page.locator("#mail-text-frame").screenshot(path=str(SHOTS / "mail-text-frame-390.png"))
