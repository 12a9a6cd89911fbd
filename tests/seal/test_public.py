"""Public seal pages: what the seal is, the catalogue, the awarded companies, verification."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from tests.factories import CompanyFactory
from tests.seal.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CertificateFactory,
    CriterionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return AwardCycleFactory(name="2027", slug="2027")


@pytest.fixture
def awarded_cycle():
    """A cycle whose award ceremony has taken place: its certificates are public."""
    return AwardCycleFactory(name="2027", slug="2027", awarded=True)


def catalogue(cycle, *, categories: int, criteria: int):
    for c in range(categories):
        category = CategoryFactory(cycle=cycle, name=f"Gesundheit {c}", position=c)
        for n in range(criteria):
            CriterionFactory(
                category=category,
                question=f"Frage {c}.{n}: Bieten Sie Gesundheitsangebote an?",
                guidance="Zum Beispiel Rückenkurse oder ein Fahrradleasing.",
                weight="1.5",
                evidence_required=n == 0,
            )


def german_date(day) -> str:
    with translation.override("de"):
        return formats.date_format(day, "DATE_FORMAT")


def award(company_name: str, cycle, **kwargs):
    return CertificateFactory(
        application__cycle=cycle,
        application__company=CompanyFactory(name=company_name),
        **kwargs,
    )


def test_seal_page_shows_what_the_seal_is_dates_and_catalogue(client, cycle):
    catalogue(cycle, categories=1, criteria=2)
    response = client.get(reverse("seal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mein Top Job Trier" in html
    assert "2021 erhielten es 15 Unternehmen, 2023 waren es 14" in html
    assert "22. Mai 2025" in html
    assert "Termine des Siegels 2027" in html
    assert cycle.deadline.astimezone(timezone.get_current_timezone()).strftime("%Y") in html
    assert "Kriterienkatalog 2027" in html
    assert "Gesundheit 0" in html
    assert "Frage 0.0: Bieten Sie Gesundheitsangebote an?" in html
    assert "Zum Beispiel Rückenkurse oder ein Fahrradleasing." in html
    assert "Gewichtung: 1,5" in html
    assert "Nachweis erforderlich" in html
    assert "Stufe 4" in html  # the description of each scale level
    # The cycle is open: company admins are invited to apply.
    assert reverse("seal:application") in html
    assert "Jetzt bewerben" in html


def test_no_call_to_action_when_the_cycle_is_not_open(client):
    AwardCycleFactory(
        name="2029",
        applications_open_at=timezone.now() + timedelta(days=30),
        deadline=timezone.now() + timedelta(days=60),
    )
    html = client.get(reverse("seal:home")).content.decode()
    assert "Jetzt bewerben" not in html
    assert "Bewerbungen für das Siegel 2029 sind ab dem" in html


def test_catalogue_stays_hidden_until_it_is_published(client):
    cycle = AwardCycleFactory(
        name="2029", criteria_published_on=timezone.localdate() + timedelta(days=3)
    )
    catalogue(cycle, categories=1, criteria=1)
    html = client.get(reverse("seal:home")).content.decode()
    assert "Frage 0.0" not in html
    assert "Der Kriterienkatalog wird am" in html


def test_seal_page_lists_awarded_companies_per_cycle(client, cycle):
    earlier = AwardCycleFactory(
        name="2025",
        slug="2025",
        applications_open_at=timezone.now() - timedelta(days=800),
        deadline=timezone.now() - timedelta(days=700),
        ceremony_on=timezone.localdate() - timedelta(days=600),
    )
    first = award("Moselblick Pflege GmbH", earlier)
    award("Saarburger Feinmechanik KG", earlier)
    revoked = award("Ruwertal Bäckerei GmbH", earlier, revoked_at=timezone.now())
    html = client.get(reverse("seal:home")).content.decode()
    assert "Siegel 2025" in html
    assert "Moselblick Pflege GmbH" in html
    assert "Saarburger Feinmechanik KG" in html
    assert "Ruwertal Bäckerei GmbH" not in html
    assert reverse("seal:verify", args=[first.verification_code]) in html
    assert revoked.verification_code not in html


def test_seal_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, cycle):
    earlier = AwardCycleFactory(
        name="2025",
        applications_open_at=timezone.now() - timedelta(days=800),
        deadline=timezone.now() - timedelta(days=700),
        ceremony_on=timezone.localdate() - timedelta(days=600),
    )
    catalogue(cycle, categories=1, criteria=1)
    award("Moselblick Pflege GmbH", earlier)
    with django_assert_num_queries(6):
        client.get(reverse("seal:home"))
    catalogue(cycle, categories=4, criteria=5)
    for n in range(6):
        award(f"Eifeler Holzbau {n} GmbH", earlier)
    with django_assert_num_queries(6):
        response = client.get(reverse("seal:home"))
    assert response.content.decode().count("Eifeler Holzbau") == 6


def test_verification_page_says_valid(client, awarded_cycle):
    certificate = award("Moselblick Pflege GmbH", awarded_cycle)
    response = client.get(reverse("seal:verify", args=[certificate.verification_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moselblick Pflege GmbH" in html
    assert "2027" in html
    assert f"<strong>gültig bis {german_date(certificate.valid_until)}</strong>" in html
    # The HTML for the company's website, escaped, with the badge inside a link to this page.
    badge = reverse("seal:badge", args=[certificate.verification_code])
    verify = reverse("seal:verify", args=[certificate.verification_code])
    site = settings.SITE_URL
    assert f"<code>&lt;a href=&quot;{site}{verify}&quot;&gt;&lt;img src=" in html
    assert f"&lt;img src=&quot;{site}{badge}&quot;" in html
    assert f'<img src="{badge}"' in html


def test_verification_code_is_case_insensitive(client, awarded_cycle):
    certificate = award("Moselblick Pflege GmbH", awarded_cycle)
    url = reverse("seal:verify", args=[certificate.verification_code.lower()])
    assert "Moselblick Pflege GmbH" in client.get(url).content.decode()


@pytest.mark.parametrize(
    ("changes", "word"),
    [
        (
            {"valid_until": timezone.localdate() - timedelta(days=1)},
            "am {yesterday} abgelaufen",
        ),
        ({"revoked_at": timezone.now()}, "am {today} widerrufen"),
    ],
)
def test_verification_page_does_not_say_valid_when_expired_or_revoked(
    client, awarded_cycle, changes, word
):
    certificate = award("Moselblick Pflege GmbH", awarded_cycle, **changes)
    response = client.get(reverse("seal:verify", args=[certificate.verification_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Moselblick Pflege GmbH" in html
    today = timezone.localdate()
    word = word.format(today=german_date(today), yesterday=german_date(today - timedelta(days=1)))
    assert f"<strong>{word}</strong>" in html
    assert "gültig" not in html.lower()
    assert reverse("seal:badge", args=[certificate.verification_code]) not in html


def test_unknown_verification_code_is_a_404_that_says_so(client):
    response = client.get(reverse("seal:verify", args=["ABCDEF123456"]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Es gibt kein Siegel „Mein Top Job Trier“ mit dem Prüfcode „ABCDEF123456“." in html


def test_verification_page_runs_a_constant_number_of_queries(
    client, awarded_cycle, django_assert_num_queries
):
    certificate = award("Moselblick Pflege GmbH", awarded_cycle)
    with django_assert_num_queries(1):
        client.get(reverse("seal:verify", args=[certificate.verification_code]))


def test_badge_is_an_svg_with_cycle_and_validity(client, awarded_cycle):
    certificate = award("Moselblick Pflege GmbH", awarded_cycle)
    response = client.get(reverse("seal:badge", args=[certificate.verification_code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=86400"
    svg = response.content.decode()
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    assert "„Mein Top Job" in svg and "Trier“" in svg
    assert ">2027<" in svg
    assert f"GÜLTIG BIS {certificate.valid_until:%d.%m.%Y}" in svg
    assert "<script" not in svg


def test_badge_is_german_whatever_the_visitors_language(client, awarded_cycle):
    certificate = award("Moselblick Pflege GmbH", awarded_cycle)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("seal:badge", args=[certificate.verification_code]))
    assert "GÜLTIG BIS" in response.content.decode()


@pytest.mark.parametrize(
    "changes",
    [{"valid_until": timezone.localdate() - timedelta(days=1)}, {"revoked_at": timezone.now()}],
)
def test_no_badge_for_an_expired_or_revoked_seal(client, awarded_cycle, changes):
    certificate = award("Moselblick Pflege GmbH", awarded_cycle, **changes)
    response = client.get(reverse("seal:badge", args=[certificate.verification_code]))
    assert response.status_code == 404
    assert client.get(reverse("seal:badge", args=["ABCDEF123456"])).status_code == 404


@pytest.mark.parametrize("name", ["seal:verify", "seal:badge"])
def test_code_with_a_nul_character_is_unknown(client, awarded_cycle, name):
    from tests.forms.harness import strict_database

    certificate = award("Moselblick Pflege GmbH", awarded_cycle)
    url = reverse(name, args=[certificate.verification_code]).replace(
        certificate.verification_code, certificate.verification_code + "%00"
    )
    with strict_database():  # SQLite takes NUL; PostgreSQL, as in production, refuses it
        response = client.get(url)
    assert response.status_code == 404
