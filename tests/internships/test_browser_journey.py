"""In the browser, at 1,280 px and on a phone (390 px): a company user offers two places for
the public page, a school's visitor finds them there, a coordinator places a pupil and sends
the placement list, which reaches the company as a mail with the PDF."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from internships.models import InternshipOffer, Placement
from network_portal.models import OutboxMail
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    MembershipFactory,
    UserFactory,
)
from tests.internships.factories import (
    PartnerSchoolFactory,
    PupilFactory,
    SchoolStayFactory,
    in_days,
)
from tests.mfa import browser_log_in, enroll_totp
from tests.utils import assert_no_sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"
SHOTS = "/tmp/h6"


def new_page(browser, live_server, width):
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def open_menu_link(page, name, width):
    if width < 1200:
        page.get_by_role("button", name="Navigation umschalten").click()
    page.locator("#main-nav").get_by_role("link", name=name, exact=True).click()


@pytest.mark.parametrize("width", [1280, 390])
def test_offer_public_page_placement_and_list(browser, live_server, settings, width):
    settings.SITE_URL = live_server.url
    company = CompanyFactory(name="Moselblick Pflege GmbH", city="Trier")
    user = UserFactory(email="petra@moselblick.example", first_name="Petra", last_name="Thiel")
    MembershipFactory(user=user, company=company)
    ContactPersonFactory(
        company=company, first_name="Petra", last_name="Thiel", email="petra@moselblick.example"
    )
    stay = SchoolStayFactory(
        school=PartnerSchoolFactory(name="Deutsche Schule Bilbao"),
        starts_on=in_days(40),
        ends_on=in_days(60),
    )
    pupil = PupilFactory(stay=stay, first_name="Ane", last_name="Garay")
    coordinator = CoordinatorFactory(email="koordination@example.org")

    # The company offers two places and agrees to the public page.
    context, page = new_page(browser, live_server, width)
    browser_log_in(page, user.email, PASSWORD)
    # From „Mein Unternehmen“, where the company's offers to the network are.
    open_menu_link(page, "Mein Unternehmen", width)
    page.get_by_role("link", name="Praktikumsplätze für Schülerinnen und Schüler anbieten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Praktikumsplätze für Schülerinnen und Schüler"
    )
    page.get_by_role("link", name="Praktikumsplätze anbieten").click()
    page.locator("#id_field").select_option(label="Pflege und Betreuung")
    page.get_by_label("Berufsfeld in eigenen Worten").fill("Altenpflege")
    page.locator("#id_places").fill("2")
    page.locator("#id_contact").select_option(label="Petra Thiel")
    page.locator("#id_periods-0-starts_on").fill(in_days(30).isoformat())
    page.locator("#id_periods-0-ends_on").fill(in_days(90).isoformat())
    page.get_by_label("Auf der öffentlichen Seite „Praktikumsplätze“ zeigen").check()
    page.screenshot(path=f"{SHOTS}/{width}-offer-form.png", full_page=True)
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Vielen Dank: Ihre Praktikumsplätze sind angeboten.")).to_be_visible()
    offer = InternshipOffer.objects.get()
    assert (offer.places, offer.public_consent) == (2, True)

    # A school finds them on the public page, without logging in.
    visitor, public = new_page(browser, live_server, width)
    public.goto("/internships/?field=care")
    expect(public.get_by_role("heading", level=1)).to_have_text("Praktikumsplätze")
    card = public.locator(f"#offer-{offer.pk}")
    expect(card).to_contain_text("Moselblick Pflege GmbH")
    expect(card).to_contain_text("Plätze")
    expect(card).to_contain_text("2")
    expect(public.locator("#internship-contact")).to_contain_text("netzwerk@")
    public.screenshot(path=f"{SHOTS}/{width}-public.png", full_page=True)
    visitor.close()

    # The coordinator places the pupil and sends the placement list.
    office, admin = new_page(browser, live_server, width)
    browser_log_in(admin, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    admin.goto(f"/admin/internships/schoolstay/{stay.pk}/placements/")
    admin.get_by_label("Angebot für Ane Garay").select_option(value=str(offer.pk))
    admin.get_by_role("button", name="Ane Garay zuteilen").click()
    expect(admin.get_by_text("Ane Garay ist Moselblick Pflege GmbH zugeteilt.")).to_be_visible()
    admin.screenshot(path=f"{SHOTS}/{width}-placements.png", full_page=True)
    admin.get_by_role("link", name="Zuteilung an Unternehmen senden").click()
    expect(admin.locator("#confirm-consequences")).to_contain_text(
        "1 Unternehmen erhält seine Zuteilungsliste: insgesamt 1 Schülerinnen und Schüler."
    )
    admin.screenshot(path=f"{SHOTS}/{width}-send-confirm.png", full_page=True)
    admin.get_by_role("button", name="1 Zuteilungsliste senden").click()
    expect(admin.get_by_text("Die Zuteilungsliste wird an 1 Unternehmen gesendet.")).to_be_visible()
    office.close()

    outbox = OutboxMail.objects.get(to="petra@moselblick.example")
    assert outbox.attachments[0]["mimetype"] == "application/pdf"
    sent = next(m for m in mail.outbox if m.to == ["petra@moselblick.example"])
    assert "Ane Garay" in sent.body
    ((filename, content, mimetype),) = sent.attachments
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert Placement.objects.get().pupil == pupil

    # The company sees the pupil in the portal now.
    page.goto("/internships/offers/")
    expect(page.locator(f"#offer-{offer.pk}")).to_contain_text("Ane Garay")
    page.screenshot(path=f"{SHOTS}/{width}-offers.png", full_page=True)
    assert_no_sideways_scrolling(page)  # the main navigation included
    context.close()
    assert re.match(r"praktika-\d{4}-\d{2}-\d{2}-", filename)
