"""Submitting the seal application passes a confirmation page: which application, what can no
longer change, who gets which mail. Opening it changes nothing."""

import pytest
from django.urls import reverse

from network_portal.models import ActivityEntry, OutboxMail
from seal.models import Application
from tests.factories import CompanyAdminFactory, MembershipFactory
from tests.seal.factories import (
    AnswerFactory,
    AwardCycleFactory,
    CategoryFactory,
    CriterionFactory,
    EvidenceFactory,
)

pytestmark = pytest.mark.django_db

OVERVIEW = "/seal/application/"


@pytest.fixture
def application(company, company_admin):
    cycle = AwardCycleFactory(name="2027", slug="2027")
    category = CategoryFactory(cycle=cycle, name="Gesundheit")
    application = Application.objects.create(cycle=cycle, company=company, started_by=company_admin)
    for n, evidence in enumerate([True, False]):
        criterion = CriterionFactory(
            category=category, question=f"Frage {n}", evidence_required=evidence
        )
        answer = AnswerFactory(application=application, criterion=criterion)
        if evidence:
            EvidenceFactory(answer=answer)
    return application


def test_the_confirmation_page_says_what_submitting_means(
    client, company, company_admin, application, mailoutbox, django_capture_on_commit_callbacks
):
    second = CompanyAdminFactory(company=company, user__email="chefin@moselblick.example").user
    client.force_login(company_admin)
    overview = client.get(OVERVIEW).content.decode()
    assert f'href="{reverse("seal:submit")}"' in overview  # a link to the page, not a POST

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(reverse("seal:submit"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Bewerbung einreichen</h1>" in html
    assert "Moselblick Pflege GmbH" in html
    assert "alle 2 Kriterien beantwortet" in html and "1 Datei" in html
    assert "Danach kann niemand in Ihrem Unternehmen die Antworten oder Nachweise mehr ändern." in (
        html
    )
    assert "geht an die Unternehmens-Admins:" in html
    assert company_admin.email in html and second.email in html
    assert f'href="{OVERVIEW}"' in html  # the way back
    # Opening the page submits nothing and mails nobody.
    application.refresh_from_db()
    assert not application.is_submitted
    assert not ActivityEntry.objects.filter(action="seal.application.submitted").exists()
    assert not OutboxMail.objects.exists() and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("seal:submit"))
    application.refresh_from_db()
    assert application.is_submitted
    assert sorted(m.to[0] for m in mailoutbox) == sorted([company_admin.email, second.email])


def test_an_incomplete_application_offers_no_submit_button(client, company_admin, application):
    application.answers.first().delete()
    client.force_login(company_admin)
    overview = client.get(OVERVIEW).content.decode()
    assert "Das fehlt noch, bevor Sie einreichen können" in overview
    assert f'href="{reverse("seal:submit")}"' not in overview

    response = client.get(reverse("seal:submit"), follow=True)
    assert response.redirect_chain[-1][0] == OVERVIEW
    assert "Die Bewerbung kann noch nicht eingereicht werden: 1 Antwort fehlt." in (
        response.content.decode()
    )


def test_a_submitted_application_has_nothing_left_to_confirm(client, company_admin, application):
    client.force_login(company_admin)
    client.post(reverse("seal:submit"))
    response = client.get(reverse("seal:submit"), follow=True)
    assert response.redirect_chain[-1][0] == OVERVIEW
    assert "kann nicht mehr geändert werden" in response.content.decode()


def test_other_people_get_no_confirmation_page(client, application, other_company_admin, company):
    client.force_login(other_company_admin)
    assert client.get(reverse("seal:submit")).status_code == 404
    client.force_login(MembershipFactory(company=company).user)
    assert client.get(reverse("seal:submit")).status_code == 403
    application.refresh_from_db()
    assert not application.is_submitted
