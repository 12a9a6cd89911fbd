"""In the browser, scripts on: opening a one-click answer link answers nothing (a mail scanner
that runs scripts must not answer for the person); the person's click on the button does."""

import pytest
from playwright.sync_api import expect

from meetings import services
from meetings.models import Registration
from tests.factories import ContactPersonFactory
from tests.meetings.factories import MeetingFactory
from tests.utils import assert_no_sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("attending", "heading"), [(True, "Zusage"), (False, "Absage")])
def test_loading_the_link_answers_nothing_until_the_button_is_pressed(
    page, live_server, settings, attending, heading
):
    settings.SITE_URL = live_server.url
    contact = ContactPersonFactory(
        email="anna@moselblick.example", first_name="Anna", last_name="Schmitt"
    )
    meeting = MeetingFactory(title="Netzwerktreffen Herbst: KI im Recruiting")
    link = services.rsvp_url(meeting=meeting, attending=attending, contact=contact)

    page.goto(link)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # time for any script to act
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{heading} bestätigen")
    expect(page.get_by_text(meeting.title)).to_be_visible()
    assert "/rsvp/" in page.url  # still on the page, no form was sent
    assert not Registration.objects.exists()

    page.get_by_role("button", name=f"{heading} bestätigen").click()
    expect(page.get_by_role("heading", name="Vielen Dank!")).to_be_visible()
    registration = Registration.objects.get()
    assert registration.status == ("confirmed" if attending else "declined")


def test_the_answer_page_fits_a_phone(page, live_server, settings):
    settings.SITE_URL = live_server.url
    contact = ContactPersonFactory(first_name="Anna", last_name="Schmitt")
    meeting = MeetingFactory(title="Netzwerktreffen Herbst: KI im Recruiting und Ausbildung")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(services.rsvp_url(meeting=meeting, attending=True, contact=contact))
    assert_no_sideways_scrolling(page)
    expect(page.get_by_role("button", name="Zusage bestätigen")).to_be_in_viewport()
