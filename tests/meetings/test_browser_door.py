"""In the browser: the check-in at the door on a phone (390 px: a search, a tap without
reload, a walk-in), publishing a meeting through its confirmation on a laptop (1,280 px), and
the wide admin tables (participant overview, seal ranking) on a phone and a 1,440 px screen
without the page scrolling sideways. Screenshots go to SHOTS_DIR when it is set."""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings.models import Meeting, Registration
from network_portal.models import OutboxMail
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.utils import assert_no_sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, LAPTOP, WIDE = 390, 1280, 1440


def shot(page, name):
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_check_in_at_the_door_on_a_phone_with_a_search_and_a_walk_in(coordinator_page):
    page = coordinator_page
    page.set_viewport_size({"width": PHONE, "height": 844})
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    olewig = CompanyFactory(name="Schreinerei Olewig")
    meeting = MeetingFactory(title="Herbsttreffen: Fachkräfte halten", capacity=10, today=True)
    anna = RegistrationFactory(meeting=meeting, company=moselblick, name="Anna Berg")
    RegistrationFactory(meeting=meeting, company=moselblick, name="Lukas Stein")
    jonas = RegistrationFactory(meeting=meeting, company=olewig, name="Jonas Weber")

    page.goto(f"/admin/meetings/meeting/{meeting.pk}/check-in/")
    counts = page.locator("#check-in-counts")
    expect(counts).to_have_text(re.compile(r"^\s*0 von 3 eingecheckt\s*$"))
    assert_no_sideways_scrolling(page)
    shot(page, "door-390-start")

    # The search filters the list as one types.
    page.get_by_label("Nach Name oder Unternehmen suchen").fill("olew")
    rows = page.locator(".check-in-row:visible")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Jonas Weber")
    expect(page.locator("#check-in-no-match")).to_be_hidden()

    # A tap checks in without reloading the page.
    page.evaluate("window.stillThisPage = true")
    row = page.locator(f"#registration-{jonas.pk}")
    row.get_by_role("button", name="Einchecken").click()
    expect(row.get_by_role("button", name="Zurücknehmen")).to_be_visible()
    expect(row).to_contain_text("eingecheckt um")
    expect(counts).to_have_text(re.compile(r"^\s*1 von 3 eingecheckt\s*$"))
    expect(page.locator("#check-in-status")).to_have_text("Jonas Weber ist eingecheckt.")
    assert page.evaluate("window.stillThisPage") is True
    jonas.refresh_from_db()
    assert jonas.checked_in_at is not None
    box = row.get_by_role("button").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44  # a target for a thumb
    shot(page, "door-390-search-and-tap")

    page.get_by_label("Nach Name oder Unternehmen suchen").fill("Gast")
    expect(page.locator(".check-in-row:visible")).to_have_count(0)
    expect(page.locator("#check-in-no-match")).to_be_visible()

    # Someone who did not register: added on the spot, checked in at once.
    page.get_by_text("Person ohne Anmeldung hinzufügen").click()
    page.get_by_label("Name", exact=True).fill("Eva Gast")
    page.get_by_label("Unternehmen", exact=True).fill("Hunsrück Bau")
    shot(page, "door-390-walk-in-form")
    page.get_by_role("button", name="Hinzufügen und einchecken").click()
    expect(page.get_by_text("Eva Gast (Hunsrück Bau) ist eingecheckt.")).to_be_visible()
    expect(counts).to_have_text(re.compile(r"^\s*2 von 4 eingecheckt\s*$"))
    walk_in = Registration.objects.get(name="Eva Gast")
    assert (walk_in.company_name, walk_in.walk_in, walk_in.status) == (
        "Hunsrück Bau",
        True,
        Registration.Status.CONFIRMED,
    )
    expect(page.locator(f"#registration-{walk_in.pk}")).to_contain_text("ohne Anmeldung")
    assert_no_sideways_scrolling(page)
    shot(page, "door-390-after-walk-in")

    # Undone by mistake? One more tap.
    row = page.locator(f"#registration-{anna.pk}")
    row.get_by_role("button", name="Einchecken").click()
    expect(counts).to_have_text(re.compile(r"^\s*3 von 4 eingecheckt\s*$"))
    row.get_by_role("button", name="Zurücknehmen").click()
    expect(counts).to_have_text(re.compile(r"^\s*2 von 4 eingecheckt\s*$"))
    anna.refresh_from_db()
    assert anna.checked_in_at is None


