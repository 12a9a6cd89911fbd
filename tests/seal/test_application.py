"""A company admin applies for the seal: phases, drafts, progress, submit, PDFs, boundaries."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from members.models import Company
from seal import services
from seal.models import Answer, Application, Evidence
from tests.factories import CompanyAdminFactory, CompanyFactory, UserFactory
from tests.mfa import login_with_second_factor
from tests.seal.factories import (
    TINY_PDF,
    AnswerFactory,
    AwardCycleFactory,
    CategoryFactory,
    CertificateFactory,
    CriterionFactory,
    EvidenceFactory,
    JurorAssignmentFactory,
)
from tests.utils import message_texts

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
OVERVIEW = "/seal/application/"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def field(criterion, name: str) -> str:
    return f"criterion-{criterion.pk}-{name}"


@pytest.fixture
def cycle():
    return AwardCycleFactory(name="2027", slug="2027")


@pytest.fixture
def catalogue(cycle):
    """Two categories: pay (two criteria, the first needs evidence) and health (one)."""
    pay = CategoryFactory(cycle=cycle, name="Vergütung und Zusatzleistungen", position=1)
    health = CategoryFactory(cycle=cycle, name="Gesundheit", position=2)
    return {
        "pay": pay,
        "health": health,
        "bonus": CriterionFactory(
            category=pay, question="Zahlen Sie Zuschläge?", evidence_required=True, position=1
        ),
        "pension": CriterionFactory(
            category=pay, question="Gibt es eine Betriebsrente?", position=2
        ),
        "sport": CriterionFactory(category=health, question="Fördern Sie Sport?", position=1),
    }


@pytest.fixture
def application(cycle, company, company_admin):
    return Application.objects.create(cycle=cycle, company=company, started_by=company_admin)


def complete(application, catalogue):
    for key in ("bonus", "pension", "sport"):
        answer = AnswerFactory(application=application, criterion=catalogue[key])
        if catalogue[key].evidence_required:
            EvidenceFactory(answer=answer)


def step_data(criterion, *, points="", explanation="", files=None) -> dict:
    data = {
        field(criterion, "self_assessment"): points,
        field(criterion, "explanation"): explanation,
    }
    if files:
        data[field(criterion, "files")] = files
    return data


# --- Phases ---------------------------------------------------------------------------------


def test_no_start_before_the_applications_open(client, company_admin):
    AwardCycleFactory(
        name="2099",
        applications_open_at=datetime(2099, 3, 1, 9, 0, tzinfo=BERLIN),
        deadline=datetime(2099, 4, 30, 18, 0, tzinfo=BERLIN),
    )
    client.force_login(company_admin)
    html = client.get(OVERVIEW).content.decode()
    assert (
        "Bewerbungen für das Siegel 2099 sind noch nicht möglich. Sie können vom "
        "1. März 2099 09:00 bis zum 30. April 2099 18:00 eingereicht werden." in html
    )
    assert "Bewerbung beginnen" not in html
    response = client.post(OVERVIEW, follow=True)
    assert message_texts(response) == [
        "Bewerbungen für das Siegel 2099 sind ab dem 1. März 2099 möglich."
    ]
    assert not Application.objects.exists()


def test_no_start_after_the_deadline(client, company_admin):
    AwardCycleFactory(
        name="2025",
        applications_open_at=datetime(2024, 9, 1, 9, 0, tzinfo=BERLIN),
        deadline=datetime(2024, 11, 30, 18, 0, tzinfo=BERLIN),
    )
    client.force_login(company_admin)
    html = client.get(OVERVIEW).content.decode()
    assert "Der Bewerbungsschluss für das Siegel 2025 war am 30. November 2024 18:00." in html
    response = client.post(OVERVIEW, follow=True)
    assert message_texts(response) == [
        "Der Bewerbungsschluss für das Siegel 2025 war am 30. November 2024. Bewerbungen sind "
        "nicht mehr möglich."
    ]
    assert not Application.objects.exists()


def test_a_pending_companys_admin_is_not_offered_the_start(client, catalogue):
    pending = CompanyFactory(status=Company.Status.PENDING)
    admin = CompanyAdminFactory(company=pending).user
    client.force_login(admin)

    html = client.get(OVERVIEW).content.decode()

    assert "Bewerbung beginnen" not in html
    assert (
        "Sobald die Koordination Ihr Unternehmen freigegeben hat, können Sie sich bewerben." in html
    )
    # What the button would have met: the service refuses.
    response = client.post(OVERVIEW, follow=True)
    assert message_texts(response) == [
        "Nur aktive Mitgliedsunternehmen können sich um das Siegel bewerben."
    ]
    assert not Application.objects.exists()


def test_a_paused_companys_admin_reads_why_it_cannot_start(client, catalogue):
    admin = CompanyAdminFactory(company=CompanyFactory(status=Company.Status.PAUSED)).user
    client.force_login(admin)

    html = client.get(OVERVIEW).content.decode()

    assert "Bewerbung beginnen" not in html
    assert "Nur aktive Mitgliedsunternehmen können sich um das Siegel bewerben." in html


def test_start_creates_a_draft_and_leads_to_the_first_step(
    client, company, company_admin, catalogue
):
    client.force_login(company_admin)
    assert "Bewerbung beginnen" in client.get(OVERVIEW).content.decode()
    response = client.post(OVERVIEW)
    assert response["Location"] == reverse("seal:application_step", args=[catalogue["pay"].pk])
    application = Application.objects.get()
    assert application.company == company
    assert application.started_by == company_admin
    assert not application.is_submitted
    # Starting twice keeps the one application.
    client.post(OVERVIEW)
    assert Application.objects.count() == 1


def test_draft_is_saved_and_shown_again(client, company_admin, application, catalogue):
    client.force_login(company_admin)
    url = reverse("seal:application_step", args=[catalogue["pay"].pk])
    data = {
        **step_data(catalogue["bonus"], points="3", explanation="Nachtzuschlag 25 %"),
        **step_data(catalogue["pension"], points="", explanation="Noch in Planung"),
        "action": "save",
    }
    response = client.post(url, data)
    assert response["Location"] == url
    bonus = Answer.objects.get(criterion=catalogue["bonus"])
    assert (bonus.self_assessment, bonus.explanation) == (3, "Nachtzuschlag 25 %")
    pension = Answer.objects.get(criterion=catalogue["pension"])
    assert (pension.self_assessment, pension.explanation) == (None, "Noch in Planung")

    html = client.get(url).content.decode()
    assert "Ihre Angaben wurden gespeichert." in html
    name = field(catalogue["bonus"], "self_assessment")
    radio = re.search(rf'name="{name}" value="3"[^>]*>', html)
    assert "checked" in radio.group(0)
    assert "Nachtzuschlag 25 %" in html
    assert "Noch in Planung" in html
    assert "Stufe 4" in html  # the level descriptions are the radio labels
    assert 'accept="application/pdf,image/png,image/jpeg' in html


def test_untouched_criteria_create_no_answers(client, company_admin, application, catalogue):
    client.force_login(company_admin)
    client.post(
        reverse("seal:application_step", args=[catalogue["pay"].pk]),
        {**step_data(catalogue["bonus"]), **step_data(catalogue["pension"]), "action": "save"},
    )
    assert not Answer.objects.exists()


def test_save_and_continue_goes_to_the_next_category_then_to_the_overview(
    client, company_admin, application, catalogue
):
    client.force_login(company_admin)
    response = client.post(
        reverse("seal:application_step", args=[catalogue["pay"].pk]),
        {**step_data(catalogue["pension"], points="2", explanation="Ja"), "action": "continue"},
    )
    assert response["Location"] == reverse("seal:application_step", args=[catalogue["health"].pk])
    response = client.post(
        reverse("seal:application_step", args=[catalogue["health"].pk]),
        {
            **step_data(catalogue["sport"], points="4", explanation="Firmenlauf"),
            "action": "continue",
        },
    )
    assert response["Location"] == OVERVIEW


def test_progress_per_category(client, company_admin, application, catalogue):
    AnswerFactory(application=application, criterion=catalogue["pension"])
    # Evidence is required for the bonus criterion, so it does not count yet.
    AnswerFactory(application=application, criterion=catalogue["bonus"])
    client.force_login(company_admin)
    html = client.get(OVERVIEW).content.decode()
    assert '<progress class="w-100" max="2" value="1"' in html
    assert "1 von 2 Kriterien vollständig" in html
    assert '<progress class="w-100" max="1" value="0"' in html
    assert "0 von 1 Kriterien vollständig" in html
    assert "Entwurf" in html
    assert "Zahlen Sie Zuschläge? – <strong>Nachweis erforderlich</strong>" in html
    assert "Fördern Sie Sport? – <strong>Selbsteinschätzung fehlt</strong>" in html


def test_submit_lists_what_is_missing(client, company_admin, application, catalogue):
    AnswerFactory(application=application, criterion=catalogue["pension"], explanation="")
    client.force_login(company_admin)
    response = client.post(reverse("seal:submit"), follow=True)
    assert message_texts(response) == [
        "Die Bewerbung ist noch nicht vollständig: Es fehlen noch 3 Angaben."
    ]
    html = response.content.decode()
    assert "Das fehlt noch, bevor Sie einreichen können" in html
    assert "Zahlen Sie Zuschläge? – <strong>Selbsteinschätzung fehlt</strong>" in html
    assert "Gibt es eine Betriebsrente? – <strong>Erläuterung fehlt</strong>" in html
    assert "Fördern Sie Sport? – <strong>Selbsteinschätzung fehlt</strong>" in html
    application.refresh_from_db()
    assert not application.is_submitted


def test_submit_mails_the_company_admins_a_pdf_summary(
    client,
    company,
    company_admin,
    application,
    catalogue,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    second_admin = CompanyAdminFactory(company=company).user
    complete(application, catalogue)
    client.force_login(company_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seal:submit"), follow=True)
    assert message_texts(response) == [
        "Vielen Dank! Ihre Bewerbung ist eingereicht. Sie erhalten eine Bestätigung mit einer "
        "PDF-Zusammenfassung Ihrer Angaben per E-Mail."
    ]
    application.refresh_from_db()
    assert application.is_submitted
    assert application.submitted_by == company_admin
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(
        [company_admin.email, second_admin.email]
    )
    mail = mailoutbox[0]
    assert "Bewerbung eingegangen" in mail.subject
    (filename, content, mimetype) = mail.attachments[0]
    assert (filename, mimetype) == ("bewerbung-2027.pdf", "application/pdf")
    assert "Moselblick Pflege GmbH" in pdf_text(content)
    # The overview is read-only now and offers the summary.
    html = response.content.decode()
    assert "eingereicht" in html
    assert "Bewerbung einreichen" not in html
    assert reverse("seal:summary_pdf") in html


def test_submit_is_undone_when_the_summary_pdf_takes_too_long(
    client, company_admin, application, catalogue, mailoutbox, settings
):
    complete(application, catalogue)
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.001  # far less than any summary takes
    client.force_login(company_admin)

    response = client.post(reverse("seal:submit"), follow=True)

    assert response.status_code == 200
    assert message_texts(response) == [
        "Ihre Bewerbung konnte gerade nicht eingereicht werden, weil die PDF-Zusammenfassung zu "
        "lange gedauert hat. Es wurde nichts geändert; bitte versuchen Sie es in einer Minute "
        "erneut."
    ]
    application.refresh_from_db()
    assert not application.is_submitted
    assert mailoutbox == []


def test_no_edit_after_submit(client, company_admin, application, catalogue):
    complete(application, catalogue)
    services.application_submit(application=application, by_user=company_admin)
    client.force_login(company_admin)
    url = reverse("seal:application_step", args=[catalogue["health"].pk])
    html = client.get(url).content.decode()
    assert 'id="step-form"' not in html
    assert "Wir bieten regelmäßige Weiterbildungen an." in html  # read-only answers
    response = client.post(
        url,
        {**step_data(catalogue["sport"], points="0", explanation="geändert"), "action": "save"},
        follow=True,
    )
    assert message_texts(response) == [
        "Die Bewerbung ist eingereicht und kann nicht mehr geändert werden. Bei Bedarf kann die "
        "Koordination sie wieder öffnen."
    ]
    assert Answer.objects.get(criterion=catalogue["sport"]).explanation != "geändert"
    evidence = Evidence.objects.get()
    client.post(reverse("seal:evidence_remove", args=[evidence.pk]))
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_no_edit_of_a_draft_after_the_deadline(client, company_admin, application, catalogue):
    AnswerFactory(application=application, criterion=catalogue["sport"])
    deadline = datetime(2024, 11, 30, 18, 0, tzinfo=BERLIN)
    application.cycle.applications_open_at = deadline - timedelta(days=60)
    application.cycle.deadline = deadline
    application.cycle.save()
    client.force_login(company_admin)
    response = client.post(
        reverse("seal:application_step", args=[catalogue["health"].pk]),
        {**step_data(catalogue["sport"], points="0", explanation="zu spät"), "action": "save"},
        follow=True,
    )
    assert message_texts(response) == [
        "Der Bewerbungsschluss für das Siegel 2027 war am 30. November 2024. Bewerbungen sind "
        "nicht mehr möglich."
    ]
    assert Answer.objects.get(criterion=catalogue["sport"]).explanation != "zu spät"


def test_reopened_application_can_be_changed_even_after_the_deadline(
    client, company_admin, coordinator, application, catalogue, django_capture_on_commit_callbacks
):
    complete(application, catalogue)
    services.application_submit(application=application, by_user=company_admin)
    application.cycle.deadline = timezone.now() - timedelta(days=1)
    application.cycle.save()
    services.application_reopen(application=application, by_user=coordinator)
    client.force_login(company_admin)
    url = reverse("seal:application_step", args=[catalogue["health"].pk])
    response = client.post(
        url,
        {**step_data(catalogue["sport"], points="1", explanation="ergänzt"), "action": "save"},
        follow=True,
    )
    assert message_texts(response) == ["Ihre Angaben wurden gespeichert."]
    assert Answer.objects.get(criterion=catalogue["sport"]).explanation == "ergänzt"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("seal:submit"), follow=True)
    application.refresh_from_db()
    assert application.is_submitted


# --- Evidence on the step page --------------------------------------------------------------


def test_refused_file_saves_nothing_and_keeps_the_typed_answers(
    client, company_admin, application, catalogue
):
    client.force_login(company_admin)
    good = SimpleUploadedFile("plan.pdf", TINY_PDF, content_type="application/pdf")
    bad = SimpleUploadedFile("notiz.pdf", b"nur Text", content_type="application/pdf")
    response = client.post(
        reverse("seal:application_step", args=[catalogue["pay"].pk]),
        {
            **step_data(catalogue["bonus"], points="2", explanation="Schichtzulage", files=[good]),
            **step_data(catalogue["pension"], points="1", explanation="Zuschuss", files=[bad]),
            "action": "save",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Es wurde nichts gespeichert: Bitte korrigieren Sie die markierten Angaben und wählen "
        "Sie die Dateien erneut aus." in html
    )
    assert "notiz.pdf: " in html
    assert "Schichtzulage" in html and "Zuschuss" in html
    assert not Answer.objects.exists()
    assert not Evidence.objects.exists()


def test_evidence_is_removed_by_the_company_admin(
    client, company_admin, application, catalogue, django_capture_on_commit_callbacks
):
    answer = AnswerFactory(application=application, criterion=catalogue["bonus"])
    evidence = EvidenceFactory(answer=answer)
    storage, name = evidence.file.storage, evidence.file.name
    client.force_login(company_admin)
    html = client.get(reverse("seal:application_step", args=[catalogue["pay"].pk])).content
    assert reverse("seal:evidence_remove", args=[evidence.pk]).encode() in html
    with django_capture_on_commit_callbacks(execute=True):  # the file goes after the commit
        response = client.post(reverse("seal:evidence_remove", args=[evidence.pk]), follow=True)
    assert message_texts(response) == ["Die Datei „Weiterbildungsplan 2027.pdf“ wurde entfernt."]
    assert not Evidence.objects.exists()
    assert not storage.exists(name)


# --- PDFs -----------------------------------------------------------------------------------


def test_summary_pdf_of_the_submitted_application(client, company_admin, application, catalogue):
    complete(application, catalogue)
    client.force_login(company_admin)
    assert client.get(reverse("seal:summary_pdf")).status_code == 404  # still a draft
    services.application_submit(application=application, by_user=company_admin)
    response = client.get(reverse("seal:summary_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bewerbung-2027.pdf"'
    text = pdf_text(response.content)
    assert "Moselblick Pflege GmbH" in text
    assert "Zahlen Sie Zuschläge?" in text


def test_feedback_only_after_the_decision_was_sent_and_certificate_only_if_awarded(
    client, company_admin, application, catalogue
):
    complete(application, catalogue)
    services.application_submit(application=application, by_user=company_admin)
    # Decided early on purpose: scoring opened before the deadline, no jurors.
    services.cycle_open_scoring_early(cycle=application.cycle, by_user=None)
    services.decision_record(
        application=application,
        awarded=False,
        note="Knapp!",
        override_reason="Die Jury hat gemeinsam in der Sitzung beraten.",
    )
    client.force_login(company_admin)
    assert client.get(reverse("seal:feedback_pdf")).status_code == 404
    html = client.get(OVERVIEW).content.decode()
    assert "nicht ausgezeichnet" not in html  # not told before the decisions are sent
    services.decisions_send(cycle=application.cycle)
    response = client.get(reverse("seal:feedback_pdf"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="feedback-2027.pdf"'
    assert "Moselblick Pflege GmbH" in pdf_text(response.content)
    assert client.get(reverse("seal:certificate_pdf")).status_code == 404
    html = client.get(OVERVIEW).content.decode()
    assert "nicht ausgezeichnet" in html
    assert "Anmerkung der Jury: Knapp!" in html


def test_awarded_company_downloads_its_certificate(client, company, company_admin):
    certificate = CertificateFactory(application__company=company, application__cycle__name="2025")
    client.force_login(company_admin)
    html = client.get(OVERVIEW).content.decode()
    assert "ausgezeichnet" in html
    assert reverse("seal:verify", args=[certificate.verification_code]) in html
    assert reverse("seal:badge", args=[certificate.verification_code]) in html
    response = client.get(reverse("seal:certificate_pdf"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="urkunde-2025.pdf"'
    text = pdf_text(response.content)
    assert "Moselblick Pflege GmbH" in text
    assert certificate.verification_code in text


def test_earlier_certificate_stays_downloadable_during_a_new_application(
    client, company, company_admin, cycle
):
    certificate = CertificateFactory(
        application__company=company,
        application__cycle=AwardCycleFactory(
            name="2025",
            slug="2025",
            applications_open_at=timezone.now() - timedelta(days=800),
            deadline=timezone.now() - timedelta(days=700),
        ),
    )
    Application.objects.create(cycle=cycle, company=company)
    client.force_login(company_admin)
    assert client.get(reverse("seal:certificate_pdf")).status_code == 404  # the 2027 draft
    html = client.get(OVERVIEW).content.decode()
    assert "Frühere Bewerbungen" in html
    assert f"{reverse('seal:certificate_pdf')}?cycle=2025" in html
    response = client.get(reverse("seal:certificate_pdf"), {"cycle": "2025"})
    assert certificate.verification_code in pdf_text(response.content)
    assert client.get(reverse("seal:certificate_pdf"), {"cycle": "1999"}).status_code == 404


# --- Who may see what -----------------------------------------------------------------------


def company_urls(catalogue):
    return [
        ("get", OVERVIEW),
        ("post", OVERVIEW),
        ("get", reverse("seal:application_step", args=[catalogue["pay"].pk])),
        ("post", reverse("seal:application_step", args=[catalogue["pay"].pk])),
        ("post", reverse("seal:submit")),
        ("get", reverse("seal:summary_pdf")),
        ("get", reverse("seal:feedback_pdf")),
        ("get", reverse("seal:certificate_pdf")),
    ]


def test_anonymous_users_are_sent_to_the_login(client, application, catalogue):
    evidence = EvidenceFactory(
        answer__application=application, answer__criterion=catalogue["bonus"]
    )
    urls = company_urls(catalogue) + [
        ("get", reverse("seal:evidence", args=[evidence.pk])),
        ("post", reverse("seal:evidence_remove", args=[evidence.pk])),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_plain_company_users_get_403(client, company_user, application, catalogue):
    client.force_login(company_user)
    for method, url in company_urls(catalogue):
        assert getattr(client, method)(url).status_code == 403, url


def test_users_without_company_go_to_onboarding(client, catalogue):
    client.force_login(UserFactory())
    response = client.get(OVERVIEW)
    assert response["Location"] == reverse("members:onboarding")


def test_other_company_sees_nothing_of_the_application(
    client, company_admin, other_company_admin, application, catalogue
):
    complete(application, catalogue)
    Answer.objects.filter(criterion=catalogue["sport"]).update(explanation="Geheimtext A")
    services.application_submit(application=application, by_user=company_admin)
    evidence = Evidence.objects.get()
    client.force_login(other_company_admin)
    html = client.get(OVERVIEW).content.decode()
    assert "Geheimtext A" not in html
    assert "eingereicht" not in html
    step = client.get(reverse("seal:application_step", args=[catalogue["health"].pk]), follow=True)
    assert "Geheimtext A" not in step.content.decode()
    for name in ("summary_pdf", "feedback_pdf", "certificate_pdf"):
        assert client.get(reverse(f"seal:{name}")).status_code == 404, name
    assert client.get(reverse("seal:evidence", args=[evidence.pk])).status_code == 404
    assert client.post(reverse("seal:evidence_remove", args=[evidence.pk])).status_code == 404
    assert client.get(reverse("seal:summary_pdf"), {"cycle": "2027"}).status_code == 404


def test_category_of_another_cycle_is_a_404(client, company_admin, application, catalogue):
    foreign = CategoryFactory(cycle=AwardCycleFactory(name="2031"))
    client.force_login(company_admin)
    url = reverse("seal:application_step", args=[foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "save"}).status_code == 404


def test_evidence_download_by_company_admins_staff_and_assigned_juror(
    client, company_admin, company_user, coordinator, application, catalogue
):
    evidence = EvidenceFactory(
        answer__application=application, answer__criterion=catalogue["bonus"]
    )
    url = reverse("seal:evidence", args=[evidence.pk])
    assignment = JurorAssignmentFactory(application=application)
    login_with_second_factor(client, assignment.juror)
    assert client.get(url).status_code == 404  # a draft is not shown to jurors
    application.submitted_at = timezone.now()
    application.save()
    # Like the application itself, not for the company's other users.
    client.force_login(company_user)
    assert client.get(url).status_code == 403
    for user in (company_admin, coordinator, assignment.juror):
        if user == company_admin:
            client.force_login(user)
        else:
            login_with_second_factor(client, user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert (
            response["Content-Disposition"] == f'attachment; filename="nachweis-{evidence.pk}.pdf"'
        )
    assignment.conflict_declared_at = timezone.now()
    assignment.save()
    assert client.get(url).status_code == 404


# --- Query counts ---------------------------------------------------------------------------


def grow_catalogue(application, *, categories: int, criteria: int):
    for c in range(categories):
        category = CategoryFactory(cycle=application.cycle, position=10 + c)
        for n in range(criteria):
            criterion = CriterionFactory(category=category, evidence_required=n % 2 == 0)
            answer = AnswerFactory(application=application, criterion=criterion)
            EvidenceFactory(answer=answer)


def test_overview_runs_a_constant_number_of_queries(
    client, company_admin, application, django_assert_num_queries
):
    grow_catalogue(application, categories=1, criteria=1)
    client.force_login(company_admin)
    with django_assert_num_queries(11):
        client.get(OVERVIEW)
    grow_catalogue(application, categories=4, criteria=5)
    with django_assert_num_queries(11):
        response = client.get(OVERVIEW)
    assert response.content.decode().count("<progress") == 5


def test_step_page_runs_a_constant_number_of_queries(
    client, company_admin, application, django_assert_num_queries
):
    category = CategoryFactory(cycle=application.cycle)

    def add(n):
        for _ in range(n):
            criterion = CriterionFactory(category=category)
            EvidenceFactory(answer=AnswerFactory(application=application, criterion=criterion))

    add(1)
    client.force_login(company_admin)
    url = reverse("seal:application_step", args=[category.pk])
    with django_assert_num_queries(9):
        client.get(url)
    add(6)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert response.content.decode().count('type="radio"') == 7 * 5


@pytest.mark.parametrize("cycle_slug", ["2027\x00", "../2027", "zwei tausend"])
def test_pdf_of_a_cycle_that_cannot_exist_is_a_404(client, company_admin, application, cycle_slug):
    from tests.forms.harness import strict_database

    client.force_login(company_admin)
    with strict_database():  # SQLite takes NUL; PostgreSQL, as in production, refuses it
        for name in ("summary_pdf", "feedback_pdf", "certificate_pdf"):
            response = client.get(reverse(f"seal:{name}"), {"cycle": cycle_slug})
            assert response.status_code == 404, name


def test_coordinator_who_works_for_the_applicant_still_sees_its_evidence(
    client, company, application, catalogue
):
    from members.models import CompanyMembership
    from tests.factories import CoordinatorFactory

    coordinator = CoordinatorFactory()
    CompanyMembership.objects.create(
        user=coordinator, company=company, role=CompanyMembership.Role.MEMBER
    )
    evidence = EvidenceFactory(
        answer__application=application, answer__criterion=catalogue["bonus"]
    )
    login_with_second_factor(client, coordinator)
    assert client.get(reverse("seal:evidence", args=[evidence.pk])).status_code == 200
