"""In the browser: a coordinator assigns two applications to two jurors at once (one of them
works for a company and is skipped there), at 1,280 and 390 px, without sideways scrolling."""

import pytest
from playwright.sync_api import expect

from network_portal.models import OutboxMail
from seal.models import JurorAssignment
from tests.factories import CoordinatorFactory, MembershipFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.seal.factories import AwardCycleFactory, SubmittedApplicationFactory, juror
from tests.utils import assert_no_sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"


@pytest.mark.parametrize("width", [1280, 390])
def test_bulk_assignment_in_the_browser(page, live_server, settings, width):
    settings.SITE_URL = live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    cycle = AwardCycleFactory(name="2027")
    moselblick = SubmittedApplicationFactory(cycle=cycle, company__name="Moselblick Pflege GmbH")
    porta = SubmittedApplicationFactory(cycle=cycle, company__name="Porta Digital GmbH")
    anna = juror(first_name="Anna", last_name="Arens", email="anna@jury.example")
    juror(first_name="Bernd", last_name="Becker", email="bernd@jury.example")
    MembershipFactory(user=anna, company=porta.company)
    coordinator = CoordinatorFactory(email="koordination@example.org")
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))

    page.goto("/admin/seal/application/")
    for application in (moselblick, porta):
        page.check(f"input[name='_selected_action'][value='{application.pk}']")
    page.select_option("select[name='action']", "assign_jurors")
    page.get_by_role("button", name="Ausführen").click()

    # Pick the jurors.
    expect(page.get_by_text("2 ausgewählte Bewerbungen")).to_be_visible()
    assert_no_sideways_scrolling(page)
    page.get_by_label("Anna Arens").check()
    page.get_by_label("Bernd Becker").check()
    page.get_by_role("button", name="Weiter").click()

    # What will happen.
    expect(page.locator("#assign-count")).to_have_text("3 neue Zuordnungen:")
    expect(page.locator("#assign-skipped")).to_contain_text(
        "Porta Digital GmbH – Anna Arens: arbeitet für das sich bewerbende Unternehmen"
    )
    expect(page.locator("#confirm-mails")).to_contain_text("2 E-Mails gehen hinaus")
    assert_no_sideways_scrolling(page)
    assert not JurorAssignment.objects.exists()
    page.get_by_role("button", name="Ja, zuordnen").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "3 Zuordnungen vorgenommen; 2 E-Mails an die Jury."
    )
    expect(page.locator(".messagelist")).to_contain_text("1 Paar übersprungen")
    expect(page.locator("#result_list")).to_contain_text("0 von 2 Juror*innen fertig")
    assert_no_sideways_scrolling(page)
    assert JurorAssignment.objects.count() == 3
    assert sorted(OutboxMail.objects.values_list("to", flat=True)) == [
        "anna@jury.example",
        "bernd@jury.example",
    ]

    # The progress page, linked from the list.
    page.get_by_role("link", name="Fortschritt der Jury").click()
    expect(page.locator(f"#juror-{anna.pk}")).to_contain_text("Anna Arens")
    assert_no_sideways_scrolling(page)
