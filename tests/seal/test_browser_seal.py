"""In the browser, the whole seal journey: a company admin fills part of the application,
leaves, comes back, uploads evidence and submits; a coordinator opens scoring and assigns the
juror (mailed); the juror scores it; a coordinator awards it in the ranking and sends the
decision (confirmed); nothing is public until the award date, then the company is listed and
its verification page says "gültig"."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from network_portal.models import OutboxMail
from seal.models import Application, AwardCycle, Certificate, JurorAssignment
from tests.factories import CompanyAdminFactory, CompanyFactory, CoordinatorFactory
from tests.mfa import browser_log_in, enroll_totp
from tests.seal.factories import AwardCycleFactory, CategoryFactory, CriterionFactory, juror

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def log_in(page, email):
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()


def test_application_from_draft_to_verified_certificate(page, browser, live_server, settings):
    settings.SITE_URL = live_server.url
    cycle = AwardCycleFactory(name="2027", slug="2027")
    category = CategoryFactory(cycle=cycle, name="Aus- und Weiterbildung")
    first = CriterionFactory(category=category, question="Wie planen Sie Weiterbildung?")
    second = CriterionFactory(
        category=category, question="Wie binden Sie Auszubildende?", evidence_required=True
    )
    company = CompanyFactory(name="Saarblick Sanitär GmbH", size_class="small")
    admin_user = CompanyAdminFactory(company=company, user__email="chefin@saarblick.example").user
    scorer = juror(email="jurorin@example.org")
    coordinator = CoordinatorFactory(email="koordination@example.org")

    # Part of the application, then leave.
    log_in(page, admin_user.email)
    page.goto("/seal/application/")
    page.get_by_role("button", name="Bewerbung beginnen").click()  # opens the first step
    page.check(f"input[name='criterion-{first.pk}-self_assessment'][value='3']")
    page.fill(f"#id_criterion-{first.pk}-explanation", "Jährliche Gespräche und ein Budget.")
    page.get_by_role("button", name="Entwurf speichern").click()
    page.goto("/")

    # Back again: the draft is there; finish with evidence and submit.
    page.goto("/seal/application/")
    expect(page.get_by_text("1 von 2 Kriterien vollständig")).to_be_visible()
    page.get_by_role("link", name="Bearbeiten").first.click()
    expect(page.locator(f"#id_criterion-{first.pk}-explanation")).to_have_value(
        "Jährliche Gespräche und ein Budget."
    )
    page.check(f"input[name='criterion-{second.pk}-self_assessment'][value='4']")
    page.fill(f"#id_criterion-{second.pk}-explanation", "Patenschaften und Übernahmegarantie.")
    page.set_input_files(
        f"input[name='criterion-{second.pk}-files']",
        files=[{"name": "ausbildungskonzept.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name="Speichern und zur Übersicht").click()
    page.get_by_role("link", name="Bewerbung einreichen …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bewerbung einreichen")
    assert not Application.objects.get(cycle=cycle, company=company).is_submitted
    page.get_by_role("button", name="Bewerbung einreichen").click()
    expect(page.get_by_text("Eingereicht am")).to_be_visible()
    application = Application.objects.get(cycle=cycle, company=company)
    assert application.is_submitted
    assert application.answers.get(criterion=second).evidence.count() == 1

    # Scoring waits for the deadline: the juror cannot score yet.
    office = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    browser_log_in(office, coordinator.email, PASSWORD, totp_secret=enroll_totp(coordinator))
    # A coordinator opens scoring before the deadline on purpose (confirmed, logged) and
    # assigns the juror with the bulk assignment; the juror is mailed.
    office.goto("/admin/seal/awardcycle/")
    office.check(f"input[name='_selected_action'][value='{cycle.pk}']")
    office.select_option("select[name='action']", "open_scoring_early")
    office.get_by_role("button", name="Ausführen").click()
    assert not AwardCycle.objects.get(pk=cycle.pk).scoring_open
    office.get_by_role("button", name="Ja, Bewertung jetzt öffnen").click()
    assert AwardCycle.objects.get(pk=cycle.pk).scoring_open
    office.goto("/admin/seal/application/")
    office.check(f"input[name='_selected_action'][value='{application.pk}']")
    office.select_option("select[name='action']", "assign_jurors")
    office.get_by_role("button", name="Ausführen").click()
    office.get_by_label(scorer.get_full_name()).check()
    office.get_by_role("button", name="Weiter").click()
    office.get_by_role("button", name="Ja, zuordnen").click()
    expect(office.locator("#result_list")).to_contain_text("0 von 1 Juror*in fertig")
    assignment = JurorAssignment.objects.get(application=application, juror=scorer)
    juror_mail = OutboxMail.objects.get(to="jurorin@example.org")
    assert "Saarblick Sanitär GmbH" in juror_mail.body_text

    jury = browser.new_context(locale="de-DE", base_url=live_server.url).new_page()
    browser_log_in(jury, scorer.email, PASSWORD, totp_secret=enroll_totp(scorer))
    jury.goto(f"/seal/jury/{assignment.pk}/")
    jury.check(f"input[name='points_{first.pk}'][value='3']")
    jury.check(f"input[name='points_{second.pk}'][value='4']")
    jury.get_by_role("button", name="Bewertung absenden …").click()
    # The confirmation: the points per category, final once sent.
    expect(jury.get_by_role("heading", name="Bewertung absenden?")).to_be_visible()
    jury.get_by_role("button", name="Bewertung endgültig absenden").click()
    expect(jury.locator("#jury-notice")).to_contain_text("Sie haben Ihre Bewertung am")

    # A coordinator awards it in the admin's ranking and sends the decision.
    office.goto(f"/admin/seal/awardcycle/{cycle.pk}/ranking/")
    expect(office.locator(f"#application-{application.pk} .total")).to_have_text("87,50")
    office.check(f"input[name='a{application.pk}-decision'][value='awarded']")
    office.get_by_role("button", name="Entscheidungen speichern").click()
    office.get_by_role("link", name="Entscheidungen versenden …").click()
    # The confirmation: who gets which decision.
    expect(office.locator("#confirm-mails")).to_contain_text("Ausgezeichnet: 1 Unternehmen")
    office.get_by_role("button", name="Entscheidungen an 1 Person versenden").click()
    expect(office.get_by_text("1 Entscheidung wird an die Admins")).to_be_visible()
    certificate = Certificate.objects.get(application=application)

    # The company downloads its certificate and checks the verification page.
    page.goto("/seal/application/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Urkunde (PDF)").first.click()
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Saarblick Sanitär GmbH" in text and certificate.verification_code in text
    # Nothing is public before the award ceremony: not the list, not the verification page.
    page.goto(f"/seal/verify/{certificate.verification_code}/")
    expect(page.get_by_role("heading", name="Siegel nicht gefunden")).to_be_visible()
    page.goto("/seal/")
    expect(page.locator("#awarded")).not_to_contain_text("Saarblick Sanitär GmbH")
    # Time passes: the ceremony took place yesterday. Listed and verified from then on.
    AwardCycle.objects.filter(pk=cycle.pk).update(
        ceremony_on=timezone.localdate() - timedelta(days=1)
    )
    page.goto("/seal/")
    expect(page.locator("#awarded")).to_contain_text("Saarblick Sanitär GmbH")
    page.goto(f"/seal/verify/{certificate.verification_code}/")
    expect(page.locator("#seal-status")).to_contain_text("gültig bis")
