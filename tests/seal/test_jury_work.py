"""Jury work: several applications to several jurors at once, the jurors' mails, reminders
before the scoring deadline, the progress views, and scores never lost by a removal."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone

from network_portal.models import ActivityEntry, OutboxMail
from seal import services, tasks
from seal.models import JurorAssignment, Score
from tests.factories import MembershipFactory
from tests.mfa import login_with_second_factor
from tests.seal.factories import (
    AwardCycleFactory,
    CriterionFactory,
    JurorAssignmentFactory,
    ScoreFactory,
    SubmittedApplicationFactory,
    juror,
)
from tests.utils import messages_of

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:seal_application_changelist"
PROGRESS = "admin:seal_application_jury_progress"


def german_date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


@pytest.fixture
def cycle():
    return AwardCycleFactory(
        name="2027", jury_review_until=timezone.localdate() + timedelta(days=30)
    )


@pytest.fixture
def people(cycle):
    """Two applications, three jurors: Anna works for Porta Digital, Clara is already on
    (and was mailed about) Moselblick's application."""
    moselblick = SubmittedApplicationFactory(cycle=cycle, company__name="Moselblick Pflege GmbH")
    porta = SubmittedApplicationFactory(cycle=cycle, company__name="Porta Digital GmbH")
    anna = juror(first_name="Anna", last_name="Arens", email="anna@jury.example")
    bernd = juror(first_name="Bernd", last_name="Becker", email="bernd@jury.example")
    clara = juror(first_name="Clara", last_name="Conrad", email="clara@jury.example")
    MembershipFactory(user=anna, company=porta.company)
    JurorAssignmentFactory(application=moselblick, juror=clara, notified_at=timezone.now())
    return moselblick, porta, anna, bernd, clara


def action_post(client, applications, **data):
    return client.post(
        reverse(CHANGELIST),
        {"action": "assign_jurors", "_selected_action": [a.pk for a in applications], **data},
    )


# --- Bulk assignment ---------------------------------------------------------------------------


def test_bulk_assignment_shows_the_jurors_then_what_happens_then_assigns_and_mails(
    coordinator_client, coordinator, people, cycle
):
    moselblick, porta, anna, bernd, clara = people
    applications = [moselblick, porta]

    # 1. The jurors to pick, with the applications selected.
    page = action_post(coordinator_client, applications).content.decode()
    assert 'type="checkbox" name="jurors"' in page
    for name in ("Anna Arens", "Bernd Becker", "Clara Conrad"):
        assert name in page
    assert "2 ausgewählte Bewerbungen" in page

    # 2. What will happen: nothing changes yet.
    jurors = [anna.pk, bernd.pk, clara.pk]
    response = action_post(coordinator_client, applications, step="preview", jurors=jurors)
    page = response.content.decode()
    assert response.status_code == 200
    assert "4 neue Zuordnungen:" in page
    assert "Porta Digital GmbH – Anna Arens: arbeitet für das sich bewerbende Unternehmen" in page
    assert "Moselblick Pflege GmbH – Clara Conrad: bereits zugeordnet" in page
    assert "3 E-Mails gehen hinaus" in page
    assert f"Bewertungsfrist der Runde 2027: {german_date(cycle.jury_review_until)}" in page
    assert JurorAssignment.objects.count() == 1
    assert not OutboxMail.objects.exists()

    # 3. Confirmed: assigned, logged per assignment, one mail per juror.
    response = action_post(coordinator_client, applications, step="assign", jurors=jurors)

    assert response.status_code == 302
    assert set(
        JurorAssignment.objects.values_list("application__company__name", "juror__email")
    ) == {
        ("Moselblick Pflege GmbH", "anna@jury.example"),
        ("Moselblick Pflege GmbH", "bernd@jury.example"),
        ("Moselblick Pflege GmbH", "clara@jury.example"),
        ("Porta Digital GmbH", "bernd@jury.example"),
        ("Porta Digital GmbH", "clara@jury.example"),
    }
    assert messages_of(response) == [
        ("success", "4 Zuordnungen vorgenommen; 3 E-Mails an die Jury."),
        (
            "warning",
            "2 Paare übersprungen: Moselblick Pflege GmbH – Clara Conrad (bereits zugeordnet); "
            "Porta Digital GmbH – Anna Arens (arbeitet für das sich bewerbende Unternehmen)",
        ),
    ]
    entries = ActivityEntry.objects.filter(action="seal.application.juror_assigned")
    assert entries.count() == 4
    assert {entry.actor_id for entry in entries} == {coordinator.pk}

    mails = {mail.to: mail for mail in OutboxMail.objects.all()}
    assert sorted(mails) == ["anna@jury.example", "bernd@jury.example", "clara@jury.example"]
    bernd_mail = mails["bernd@jury.example"]
    assert "Neue Bewerbungen zur Bewertung" in bernd_mail.subject
    assert "Guten Tag Bernd Becker," in bernd_mail.body_text
    assert "- Moselblick Pflege GmbH" in bernd_mail.body_text
    assert "- Porta Digital GmbH" in bernd_mail.body_text
    assert f"bis zum {german_date(cycle.jury_review_until)}" in bernd_mail.body_text
    assert "/seal/jury/" in bernd_mail.body_text
    assert "Moselblick" not in mails["clara@jury.example"].body_text  # mailed before
    assert "Porta" not in mails["anna@jury.example"].body_text
    assert not JurorAssignment.objects.filter(notified_at__isnull=True).exists()


