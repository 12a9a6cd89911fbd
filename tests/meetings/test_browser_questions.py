"""In the browser, on a desktop and on a phone: two member companies submit questions to the
expert of a meeting (one without its name), the coordinator sends them to the expert, and the
expert's mail in the outbox carries the PDF, which names only the company that allowed it."""

import base64
import io
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import ExpertQuestion
from network_portal.models import OutboxMail
from tests.factories import CompanyFactory, CoordinatorFactory, MembershipFactory, UserFactory
from tests.meetings.factories import ExpertGuestFactory, MeetingFactory
from tests.mfa import browser_log_in, enroll_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"
SHOTS = Path("/tmp/h2")


def member(email, company_name):
    user = UserFactory(email=email)
    MembershipFactory(user=user, company=CompanyFactory(name=company_name))
    return user


def new_page(browser, live_server, width):
    context = browser.new_context(
        locale="de-DE", base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def assert_no_sideways_scrolling(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def ask(page, questions_path, *, text, to, show_company):
    page.goto(questions_path)
    page.get_by_label("An", exact=True).select_option(label=to)
    page.get_by_label("Ihre Frage").fill(text)
    box = page.get_by_label("Den Namen meines Unternehmens anderen Mitgliedern zeigen")
    if show_company:
        box.check()
    else:
        box.uncheck()
    page.get_by_role("button", name="Frage einreichen").click()
    expect(page.get_by_text("Vielen Dank für Ihre Frage.")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_two_companies_ask_and_the_coordinator_sends_the_questions(browser, live_server, width):
    meeting = MeetingFactory(title="Fachkräfte aus Drittstaaten", collects_questions=True)
    expert = ExpertGuestFactory(
        meeting=meeting,
        name="Petra Amtmann",
        organisation="Ausländerbehörde Trier",
        email="amtmann@trier.example",
    )
    open_user = member("lea@ruwer.example", "Offene Bäckerei Ruwer")
    quiet_user = member("tom@verschwiegen.example", "Verschwiegen Logistik GmbH")
    coordinator = CoordinatorFactory(email="koordination@example.org")
    path = f"/meetings/{meeting.slug}/questions/"

    # The first company asks with its name, from the meeting's page.
    page = new_page(browser, live_server, width)
    browser_log_in(page, open_user.email, PASSWORD)
    page.goto(f"/meetings/{meeting.slug}/")
    page.locator("#questions-card").screenshot(path=str(SHOTS / f"detail-card-{width}.png"))
    page.get_by_role("link", name="Fragen stellen oder ansehen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fragen an die Fachleute")
    expect(
        page.get_by_text("Noch keine Fragen eingereicht. Stellen Sie die erste!")
    ).to_be_visible()
    ask(
        page,
        path,
        text="Welche Förderung gibt es für Sprachkurse?",
        to="An alle Fachleute",
        show_company=True,
    )
    page.context.close()

    # The second company asks without its name; it sees the first company's name.
    page = new_page(browser, live_server, width)
    browser_log_in(page, quiet_user.email, PASSWORD)
    ask(
        page,
        path,
        text="Wie lange dauert die Vorabzustimmung?",
        to="Petra Amtmann (Ausländerbehörde Trier)",
        show_company=False,
    )
    expect(page.get_by_text("von Offene Bäckerei Ruwer")).to_be_visible()
    expect(
        page.get_by_text("Andere Mitglieder sehen den Namen Ihres Unternehmens nicht")
    ).to_be_visible()
    page.screenshot(path=str(SHOTS / f"questions-page-{width}.png"), full_page=True)
    if width == 390:  # (at 1280 px the site's main navigation decides, not this page)
        assert_no_sideways_scrolling(page)
    page.context.close()

    # The first company does not see who asked the second question.
    page = new_page(browser, live_server, width)
    browser_log_in(page, open_user.email, PASSWORD)
    page.goto(path)
    expect(page.get_by_text("Wie lange dauert die Vorabzustimmung?")).to_be_visible()
    assert "Verschwiegen Logistik" not in page.content()
    expect(
        page.get_by_text("von einem Mitgliedsunternehmen (Name nicht angezeigt)")
    ).to_be_visible()
    page.context.close()

    # The coordinator sends both questions to the expert, after the confirmation.
    page = new_page(browser, live_server, width)
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    page.goto(f"/admin/meetings/meeting/{meeting.pk}/change/")
    page.locator("#expert-questions").click()
    expect(page.locator(f"#expert-{expert.pk}")).to_contain_text("Verschwiegen Logistik GmbH")
    page.screenshot(path=str(SHOTS / f"admin-questions-{width}.png"), full_page=True)
    assert_no_sideways_scrolling(page)
    page.get_by_role("link", name="An Fachperson senden …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fragen an Petra Amtmann senden?")
    expect(
        page.get_by_text(
            "Petra Amtmann erhält 2 Fragen per E-Mail als PDF (davon 1 an alle Fachleute)."
        )
    ).to_be_visible()
    page.get_by_role("button", name="2 Fragen senden").click()
    expect(page.get_by_text("2 Fragen werden an Petra Amtmann gesendet.")).to_be_visible()
    expect(page.get_by_text("0 Fragen noch nicht erhalten")).to_be_visible()
    page.context.close()

    mail = OutboxMail.objects.get(to="amtmann@trier.example")
    assert "Fachkräfte aus Drittstaaten" in mail.subject
    (attachment,) = mail.attachments
    pdf = base64.b64decode(attachment["content"])
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Wie lange dauert die Vorabzustimmung?" in text
    assert "Offene Bäckerei Ruwer" in text
    assert "Verschwiegen" not in text
    assert ExpertQuestion.objects.filter(sent_at__isnull=False).count() == 2
    if width == 1280:
        (SHOTS / "questions.pdf").write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(SHOTS / "questions.pdf"), str(SHOTS / "pdf")],
            check=False,
        )
