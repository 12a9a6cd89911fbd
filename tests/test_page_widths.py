"""Every key page fits a phone (390 px) and an office laptop (1,280 px) without scrolling
sideways, with the long names and addresses real companies have; from 1,200 px the whole
navigation is visible, on one line, for every role.

Set PAGE_WIDTH_SHOTS to a folder to keep a screenshot of every page measured.
"""

import os
import re
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services as meeting_services
from meetings.models import AgendaItem, Material, Meeting, Registration
from members.models import Company, ContactPerson
from newsletter.models import MailingList
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory, TopicProposalFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.newsletter.factories import MailingListFactory, SentIssueFactory
from tests.seal.factories import (
    TINY_PDF,
    ApplicationFactory,
    AwardCycleFactory,
    CategoryFactory,
    CertificateFactory,
    CriterionFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"
PHONE, LAPTOP = 390, 1280

# Long, but real-world: compound names, hyphenated surnames, role addresses at long domains.
LONG_COMPANY = (
    "Straßen- und Tiefbauunternehmung Hochwald-Moselblick Gesellschaft für "
    "Infrastrukturdienstleistungen mbH & Co. KG"
)
LONG_DOMAIN = "strassen-und-tiefbau-hochwald-moselblick.example"
LONG_EMAIL = f"personalentwicklung.ausbildungsbeauftragte@{LONG_DOMAIN}"
LONG_WEBSITE = f"https://www.{LONG_DOMAIN}/karriere/ausbildung-und-weiterbildung/angebote"
LONG_WORD = "Grundstücksverkehrsgenehmigungszuständigkeitsübertragungsverordnung"
PENDING_COMPANY = "Hunsrücker Kinderbetreuungs- und Familienservicegesellschaft gGmbH"
MEETING_TITLE = (
    "Netzwerktreffen Herbst: Fachkräftesicherung durch Weiterbildung, Mitarbeiterbindung und "
    "KI-gestützte Suchmaschinenoptimierung"
)


def wide_logo() -> bytes:
    """A logo as companies have them: wide, 600 × 200 px."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 200), "#ffffff")
    ImageDraw.Draw(image).rectangle((20, 40, 580, 160), fill="#1d5c8c")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def legal_pages():
    """Impressum, Datenschutz and the accessibility statement as their migrations create them
    (an earlier transactional test's flush removes them)."""
    from django.apps import apps

    for migration in ("0002_site_and_legal_pages", "0004_accessibility_statement"):
        import_module(f"network_portal.migrations.{migration}").create(apps, None)


@pytest.fixture
def world(live_server, settings, tmp_path):
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = str(tmp_path / "media")
    legal_pages()
    now = timezone.now()

    company = CompanyFactory(
        name=LONG_COMPANY,
        slug="strassen-und-tiefbau-hochwald",
        website=LONG_WEBSITE,
        description=f"Wir beraten Gemeinden zur {LONG_WORD} und bauen Straßen im Hochwald.",
    )
    company.logo.save("logo.png", ContentFile(wide_logo()))
    admin = CompanyAdminFactory(
        company=company,
        user__email=LONG_EMAIL,
        user__first_name="Anna-Katharina",
        user__last_name="Müller-Lüdenscheidt",
    ).user
    MembershipFactory(company=company, user__email=f"geschaeftsfuehrung.sekretariat@{LONG_DOMAIN}")
    contact = ContactPersonFactory(
        company=company,
        first_name="Anna-Katharina",
        last_name="Müller-Lüdenscheidt",
        title="Dr.",
        email=LONG_EMAIL,
        phone="+49 651 123456-7890",
        function=ContactPerson.Function.HR,
    )
    ContactPersonFactory(
        company=company, email=f"ausbildung.und.duales.studium@{LONG_DOMAIN}", salutation=""
    )
    for number in range(3):
        CompanyFactory(
            name=f"Moselländische Pflege- und Betreuungsdienste Saar-Ruwer {number} GmbH",
            website=f"https://www.moselland-pflege-und-betreuung-{number}.example/stellenangebote",
        )

    pending = CompanyFactory(name=PENDING_COMPANY, status=Company.Status.PENDING, member_since=None)
    pending_admin = CompanyAdminFactory(
        company=pending, user__email=f"verwaltung.kinderbetreuung@{LONG_DOMAIN}"
    ).user
    newcomer = UserFactory(email=f"neu.im.netzwerk@{LONG_DOMAIN}")

    upcoming = MeetingFactory(
        title=MEETING_TITLE,
        slug="netzwerktreffen-herbst",
        host=company,
        venue_name=LONG_COMPANY,
        topic=f"Weiterbildung, Bindung und die {LONG_WORD}",
    )
    AgendaItem.objects.create(
        meeting=upcoming, starts_at="16:00", title=MEETING_TITLE, speaker_name="Dr. Jonas Becker"
    )
    RegistrationFactory(
        meeting=upcoming,
        company=company,
        name="Anna-Katharina Müller-Lüdenscheidt",
        email=LONG_EMAIL,
    )
    past = MeetingFactory(
        title="Netzwerktreffen Frühjahr: Sprachkurse für internationale Fachkräfte",
        slug="netzwerktreffen-fruehjahr",
        starts_at=now - timedelta(days=40),
        ends_at=now - timedelta(days=40) + timedelta(hours=2),
        rsvp_deadline=now - timedelta(days=47),
        status=Meeting.Status.HELD,
        host=company,
    )
    RegistrationFactory(
        meeting=past,
        company=company,
        name="Anna-Katharina Müller-Lüdenscheidt",
        email=LONG_EMAIL,
        contact=contact,
        status=Registration.Status.CONFIRMED,
    )
    material = Material(
        meeting=past, title="Folien: Sprachkurse im Verbund", content_type="application/pdf"
    )
    material.file.save("folien.pdf", ContentFile(TINY_PDF))
    TopicProposalFactory(company=company, title=f"Was bedeutet die {LONG_WORD} für uns?")

    cycle = AwardCycleFactory(name="2027", slug="2027")
    category = CategoryFactory(cycle=cycle, name="Aus- und Weiterbildung, Personalentwicklung")
    CriterionFactory(category=category, question=f"Wie planen Sie Weiterbildung? {LONG_WORD}")
    CriterionFactory(category=category, evidence_required=True)
    ApplicationFactory(cycle=cycle, company=company, started_by=admin)
    # Its award ceremony is past: the verification page shows the certificate.
    earlier_cycle = AwardCycleFactory(name="2025", slug="2025", awarded=True)
    certificate = CertificateFactory(
        application__cycle=earlier_cycle,
        application__company=CompanyFactory(
            name="Saarburger Feinmechanik und Präzisionswerkzeugbau GmbH & Co. KG"
        ),
    )

    public_list = MailingListFactory(name="Fachkräfte-Newsletter der Wirtschaftsförderung")
    members_list = MailingListFactory(
        name="Alle Mitgliedsunternehmen", slug="alle-mitglieder", kind=MailingList.Kind.MEMBERS
    )
    issue = SentIssueFactory(
        subject=f"Netzwerk-News: Neues zur {LONG_WORD}", lists=[public_list], is_public=True
    )
    SentIssueFactory(
        subject="Nur für Mitglieder: Termine 2027", lists=[members_list], is_public=False
    )

    return {
        "admin": admin,
        "pending_admin": pending_admin,
        "newcomer": newcomer,
        "coordinator": CoordinatorFactory(email=f"koordination.netzwerk@{LONG_DOMAIN}"),
        "contact": contact,
        "upcoming": upcoming,
        "past": past,
        "category": category,
        "certificate": certificate,
        "issue": issue,
    }


def key_pages(world) -> dict[str, list[str]]:
    """The pages each role uses, by path."""
    rsvp = meeting_services.rsvp_url(
        meeting=world["upcoming"], attending=True, contact=world["contact"]
    )
    return {
        "anonymous": [
            "/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/seal/",
            f"/seal/verify/{world['certificate'].verification_code}/",
            "/seal/archive/",
            "/members/directory/",
            "/newsletter/subscribe/",
            "/newsletter/archive/",
            f"/newsletter/archive/{world['issue'].pk}/",
            "/impressum/",
            "/datenschutz/",
            "/barrierefreiheit/",
            "/internships/",
            re.sub(r"^https?://[^/]+", "", rsvp),
        ],
        "newcomer": ["/", "/members/welcome/", "/members/register/", "/members/join/"],
        "pending_admin": ["/", "/members/company/", "/members/company/edit/", "/seal/application/"],
        "admin": [
            "/",
            "/members/company/",
            "/members/company/edit/",
            "/members/company/contacts/add/",
            f"/members/company/contacts/{world['contact'].pk}/edit/",
            "/members/company/invitations/new/",
            "/members/",
            "/meetings/",
            f"/meetings/{world['upcoming'].slug}/",
            f"/meetings/{world['past'].slug}/",
            "/meetings/topics/",
            "/meetings/calendar/",
            "/internships/offers/",
            "/internships/offers/new/",
            "/seal/application/",
            f"/seal/application/step/{world['category'].pk}/",
            "/seal/application/public-page/",
            "/newsletter/members-archive/",
            "/account/",
            "/accounts/email/",
        ],
    }


MEASURE = """() => {
    const width = window.innerWidth;
    const describe = (element) => {
        const classes = typeof element.className === "string" ? element.className.trim() : "";
        const dotted = classes ? "." + classes.split(/\\s+/).join(".") : "";
        const name = element.tagName.toLowerCase() + dotted;
        const text = (element.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 50);
        return `${name} (${Math.round(element.getBoundingClientRect().right)} px): ${text}`;
    };
    const wide = [];
    for (const element of document.body.querySelectorAll("*")) {
        const box = element.getBoundingClientRect();
        if (!box.width || element.closest(".visually-hidden")) continue;
        const parent = element.parentElement.getBoundingClientRect();
        // Where the overflow starts: a box wider than its parent's edge, or text out of its box.
        const boxOut = box.right > width + 0.5 && parent.right <= width + 0.5;
        const textOut = box.right <= width + 0.5 && element.scrollWidth > element.clientWidth + 1
            && getComputedStyle(element).overflowX === "visible" && element.children.length === 0;
        if (boxOut || textOut) wide.push(describe(element));
    }
    return {
        scrollWidth: document.documentElement.scrollWidth, innerWidth: width, wide: wide.slice(0, 6)
    };
}"""


def measure_pages(page, paths, *, label):
    """Open each page, check it is the page meant, measure it; the ones too wide, described."""
    shots = os.environ.get("PAGE_WIDTH_SHOTS")
    too_wide = []
    for path in paths:
        response = page.goto(path)
        assert response.ok, f"{path}: {response.status}"
        shown = urlsplit(page.url)
        assert shown.path == urlsplit(path).path and not shown.query or "/rsvp/" in path, (
            f"{path} led to {page.url}"
        )
        expect(page.locator("h1").first).to_be_visible()
        result = page.evaluate(MEASURE)
        width = page.viewport_size["width"]
        print(f"{label} {width} px {path}: {result['scrollWidth']} px")
        if shots:
            name = re.sub(r"[^a-z0-9]+", "-", f"{label}-{path}".lower()).strip("-")
            folder = Path(shots)
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"{width}-{name[:80]}.png"), full_page=True)
        if result["scrollWidth"] > result["innerWidth"]:
            too_wide.append(f"{path}: {result['scrollWidth']} px; {result['wide']}")
    return too_wide