def test_bulk_assignment_without_a_juror_chosen_asks_for_one(coordinator_client, people):
    moselblick, porta, *_jurors = people

    response = action_post(coordinator_client, [moselblick, porta], step="preview")

    assert response.status_code == 200
    assert "Bitte wählen Sie mindestens eine Jurorin oder einen Juror aus." in (
        response.content.decode()
    )
    assert JurorAssignment.objects.count() == 1


def test_a_repeated_bulk_assignment_assigns_and_mails_nothing_more(coordinator, people):
    moselblick, porta, _anna, bernd, _clara = people
    services.jurors_assign_bulk(
        applications=[moselblick, porta], jurors=[bernd], by_user=coordinator
    )

    again = services.jurors_assign_bulk(
        applications=[moselblick, porta], jurors=[bernd], by_user=coordinator
    )

    assert again.assigned == [] and again.mails == 0
    assert [pair.reason for pair in again.skipped] == ["bereits zugeordnet"] * 2
    assert OutboxMail.objects.filter(to="bernd@jury.example").count() == 1


def test_a_decided_application_gets_no_new_juror(coordinator, people):
    moselblick, _porta, _anna, bernd, _clara = people
    moselblick.decision, moselblick.decided_at = "awarded", timezone.now()
    moselblick.save()

    result = services.jurors_assign_bulk(
        applications=[moselblick], jurors=[bernd], by_user=coordinator
    )

    assert result.assigned == []
    assert [pair.reason for pair in result.skipped] == [
        "über die Bewerbung ist bereits entschieden"
    ]


def test_a_single_assignment_on_the_application_page_mails_the_juror(coordinator_client, people):
    _moselblick, porta, _anna, bernd, _clara = people
    data = {
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "0",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-id": "",
        "assignments-0-application": porta.pk,
        "assignments-0-juror": bernd.pk,
    }

    response = coordinator_client.post(
        reverse("admin:seal_application_change", args=[porta.pk]), data
    )

    assert response.status_code == 302
    mail = OutboxMail.objects.get()
    assert mail.to == "bernd@jury.example"
    assert mail.key == f"seal:jury-notify:{bernd.pk}:{JurorAssignment.objects.get(juror=bernd).pk}"
    assert "- Porta Digital GmbH" in mail.body_text
    assert JurorAssignment.objects.get(juror=bernd).notified_at is not None


# --- Reminders before the scoring deadline -----------------------------------------------------


@pytest.fixture
def reminder_world():
    """A cycle whose scoring deadline is in seven days: Bernd has two applications open,
    Clara has submitted, Dora declared a conflict."""
    cycle = AwardCycleFactory(
        name="2027", jury_review_until=timezone.localdate() + timedelta(days=7)
    )
    moselblick = SubmittedApplicationFactory(cycle=cycle, company__name="Moselblick Pflege GmbH")
    porta = SubmittedApplicationFactory(cycle=cycle, company__name="Porta Digital GmbH")
    bernd = juror(first_name="Bernd", last_name="Becker", email="bernd@jury.example")
    clara = juror(first_name="Clara", last_name="Conrad", email="clara@jury.example")
    dora = juror(first_name="Dora", last_name="Dahm", email="dora@jury.example")
    for application in (moselblick, porta):
        JurorAssignmentFactory(application=application, juror=bernd)
        JurorAssignmentFactory(application=application, juror=clara, submitted_at=timezone.now())
        JurorAssignmentFactory(
            application=application, juror=dora, conflict_declared_at=timezone.now()
        )
    return cycle


