"""Reading the activity log in the admin, as a coordinator (staff in the group „Koordination“,
no superuser): the list „Protokoll“ with its filters, and each object's history page."""

import re
from html import unescape

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import COORDINATOR_GROUP, ensure_role_groups
from members import services
from members.models import Company
from network_portal.activity import Process
from network_portal.models import ActivityEntry
from newsletter import services as newsletter_services
from tests.factories import CompanyFactory, ContactPersonFactory, UserFactory
from tests.newsletter.factories import MemberListFactory

LOG = reverse("admin:network_portal_activityentry_changelist")


@pytest.fixture
def coordinator(db):
    ensure_role_groups()
    user = UserFactory(
        email="koordination@moselblick.example",
        first_name="Anna",
        last_name="Koordinatorin",
        is_staff=True,
    )
    user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    return user


def history_url(company):
    return reverse("admin:members_company_history", args=[company.pk])


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def rows_of(response) -> list[str]:
    body = response.content.decode()
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split()) for row in rows]


def approved_and_paused(company, coordinator, cycles: int) -> None:
    """The company approved, then ``cycles`` times paused and reactivated by ``coordinator``."""
    services.company_approve(company=company, by_user=coordinator)
    for _ in range(cycles):
        services.company_pause(company=company, by_user=coordinator)
        services.company_reactivate(company=company, by_user=coordinator)


def test_history_page_shows_who_did_what_newest_first(coordinator_client, coordinator):
    company = CompanyFactory(name="Hochwald Logistik AG", status=Company.Status.PENDING)
    services.company_approve(company=company, by_user=coordinator)
    LogEntry.objects.log_actions(
        user_id=coordinator.pk,
        queryset=[company],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["Name"]}}],
        single_object=True,
    )
    services.company_pause(company=company, by_user=coordinator)

    response = coordinator_client.get(history_url(company))

    assert response.status_code == 200
    assert "Änderungsgeschichte: Hochwald Logistik AG" in text_of(response)
    assert '<th scope="col">Zeitpunkt</th>' in response.text
    assert [row.split(" Anna Koordinatorin ", 1)[1] for row in rows_of(response)] == [
        "Mitgliedschaft pausiert Status: aktiv → pausiert",
        "Im Admin geändert Änderungen: Name geändert.",
        "Unternehmen freigegeben Status: wartet auf Freigabe → aktiv",
    ]


def test_history_page_of_an_object_without_entries(coordinator_client):
    response = coordinator_client.get(history_url(CompanyFactory()))
    assert "Zu diesem Objekt ist noch nichts protokolliert." in text_of(response)


@pytest.mark.parametrize("cycles", [1, 30])
def test_history_page_query_count_is_constant(
    coordinator_client, coordinator, django_assert_num_queries, cycles
):
    company = CompanyFactory(status=Company.Status.PENDING)
    approved_and_paused(company, coordinator, cycles)
    # session, user, the company, the coordinator's permissions (user, groups), the entries,
    # the admin's own records of changes by hand
    with django_assert_num_queries(7):
        response = coordinator_client.get(history_url(company))
    assert len(rows_of(response)) == 1 + 2 * cycles


def test_history_page_links_the_log_when_it_shows_only_the_newest(
    coordinator_client, coordinator, monkeypatch
):
    from members.admin.companies import CompanyAdmin

    company = CompanyFactory(status=Company.Status.PENDING)
    approved_and_paused(company, coordinator, 2)
    approved_and_paused(CompanyFactory(status=Company.Status.PENDING), coordinator, 1)
    monkeypatch.setattr(CompanyAdmin, "history_limit", 3)

    response = coordinator_client.get(history_url(company))

    assert len(rows_of(response)) == 3
    assert "Die neuesten 3 Ereignisse werden angezeigt." in text_of(response)
    link = re.search(r'<a href="([^"]+)">Alle Einträge im Protokoll</a>', response.text)
    listed = coordinator_client.get(unescape(link.group(1)))
    assert listed.status_code == 200
    assert {entry.object_id for entry in listed.context["cl"].result_list} == {str(company.pk)}
    assert len(listed.context["cl"].result_list) == 5


