"""The holders in public, with their consent: a page per holder with JSON-LD, the JSON feed
and the list to embed; and the company admins' page that decides what is shown."""

import json
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from network_portal.models import ActivityEntry
from seal.models import HolderProfile
from tests.factories import MembershipFactory
from tests.seal.factories import AnswerFactory, CertificateFactory, CriterionFactory
from tests.seal.test_validity import award, past_cycle
from tests.utils import message_texts

pytestmark = pytest.mark.django_db

PROFILE = reverse("seal:holder_profile")


@pytest.fixture
def certificate(company):
    cycle = past_cycle("2025", days_ago=300)
    company.city = "Trier"
    company.website = "https://moselblick.example"
    company.save()
    return CertificateFactory(
        application__cycle=cycle,
        application__company=company,
        issued_on=cycle.ceremony_on,
        valid_until=cycle.ceremony_on + timedelta(days=4 * 365),
    )


@pytest.fixture
def answer(certificate):
    return AnswerFactory(
        application=certificate.application,
        criterion=CriterionFactory(
            category__cycle=certificate.application.cycle, question="Fördern Sie Sport?"
        ),
        explanation="Lauftreff jeden Mittwoch.",
    )


def publish(company, *, answers=(), **fields):
    profile = HolderProfile.objects.create(company=company, public=True, **fields)
    profile.published_answers.set(answers)
    return profile


def holder_url(company):
    return reverse("seal:holder", args=[company.slug])


def json_ld(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_holder_page_needs_the_companys_consent(client, company, certificate):
    assert client.get(holder_url(company)).status_code == 404
    HolderProfile.objects.create(company=company, public=False, offer="Geheim")
    assert client.get(holder_url(company)).status_code == 404


def test_holder_page_shows_the_company_its_seal_and_json_ld(client, company, certificate, answer):
    other = AnswerFactory(application=certificate.application, explanation="Nicht gezeigt.")
    publish(
        company,
        answers=[answer],
        offer="Flexible Arbeitszeiten & Jobrad.",
        jobs_url="https://moselblick.example/jobs",
        apprenticeships_url="https://moselblick.example/ausbildung",
    )
    response = client.get(holder_url(company))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moselblick Pflege GmbH" in html
    assert "Trier" in html
    assert company.get_size_class_display() in html
    assert "Flexible Arbeitszeiten &amp; Jobrad." in html
    assert "Fördern Sie Sport?" in html and "Lauftreff jeden Mittwoch." in html
    assert other.explanation not in html
    assert 'href="https://moselblick.example/jobs"' in html
    assert 'href="https://moselblick.example/ausbildung"' in html
    assert reverse("seal:verify", args=[certificate.verification_code]) in html
    data = json_ld(html)
    assert data["@type"] == "Organization"
    assert data["name"] == "Moselblick Pflege GmbH"
    assert data["address"]["addressLocality"] == "Trier"
    assert data["award"] == [
        f"Siegel „Mein Top Job Trier“ 2025, gültig bis {certificate.valid_until.isoformat()}"
    ]
    # The data block is no script: the CSP (script-src 'self') stays as it is.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "change",
    [
        {"revoked_at": timezone.now()},
        {"valid_until": timezone.localdate() - timedelta(days=1)},
    ],
    ids=["revoked", "expired"],
)
def test_no_holder_page_for_a_revoked_or_expired_seal(client, company, certificate, change):
    publish(company)
    for name, value in change.items():
        setattr(certificate, name, value)
    certificate.save()
    assert client.get(holder_url(company)).status_code == 404


def test_no_holder_page_before_the_award_date(client, company, certificate):
    publish(company)
    cycle = certificate.application.cycle
    cycle.ceremony_on = timezone.localdate() + timedelta(days=3)
    cycle.save()
    assert client.get(holder_url(company)).status_code == 404
    cycle.published_at = timezone.now()  # published early by the coordinators
    cycle.save()
    assert client.get(holder_url(company)).status_code == 200


def test_feed_lists_current_holders_for_other_websites(client, company, certificate):
    publish(company)
    older = past_cycle("2021", days_ago=5 * 365)
    award("Eifeler Holzbau GmbH", older)  # expired
    second = award("Saarburger Feinmechanik KG", certificate.application.cycle)
    response = client.get(reverse("seal:holders_json"))
    assert response["Access-Control-Allow-Origin"] == "*"
    holders = response.json()["holders"]
    assert [h["name"] for h in holders] == ["Moselblick Pflege GmbH", "Saarburger Feinmechanik KG"]
    first = holders[0]
    assert first == {
        "name": "Moselblick Pflege GmbH",
        "city": "Trier",
        "size_class": company.size_class,
        "size_class_label": company.get_size_class_display(),
        "cycle": "2025",
        "valid_until": certificate.valid_until.isoformat(),
        "page_url": settings.SITE_URL + holder_url(company),
        "verify_url": certificate.verify_url(),
    }
    # No consent to a public page: name, place and seal only.
    assert holders[1]["page_url"] is None
    assert holders[1]["size_class"] is None and holders[1]["size_class_label"] is None
    assert holders[1]["verify_url"] == second.verify_url()