def test_seven_days_before_the_deadline_only_jurors_with_open_scores_are_reminded_once(
    reminder_world,
):
    cycle = reminder_world

    sent = tasks.send_jury_reminders()

    assert sent == 1
    mail = OutboxMail.objects.get()
    assert mail.to == "bernd@jury.example"
    assert mail.key.endswith(":7d")
    assert "Erinnerung" in mail.subject
    assert "- Moselblick Pflege GmbH" in mail.body_text
    assert "- Porta Digital GmbH" in mail.body_text
    assert f"endet am {german_date(cycle.jury_review_until)}" in mail.body_text
    assert "Das ist in 7 Tagen." in mail.body_text
    entry = ActivityEntry.objects.get(action="seal.cycle.jury_reminded")
    assert (entry.process, entry.actor_id) == ("beat", None)
    assert entry.details == {"recipients": 1, "days": 7}

    # Beat runs again (the same day, an hour later): nothing more.
    assert tasks.send_jury_reminders() == 0
    assert OutboxMail.objects.count() == 1
    assert ActivityEntry.objects.filter(action="seal.cycle.jury_reminded").count() == 1


def test_two_days_before_the_deadline_the_second_reminder_follows(reminder_world):
    cycle = reminder_world
    today = timezone.localdate()
    services.jury_reminders_write(today=today)
    # Bernd submits Porta's scores meanwhile.
    JurorAssignment.objects.filter(
        juror__email="bernd@jury.example", application__company__name="Porta Digital GmbH"
    ).update(submitted_at=timezone.now())

    # Five days later: two days left.
    written = services.jury_reminders_write(today=today + timedelta(days=5))

    assert len(written) == 1
    mail = OutboxMail.objects.get(pk=written[0])
    assert mail.key == f"seal:jury-reminder:{cycle.pk}:{mail.key.split(':')[3]}:2d"
    assert "- Moselblick Pflege GmbH" in mail.body_text
    assert "Porta Digital" not in mail.body_text
    assert "Das ist in 2 Tagen." in mail.body_text
    assert services.jury_reminders_write(today=today + timedelta(days=5)) == []


@pytest.mark.parametrize("days_left", [8, -1])
def test_no_reminder_before_the_first_stage_or_after_the_deadline(reminder_world, days_left):
    reminder_world.jury_review_until = timezone.localdate() + timedelta(days=days_left)
    reminder_world.save()

    assert services.jury_reminders_write() == []
    assert not OutboxMail.objects.exists()


@pytest.mark.parametrize(("days_left", "stage"), [(6, "7d"), (3, "7d"), (1, "2d"), (0, "2d")])
def test_a_reminder_day_beat_missed_is_made_up_for(reminder_world, days_left, stage):
    """Beat or the worker was down on the reminder day: the next run reminds, once."""
    reminder_world.jury_review_until = timezone.localdate() + timedelta(days=days_left)
    reminder_world.save()

    (written,) = services.jury_reminders_write()

    assert OutboxMail.objects.get(pk=written).key.endswith(f":{stage}")
    assert services.jury_reminders_write() == []


# --- Progress ------------------------------------------------------------------------------------


def _progress_world(cycle, *, size: int):
    """``size`` applications, each with one juror done, one open and one with a conflict."""
    done, open_, conflicted = (
        juror(first_name="Dana", last_name="Done"),
        juror(first_name="Otto", last_name="Offen"),
        juror(first_name="Kai", last_name="Konflikt"),
    )
    for number in range(size):
        application = SubmittedApplicationFactory(cycle=cycle, company__name=f"Betrieb {number}")
        JurorAssignmentFactory(application=application, juror=done, submitted_at=timezone.now())
        JurorAssignmentFactory(application=application, juror=open_)
        JurorAssignmentFactory(
            application=application, juror=conflicted, conflict_declared_at=timezone.now()
        )
    return done, open_, conflicted


@pytest.mark.parametrize("size", [1, 6])
def test_the_application_list_says_how_many_jurors_are_done_in_constant_queries(
    coordinator_client, cycle, size, django_assert_num_queries
):
    _progress_world(cycle, size=size)
    url = reverse(CHANGELIST)
    coordinator_client.get(url)

    # session, user; the filters' cycles, jurors owing scores, jury members; two counts; the page
    with django_assert_num_queries(8):
        response = coordinator_client.get(url)

    page = response.content.decode()
    assert page.count("1 von 2 Juror*innen fertig (1 Interessenkonflikt)") == size


