"""Sending the decisions passes a confirmation page that lists each company with its outcome
and counts the mails per outcome as the sending writes them; a juror's final submit passes one
that shows the scores and says they become final. Opening a page changes nothing."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from network_portal.models import ActivityEntry, OutboxMail
from seal import services
from seal.models import Certificate
from tests.factories import CompanyAdminFactory, ContactPersonFactory, UserFactory
from tests.mfa import login_with_second_factor
from tests.seal.factories import ranking_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    """Porta Digital awarded (two company admins), Klinikverbund not awarded (no admin: its
    two contact persons hear of it), Moselblick undecided."""
    example = ranking_example()
    porta, klinik = example["applications"]["porta"], example["applications"]["klinik"]
    for email in ("chefin@porta.example", "personal@porta.example"):
        CompanyAdminFactory(company=porta.company, user__email=email)
    for email in ("empfang@klinik.example", "pflege@klinik.example"):
        ContactPersonFactory(company=klinik.company, email=email)
    # A third juror has not submitted: decided with the coordinator's reason.
    services.decision_record(
        application=porta, awarded=True, override_reason="Die dritte Jurorin ist erkrankt."
    )
    services.decision_record(application=klinik, awarded=False, note="Nächstes Mal!")
    return example


def send_url(cycle):
    return reverse("admin:seal_awardcycle_send_decisions", args=[cycle.pk])


def test_sending_the_decisions_is_confirmed_with_the_people_per_outcome(
    coordinator_client, decided, django_capture_on_commit_callbacks
):
    cycle = decided["cycle"]
    ranking = coordinator_client.get(
        reverse("admin:seal_awardcycle_ranking", args=[cycle.pk])
    ).content.decode()
    assert f'href="{send_url(cycle)}"' in ranking  # a link to the page, not a POST

    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.get(send_url(cycle))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Die Entscheidungen der Vergaberunde „2029“ versenden?" in html
    assert (
        "Ausgezeichnet: 1 Unternehmen erhält die Entscheidung mit seiner Urkunde (E-Mails: 2)."
        in html
    )
    assert "Nicht ausgezeichnet: 1 Unternehmen erhält die Entscheidung (E-Mails: 2)." in html
    assert "Porta Digital Werkstatt UG" in html and "Klinikverbund Trierer Land gGmbH" in html
    assert "Moselblick Pflege GmbH" not in html  # undecided: not sent
    assert "Entscheidungen an 4 Personen versenden" in html
    stated = sum(int(n) for n in re.findall(r"\(E-Mails: (\d+)\)", html))
    # Nothing sent, nothing final.
    assert mail.outbox == [] and not OutboxMail.objects.exists()
    assert not Certificate.objects.exists()
    assert not ActivityEntry.objects.filter(action="seal.cycle.decisions_sent").exists()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(send_url(cycle))

    assert len(mail.outbox) == OutboxMail.objects.count() == stated == 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chefin@porta.example",
        "empfang@klinik.example",
        "personal@porta.example",
        "pflege@klinik.example",
    ]
    assert Certificate.objects.count() == 1

    # Nothing left: the page says so instead of confirming.
    response = coordinator_client.get(send_url(cycle), follow=True)
    assert "Es sind keine Entscheidungen mehr zu versenden." in response.content.decode()


def test_the_page_runs_a_constant_number_of_queries(
    coordinator_client, decided, django_assert_num_queries
):
    cycle = decided["cycle"]
    coordinator_client.get(send_url(cycle))  # warm the session and caches
    with CaptureQueriesContext(connection) as two_decisions:
        coordinator_client.get(send_url(cycle))
    services.decision_record(application=decided["applications"]["moselblick"], awarded=True)
    CompanyAdminFactory(company=decided["applications"]["moselblick"].company)
    with django_assert_num_queries(len(two_decisions)):
        page = coordinator_client.get(send_url(cycle))
    assert "Entscheidungen an 5 Personen versenden" in page.content.decode()


def test_only_coordinators_who_may_decide_get_the_page(client, decided):
    viewer = UserFactory(is_staff=True)
    for codename in ("view_awardcycle", "view_application"):
        viewer.user_permissions.add(Permission.objects.get(codename=codename))
    login_with_second_factor(client, viewer)

    assert client.get(send_url(decided["cycle"])).status_code == 403
    assert client.post(send_url(decided["cycle"])).status_code == 403
    assert mail.outbox == [] and not OutboxMail.objects.exists()
