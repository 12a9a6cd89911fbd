"""A company awaiting approval: its users are offered only what they can use, and their company
page says since when they wait, what happens next and whom to ask."""

import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Company
from tests.factories import CompanyAdminFactory, CompanyFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory
from tests.newsletter.factories import PublicListFactory, SentIssueFactory
from tests.seal.factories import AwardCycleFactory, CategoryFactory, CriterionFactory

pytestmark = pytest.mark.django_db

APPLY_NOW = "Jetzt bewerben"
START = "Bewerbung beginnen"


@pytest.fixture
def pending():
    return CompanyFactory(
        name="Hunsrücker Kinderbetreuung gGmbH",
        status=Company.Status.PENDING,
        member_since=None,
        registered_at=timezone.make_aware(datetime(2026, 3, 9, 10, 30)),
    )


@pytest.fixture
def pending_admin(pending):
    return CompanyAdminFactory(company=pending).user


@pytest.fixture
def open_cycle():
    cycle = AwardCycleFactory(name="2027", slug="2027")
    CriterionFactory(category=CategoryFactory(cycle=cycle))
    return cycle


def same_site_links(html: str) -> set[str]:
    """The portal's own pages a page links to (no anchors, downloads by script, mail links)."""
    links = set()
    for href in re.findall(r'href="([^"]+)"', html):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith("/static/"):
            continue
        links.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return links


@pytest.mark.parametrize("admin", [True, False], ids=["company admin", "employee"])
def test_no_page_a_pending_companys_user_reaches_offers_a_link_that_answers_403(
    client, pending, open_cycle, admin
):
    MeetingFactory()
    PublicListFactory()
    SentIssueFactory(is_public=True)
    user = (CompanyAdminFactory if admin else MembershipFactory)(company=pending).user
    client.force_login(user)

    start_pages = ["/", reverse("members:company"), reverse("seal:home")]
    seen, refused = set(), []
    for start in start_pages:
        response = client.get(start)
        assert response.status_code == 200
        for link in same_site_links(response.content.decode()) - seen:
            seen.add(link)
            if client.get(link).status_code == 403:
                refused.append(f"{start} → {link}")

    assert refused == []
    assert reverse("members:company_edit") in seen or not admin  # admins can edit the profile
    assert reverse("meetings:list") not in seen and reverse("members:directory") not in seen


def test_the_company_page_says_since_when_it_waits_what_happens_next_and_whom_to_ask(
    client, pending_admin, settings
):
    client.force_login(pending_admin)

    html = client.get(reverse("members:company")).content.decode()

    section = html[html.index('id="awaiting-approval"') : html.index("</section>")]
    assert "Ihre Registrierung wartet auf Freigabe" in section
    assert "Ihr Unternehmen wurde am 9. März 2026 registriert" in section
    assert "Die Koordination wurde per E-Mail über die Registrierung informiert" in section
    assert "schickt das Portal den Unternehmens-Admins Ihres Unternehmens eine E-Mail" in section
    assert "Bis dahin können Sie bereits das Profil" in section  # an admin can do that
    assert f'href="mailto:{settings.OFFICE_EMAIL}"' in section
    assert settings.OFFICE_PHONE in section
    # Nothing promised the portal does not keep (no deadline for the decision).
    assert "Werktag" not in section and "innerhalb" not in section


def test_an_employee_of_a_pending_company_is_not_told_to_edit_the_profile(client, pending):
    client.force_login(MembershipFactory(company=pending).user)

    html = client.get(reverse("members:company")).content.decode()

    assert "Ihre Registrierung wartet auf Freigabe" in html
    assert "Bis dahin können Sie bereits das Profil" not in html


def test_an_active_companys_page_has_no_waiting_notice(client, company_admin):
    client.force_login(company_admin)

    html = client.get(reverse("members:company")).content.decode()

    assert 'id="awaiting-approval"' not in html
    assert reverse("seal:application") in html


def test_a_pending_company_is_offered_no_seal_application(client, pending_admin, open_cycle):
    client.force_login(pending_admin)

    company_page = client.get(reverse("members:company")).content.decode()
    seal_page = client.get(reverse("seal:home")).content.decode()
    application_page = client.get(reverse("seal:application")).content.decode()

    assert reverse("seal:application") not in company_page
    assert APPLY_NOW not in seal_page and reverse("seal:application") not in seal_page
    assert "Sobald die Koordination Ihr Unternehmen freigegeben hat" in seal_page
    assert START not in application_page
    assert "Sobald die Koordination Ihr Unternehmen freigegeben hat" in application_page


@pytest.mark.parametrize(
    ("who", "offered", "says"),
    [
        ("visitor", True, ""),
        ("admin", True, ""),
        ("employee", False, "Die Unternehmens-Admins Ihres Unternehmens können sich"),
        ("without company", False, "Registrieren Sie zuerst Ihr Unternehmen"),
    ],
)
def test_the_seal_page_offers_apply_now_to_whom_it_can_lead(
    client, company, open_cycle, who, offered, says
):
    from tests.factories import UserFactory

    users = {
        "admin": lambda: CompanyAdminFactory(company=company).user,
        "employee": lambda: MembershipFactory(company=company).user,
        "without company": UserFactory,
    }
    if who in users:
        client.force_login(users[who]())

    html = client.get(reverse("seal:home")).content.decode()

    assert (APPLY_NOW in html) is offered
    assert says in html
    if offered and who != "visitor":
        # Where the button leads, the application can be started.
        assert START in client.get(reverse("seal:application")).content.decode()
