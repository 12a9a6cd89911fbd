"""Re-application: a later cycle starts from the company's previous answers and evidence."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from network_portal.models import ActivityEntry
from seal import services
from seal.models import Answer, Application, Criterion, Evidence
from tests.seal.factories import (
    TINY_PDF,
    AnswerFactory,
    AwardCycleFactory,
    CategoryFactory,
    CriterionFactory,
    EvidenceFactory,
)
from tests.utils import message_texts

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("seal:application")


@pytest.fixture
def earlier(company, company_admin):
    """The 2025 cycle with the company's submitted application: three answers, evidence on two
    of them (one document expired)."""
    now = timezone.now()
    cycle = AwardCycleFactory(
        name="2025",
        slug="2025",
        applications_open_at=now - timedelta(days=800),
        deadline=now - timedelta(days=700),
    )
    category = CategoryFactory(cycle=cycle, name="Gesundheit", position=1)
    sport = CriterionFactory(category=category, question="Fördern Sie Sport?", position=1)
    pension = CriterionFactory(category=category, question="Gibt es eine Betriebsrente?")
    canteen = CriterionFactory(category=category, question="Gibt es eine Kantine?")
    application = Application.objects.create(
        cycle=cycle, company=company, started_by=company_admin, submitted_at=now - timedelta(700)
    )
    sport_answer = AnswerFactory(
        application=application, criterion=sport, self_assessment=4, explanation="Lauftreff."
    )
    EvidenceFactory(
        answer=sport_answer,
        original_name="Lauftreff-Plan.pdf",
        file=SimpleUploadedFile("plan.pdf", TINY_PDF),
        valid_until=None,
    )
    EvidenceFactory(
        answer=sport_answer,
        original_name="Zertifikat-abgelaufen.pdf",
        valid_until=timezone.localdate() - timedelta(days=1),
    )
    AnswerFactory(
        application=application, criterion=pension, self_assessment=2, explanation="Zuschuss."
    )
    AnswerFactory(application=application, criterion=canteen, explanation="Ja, täglich.")
    return cycle


@pytest.fixture
def later(earlier, coordinator):
    """The 2027 cycle, its catalogue copied from 2025; the sport question reworded, the pension
    scale shortened, the canteen dropped, a new criterion added."""
    cycle = AwardCycleFactory(name="2027", slug="2027")
    services.cycle_copy_catalogue(source=earlier, target=cycle, by_user=coordinator)
    criteria = {c.question: c for c in Criterion.objects.filter(category__cycle=cycle)}
    sport = criteria["Fördern Sie Sport?"]
    sport.question = "Wie fördern Sie Bewegung und Sport?"
    sport.save()
    pension = criteria["Gibt es eine Betriebsrente?"]
    pension.scale_max = 1
    pension.save()
    pension.levels.filter(points__gt=1).delete()
    criteria["Gibt es eine Kantine?"].delete()
    CriterionFactory(
        category=sport.category, question="Bieten Sie mobiles Arbeiten an?", position=9
    )
    return cycle


def test_catalogue_copy_remembers_where_each_criterion_came_from(earlier, coordinator):
    cycle = AwardCycleFactory(name="2027", slug="2027")
    services.cycle_copy_catalogue(source=earlier, target=cycle, by_user=coordinator)
    copied = Criterion.objects.filter(category__cycle=cycle).select_related("copied_from")
    assert {c.copied_from.question for c in copied} == {
        "Fördern Sie Sport?",
        "Gibt es eine Betriebsrente?",
        "Gibt es eine Kantine?",
    }
    assert all(c.copied_from.category.cycle == earlier for c in copied)


def test_a_new_application_starts_with_the_previous_answers_and_valid_evidence(
    client, company_admin, earlier, later
):
    client.force_login(company_admin)
    client.post(OVERVIEW)

    application = Application.objects.get(cycle=later)
    answers = {a.criterion.question: a for a in application.answers.select_related("criterion")}
    assert set(answers) == {"Wie fördern Sie Bewegung und Sport?", "Gibt es eine Betriebsrente?"}
    sport = answers["Wie fördern Sie Bewegung und Sport?"]
    assert (sport.self_assessment, sport.explanation, sport.needs_review) == (4, "Lauftreff.", True)
    assert sport.carried_over_from.application.cycle == earlier
    # Two points do not fit the shortened scale (0–1): the company chooses again.
    assert answers["Gibt es eine Betriebsrente?"].self_assessment is None

    # Only the evidence still valid, as a copy of its own (removing it keeps the old one).
    copy = Evidence.objects.get(answer=sport)
    assert (copy.original_name, copy.carried_over) == ("Lauftreff-Plan.pdf", True)
    original = Evidence.objects.get(
        answer=sport.carried_over_from, original_name=copy.original_name
    )
    assert copy.file.name != original.file.name
    with copy.file.open("rb") as stored:
        assert stored.read() == TINY_PDF
    entry = ActivityEntry.objects.get(action="seal.application.started")
    assert entry.details == {"from_cycle": "2025", "carried_over": 2, "files": 1}

    client.post(reverse("seal:evidence_remove", args=[copy.pk]))
    assert not Evidence.objects.filter(pk=copy.pk).exists()
    with original.file.open("rb") as stored:
        assert stored.read() == TINY_PDF


def test_answers_match_by_identical_question_without_a_copy(company, company_admin, earlier):
    cycle = AwardCycleFactory(name="2027", slug="2027")
    CriterionFactory(category__cycle=cycle, question="  gibt es eine   Kantine? ")
    application = services.application_start(cycle=cycle, company=company, by_user=company_admin)
    answer = application.answers.get()
    assert (answer.explanation, answer.needs_review) == ("Ja, täglich.", True)


def test_the_step_marks_carried_over_answers_and_saving_it_clears_the_mark(
    client, company_admin, later
):
    client.force_login(company_admin)
    client.post(OVERVIEW)
    application = Application.objects.get(cycle=later)
    category = application.cycle.categories.get()
    step = reverse("seal:application_step", args=[category.pk])

    html = client.get(step).content.decode()
    assert html.count("Aus Ihrer letzten Bewerbung übernommen – bitte prüfen.") == 2
    assert "Lauftreff-Plan.pdf" in html
    overview = client.get(OVERVIEW).content.decode()
    assert "2 Antworten wurden aus Ihrer letzten Bewerbung übernommen" in overview

    data = {}
    for answer in application.answers.select_related("criterion"):
        prefix = f"criterion-{answer.criterion_id}"
        data[f"{prefix}-self_assessment"] = "1"
        data[f"{prefix}-explanation"] = answer.explanation
    client.post(step, data)
    assert not Answer.objects.filter(application=application, needs_review=True).exists()
    assert "übernommen – bitte prüfen" not in client.get(step).content.decode()


def test_the_overview_shows_what_changed_in_the_catalogue(client, company_admin, later):
    client.force_login(company_admin)
    client.post(OVERVIEW)
    html = client.get(OVERVIEW).content.decode()
    section = html.split('id="catalogue-changes"', 1)[1].split("</section>", 1)[0]
    assert "Was sich seit Ihrer Bewerbung 2025 an den Kriterien geändert hat" in section
    added = section.split('id="criteria-added"', 1)[1].split("</ul>", 1)[0]
    assert "Bieten Sie mobiles Arbeiten an?" in added
    changed = section.split('id="criteria-changed"', 1)[1].split("</ul>", 1)[0]
    assert "Wie fördern Sie Bewegung und Sport?" in changed
    assert "Wortlaut geändert" in changed
    assert "Vorher: Fördern Sie Sport?" in changed
    assert "Gibt es eine Betriebsrente?" in changed and "Skala geändert" in changed
    removed = section.split('id="criteria-removed"', 1)[1].split("</ul>", 1)[0]
    assert "Gibt es eine Kantine?" in removed


def test_the_first_application_shows_no_changes(client, company_admin):
    CriterionFactory(category__cycle=AwardCycleFactory(name="2027"))
    client.force_login(company_admin)
    client.post(OVERVIEW)
    assert 'id="catalogue-changes"' not in client.get(OVERVIEW).content.decode()


def test_submitting_lists_answers_not_reviewed_yet(client, company_admin, later):
    client.force_login(company_admin)
    client.post(OVERVIEW)
    application = Application.objects.get(cycle=later)
    for answer in application.answers.all():
        answer.self_assessment = 1
        answer.save()
    AnswerFactory(
        application=application,
        criterion=Criterion.objects.get(question="Bieten Sie mobiles Arbeiten an?"),
    )
    html = client.get(reverse("seal:submit")).content.decode()
    assert "2 Antworten wurden aus Ihrer letzten Bewerbung übernommen und noch nicht geprüft" in (
        html
    )
    assert "Wie fördern Sie Bewegung und Sport?" in html
    # Allowed all the same: the answers may still be true.
    response = client.post(reverse("seal:submit"), follow=True)
    assert message_texts(response)[0].startswith("Vielen Dank! Ihre Bewerbung ist eingereicht.")
    assert Application.objects.get(cycle=later).is_submitted


def test_evidence_can_carry_a_valid_until_date(client, company, company_admin):
    cycle = AwardCycleFactory(name="2027")
    criterion = CriterionFactory(category__cycle=cycle)
    Application.objects.create(cycle=cycle, company=company, started_by=company_admin)
    client.force_login(company_admin)
    prefix = f"criterion-{criterion.pk}"
    client.post(
        reverse("seal:application_step", args=[criterion.category_id]),
        {
            f"{prefix}-self_assessment": "2",
            f"{prefix}-explanation": "Zertifiziert.",
            f"{prefix}-files": SimpleUploadedFile("z.pdf", TINY_PDF, "application/pdf"),
            f"{prefix}-evidence_valid_until": "2030-06-30",
        },
    )
    evidence = Evidence.objects.get()
    assert evidence.valid_until.isoformat() == "2030-06-30"
    html = client.get(reverse("seal:application_step", args=[criterion.category_id])).content
    assert "gültig bis 30. Juni 2030" in html.decode()