def test_publishing_a_meeting_through_its_confirmation_on_a_laptop(coordinator_page):
    page = coordinator_page
    page.set_viewport_size({"width": LAPTOP, "height": 900})
    companies = [CompanyFactory(name="Moselblick Pflege GmbH"), CompanyFactory(name="Olewig KG")]
    for index, company in enumerate(companies * 2):
        ContactPersonFactory(company=company, email=f"kontakt{index}@example.org")
    meeting = MeetingFactory(
        title="Frühjahrstreffen: KI im Recruiting", status=Meeting.Status.DRAFT
    )

    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.get_by_label("Raum").fill("Seminarraum 1")
    shot(page, "publish-1280-form")
    page.get_by_role("button", name="Veröffentlichen …").click()

    expect(
        page.get_by_role("heading", name="„Frühjahrstreffen: KI im Recruiting“ veröffentlichen?")
    ).to_be_visible()
    expect(page.locator("#confirm-mails")).to_contain_text("4 Einladungen gehen per E-Mail")
    assert not OutboxMail.objects.exists() and mail.outbox == []
    meeting.refresh_from_db()
    assert (meeting.room, meeting.status) == ("Seminarraum 1", Meeting.Status.DRAFT)
    shot(page, "publish-1280-confirmation")

    page.get_by_role("button", name="Veröffentlichen und 4 Einladungen senden").click()
    expect(
        page.get_by_text(
            "„Frühjahrstreffen: KI im Recruiting“ ist veröffentlicht; "
            "4 Einladungen werden verschickt."
        )
    ).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/admin/meetings/meeting/{meeting.pk}/change/$"))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert sorted(m.to[0] for m in mail.outbox) == [f"kontakt{i}@example.org" for i in range(4)]
    expect(page.get_by_role("button", name="Veröffentlichen …")).to_have_count(0)
    expect(page.get_by_role("link", name="Einchecken")).to_be_visible()
    shot(page, "publish-1280-done")


@pytest.mark.parametrize("width", [PHONE, WIDE])
def test_wide_admin_tables_scroll_in_their_own_box(coordinator_page, width):
    from tests.seal.factories import CategoryFactory, ranking_example

    page = coordinator_page
    page.set_viewport_size({"width": width, "height": 900})
    long_name = "Straßen- und Tiefbauunternehmung Hochwald-Moselblick GmbH & Co. KG"
    meeting = MeetingFactory(title="Herbsttreffen: Weiterbildung", capacity=20, today=True)
    for index in range(6):
        RegistrationFactory(
            meeting=meeting,
            company=CompanyFactory(name=f"{long_name} {index}"),
            name=f"Dr. Maria-Theresa Müller-Lüdenscheidt {index}",
            email=f"personalentwicklung.ausbildung{index}@strassen-und-tiefbau-hochwald.example",
        )
    example = ranking_example()
    for position, name in enumerate(
        [
            "Vereinbarkeit von Familie und Beruf",
            "Führung und Kommunikation",
            "Vergütung und Zusatzleistungen",
            "Arbeitsplatz und Ausstattung",
            "Vielfalt und Integration",
        ],
        start=3,
    ):
        CategoryFactory(cycle=example["cycle"], name=name, position=position)

    for url, name, table, sticky in [
        (
            f"/admin/meetings/meeting/{meeting.pk}/participants/",
            "participants",
            "#seated table",
            "tbody tr:first-child td:first-child",
        ),
        (
            f"/admin/seal/awardcycle/{example['cycle'].pk}/ranking/",
            "ranking",
            "#ranking",
            "tbody tr:first-child td.sticky-col",
        ),
    ]:
        page.goto(url)
        expect(page.locator(table)).to_be_visible()
        assert_no_sideways_scrolling(page)
        shot(page, f"{name}-{width}")
        scroller = page.locator(table).locator("xpath=..")
        box = scroller.bounding_box()
        assert box["x"] + box["width"] <= width
        # Scrolled to its end, the table keeps the column naming each row in view.
        scroller.evaluate("(element) => { element.scrollLeft = element.scrollWidth; }")
        scrolled = scroller.evaluate("(element) => element.scrollLeft")
        # On a phone the table is wider than the screen: it scrolls in its own box.
        assert scrolled > 0 or width > 500, f"{name}: the table does not scroll at {width} px"
        if scrolled > 0:
            cell = page.locator(table).locator(sticky).bounding_box()
            assert abs(cell["x"] - box["x"]) <= 1, (cell, box)
            shot(page, f"{name}-{width}-scrolled")
