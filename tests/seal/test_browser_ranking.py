"""In the browser: the seal ranking with the real catalogue (six categories with long names)
and long company names fits a 1,440 px screen with the decision column in view, and prints
without the admin's chrome.

Set RANKING_SHOTS to a folder to keep the screenshots.
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import COORDINATOR_GROUP
from demo.seal import CATALOGUE
from members.models import SizeClass
from seal import services
from tests.factories import CompanyFactory, UserFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.seal.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CriterionFactory,
    SubmittedApplicationFactory,
    juror,
    submitted_scores,
)
from tests.utils import assert_no_sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("RANKING_SHOTS", "/tmp/ranking_shots"))
LONG_COMPANY = (
    "Straßen- und Tiefbauunternehmung Hochwald-Moselblick Gesellschaft für "
    "Infrastrukturdienstleistungen mbH & Co. KG"
)


@pytest.fixture
def cycle():
    """A cycle in jury review with the demo catalogue, eight applications scored by three
    jurors (far apart on one criterion of the first), one decided."""
    cycle = AwardCycleFactory(name="2029", slug="2029", scoring=True)
    criteria = []
    for position, (name, questions) in enumerate(CATALOGUE, start=1):
        category = CategoryFactory(cycle=cycle, name=name, position=position)
        for number, (question, *_rest) in enumerate(questions, start=1):
            criteria.append(CriterionFactory(category=category, question=question, position=number))
    jurors = [juror() for _ in range(3)]
    names = [LONG_COMPANY] + [f"Moselblick Pflege und Betreuung {n} GmbH" for n in range(7)]
    for n, name in enumerate(names):
        company = CompanyFactory(name=name, size_class=SizeClass.values[n % 3])
        application = SubmittedApplicationFactory(cycle=cycle, company=company)
        for j, juror_user in enumerate(jurors):
            points = {c: (n + k) % 4 + (j == 2) for k, c in enumerate(criteria)}
            if n == 0:
                points[criteria[0]] = 0 if j == 0 else 4
            submitted_scores(application, juror_user, points)
        if n == 1:
            services.decision_record(
                application=application, awarded=True, note="Vorbildlich in allen Bereichen."
            )
    return cycle


@pytest.fixture
def coordinator_page(page):
    coordinator = UserFactory(email="koordination@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    browser_log_in(
        page, coordinator.email, "geheim-123-trier", totp_secret=enroll_totp(coordinator)
    )
    return page


def test_the_ranking_fits_1440_px_with_the_decision_column_in_view(coordinator_page, cycle):
    page = coordinator_page
    page.set_viewport_size({"width": 1440, "height": 900})

    page.goto(f"/admin/seal/awardcycle/{cycle.pk}/ranking/")

    expect(page.locator("#ranking tbody tr")).to_have_count(8)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#ranking").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "ranking-1440.png"))
    assert_no_sideways_scrolling(page)
    # The decision column and the inputs to decide are in view without scrolling anything.
    for header in ("Entscheidung", "Entscheiden"):
        cell = page.locator("#ranking thead th", has_text=header).first
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1440, (header, box)
    decide = page.locator("#ranking tbody tr").first.locator('input[type="radio"]').first
    box = decide.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1440, box
    scroll_box = page.locator(".ranking-scroll")
    assert scroll_box.evaluate("box => box.scrollWidth <= box.clientWidth"), (
        "the ranking scrolls sideways in its box"
    )

    # Print: the table alone, without the admin's header, navigation and forms' buttons.
    page.emulate_media(media="print")
    for chrome in ("#header", "#nav-sidebar", ".breadcrumbs", "#threshold", "#send-decisions"):
        expect(page.locator(chrome)).to_be_hidden()
    expect(page.locator("#ranking")).to_be_visible()
    expect(page.locator("#ranking tbody tr").first.locator('input[type="radio"]')).to_have_count(2)
    expect(page.locator("#ranking td.decide").first).to_be_hidden()
    page.screenshot(path=str(SHOTS / "ranking-print.png"), full_page=True)
    page.pdf(path=str(SHOTS / "ranking.pdf"), format="A4", landscape=True)
