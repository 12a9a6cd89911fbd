"""The public web archive and the members-only archive of sent issues."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Issue
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import IssueFactory, SentIssueFactory

pytestmark = pytest.mark.django_db

PUBLIC = "/newsletter/archive/"
MEMBERS = "/newsletter/members-archive/"


def sent_days_ago(days, **kwargs):
    return SentIssueFactory(sent_at=timezone.now() - timedelta(days=days), **kwargs)


@pytest.fixture
def issues(db):
    return {
        "old": sent_days_ago(30, subject="Rückblick Weihnachtsempfang"),
        "new": sent_days_ago(1, subject="Siegel 2025: Bewerbung offen"),
        "internal": sent_days_ago(2, subject="Nur für Mitglieder: Protokoll", is_public=False),
        "draft": IssueFactory(subject="Entwurf: Sommerfest"),
        "sending": IssueFactory(subject="Wird gerade versandt", status=Issue.Status.SENDING),
    }


def test_public_archive_lists_sent_public_issues_newest_first(client, issues):
    response = client.get(reverse("newsletter:archive"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Newsletter-Archiv</h1>" in html
    assert [issue.subject for issue in response.context["issues"]] == [
        "Siegel 2025: Bewerbung offen",
        "Rückblick Weihnachtsempfang",
    ]
    assert html.index("Siegel 2025: Bewerbung offen") < html.index("Rückblick Weihnachtsempfang")
    for hidden in ("Nur für Mitglieder: Protokoll", "Entwurf: Sommerfest", "Wird gerade versandt"):
        assert hidden not in html
    assert f'href="/newsletter/archive/{issues["new"].pk}/"' in html
    assert "Zum Archiv für Mitglieder" not in html  # anonymous visitors are not offered it


def test_public_archive_empty_state(client):
    IssueFactory()
    html = client.get(PUBLIC).content.decode()
    assert "Es wurden noch keine Newsletter versandt." in html


def test_public_archive_is_paginated(client):
    for days in range(25):
        sent_days_ago(days + 1)
    first = client.get(PUBLIC)
    second = client.get(PUBLIC, {"page": 2})
    assert len(first.context["issues"]) == 20
    assert len(second.context["issues"]) == 5
    assert "Seite 2 von 2" in second.content.decode()


def test_public_issue_shows_the_body_with_the_generic_salutation(client):
    issue = sent_days_ago(
        3,
        subject="Fachkräfte aus dem Ausland",
        body="Neu: **Sprachkurse** für internationale Fachkräfte.\n\n"
        '<script>alert("x")</script><a href="https://example.org" onclick="steal()">Mehr</a>',
    )
    response = client.get(reverse("newsletter:archive_issue", args=[issue.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Fachkräfte aus dem Ausland</h1>" in html
    assert "<p>Guten Tag,</p>" in html
    assert "<strong>Sprachkurse</strong>" in html
    assert "Versandt am" in html
    assert "<script>alert" not in html
    assert "onclick" not in html
    assert "steal()" not in html


@pytest.mark.parametrize("kind", ["internal", "draft", "sending"])
def test_public_issue_404_for_internal_and_unsent_issues(client, issues, kind):
    response = client.get(reverse("newsletter:archive_issue", args=[issues[kind].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("n", [1, 15])
def test_public_archive_query_count_is_constant(client, django_assert_num_queries, n):
    for days in range(n):
        sent_days_ago(days + 1)
    with django_assert_num_queries(2):  # count and page
        response = client.get(PUBLIC)
    assert len(response.context["issues"]) == n


# --- Members-only archive --------------------------------------------------------------------


def test_members_archive_needs_a_login(client, issues):
    for url in (MEMBERS, reverse("newsletter:members_archive_issue", args=[issues["internal"].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["no_company", "pending_company"])
def test_members_archive_is_refused_to_others(client, issues, who):
    if who == "no_company":
        user = UserFactory()
    else:
        user = MembershipFactory(company=CompanyFactory(status="pending")).user
    client.force_login(user)
    for url in (MEMBERS, reverse("newsletter:members_archive_issue", args=[issues["internal"].pk])):
        response = client.get(url)
        assert response.status_code == 403


def test_members_archive_lists_every_sent_issue(client, issues, company_user):
    client.force_login(company_user)
    response = client.get(MEMBERS)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Newsletter-Archiv für Mitglieder</h1>" in html
    assert [issue.subject for issue in response.context["issues"]] == [
        "Siegel 2025: Bewerbung offen",
        "Nur für Mitglieder: Protokoll",
        "Rückblick Weihnachtsempfang",
    ]
    assert html.count("nur für Mitglieder</span>") == 1
    assert f'href="/newsletter/members-archive/{issues["internal"].pk}/"' in html
    assert "Entwurf: Sommerfest" not in html


def test_members_see_the_internal_issue_but_not_drafts(client, issues, company_user):
    client.force_login(company_user)
    internal = client.get(reverse("newsletter:members_archive_issue", args=[issues["internal"].pk]))
    assert internal.status_code == 200
    assert "<h1>Nur für Mitglieder: Protokoll</h1>" in internal.content.decode()
    draft = client.get(reverse("newsletter:members_archive_issue", args=[issues["draft"].pk]))
    assert draft.status_code == 404


def test_coordinators_see_the_members_archive_and_members_find_it(
    client, issues, coordinator, company_user
):
    login_with_second_factor(client, coordinator)
    assert client.get(MEMBERS).status_code == 200
    client.force_login(company_user)
    assert "Zum Archiv für Mitglieder" in client.get(PUBLIC).content.decode()


@pytest.mark.parametrize("n", [1, 15])
def test_members_archive_query_count_is_constant(
    client, company_user, django_assert_num_queries, n
):
    for days in range(n):
        sent_days_ago(days + 1, is_public=days % 2 == 0)
    client.force_login(company_user)
    # session, user with company account and company (permission, navigation), count, page
    with django_assert_num_queries(4):
        response = client.get(MEMBERS)
    assert len(response.context["issues"]) == n
