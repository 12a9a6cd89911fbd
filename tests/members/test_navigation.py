"""The navigation and the start page ask the rules the views ask (members.context_processors):
nobody is offered a link that answers 403, and asking costs no extra query."""

import pytest
from django.urls import reverse

from members.models import Company
from tests.factories import CompanyAdminFactory, CompanyFactory, MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

MEETINGS = "/meetings/"
MEMBER_DIRECTORY = "/members/"
PUBLIC_DIRECTORY = "/members/directory/"


def navigation(html: str) -> str:
    """The page's header with the main navigation."""
    return html.split("<main", 1)[0]


def hrefs(html: str) -> set[str]:
    return {part.split('"', 1)[0] for part in html.split('href="')[1:]}


@pytest.fixture
def pending_admin(db):
    return CompanyAdminFactory(company=CompanyFactory(status=Company.Status.PENDING)).user


def test_a_pending_companys_user_is_not_offered_links_that_answer_403(client, pending_admin):
    meeting = MeetingFactory()
    client.force_login(pending_admin)

    html = client.get("/").content.decode()

    links = hrefs(navigation(html))
    assert MEETINGS not in links
    assert MEMBER_DIRECTORY not in links
    assert {PUBLIC_DIRECTORY, reverse("members:company")} <= links
    assert "Netzwerktreffen</a>" not in navigation(html)
    assert "Mitgliederverzeichnis" not in navigation(html)
    # The start page names the next meeting but offers no way into it.
    assert meeting.title in html
    assert reverse("meetings:detail", args=[meeting.slug]) not in hrefs(html)
    # What the links would have answered.
    assert client.get(MEETINGS).status_code == 403
    assert client.get(MEMBER_DIRECTORY).status_code == 403
    assert client.get(reverse("meetings:detail", args=[meeting.slug])).status_code == 403


def test_a_pending_companys_user_is_not_offered_the_members_archive(client, pending_admin):
    client.force_login(pending_admin)

    html = client.get(reverse("newsletter:archive")).content.decode()

    assert "Zum Archiv für Mitglieder" not in html
    assert client.get(reverse("newsletter:members_archive")).status_code == 403


@pytest.mark.parametrize("status", [Company.Status.PAUSED, Company.Status.LEFT])
def test_users_of_a_company_outside_the_network_see_no_member_links(client, status):
    client.force_login(MembershipFactory(company=CompanyFactory(status=status)).user)

    links = hrefs(navigation(client.get("/").content.decode()))

    assert MEETINGS not in links and MEMBER_DIRECTORY not in links
    assert reverse("members:company") in links


def test_an_active_companys_user_sees_the_member_links(client, company_user):
    meeting = MeetingFactory()
    client.force_login(company_user)

    html = client.get("/").content.decode()

    assert {MEETINGS, MEMBER_DIRECTORY, reverse("members:company")} <= hrefs(navigation(html))
    assert reverse("meetings:detail", args=[meeting.slug]) in hrefs(html)
    assert reverse("admin:index") not in hrefs(navigation(html))
    assert client.get(MEETINGS).status_code == 200
    assert client.get(MEMBER_DIRECTORY).status_code == 200


def test_a_coordinator_sees_the_member_links_and_the_coordination(client, coordinator):
    login_with_second_factor(client, coordinator)

    links = hrefs(navigation(client.get("/").content.decode()))

    assert {MEETINGS, MEMBER_DIRECTORY, reverse("admin:index")} <= links
    assert reverse("members:onboarding") not in links


def test_a_user_without_company_is_led_to_register_one(client):
    client.force_login(UserFactory())

    links = hrefs(navigation(client.get("/").content.decode()))

    assert reverse("members:onboarding") in links
    assert MEETINGS not in links and MEMBER_DIRECTORY not in links


@pytest.mark.parametrize("companies", [1, 12])
@pytest.mark.parametrize("who", ["active", "pending", "without_company"])
def test_start_page_queries_stay_the_same_for_a_logged_in_user(
    client, django_assert_num_queries, companies, who
):
    hosts = CompanyFactory.create_batch(companies)
    for host in hosts:
        MeetingFactory(host=host)
    if who == "without_company":
        user = UserFactory()
    else:
        status = Company.Status.ACTIVE if who == "active" else Company.Status.PENDING
        user = MembershipFactory(company=CompanyFactory(status=status)).user
    client.force_login(user)

    # Session, the user with the company account and its company (one query for the whole
    # navigation), the member count, the next meeting with its host.
    with django_assert_num_queries(4):
        html = client.get("/").content.decode()

    assert "Nächstes Netzwerktreffen" in html
