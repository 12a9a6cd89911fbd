"""axe-core finds no WCAG 2.0/2.1 A or AA violation on the pages of the questions to the
experts: the members' page (with questions, with a form's errors, closed after the start), the
change and withdraw pages, and the coordinators' screen with its send confirmation and the
list of all questions. (The answer is typed on Django's own change form, which axe cannot check
here: axe's own run there applies inline styles while preloading the style sheets, which the
strict Content-Security-Policy blocks and the page fixture counts as a violation.)"""

import pytest
from playwright.sync_api import expect

from tests.accessibility.conftest import assert_no_axe_violations
from tests.factories import CompanyFactory, CoordinatorFactory, MembershipFactory, UserFactory
from tests.meetings.factories import ExpertGuestFactory, ExpertQuestionFactory, MeetingFactory
from tests.mfa import browser_log_in, enroll_totp

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("axe"),
]

PASSWORD = "geheim-123-trier"


def check(page, path, heading):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_no_axe_violations(page)


def test_the_members_pages(page):
    meeting = MeetingFactory(title="Fachkräfte aus Drittstaaten", collects_questions=True)
    expert = ExpertGuestFactory(meeting=meeting, name="Petra Amtmann")
    company = CompanyFactory(name="Offene Bäckerei Ruwer")
    user = UserFactory(email="lea@ruwer.example")
    MembershipFactory(user=user, company=company)
    own = ExpertQuestionFactory(
        meeting=meeting, expert=expert, company=company, show_company=False, text="Wie lange?"
    )
    ExpertQuestionFactory(meeting=meeting, text="Welche Förderung gibt es?")
    ExpertQuestionFactory(
        meeting=meeting, text="Schon beantwortet", answer="Ja.", answered_at=meeting.created_at
    )
    browser_log_in(page, user.email, PASSWORD)
    path = f"/meetings/{meeting.slug}/questions/"

    check(page, path, "Fragen an die Fachleute")
    page.get_by_role("button", name="Frage einreichen").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)
    check(page, f"{path}{own.pk}/edit/", "Frage ändern")
    check(page, f"{path}{own.pk}/withdraw/", "Frage zurückziehen?")

    page.set_viewport_size({"width": 390, "height": 844})
    started = MeetingFactory(today=True, collects_questions=True, title="Heute")
    ExpertQuestionFactory(meeting=started, text="Vorher gestellt")
    check(page, f"/meetings/{started.slug}/questions/", "Fragen an die Fachleute")
    expect(page.locator("#questions-closed")).to_be_visible()


def test_the_coordinators_screens(page):
    coordinator = CoordinatorFactory(email="koordination@example.org")
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    meeting = MeetingFactory(title="Fachkräfte aus Drittstaaten", collects_questions=True)
    expert = ExpertGuestFactory(meeting=meeting, name="Petra Amtmann")
    ExpertQuestionFactory(meeting=meeting, expert=expert, show_company=False)
    ExpertQuestionFactory(meeting=meeting)

    base = f"/admin/meetings/meeting/{meeting.pk}/questions/"
    check(page, base, "Fragen an die Fachleute")
    check(page, f"{base}send/{expert.pk}/", "Fragen an Petra Amtmann senden?")
    check(page, "/admin/meetings/expertquestion/", "Frage")
