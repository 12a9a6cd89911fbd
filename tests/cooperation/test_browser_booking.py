"""In the browser, at an office laptop's and a phone's width: company A books two places on a
language course with three places, company B asks for two and gets one with one on the
waitlist; A gives one place back and B moves up, with a mail."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from cooperation.models import Booking
from tests.cooperation.factories import LanguageCourseFactory
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"


def _log_in(browser, live_server, width, email):
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def _fits(page, width):
    """Nothing reaches beyond the right edge, the main navigation included."""
    too_wide = page.evaluate(
        """width => [...document.querySelectorAll('body *')]
            .filter(element => element.getBoundingClientRect().right > width + 1)
            .map(element => element.tagName + ' ' + element.textContent.trim().slice(0, 40))""",
        width,
    )
    assert too_wide == []


@pytest.mark.parametrize("width", [1280, 390])
def test_a_second_company_lands_on_the_waitlist_and_moves_up(browser, live_server, settings, width):
    settings.SITE_URL = live_server.url
    course = LanguageCourseFactory(
        title="Deutschkurs B1 für Pflegekräfte", total_places=3, max_places_per_company=2
    )
    a = CompanyFactory(name="Moselblick Pflege GmbH")
    MembershipFactory(company=a, user__email="a@moselblick.example")
    b = CompanyFactory(name="Saarburger Feinmechanik KG")
    MembershipFactory(company=b, user__email="b@saarburg.example")

    page_a = _log_in(browser, live_server, width, "a@moselblick.example")
    page_a.goto("/cooperation/")
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Kooperationsbörse")
    page_a.get_by_role("link", name=course.title).click()
    expect(page_a.get_by_text("Jeder Platz kostet Ihr Unternehmen 300,00 €")).to_be_visible()
    page_a.fill("#id_places", "2")
    page_a.get_by_role("button", name="Buchen").click()
    expect(page_a.get_by_text("Ihr Unternehmen hat 2 Plätze gebucht.")).to_be_visible()
    expect(page_a.locator("#free-places")).to_have_text("1")
    expect(page_a.locator("#own-share")).to_have_text("600,00 €")

    page_b = _log_in(browser, live_server, width, "b@saarburg.example")
    page_b.goto(f"/cooperation/{course.pk}/")
    page_b.fill("#id_places", "2")
    page_b.get_by_role("button", name="Buchen").click()
    expect(page_b.get_by_text("Ihr Unternehmen hat 1 Platz gebucht.")).to_be_visible()
    expect(page_b.get_by_text("1 Platz steht auf der Warteliste")).to_be_visible()
    expect(page_b.locator("#own-places")).to_have_text("1")
    expect(page_b.locator("#own-waiting")).to_have_text("1")
    expect(page_b.locator("#own-position")).to_have_text("1")
    _fits(page_b, width)
    page_b.screenshot(path=f"/tmp/h5/detail_waitlist_{width}.png", full_page=True)

    page_a.reload()
    page_a.fill("#id_cancel_places", "1")
    page_a.get_by_role("button", name="Plätze zurückgeben").click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Plätze zurückgeben")
    expect(page_a.get_by_text("Jedes nachrückende Unternehmen erhält eine E-Mail.")).to_be_visible()
    _fits(page_a, width)
    page_a.get_by_role("button", name="Ja, Plätze zurückgeben").click()
    expect(page_a.get_by_text("1 Platz zurückgegeben.")).to_be_visible()
    expect(page_a.locator("#own-places")).to_have_text("1")

    page_b.reload()
    expect(page_b.locator("#own-places")).to_have_text("2")
    expect(page_b.locator("#own-waiting")).to_have_count(0)
    expect(page_b.locator("#own-share")).to_have_text("600,00 €")
    assert Booking.objects.get(company=b).places == 2
    promoted = [m for m in mail.outbox if m.to == ["b@saarburg.example"]]
    assert len(promoted) == 1
    assert "Plätze nachgerückt: Deutschkurs B1 für Pflegekräfte" in promoted[0].subject
    page_b.goto("/cooperation/")
    _fits(page_b, width)
    page_b.screenshot(path=f"/tmp/h5/board_{width}.png", full_page=True)