def test_embedded_list_may_be_framed_by_other_websites(client, company, certificate):
    response = client.get(reverse("seal:holders_embed"))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors https:" in policy
    assert "script-src" not in policy and "default-src 'none'" in policy
    html = response.content.decode()
    assert "Moselblick Pflege GmbH" in html
    assert "<script" not in html
    # The portal's other pages may not be framed.
    assert "frame-ancestors 'none'" in client.get(reverse("seal:home"))["Content-Security-Policy"]


def test_public_lists_run_a_constant_number_of_queries(
    client, company, certificate, django_assert_num_queries
):
    publish(company)
    for url in ("seal:holders_json", "seal:holders_embed"):
        with django_assert_num_queries(2):
            client.get(reverse(url))
    for n in range(6):
        publish(
            award(f"Eifeler Holzbau {n} GmbH", certificate.application.cycle).application.company
        )
    for url in ("seal:holders_json", "seal:holders_embed"):
        with django_assert_num_queries(2):
            html = client.get(reverse(url)).content.decode()
        assert html.count("Eifeler Holzbau") == 6


# --- The company admins' page -----------------------------------------------------------------


def test_company_admin_publishes_the_page_with_chosen_answers(
    client, company, company_admin, certificate, answer
):
    client.force_login(company_admin)
    html = client.get(PROFILE).content.decode()
    assert "Fördern Sie Sport?" in html
    response = client.post(
        PROFILE,
        {
            "public": "on",
            "offer": "Jobrad für alle.",
            "published_answers": [answer.pk],
            "jobs_url": "https://moselblick.example/jobs",
            "apprenticeships_url": "",
        },
        follow=True,
    )
    assert message_texts(response) == ["Ihre öffentliche Siegel-Seite wurde gespeichert."]
    profile = HolderProfile.objects.get(company=company)
    assert profile.public and profile.consent_given_by == company_admin
    assert list(profile.published_answers.all()) == [answer]
    entry = ActivityEntry.objects.get(action="seal.holder_profile.saved")
    assert entry.actor == company_admin
    assert entry.details["public"] == [False, True]
    page = client.get(holder_url(company)).content.decode()
    assert "Jobrad für alle." in page and "Lauftreff jeden Mittwoch." in page

    # Withdrawn: the page is gone.
    client.post(PROFILE, {"offer": "Jobrad für alle."})
    assert client.get(holder_url(company)).status_code == 404


def test_another_companys_answers_cannot_be_published(
    client, company, certificate, answer, other_company_admin
):
    other = other_company_admin.membership.company
    award_ = award("Saarburger Extra GmbH", certificate.application.cycle)
    award_.application.company = other
    award_.application.save()
    client.force_login(other_company_admin)
    html = client.get(PROFILE).content.decode()
    assert "Fördern Sie Sport?" not in html
    response = client.post(PROFILE, {"public": "on", "published_answers": [answer.pk]})
    assert response.status_code == 200
    assert not HolderProfile.objects.filter(company=company).exists()
    assert not HolderProfile.objects.filter(company=other, published_answers=answer).exists()


def test_a_company_without_a_current_seal_cannot_publish(client, company_admin):
    client.force_login(company_admin)
    html = client.get(PROFILE).content.decode()
    assert "Eine öffentliche Seite ist nur möglich" in html
    client.post(PROFILE, {"public": "on"})
    assert not HolderProfile.objects.filter(public=True).exists()


def test_only_company_admins_edit_the_page(client, company, certificate):
    client.force_login(MembershipFactory(company=company).user)
    assert client.get(PROFILE).status_code == 403
    assert client.post(PROFILE, {"public": "on"}).status_code == 403
    assert not HolderProfile.objects.exists()


def test_coordinators_find_the_embed_snippet_in_the_certificate_list(coordinator_client):
    html = coordinator_client.get(reverse("admin:seal_certificate_changelist")).content.decode()
    assert "&lt;iframe src=&quot;" in html
    assert reverse("seal:holders_embed") in html
    assert reverse("seal:holders_json") in html