def new_page(browser, live_server, width):
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.parametrize("width", [PHONE, LAPTOP])
@pytest.mark.parametrize("role", ["anonymous", "newcomer", "pending_admin", "admin"])
def test_key_pages_fit_the_screen(browser, live_server, world, role, width):
    context, page = new_page(browser, live_server, width)
    try:
        if role != "anonymous":
            browser_log_in(page, world[role].email, PASSWORD)
        too_wide = measure_pages(page, key_pages(world)[role], label=role)
    finally:
        context.close()
    assert too_wide == [], f"wider than {width} px:\n" + "\n".join(too_wide)


NAV_CHECK = """() => {
    const toggler = document.querySelector(".navbar-toggler");
    const links = [...document.querySelectorAll("#main-nav .nav-link")];
    const nav = document.querySelector("header .navbar .container-fluid");
    const heights = links.map((link) => link.getBoundingClientRect().height);
    return {
        togglerVisible: toggler.offsetParent !== null,
        hidden: links.filter((link) => link.offsetParent === null).map((l) => l.textContent.trim()),
        outside: links.filter((link) => link.getBoundingClientRect().right > window.innerWidth)
            .map((l) => l.textContent.trim()),
        navHeight: nav.getBoundingClientRect().height,
        tallest: Math.max(...heights),
        lowest: Math.min(...heights),
        scrollWidth: document.documentElement.scrollWidth,
        labels: links.map((l) => l.textContent.trim()),
        // Room left between the two lists of links (and the brand), in px.
        room: document.querySelector("#main-nav .navbar-nav:last-child")
            .getBoundingClientRect().left
            - document.querySelector("#main-nav .navbar-nav").getBoundingClientRect().right,
    };
}"""


