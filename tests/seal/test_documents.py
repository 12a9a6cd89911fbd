"""The seal's PDFs, read back with pypdf: certificate, feedback report, application summary."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from seal import documents
from tests.mfa import login_with_second_factor
from tests.seal.factories import AnswerFactory, CertificateFactory, ranking_example

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://portal.example.org"


@pytest.fixture
def certificate():
    return CertificateFactory(
        application__company__name="Moselblick Pflege GmbH",
        application__cycle__name="2025",
        application__cycle__slug="2025",
        issued_on=date(2025, 5, 22),
        valid_until=date(2029, 5, 22),
        verification_code="3FA9C2D17B04",
    )


def test_certificate_names_company_cycle_validity_and_verification_code(certificate):
    text = pdf_text(documents.certificate_pdf(certificate))

    assert "Moselblick Pflege GmbH" in text
    assert "„Mein Top Job Trier“ 2025" in text
    assert "Trier, 22. Mai 2025 · gültig bis 22. Mai 2029" in text
    assert "Prüfcode: 3FA9C2D17B04" in text
    assert "https://portal.example.org/seal/verify/3FA9C2D17B04/" in text


def test_coordinator_downloads_the_certificate_from_the_admin(client, coordinator, certificate):
    login_with_second_factor(client, coordinator)

    response = client.get(reverse("admin:seal_certificate_pdf", args=[certificate.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="urkunde-2025-{certificate.application.company.slug}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Moselblick Pflege GmbH" in text and "3FA9C2D17B04" in text


def test_feedback_report_compares_own_scores_with_the_average_without_other_names():
    example = ranking_example()
    porta = example["applications"]["porta"]

    text = pdf_text(documents.feedback_report_pdf(porta))

    assert "Porta Digital Werkstatt UG" in text
    assert "Feedback-Bericht: Siegel „Mein Top Job Trier“ 2029" in text
    # Own subtotal, then the average of all three applicants: A (83.33+83.33+58.33)/3,
    # B (87.50+62.50+25.00)/3.
    assert "Aus- und Weiterbildung 83,33 75,00" in text
    assert "Gesundheit 87,50 58,33" in text
    assert "84,38 / 100" in text
    for other in ("Moselblick", "Klinikverbund"):
        assert other not in text


def test_application_summary_lists_the_answers_of_the_company():
    example = ranking_example()
    moselblick = example["applications"]["moselblick"]
    answer = moselblick.answers.get(criterion=example["criteria"][0])
    answer.explanation = "Jede Pflegekraft hat zwei Fortbildungstage im Jahr."
    answer.save()

    text = pdf_text(documents.application_summary_pdf(moselblick))

    assert "Moselblick Pflege GmbH" in text
    assert "2029" in text
    assert "Jede Pflegekraft hat zwei Fortbildungstage im Jahr." in text
    assert "Weiterbildungsplan" in text and "3 / 4" in text
    assert "Porta Digital" not in text


def test_coordinator_downloads_the_application_summary(client, coordinator):
    application = AnswerFactory(application__company__name="Moselblick Pflege GmbH").application
    application.submitted_at = application.created_at
    application.save()
    login_with_second_factor(client, coordinator)

    response = client.get(reverse("admin:seal_application_summary_pdf", args=[application.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "Moselblick Pflege GmbH" in pdf_text(response.content)