def test_an_application_without_jurors_shows_a_dash(coordinator_client, cycle):
    SubmittedApplicationFactory(cycle=cycle, company__name="Ohne Jury GmbH")
    response = coordinator_client.get(reverse(CHANGELIST))
    assert '<td class="field-jurors">–</td>' in response.content.decode()


@pytest.mark.parametrize("size", [1, 6])
def test_the_progress_page_counts_per_juror_in_constant_queries(
    coordinator_client, cycle, size, django_assert_num_queries
):
    done, open_, conflicted = _progress_world(cycle, size=size)
    idle = juror(first_name="Ida", last_name="Idle")
    url = reverse(PROGRESS) + f"?cycle={cycle.pk}"
    coordinator_client.get(url)

    # session, user, cycles, the counts per juror, the jurors
    with django_assert_num_queries(5):
        response = coordinator_client.get(url)

    rows = {row.juror: row for row in response.context["rows"]}
    assert (rows[done].assigned, rows[done].submitted, rows[done].open) == (size, size, 0)
    assert (rows[open_].assigned, rows[open_].open) == (size, size)
    assert (rows[conflicted].conflict, rows[conflicted].open) == (size, 0)
    assert rows[idle].assigned == 0
    page = response.content.decode()
    assert f"Bewertungsfrist: {german_date(cycle.jury_review_until)}" in page
    assert "(noch 30 Tage)" in page
    assert f"?cycle__id__exact={cycle.pk}&amp;scores_outstanding={open_.pk}" in page


def test_the_progress_links_list_the_jurors_applications(coordinator_client, cycle):
    _done, open_, _conflicted = _progress_world(cycle, size=2)
    SubmittedApplicationFactory(cycle=cycle, company__name="Nicht zugeordnet")

    response = coordinator_client.get(
        reverse(CHANGELIST), {"cycle__id__exact": cycle.pk, "juror": open_.pk}
    )

    assert sorted(a.company.name for a in response.context["cl"].result_list) == [
        "Betrieb 0",
        "Betrieb 1",
    ]


# --- Scores are never lost ---------------------------------------------------------------------


def test_an_assignment_with_saved_scores_is_not_removed(coordinator_client, coordinator):
    application = SubmittedApplicationFactory()
    assignment = JurorAssignmentFactory(
        application=application, juror=juror(first_name="Jens", last_name="Juror")
    )
    ScoreFactory(
        assignment=assignment, criterion=CriterionFactory(category__cycle=application.cycle)
    )
    data = {
        "assignments-TOTAL_FORMS": "1",
        "assignments-INITIAL_FORMS": "1",
        "assignments-MIN_NUM_FORMS": "0",
        "assignments-MAX_NUM_FORMS": "1000",
        "assignments-0-id": assignment.pk,
        "assignments-0-application": application.pk,
        "assignments-0-juror": assignment.juror.pk,
        "assignments-0-DELETE": "on",
    }

    response = coordinator_client.post(
        reverse("admin:seal_application_change", args=[application.pk]), data
    )

    assert response.status_code == 200
    assert (
        "Jens Juror hat für diese Bewerbung bereits Bewertungen gespeichert und bleibt ihr "
        "zugeordnet, damit keine Bewertung verloren geht." in response.content.decode()
    )
    assert Score.objects.filter(assignment=assignment).count() == 1
    with pytest.raises(ValidationError):
        services.juror_remove(assignment=assignment, by_user=coordinator)
    assert JurorAssignment.objects.filter(pk=assignment.pk).exists()
    assert not ActivityEntry.objects.filter(action="seal.application.juror_removed").exists()


# --- The juror's list -----------------------------------------------------------------------------


def test_the_jurors_list_shows_the_scoring_deadline_and_the_days_left(client, cycle):
    member = juror(first_name="Bernd", last_name="Becker")
    JurorAssignmentFactory(application=SubmittedApplicationFactory(cycle=cycle), juror=member)
    login_with_second_factor(client, member)

    page = client.get(reverse("seal:jury")).content.decode()

    assert f"Bewertungsfrist für das Siegel 2027: {german_date(cycle.jury_review_until)}" in page
    assert "(noch 30 Tage)" in page
