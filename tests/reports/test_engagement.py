"""Engagement per member company: the figures, the quiet ones, the coordinators' list (filters,
order, CSV) and the same figures on the company's admin page."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, Registration, TopicVote
from members.models import Company, SizeClass
from newsletter.models import Bounce
from reports.selectors import engagement_list, months_before, quiet_companies, quiet_reasons
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory, TopicProposalFactory
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import BounceFactory
from tests.seal.factories import ApplicationFactory, AwardCycleFactory, CertificateFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:reports_engagement_changelist")
CSV_URL = reverse("admin:reports_engagement_csv")


def past_meeting(days_ago, **kwargs):
    starts_at = timezone.now() - timedelta(days=days_ago)
    return MeetingFactory(
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        rsvp_deadline=starts_at - timedelta(days=7),
        status=Meeting.Status.HELD,
        host=None,
        **kwargs,
    )


@pytest.fixture
def network():
    """Four active companies and one that has left:

    - Moselblick: came to a meeting two months ago (checked in), said no to an older one,
      answered a meeting still to come; 1 proposal, 2 votes of its people; a valid seal and an
      application in the current cycle; contacts: one reachable, one hard-bounced (and a soft
      bounce of the first): 1 of 2 reachable, 2 bounces. Not quiet.
    - Olewig: last came 14 months ago. Quiet.
    - Datenwerk: never came; its only contact wants no mail. Quiet, for both reasons.
    - Porta: seated at a meeting 20 days ago at which nobody was checked in: attended. Not
      quiet.
    - Ruwer Bau: left; not in the list.
    """
    moselblick = CompanyFactory(name="Moselblick Pflege GmbH", size_class=SizeClass.SMALL)
    olewig = CompanyFactory(name="Schreinerei Olewig", size_class=SizeClass.SMALL)
    datenwerk = CompanyFactory(name="Trierer Datenwerk GmbH", size_class=SizeClass.MEDIUM)
    porta = CompanyFactory(name="Porta Logistik KG", size_class=SizeClass.LARGE)
    ruwer = CompanyFactory(name="Ruwer Bau GmbH", status=Company.Status.LEFT)

    recent = past_meeting(60)
    RegistrationFactory(meeting=recent, company=moselblick, checked_in_at=recent.starts_at)
    RegistrationFactory(meeting=recent, company=datenwerk, status=Registration.Status.DECLINED)
    # Seated, no check-in, at a meeting where others were checked in: did not come.
    RegistrationFactory(meeting=recent, company=olewig)
    older = past_meeting(200)
    RegistrationFactory(meeting=older, company=moselblick, status=Registration.Status.DECLINED)
    long_ago = past_meeting(430)
    RegistrationFactory(meeting=long_ago, company=olewig, checked_in_at=long_ago.starts_at)
    no_check_in = past_meeting(20)
    RegistrationFactory(meeting=no_check_in, company=porta)
    upcoming = MeetingFactory(host=None)
    RegistrationFactory(meeting=upcoming, company=moselblick)
    cancelled = past_meeting(10, title="Abgesagt")
    Meeting.objects.filter(pk=cancelled.pk).update(status=Meeting.Status.CANCELLED)
    RegistrationFactory(meeting=cancelled, company=datenwerk, checked_in_at=cancelled.starts_at)
    RegistrationFactory(meeting=recent, company=ruwer, checked_in_at=recent.starts_at)

    proposal = TopicProposalFactory(company=olewig)
    TopicProposalFactory(company=moselblick)
    for _ in range(2):
        TopicVote.objects.create(proposal=proposal, user=MembershipFactory(company=moselblick).user)

    CertificateFactory(
        application__company=moselblick,
        application__cycle=AwardCycleFactory(name="2025"),
        valid_until=timezone.localdate() + timedelta(days=900),
    )
    ApplicationFactory(company=moselblick, cycle=AwardCycleFactory(name="2027"))
    ApplicationFactory(
        company=olewig, cycle=AwardCycleFactory(name="2029"), submitted_at=timezone.now()
    )

    ContactPersonFactory(company=moselblick, email="Personal@Moselblick.example")
    ContactPersonFactory(company=moselblick, email="alt@moselblick.example", wants_newsletter=False)
    BounceFactory(email="alt@moselblick.example", kind=Bounce.Kind.HARD)
    BounceFactory(email="personal@moselblick.example", kind=Bounce.Kind.SOFT)
    ContactPersonFactory(company=olewig)
    ContactPersonFactory(company=datenwerk, wants_meeting_invitations=False, wants_newsletter=False)
    ContactPersonFactory(company=porta, wants_newsletter=False)
    return {
        "moselblick": moselblick,
        "olewig": olewig,
        "datenwerk": datenwerk,
        "porta": porta,
        "recent": recent,
        "long_ago": long_ago,
    }


def rows():
    return {company.name: company for company in engagement_list()}


def test_the_figures_of_each_company(network):
    figures = rows()

    assert set(figures) == {
        "Moselblick Pflege GmbH",
        "Schreinerei Olewig",
        "Trierer Datenwerk GmbH",
        "Porta Logistik KG",
    }
    moselblick = figures["Moselblick Pflege GmbH"]
    assert (
        moselblick.meetings_attended,
        moselblick.meetings_answered,
        moselblick.topics_proposed,
        moselblick.topic_votes,
        moselblick.contact_count,
        moselblick.reachable_contacts,
        moselblick.bounces,
        moselblick.quiet,
    ) == (1, 3, 1, 2, 2, 1, 2, False)
    assert moselblick.last_attended == network["recent"].starts_at
    assert moselblick.seal_valid_until == timezone.localdate() + timedelta(days=900)
    assert (moselblick.seal_cycle, moselblick.seal_state) == ("2027", "draft")

    olewig = figures["Schreinerei Olewig"]
    assert (olewig.meetings_attended, olewig.meetings_answered, olewig.quiet) == (1, 2, True)
    assert olewig.last_attended == network["long_ago"].starts_at
    assert (olewig.seal_valid_until, olewig.seal_cycle, olewig.seal_state) == (
        None,
        "2029",
        "submitted",
    )
    assert quiet_reasons(olewig) == ["zuletzt vor 14 Monaten bei einem Treffen"]

    datenwerk = figures["Trierer Datenwerk GmbH"]
    assert (datenwerk.meetings_attended, datenwerk.meetings_answered) == (0, 1)
    assert (datenwerk.reachable_contacts, datenwerk.quiet) == (0, True)
    assert quiet_reasons(datenwerk) == [
        "noch bei keinem Treffen",
        "keine erreichbare Ansprechperson",
    ]

    porta = figures["Porta Logistik KG"]
    assert (porta.meetings_attended, porta.reachable_contacts, porta.quiet) == (1, 1, False)


def test_quiet_after_the_configured_months(network, settings):
    settings.ENGAGEMENT_QUIET_MONTHS = 1

    assert {name for name, company in rows().items() if company.quiet} == {
        "Moselblick Pflege GmbH",  # two months ago
        "Schreinerei Olewig",
        "Trierer Datenwerk GmbH",
    }


@pytest.mark.parametrize("months", [1, 12])
def test_the_cockpit_counts_exactly_the_quiet_ones_of_the_list(network, settings, months):
    settings.ENGAGEMENT_QUIET_MONTHS = months
    in_the_list = {company.name for company in engagement_list() if company.quiet}

    assert {company.name for company in quiet_companies()} == in_the_list
    assert in_the_list  # the seed has quiet companies for both settings


def test_months_before_keeps_the_end_of_a_month():
    moment = timezone.make_aware(timezone.datetime(2027, 3, 31, 12, 0))

    assert months_before(moment, 1).date() == timezone.datetime(2027, 2, 28).date()
    assert months_before(moment, 12).date() == timezone.datetime(2026, 3, 31).date()


def names_in(response):
    return [row.name for row in response.context["cl"].result_list]


def test_the_list_shows_the_quiet_ones_first_when_asked(network, coordinator_client):
    response = coordinator_client.get(LIST_URL, {"quiet": "yes"})

    assert response.status_code == 200
    assert names_in(response) == ["Schreinerei Olewig", "Trierer Datenwerk GmbH"]
    content = response.content.decode()
    assert "zuletzt vor 14 Monaten bei einem Treffen" in content
    assert "noch bei keinem Treffen; keine erreichbare Ansprechperson" in content


def test_the_list_filters_by_size_class_and_sorts_by_a_figure(network, coordinator_client):
    small = coordinator_client.get(LIST_URL, {"size_class__exact": SizeClass.SMALL})
    assert names_in(small) == ["Moselblick Pflege GmbH", "Schreinerei Olewig"]

    # Column 3 (from 0) is the last attendance; descending: the latest first, never last.
    by_last_visit = coordinator_client.get(LIST_URL, {"o": "-3"})
    assert names_in(by_last_visit) == [
        "Porta Logistik KG",
        "Moselblick Pflege GmbH",
        "Schreinerei Olewig",
        "Trierer Datenwerk GmbH",
    ]
    content = by_last_visit.content.decode()
    assert "gültig bis" in content and "2029: eingereicht" in content
    assert "1 von 2" in content


def test_the_csv_has_the_figures_of_the_filtered_list(network, coordinator_client):
    response = coordinator_client.get(CSV_URL, {"quiet": "yes"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="engagement.csv"'
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, *body = table
    assert header[:5] == [
        "Unternehmen",
        "Größenklasse",
        "Branche",
        "Mitglied seit",
        "Treffen besucht",
    ]
    assert [row[0] for row in body] == ["Schreinerei Olewig", "Trierer Datenwerk GmbH"]
    olewig = dict(zip(header, body[0], strict=True))
    assert olewig["Treffen besucht"] == "1"
    assert olewig["Treffen beantwortet"] == "2"
    assert olewig["Letzte Siegel-Bewerbung"] == "2029: eingereicht"
    assert olewig["Ruhig"] == "ja"
    assert olewig["Warum ruhig"] == "zuletzt vor 14 Monaten bei einem Treffen"


def test_the_company_page_shows_its_engagement(network, coordinator_client):
    url = reverse("admin:members_company_change", args=[network["moselblick"].pk])

    response = coordinator_client.get(url)

    content = response.content.decode()
    assert 'id="panel-engagement"' in content
    assert "Treffen besucht" in content and "1 von 2" in content
    assert "letzte Bewerbung 2027: Entwurf" in content


def test_the_engagement_panel_needs_the_reports_permission(network, client):
    """Staff who may see companies but not the figures see the company without the panel."""
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="members", codename="view_company")
    )
    login_with_second_factor(client, staff)

    response = client.get(reverse("admin:members_company_change", args=[network["moselblick"].pk]))

    assert response.status_code == 200
    assert 'id="panel-engagement"' not in response.content.decode()
    assert client.get(LIST_URL).status_code == 403


def test_a_row_leads_to_the_company_s_page(network, coordinator_client):
    company = network["porta"]

    response = coordinator_client.get(reverse("admin:reports_engagement_change", args=[company.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:members_company_change", args=[company.pk])


@pytest.mark.parametrize("url", [LIST_URL, CSV_URL])
def test_only_coordinators_see_the_engagement(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    client.force_login(CompanyAdminFactory().user)
    assert client.get(url).status_code == 403


def grow(network, n):
    """``n`` more active companies, each with a contact, an attendance and a proposal."""
    meeting = past_meeting(20)
    for i in range(n):
        company = CompanyFactory(name=f"Hochwald Betrieb {i:02d} GmbH")
        ContactPersonFactory(company=company)
        RegistrationFactory(meeting=meeting, company=company, checked_in_at=meeting.starts_at)
        TopicProposalFactory(company=company)


def test_the_list_needs_the_same_queries_for_more_companies(
    network, coordinator_client, django_assert_num_queries
):
    coordinator_client.get(LIST_URL)  # sessions, permissions and the like, once
    with django_assert_num_queries(LIST_QUERIES):
        assert len(names_in(coordinator_client.get(LIST_URL))) == 4
    grow(network, 12)
    with django_assert_num_queries(LIST_QUERIES):
        assert len(names_in(coordinator_client.get(LIST_URL))) == 16


def test_the_panel_and_the_cockpit_need_the_same_queries_for_more_companies(
    network, rf, koordination, django_assert_num_queries
):
    from reports import cockpit
    from reports.panels import engagement_context

    request = rf.get("/admin/")
    request.user = koordination

    def count_once():
        with django_assert_num_queries(1):
            engagement_context(request, network["porta"])
        with django_assert_num_queries(1):
            cockpit.counters(request)
        with django_assert_num_queries(1):
            cockpit.context(request)

    count_once()
    grow(network, 12)
    count_once()


# Session, user, the user's and the group's permissions, the list's two counts (shown, total)
# and its page: the figures are subqueries of the page's one query.
LIST_QUERIES = 7
