"""A verified user asks to join an existing company; its admin (or a coordinator) decides."""

import pytest
from django.core import mail
from django.urls import reverse

from members import services
from members.models import CompanyMembership, ContactPerson, JoinRequest
from network_portal.models import ActivityEntry
from tests.factories import CompanyAdminFactory, CompanyFactory, UserFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(db):
    return UserFactory(email="jonas.reuter@example.org", first_name="Jonas", last_name="Reuter")


def ask_to_join(client, user, company, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            reverse("members:join"), {"company": company.name, "message": "Ich bin neu in der HR."}
        )
    assert response.status_code == 302
    return JoinRequest.objects.get(user=user)


def test_company_admin_accepts_join_request(
    client, newcomer, company, company_admin, django_capture_on_commit_callbacks
):
    join_request = ask_to_join(client, newcomer, company, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[company_admin.email]]
    assert "Beitrittsanfrage für „Moselblick Pflege GmbH“" in mail.outbox[0].subject
    assert "Jonas Reuter (jonas.reuter@example.org)" in mail.outbox[0].body
    assert "Ich bin neu in der HR." in mail.outbox[0].body

    onboarding = client.get(reverse("members:onboarding")).content.decode()
    assert "wartet auf eine Entscheidung" in onboarding

    mail.outbox.clear()
    client.force_login(company_admin)
    profile = client.get(reverse("members:company")).content.decode()
    assert "jonas.reuter@example.org" in profile
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:join_request_decide", args=[join_request.pk, "accept"])
        )
    assert response.status_code == 302

    membership = CompanyMembership.objects.get(user=newcomer)
    assert membership.company == company
    assert membership.role == CompanyMembership.Role.MEMBER
    assert ContactPerson.objects.filter(company=company, user=newcomer).exists()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert join_request.decided_by == company_admin
    assert [m.to for m in mail.outbox] == [[newcomer.email]]
    assert "Sie gehören jetzt zu „Moselblick Pflege GmbH“" in mail.outbox[0].subject


def test_company_admin_declines_join_request(
    client, newcomer, company, company_admin, django_capture_on_commit_callbacks
):
    join_request = ask_to_join(client, newcomer, company, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client.force_login(company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:join_request_decide", args=[join_request.pk, "decline"]))
    assert not CompanyMembership.objects.filter(user=newcomer).exists()
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert "wurde leider abgelehnt" in mail.outbox[0].body

    # The newcomer is not stuck: a new request is possible.
    client.force_login(newcomer)
    page = client.get(reverse("members:onboarding")).content.decode()
    assert reverse("members:join") in page


def test_coordinators_decide_when_company_has_no_admin(
    client, newcomer, coordinator, django_capture_on_commit_callbacks
):
    orphan = CompanyFactory(name="Gärtnerei ohne Zugang", slug="gaertnerei-ohne-zugang")
    join_request = ask_to_join(client, newcomer, orphan, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]

    login_with_second_factor(client, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:members_joinrequest_changelist"),
            {"action": "accept", "_selected_action": [join_request.pk], "post": "yes"},
        )
    assert CompanyMembership.objects.get(user=newcomer).company == orphan


def test_only_one_open_request_and_withdraw(client, newcomer, company, company_admin):
    other = CompanyFactory()
    client.force_login(newcomer)
    client.post(reverse("members:join"), {"company": company.name})
    response = client.post(reverse("members:join"), {"company": other.name})
    assert response.status_code == 200
    assert "Sie haben bereits eine offene Beitrittsanfrage." in response.content.decode()
    assert JoinRequest.objects.filter(user=newcomer).count() == 1

    join_request = JoinRequest.objects.get(user=newcomer)
    client.post(reverse("members:join_withdraw", args=[join_request.pk]))
    assert not JoinRequest.objects.filter(user=newcomer).exists()


NO_SUCH_COMPANY = "Kein Mitgliedsunternehmen hat genau diesen Namen."


def test_pending_or_left_companies_cannot_be_joined(client, newcomer):
    pending = CompanyFactory(status="pending")
    left = CompanyFactory(status="left", directory_consent=False)
    client.force_login(newcomer)
    for company in (pending, left):
        response = client.post(reverse("members:join"), {"company": company.name})
        assert response.status_code == 200
        # The same answer as for a name nobody has: the page tells nothing about the company.
        assert NO_SUCH_COMPANY in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_only_the_public_directory_is_suggested(client, newcomer, company):
    unlisted = CompanyFactory(name="Trierer Stille Teilhaber GmbH", directory_consent=False)
    CompanyFactory(name="Konzer Wartende GmbH", status="pending")
    client.force_login(newcomer)
    html = client.get(reverse("members:join")).content.decode()
    assert '<option value="Moselblick Pflege GmbH">' in html
    assert unlisted.name not in html
    assert "Konzer Wartende GmbH" not in html
    assert 'list="public-companies"' in html


def test_an_unlisted_company_is_found_by_its_exact_name_only(
    client, newcomer, django_capture_on_commit_callbacks
):
    unlisted = CompanyFactory(name="Trierer Stille Teilhaber GmbH", directory_consent=False)
    admin = CompanyAdminFactory(company=unlisted).user
    client.force_login(newcomer)
    for fragment in ("Trierer Stille", "Stille Teilhaber", "trierer stille teilhaber"):
        response = client.post(reverse("members:join"), {"company": fragment})
        assert NO_SUCH_COMPANY in response.content.decode(), fragment
    assert not JoinRequest.objects.exists()

    # Its exact name, in any case and spacing, is enough: whoever works there knows it.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:join"), {"company": "  trierer stille   TEILHABER gmbh "}
        )
    assert response.status_code == 302
    assert JoinRequest.objects.get(user=newcomer).company == unlisted
    assert [m.to for m in mail.outbox] == [[admin.email]]


def test_unlisted_companies_stay_out_of_the_public_directory_search(client, newcomer):
    CompanyFactory(name="Trierer Stille Teilhaber GmbH", directory_consent=False)
    client.force_login(newcomer)
    html = client.get(reverse("members:public_directory"), {"q": "Stille"}).content.decode()
    assert "Trierer Stille Teilhaber GmbH" not in html


def test_decided_request_cannot_be_decided_again(
    client, newcomer, company, company_admin, django_capture_on_commit_callbacks
):
    join_request = ask_to_join(client, newcomer, company, django_capture_on_commit_callbacks)
    client.force_login(company_admin)
    url = reverse("members:join_request_decide", args=[join_request.pk, "decline"])
    client.post(url)
    response = client.post(
        reverse("members:join_request_decide", args=[join_request.pk, "accept"]), follow=True
    )
    assert "Über diese Anfrage wurde bereits entschieden." in response.content.decode()
    assert not CompanyMembership.objects.filter(user=newcomer).exists()


def test_registering_an_own_company_withdraws_the_open_request_in_the_log(newcomer, company):
    request = JoinRequest.objects.create(user=newcomer, company=company, message="Hallo")

    registered = services.company_register(
        user=newcomer,
        company=CompanyFactory.build(name="Eigene Firma GmbH", slug=""),
        contact_fields={},
    )

    assert not JoinRequest.objects.filter(user=newcomer).exists()
    withdrawn = ActivityEntry.objects.get(action="members.join_request.withdrawn")
    assert (withdrawn.actor, withdrawn.object_id) == (newcomer, str(request.pk))
    assert registered.memberships.get().user == newcomer
