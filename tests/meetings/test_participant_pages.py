"""The participant overview at a large network: the answers by company and the people without
an answer come a page at a time (50 each), the totals count everyone, and the page runs the
same queries with 3 companies as with 120."""

from html import unescape

import pytest
from django.urls import reverse

from meetings.models import Registration
from members.models import Company
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def network(size: int, meetings: int = 1) -> list:
    """``size`` active companies „Firma 000“ …, two contacts each, and ``meetings`` meetings
    hosted by the first; every third company said yes, every seventh only no (a colleague of
    theirs has not answered either way)."""
    companies = [CompanyFactory(name=f"Firma {n:03d}") for n in range(size)]
    for company in companies:
        company.first_contact = ContactPersonFactory.create_batch(2, company=company)[0]
    return [answered(MeetingFactory(host=companies[0]), companies) for _ in range(meetings)]


def answered(meeting, companies):
    for n, company in enumerate(companies):
        first = company.first_contact
        if n % 3 == 0:
            RegistrationFactory(meeting=meeting, company=company, contact=first, email=first.email)
        elif n % 7 == 0:
            RegistrationFactory(
                meeting=meeting,
                company=company,
                contact=first,
                email=first.email,
                status=Registration.Status.DECLINED,
            )
    return meeting


def overview(client, meeting, **params):
    url = reverse("admin:meetings_meeting_participants", args=[meeting.pk])
    return client.get(url, params)


def test_a_large_network_comes_a_page_at_a_time_with_totals_over_all(coordinator_client):
    (meeting,) = network(120)  # yes: 40, only no: 120/7 without the multiples of 3 = 12

    response = overview(coordinator_client, meeting)

    page = unescape(response.content.decode())
    assert [c["name"] for c in response.context["companies"]] == [
        f"Firma {n:03d}" for n in range(50)
    ]
    assert '<td id="companies-yes">40</td>' in page
    assert '<td id="companies-no">12</td>' in page
    assert '<td id="companies-no-answer">68</td>' in page
    # Everyone without an answer is counted, 50 of them are listed, all of them can be reminded.
    assert "Eingeladen, noch ohne Antwort (188 Personen)" in page
    assert len(response.context["no_answer"]) == 50
    assert "Alle 188 jetzt erinnern …" in page
    assert "Seite 1 von 3" in page
    assert 'href="?companies_page=2#companies"' in page
    assert 'href="?no_answer_page=2#no-answer"' in page

    last = overview(coordinator_client, meeting, companies_page=3, no_answer_page=2)
    assert [c["name"] for c in last.context["companies"]] == [
        f"Firma {n:03d}" for n in range(100, 120)
    ]
    rows = {
        c["name"]: (c["answer"], c["confirmed"], c["declined"]) for c in last.context["companies"]
    }
    assert rows["Firma 100"] == ("none", 0, 0)
    assert rows["Firma 102"] == ("yes", 1, 0)
    assert rows["Firma 112"] == ("no", 0, 1)
    assert len(last.context["no_answer"]) == 50
    # Going back on one list keeps the page of the other.
    assert 'href="?companies_page=2&amp;no_answer_page=2#companies"' in last.content.decode()


def test_the_overview_runs_the_same_queries_at_3_and_at_120_companies(
    coordinator_client, django_assert_num_queries
):
    for size in (3, 120):
        Company.objects.all().delete()
        (meeting,) = network(size)
        # The session, user and meeting, the registrations, the companies' totals, one page
        # of companies, the feedback; who has not answered: the reminders written today,
        # their counts, one page of them.
        with django_assert_num_queries(10):
            response = overview(coordinator_client, meeting, companies_page=2)
        assert response.status_code == 200
    assert len(response.context["companies"]) == 50
    assert len(response.context["no_answer"]) == 50