@pytest.mark.parametrize("role", ["anonymous", "newcomer", "pending_admin", "admin", "coordinator"])
def test_navigation_is_visible_on_one_line_from_1200_px(browser, live_server, world, role):
    context, page = new_page(browser, live_server, 1200)
    try:
        if role == "coordinator":
            coordinator = world["coordinator"]
            browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
        elif role != "anonymous":
            browser_log_in(page, world[role].email, PASSWORD)
        for width in (1200, 1280, 1399):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto("/")
            nav = page.evaluate(NAV_CHECK)
            print(f"{role} {width} px: {nav['room']:.0f} px to spare; {nav['labels']}")
            assert not nav["togglerVisible"], f"{width} px: the menu hides behind a button"
            assert nav["hidden"] == [] and nav["outside"] == [], f"{width} px: {nav}"
            # One line: the bar is as high as a single row of links, and no link wraps.
            assert nav["tallest"] == nav["lowest"] and nav["navHeight"] < 2 * nav["tallest"], nav
            assert nav["scrollWidth"] <= width, nav
            if role == "coordinator":
                assert "Koordination" in nav["labels"]
            elif role == "admin":
                assert {"Netzwerktreffen", "Mitgliederverzeichnis"} <= set(nav["labels"])
        # Below 1,200 px the menu folds behind the button.
        page.set_viewport_size({"width": 1199, "height": 900})
        page.goto("/")
        assert page.evaluate(NAV_CHECK)["togglerVisible"]
    finally:
        context.close()
