"""The seal's PDFs, read back with pypdf: certificate, feedback report, application summary."""

import base64
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from members.models import SizeClass
from seal import documents, selectors
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


def pdf_catalogue(content: bytes):
    return PdfReader(io.BytesIO(content)).trailer["/Root"]


def alternative_texts(reader) -> list[str]:
    """The /Alt of every element of the structure tree (figures: the seal, the QR code)."""
    found = []

    def walk(element):
        element = element.get_object()
        if isinstance(element, list):
            for child in element:
                walk(child)
            return
        if not hasattr(element, "get"):
            return
        if "/Alt" in element:
            found.append(str(element["/Alt"]))
        if "/K" in element:
            walk(element["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.fixture
def certificate():
    return CertificateFactory(
        application__company__name="Moselblick Pflege GmbH",
        application__company__size_class=SizeClass.MEDIUM,
        application__cycle__name="2025",
        application__cycle__slug="2025",
        application__cycle__ceremony_on=date(2025, 5, 22),
        issued_on=date(2025, 5, 22),
        valid_until=date(2029, 5, 22),
        verification_code="3FA9C2D17B04",
    )


def test_certificate_names_company_cycle_validity_and_verification_code(certificate):
    text = pdf_text(documents.certificate_pdf(certificate))

    assert "Attraktive Unternehmen Trier" in text
    assert "Moselblick Pflege GmbH" in text
    assert "das Siegel „Mein Top Job Trier“ 2025 für attraktive Arbeitsbedingungen" in text
    assert "Größenklasse Verliehen am Gültig bis" in text
    assert "mittel (10–249 Beschäftigte) 22. Mai 2025 22. Mai 2029" in text
    assert "Trier, 22. Mai 2025" in text
    assert "Netzwerkkoordination Wirtschaftsförderung Trier" in text
    assert "Prüfcode: 3FA9C2D17B04" in text
    assert "https://portal.example.org/seal/verify/3FA9C2D17B04/" in text


def test_certificate_is_one_page_with_the_seal_and_the_qr_code_of_the_verification_page(
    certificate,
):
    reader = PdfReader(io.BytesIO(documents.certificate_pdf(certificate)))

    assert len(reader.pages) == 1
    figures = alternative_texts(reader)
    assert "Siegel „Mein Top Job Trier“ 2025, gültig bis 22.05.2029" in figures
    assert "QR-Code der Prüfseite" in figures
    # The QR code is an image on the page (its content: tests of seal.documents.qr_data_url).
    assert len(reader.pages[0].images) == 1


def test_certificate_of_a_company_with_a_long_name_stays_one_page():
    certificate = CertificateFactory(
        application__company__name=(
            "Klinikverbund Trierer Land – Pflege- und Gesundheitszentrum an der Mosel gGmbH"
        )
    )

    content = documents.certificate_pdf(certificate)

    assert len(PdfReader(io.BytesIO(content)).pages) == 1
    assert "Gesundheitszentrum an der Mosel gGmbH" in pdf_text(content)


def test_qr_code_holds_the_verification_url():
    from PIL import Image

    url = "https://portal.example.org/seal/verify/3FA9C2D17B04/"
    data_url = documents.qr_data_url(url)
    image = Image.open(io.BytesIO(base64.b64decode(data_url.split(",", 1)[1])))

    assert data_url.startswith("data:image/png;base64,")
    assert image.size[0] == image.size[1] > 100
    # The same text gives the same picture: the QR code is the URL's and nothing else.
    assert documents.qr_data_url(url) == data_url != documents.qr_data_url(url + "x")


def test_coordinator_downloads_the_certificate_from_the_admin(client, coordinator, certificate):
    login_with_second_factor(client, coordinator)

    response = client.get(reverse("admin:seal_certificate_pdf", args=[certificate.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="urkunde-2025-{certificate.application.company.slug}.pdf"'
    )
    text = pdf_text(response.content)
    assert "Moselblick Pflege GmbH" in text and "3FA9C2D17B04" in text


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


# --- Tagged PDFs (PDF/UA-1) ---------------------------------------------------------------------


def _certificate_pdf():
    return documents.certificate_pdf(
        CertificateFactory(
            application__company__name="Moselblick Pflege GmbH", application__cycle__name="2025"
        )
    )


def _feedback_pdf():
    return documents.feedback_report_pdf(ranking_example()["applications"]["porta"])


def _summary_pdf():
    return documents.application_summary_pdf(ranking_example()["applications"]["moselblick"])


@pytest.mark.parametrize(
    ("make", "title"),
    [
        (_certificate_pdf, "Urkunde: Siegel „Mein Top Job Trier“ 2025 für Moselblick Pflege GmbH"),
        (_feedback_pdf, "Feedback-Bericht: Siegel „Mein Top Job Trier“ 2029, Porta Digital"),
        (_summary_pdf, "Bewerbung um das Siegel „Mein Top Job Trier“ 2029: Moselblick Pflege"),
    ],
    ids=["certificate", "feedback report", "application summary"],
)
def test_seal_pdfs_are_tagged_with_title_and_language(make, title):
    content = make()
    reader = PdfReader(io.BytesIO(content))
    catalogue = reader.trailer["/Root"]

    # A structure tree that screen readers follow, declared as such.
    tree = catalogue["/StructTreeRoot"].get_object()
    assert tree["/Type"] == "/StructTreeRoot"
    assert tree["/K"][0].get_object()["/S"] == "/Document"
    assert catalogue["/MarkInfo"]["/Marked"].value is True
    # Language and title; viewers show the title instead of the file name.
    assert catalogue["/Lang"] == "de"
    assert reader.metadata.title.startswith(title)
    assert catalogue["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    # Declared PDF/UA-1 in its XMP metadata.
    assert b'pdfuaid:part="1"' in catalogue["/Metadata"].get_object().get_data()


# --- The benchmark: own scores beside the anonymous median ---------------------------------------


def _cycle_with_scores(points_by_company, *, cycle_name="2031"):
    """A cycle with categories A and B (one criterion each, 0–4, so subtotals 0, 25, …, 100)
    and one submitted, scored application per company: {(name, size class): (a, b)}."""
    from tests.factories import CompanyFactory
    from tests.seal.factories import (
        AwardCycleFactory,
        CategoryFactory,
        CriterionFactory,
        SubmittedApplicationFactory,
        juror,
        submitted_scores,
    )

    cycle = AwardCycleFactory(name=cycle_name, slug=cycle_name)
    a = CriterionFactory(category=CategoryFactory(cycle=cycle, name="Führung", position=1))
    b = CriterionFactory(category=CategoryFactory(cycle=cycle, name="Vereinbarkeit", position=2))
    jurors = juror(last_name="Jurorin")
    applications = {}
    for (name, size_class), (points_a, points_b) in points_by_company.items():
        application = SubmittedApplicationFactory(
            cycle=cycle, company=CompanyFactory(name=name, size_class=size_class)
        )
        submitted_scores(application, jurors, {a: points_a, b: points_b})
        applications[name] = application
    return applications


MEDIUM_FIVE = {
    ("Moselblick Pflege GmbH", SizeClass.MEDIUM): (4, 1),
    ("Weinhaus Saarburg KG", SizeClass.MEDIUM): (3, 2),
    ("Druckerei Kürenz GmbH", SizeClass.MEDIUM): (2, 4),
    ("Elektro Pfalzel GmbH", SizeClass.MEDIUM): (1, 4),
    ("Bäckerei Ehrang GmbH", SizeClass.MEDIUM): (0, 3),
    ("Porta Digital Werkstatt UG", SizeClass.SMALL): (4, 4),
    ("Gärtnerei Zewen", SizeClass.SMALL): (4, 4),
}


def test_benchmark_is_the_median_of_the_size_class_with_at_least_five_applications():
    applications = _cycle_with_scores(MEDIUM_FIVE)

    benchmark = selectors.benchmark(applications["Moselblick Pflege GmbH"])

    assert benchmark.scope == selectors.Benchmark.SIZE_CLASS and benchmark.count == 5
    # A: 100, 75, 50, 25, 0 → 50; B: 25, 50, 100, 100, 75 → 75; totals 62.5, 62.5, 75, 62.5,
    # 37.5 → 62.5. The two small companies' full marks don't count.
    assert [(c.name, own, median) for c, own, median in benchmark.rows] == [
        ("Führung", Decimal("100.00"), Decimal("50.00")),
        ("Vereinbarkeit", Decimal("25.00"), Decimal("75.00")),
    ]
    assert benchmark.result.total == Decimal("62.50")
    assert benchmark.total_median == Decimal("62.50")


def test_benchmark_falls_back_to_all_applications_when_the_size_class_has_fewer_than_five():
    applications = _cycle_with_scores(MEDIUM_FIVE)

    benchmark = selectors.benchmark(applications["Porta Digital Werkstatt UG"])

    # Two small companies: the median of all seven. A: 100, 100, 100, 75, 50, 25, 0 → 75;
    # B: 100, 100, 100, 100, 75, 50, 25 → 100.
    assert benchmark.scope == selectors.Benchmark.ALL and benchmark.count == 7
    assert [median for _, _, median in benchmark.rows] == [Decimal("75.00"), Decimal("100.00")]
    text = pdf_text(documents.feedback_report_pdf(applications["Porta Digital Werkstatt UG"]))
    assert "Median aller Bewerbungen" in text
    assert "Weniger als 5 Bewerbungen Ihrer Größenklasse" in text
    assert "Führung 100,00 75,00" in text


def test_benchmark_is_hidden_with_fewer_than_five_scored_applications():
    porta = ranking_example()["applications"]["porta"]

    benchmark = selectors.benchmark(porta)

    assert not benchmark.shown and benchmark.count == 3
    assert [median for _, _, median in benchmark.rows] == [None, None]
    text = pdf_text(documents.feedback_report_pdf(porta))
    assert "Nur 3 Bewerbungen wurden in dieser Runde bewertet." in text
    assert "Ein Vergleich braucht mindestens 5" in text
    assert "Median" not in text
    assert "Aus- und Weiterbildung 83,33" in text and "Gesamt 84,38" in text


def test_feedback_report_shows_the_size_class_median_and_no_other_company():
    applications = _cycle_with_scores(MEDIUM_FIVE)

    text = pdf_text(documents.feedback_report_pdf(applications["Moselblick Pflege GmbH"]))

    assert "Feedback-Bericht 2031" in text and "Moselblick Pflege GmbH" in text
    assert "Median Ihrer Größenklasse" in text
    assert "Median der 5 bewerteten Bewerbungen Ihrer Größenklasse" in text
    assert "Führung 100,00 50,00" in text
    assert "Vereinbarkeit 25,00 75,00" in text
    assert "Gesamt 62,50 62,50" in text
    for name, _ in MEDIUM_FIVE:
        if name != "Moselblick Pflege GmbH":
            assert name not in text
            assert name.split()[0] not in text
    # No other company's score can be told apart: no minimum, no maximum.
    assert "Minimum" not in text and "Maximum" not in text


def test_benchmark_takes_the_same_number_of_queries_for_few_and_many_applications(
    django_assert_num_queries,
):
    few = _cycle_with_scores(MEDIUM_FIVE)["Moselblick Pflege GmbH"]
    with django_assert_num_queries(3):
        selectors.benchmark(few)

    many = {(f"Betrieb {n} GmbH", SizeClass.MEDIUM): (n % 5, 4 - n % 5) for n in range(20)}
    application = next(iter(_cycle_with_scores(many, cycle_name="2033").values()))
    with django_assert_num_queries(3):
        selectors.benchmark(application)