def test_the_log_lists_every_entry_in_german(coordinator_client, coordinator):
    company = CompanyFactory(name="Hochwald Logistik AG", status=Company.Status.PENDING)
    services.company_reject(company=company, by_user=coordinator, reason="Kein Sitz in Trier.")
    MemberListFactory()
    ContactPersonFactory()
    newsletter_services.sync_member_lists(process=Process.BEAT)

    response = coordinator_client.get(LOG)

    assert response.status_code == 200
    text = text_of(response)
    for label in ("Protokoll", "Bereich", "Aktion", "Wer", "Ausgelöst durch", "Betrifft"):
        assert label in text
    assert _rows_without_time(response) == [
        "Zeitplan (beat) Mitgliederverteiler mit den Ansprechpersonen abgeglichen - "
        "Neu eingetragen: 1; Beendet (keine Ansprechperson eines Mitglieds mehr): 0",
        "Anna Koordinatorin Unternehmen abgelehnt Hochwald Logistik AG "
        "Status: wartet auf Freigabe → abgelehnt; Grund: Kein Sitz in Trier.",
    ]
    assert f'href="{reverse("admin:members_company_change", args=[company.pk])}"' in (response.text)


def _rows_without_time(response) -> list[str]:
    """The rows of the list without their time ("3. Dezember 2026 13:49")."""
    return [row.split(" ", 4)[4] for row in rows_of(response)]


def test_the_log_filters_by_area_action_actor_and_object(coordinator_client, coordinator):
    other = UserFactory(first_name="Bernd", last_name="Kollege", is_staff=True)
    hochwald = CompanyFactory(name="Hochwald Logistik AG", status=Company.Status.PENDING)
    olewig = CompanyFactory(name="Schreinerei Olewig", status=Company.Status.PENDING)
    services.company_approve(company=hochwald, by_user=coordinator)
    services.company_reject(company=olewig, by_user=other)
    MemberListFactory()
    ContactPersonFactory()
    newsletter_services.sync_member_lists(process=Process.BEAT)

    def listed(query):
        response = coordinator_client.get(f"{LOG}?{query}")
        assert response.status_code == 200
        return [entry.action for entry in response.context["cl"].result_list]

    assert listed("area=members") == ["members.company.rejected", "members.company.approved"]
    assert listed("area=newsletter") == ["newsletter.member_lists.synced"]
    assert listed("activity=members.company.approved") == ["members.company.approved"]
    assert listed(f"actor__id__exact={other.pk}") == ["members.company.rejected"]
    assert listed("process__exact=beat") == ["newsletter.member_lists.synced"]
    assert listed("q=olewig") == ["members.company.rejected"]
    # The action filter offers the labels, narrowed to the chosen area.
    response = coordinator_client.get(f"{LOG}?area=members")
    assert "Unternehmen freigegeben" in response.text
    assert "Ausgabe versandt" not in response.text


@pytest.mark.parametrize("cycles", [1, 30])
def test_the_log_query_count_is_constant(
    coordinator_client, coordinator, django_assert_num_queries, cycles
):
    for n in range(cycles):
        approved_and_paused(
            CompanyFactory(status=Company.Status.PENDING, name=f"Betrieb {n}"), coordinator, 1
        )
    # session, user, permissions (user, groups), the actors of the filter, the count, the
    # unfiltered count, the page of entries, the date hierarchy (range, days)
    with django_assert_num_queries(10):
        response = coordinator_client.get(LOG)
    assert len(response.context["cl"].result_list) == min(3 * cycles, 100)


def test_the_log_is_read_only_for_coordinators(coordinator_client, coordinator):
    company = CompanyFactory(status=Company.Status.PENDING)
    services.company_approve(company=company, by_user=coordinator)
    entry = ActivityEntry.objects.get()
    change = reverse("admin:network_portal_activityentry_change", args=[entry.pk])

    assert (
        coordinator_client.get(reverse("admin:network_portal_activityentry_add")).status_code == 403
    )
    page = coordinator_client.get(change)
    assert page.status_code == 200
    assert "Unternehmen freigegeben" in text_of(page)
    assert 'name="_save"' not in page.text
    assert coordinator_client.post(change, {}).status_code == 403
    delete = reverse("admin:network_portal_activityentry_delete", args=[entry.pk])
    assert coordinator_client.post(delete, {"post": "yes"}).status_code == 403
    assert ActivityEntry.objects.get() == entry
