"""In the browser: registering a colleague, and answering from the invitation mail."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from meetings import services
from meetings.models import Meeting, Registration
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email, password="geheim-123-trier"):
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/members/company/$"))


def test_company_user_registers_a_colleague_and_sees_seats_go_down(page):
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    user = UserFactory(email="petra@moselblick.example", first_name="Petra", last_name="Thiel")
    MembershipFactory(user=user, company=company)
    ContactPersonFactory(
        company=company, first_name="Lea", last_name="Kaspari", email="lea@moselblick.example"
    )
    meeting = MeetingFactory(title="Netzwerktreffen Herbst: KI im Recruiting", capacity=12)

    log_in(page, user.email)
    page.get_by_role("link", name="Netzwerktreffen").first.click()
    page.get_by_role("link", name=meeting.title).click()
    expect(page.locator("#free-seats")).to_have_text("12 Plätze frei")

    page.get_by_role("button", name="Ich nehme teil").click()
    expect(page.get_by_text("Vielen Dank, Sie sind angemeldet.")).to_be_visible()
    expect(page.locator("#free-seats")).to_have_text("11 Plätze frei")

    page.select_option("#id_contact", label="Lea Kaspari")
    page.get_by_role("button", name="Anmelden", exact=True).last.click()
    expect(page.get_by_text("Lea Kaspari ist angemeldet.")).to_be_visible()
    expect(page.locator("#free-seats")).to_have_text("10 Plätze frei")
    assert Registration.objects.filter(meeting=meeting, status="confirmed").count() == 2
    assert any(m.to == ["lea@moselblick.example"] for m in mail.outbox)


def test_answer_through_the_one_click_link_from_the_invitation(page, live_server, settings):
    settings.SITE_URL = live_server.url
    contact = ContactPersonFactory(
        email="jonas@olewig.example", first_name="Jonas", last_name="Reuter"
    )
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, capacity=5)
    services.meeting_publish(meeting=meeting)  # committed: the invitation goes out at once
    invitation = next(m for m in mail.outbox if m.to == [contact.email])
    yes_link = re.search(r"Ich nehme teil: (\S+)", invitation.body).group(1)

    page.goto(yes_link)  # no login; the page shows the meeting and waits for the click
    assert not Registration.objects.filter(meeting=meeting).exists()
    page.get_by_role("button", name="Zusage bestätigen").click()
    expect(page.get_by_role("heading", name="Vielen Dank!")).to_be_visible()
    expect(page.get_by_text("Vielen Dank, Sie sind angemeldet.")).to_be_visible()
    registration = Registration.objects.get(meeting=meeting, email=contact.email)
    assert registration.status == "confirmed"

    page.get_by_role("link", name="Ich nehme doch nicht teil").click()
    page.get_by_role("button", name="Absage bestätigen").click()
    expect(
        page.get_by_text("Vielen Dank für Ihre Rückmeldung, dass Sie nicht teilnehmen.")
    ).to_be_visible()
    registration.refresh_from_db()
    assert registration.status == "declined"
