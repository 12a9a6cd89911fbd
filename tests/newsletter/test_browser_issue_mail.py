"""In the browser: an issue's HTML mail as Chromium shows it, on a phone (390 px) and in a
mail program's reading pane (800 px): no sideways scrolling, the text at a readable width.
Screenshots go to SHOTS_DIR when it is set."""

import os
from pathlib import Path

import pytest

from newsletter import rendering
from newsletter.models import Subscriber
from tests.newsletter.factories import IssueFactory, SubscriberFactory
from tests.newsletter.test_issue_editing import BODY

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SIZES = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    card: document.querySelector("table table").getBoundingClientRect().width,
    imageMaxWidth: getComputedStyle(document.querySelector("img")).maxWidth,
})"""


@pytest.mark.parametrize("width", [390, 800])
def test_an_issue_mail_reads_well_on_a_phone_and_in_a_reading_pane(
    browser, settings, tmp_path, width
):
    settings.SITE_URL = "https://portal.example.org"
    issue = IssueFactory(
        subject="Netzwerktreffen im März",
        preheader="Am 12. März bei der Moselblick Pflege GmbH",
        body=BODY,
    )
    subscriber = SubscriberFactory(
        email="petra.welter@moselblick.example",
        salutation=Subscriber.Salutation.MS,
        last_name="Welter",
    )
    message = rendering.issue_message(issue, subscriber, attachments=[])
    ((html, _mimetype),) = message.alternatives
    path = tmp_path / "issue.html"
    path.write_text(html, encoding="utf-8")

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    sizes = page.evaluate(SIZES)
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"newsletter-issue-{width}.png"), full_page=True)
        (Path(folder) / "newsletter-issue.txt").write_text(message.body, encoding="utf-8")
    context.close()

    assert sizes["scrollWidth"] <= sizes["innerWidth"], sizes
    # The card fills a phone's screen but for a margin, and stops at 600 px on a wider one.
    assert sizes["card"] == min(width - 16, 600), sizes
    assert sizes["imageMaxWidth"] == "100%"  # a large picture shrinks to the mail's width
