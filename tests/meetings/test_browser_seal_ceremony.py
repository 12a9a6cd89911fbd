"""In the browser, on a laptop (1,280 px) and a phone (390 px): a coordinator creates the seal
ceremony, takes the awarded companies of the cycle over as its guests and publishes it; a user
of an awarded company answers with two places; a user of a company not awarded sees that the
event is by invitation and cannot register."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Meeting, Registration
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory, UserFactory
from tests.seal.factories import AwardCycleFactory, CertificateFactory
from tests.utils import assert_no_sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/h4")
TITLE = "Verleihung des Siegels 2026"


def member_page(browser, live_server, width, email):
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", "geheim-123-trier")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url(re.compile(r"/members/company/$"))
    return page


def assert_fits(page, width):
    """No sideways scrolling, the main navigation included."""
    assert_no_sideways_scrolling(page)


def shot(page, name, width):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_seal_ceremony_from_the_guest_list_to_the_answers(
    coordinator_page, browser, live_server, width
):
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH")
    olewig = CompanyFactory(name="Schreinerei Olewig")
    cycle = AwardCycleFactory(name="2026", slug="2026", awarded=True)
    CertificateFactory(application__company=moselblick, application__cycle=cycle)
    petra = UserFactory(email="petra@moselblick.example", first_name="Petra", last_name="Thiel")
    MembershipFactory(user=petra, company=moselblick)
    ContactPersonFactory(company=moselblick, email="petra@moselblick.example", user=petra)
    ContactPersonFactory(
        company=moselblick, first_name="Lea", last_name="Kaspari", email="lea@moselblick.example"
    )
    jonas = UserFactory(email="jonas@olewig.example", first_name="Jonas", last_name="Reuter")
    MembershipFactory(user=jonas, company=olewig)
    ContactPersonFactory(company=olewig, email="jonas@olewig.example", user=jonas)

    # --- The coordinator creates the ceremony ----------------------------------------------
    page = coordinator_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/admin/meetings/meeting/add/")
    page.select_option("#id_kind", label="Siegelverleihung")
    page.fill("#id_title", TITLE)
    page.fill("#id_topic", "Feierstunde für die ausgezeichneten Unternehmen")
    starts = timezone.localtime(timezone.now() + timedelta(days=30))
    for field, moment, at in (
        ("starts_at", starts, "17:00"),
        ("ends_at", starts, "19:00"),
        ("rsvp_deadline", starts - timedelta(days=7), "12:00"),
    ):
        page.fill(f"#id_{field}_0", moment.strftime("%d.%m.%Y"))
        page.fill(f"#id_{field}_1", at)
    page.fill("#id_venue_name", "Kurfürstliches Palais")
    page.fill("#id_venue_street", "Willy-Brandt-Platz 3")
    page.fill("#id_venue_postcode", "54290")
    page.fill("#id_capacity", "60")
    page.fill("#id_per_company_limit", "2")
    page.check("#id_is_public")
    page.get_by_role("button", name="Sichern und weiter bearbeiten").click()
    meeting = Meeting.objects.get(title=TITLE)
    assert meeting.kind == Meeting.Kind.CEREMONY and meeting.is_public

    # Takes the awarded companies over as the guests, after a confirmation naming them.
    page.get_by_role("link", name="Gäste übernehmen …").click()
    page.get_by_role("link", name="Gäste übernehmen: Siegelträger des Jahrgangs 2026 …").click()
    expect(page.locator("#confirm-facts")).to_contain_text("Moselblick Pflege GmbH")
    expect(page.locator("#confirm-facts")).not_to_contain_text("Schreinerei Olewig")
    shot(page, "guests-confirm", width)
    assert_fits(page, width)
    page.get_by_role("button", name="1 Unternehmen zu den Gästen hinzufügen").click()
    expect(page.get_by_text("1 Unternehmen steht jetzt auf der Gästeliste.")).to_be_visible()
    assert list(meeting.invited_companies.all()) == [moselblick]

    # Publishes: the invitations go to the guests only.
    page.get_by_role("button", name="Veröffentlichen …").click()
    expect(page.locator("#confirm-consequences")).to_contain_text(
        "anmelden kann sich nur das 1 eingeladene Unternehmen"
    )
    page.get_by_role("button", name=re.compile(r"^Veröffentlichen und 2 Einladungen")).click()
    expect(page.get_by_text(f"„{TITLE}“ ist veröffentlicht")).to_be_visible()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lea@moselblick.example",
        "petra@moselblick.example",
    ]
    assert all("Einladung zur Siegelverleihung" in m.subject for m in mail.outbox)

    # --- An awarded company answers with its two places ------------------------------------
    petra_page = member_page(browser, live_server, width, petra.email)
    petra_page.goto(f"/meetings/{meeting.slug}/")
    expect(petra_page.locator("#event-kind")).to_contain_text("Siegelverleihung")
    expect(petra_page.locator("#places-per-company")).to_have_text("je Unternehmen 2 Plätze")
    petra_page.get_by_role("button", name="Ich nehme teil").click()
    expect(petra_page.get_by_text("Vielen Dank, Sie sind angemeldet.")).to_be_visible()
    petra_page.select_option("#id_contact", label="Lea Kaspari")
    petra_page.get_by_role("button", name="Anmelden", exact=True).last.click()
    expect(petra_page.get_by_text("Lea Kaspari ist angemeldet.")).to_be_visible()
    expect(
        petra_page.get_by_text("Ihr Unternehmen hat die Grenze von 2 Teilnehmenden")
    ).to_be_visible()
    shot(petra_page, "ceremony-guest", width)
    assert_fits(petra_page, width)
    assert Registration.objects.filter(meeting=meeting, company=moselblick).count() == 2

    # --- A company not awarded sees that the event is by invitation ------------------------
    jonas_page = member_page(browser, live_server, width, jonas.email)
    jonas_page.goto("/meetings/")
    expect(jonas_page.get_by_text("Ihr Unternehmen ist nicht eingeladen.")).to_be_visible()
    jonas_page.get_by_role("link", name=TITLE).click()
    expect(jonas_page.locator("#not-invited")).to_contain_text(
        "Diese Veranstaltung ist nur auf Einladung"
    )
    expect(jonas_page.get_by_role("button", name="Ich nehme teil")).to_have_count(0)
    expect(jonas_page.get_by_role("button", name="Kollegin oder Kollegen anmelden")).to_have_count(
        0
    )
    shot(jonas_page, "ceremony-not-invited", width)
    assert_fits(jonas_page, width)
    assert not Registration.objects.filter(meeting=meeting, company=olewig).exists()

    # The public calendar shows the ceremony (it is public), without the guests.
    jonas_page.goto("/meetings/public/")
    expect(jonas_page.locator(f"#event-{meeting.slug}")).to_contain_text("Siegelverleihung")
    shot(jonas_page, "public-events", width)
    assert_fits(jonas_page, width)
    for member in (petra_page, jonas_page):
        member.context.close()
