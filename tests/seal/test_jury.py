"""The jury's pages: who gets in, conflicts of interest, hidden scores, saving and submitting."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members.models import CompanyMembership, SizeClass
from seal import services
from seal.models import JurorAssignment, Score
from seal.selectors import application_result
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.mfa import login_with_second_factor
from tests.seal.factories import (
    AnswerFactory,
    AwardCycleFactory,
    CategoryFactory,
    CriterionFactory,
    EvidenceFactory,
    JurorAssignmentFactory,
    ScoreFactory,
    SubmittedApplicationFactory,
    juror,
)

pytestmark = pytest.mark.django_db

OTHER_COMMENT = "Vorbildliches Mentoring-Programm für Auszubildende"


@pytest.fixture
def catalogue():
    cycle = AwardCycleFactory(scoring=True)
    pay = CategoryFactory(cycle=cycle, name="Vergütung und Zusatzleistungen", position=0)
    training = CategoryFactory(cycle=cycle, name="Weiterbildung und Entwicklung", position=1)
    return [
        CriterionFactory(category=pay, question="Zahlen Sie über Tarif?", weight=2),
        CriterionFactory(category=pay, question="Gibt es ein Jobrad?", weight=1),
        CriterionFactory(category=training, question="Wie fördern Sie Weiterbildung?", weight=1),
    ]


@pytest.fixture
def application(catalogue, company):
    application = SubmittedApplicationFactory(cycle=catalogue[0].category.cycle, company=company)
    for criterion in catalogue:
        answer = AnswerFactory(
            application=application,
            criterion=criterion,
            self_assessment=3,
            explanation=f"Unsere Antwort zu: {criterion.question}",
        )
    EvidenceFactory(answer=answer, original_name="Weiterbildungsplan.pdf")
    return application


@pytest.fixture
def jury_member(db):
    return juror(first_name="Petra", last_name="Jurytest", email="jury@example.org")


@pytest.fixture
def assignment(application, jury_member):
    return services.juror_assign(application=application, juror=jury_member)


@pytest.fixture
def other_assignment(application):
    other = juror(first_name="Konrad", last_name="Zweitjuror", email="zweit@example.org")
    return services.juror_assign(application=application, juror=other)


def score_url(assignment):
    return reverse("seal:jury_score", args=[assignment.pk])


def conflict_url(assignment):
    return reverse("seal:jury_conflict", args=[assignment.pk])


def submit(client, assignment, data, **kwargs):
    """Post the scores with "submit", and confirm on the page that leads to (see
    test_submitting_is_confirmed_first)."""
    response = client.post(score_url(assignment), data)
    assert response.url == reverse("seal:jury_submit", args=[assignment.pk])
    return client.post(response.url, **kwargs)


def form_data(catalogue, points, action="save", comments=None):
    """POST data: ``points`` is a list parallel to ``catalogue`` (None = left open)."""
    data = {"action": action}
    for index, (criterion, value) in enumerate(zip(catalogue, points, strict=True)):
        if value is not None:
            data[f"points_{criterion.pk}"] = str(value)
        data[f"comment_{criterion.pk}"] = (comments or {}).get(index, "")
    return data


def submit_all(assignment, catalogue, points, comment=""):
    for criterion, value in zip(catalogue, points, strict=True):
        services.score_save(
            assignment=assignment, criterion=criterion, points=value, comment=comment
        )
    return services.score_submit(assignment=assignment)


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def html_of(client, assignment):
    response = client.get(score_url(assignment))
    assert response.status_code == 200
    return response.content.decode()


# --- Who gets in --------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login(client, assignment):
    for url in (reverse("seal:jury"), score_url(assignment)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    response = client.post(conflict_url(assignment), {"confirm": "on"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assignment.refresh_from_db()
    assert assignment.conflict_declared_at is None


def test_non_jurors_get_403_and_cannot_score(client, catalogue, assignment, coordinator):
    member = UserFactory()  # logged in, not in the jury group
    for user in (member, coordinator):
        login_with_second_factor(client, user)
        assert client.get(reverse("seal:jury")).status_code == 403
        assert client.get(score_url(assignment)).status_code == 403
        response = client.post(score_url(assignment), form_data(catalogue, [4, 4, 4], "submit"))
        assert response.status_code == 403
        assert client.post(conflict_url(assignment), {"confirm": "on"}).status_code == 403
    assignment.refresh_from_db()
    assert (assignment.submitted_at, assignment.conflict_declared_at) == (None, None)
    assert not Score.objects.exists()


def test_a_juror_removed_from_the_jury_can_no_longer_score(
    client, catalogue, assignment, jury_member
):
    jury_member.groups.clear()
    login_with_second_factor(client, jury_member)

    response = client.post(score_url(assignment), form_data(catalogue, [4, 4, 4], "submit"))

    assert response.status_code == 403
    assert not Score.objects.exists()
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_a_juror_sees_only_assigned_applications(client, catalogue, assignment, jury_member):
    elsewhere = SubmittedApplicationFactory(
        cycle=catalogue[0].category.cycle,
        company=CompanyFactory(name="Saarburger Feinmechanik KG"),
    )
    foreign = JurorAssignmentFactory(application=elsewhere)
    login_with_second_factor(client, jury_member)

    html = client.get(reverse("seal:jury")).content.decode()
    assert "Moselblick Pflege GmbH" in html
    assert "Saarburger Feinmechanik KG" not in html

    # Another juror's assignment (of another application) does not exist for this juror.
    assert client.get(score_url(foreign)).status_code == 404
    response = client.post(score_url(foreign), form_data(catalogue, [4, 4, 4], "submit"))
    assert response.status_code == 404
    assert client.post(conflict_url(foreign), {"confirm": "on"}).status_code == 404
    foreign.refresh_from_db()
    assert (foreign.submitted_at, foreign.conflict_declared_at) == (None, None)
    assert not Score.objects.exists()


def test_another_jurors_assignment_of_the_same_application_is_404(
    client, catalogue, assignment, other_assignment, jury_member
):
    login_with_second_factor(client, jury_member)
    assert client.get(score_url(other_assignment)).status_code == 404
    client.post(score_url(other_assignment), form_data(catalogue, [1, 1, 1], "submit"))
    assert not other_assignment.scores.exists()


# --- The list -----------------------------------------------------------------------------------


def _assignments_in_every_state(jury_member, catalogue):
    cycle = catalogue[0].category.cycle

    def assigned(name, size_class=SizeClass.MEDIUM):
        application = SubmittedApplicationFactory(
            cycle=cycle, company=CompanyFactory(name=name, size_class=size_class)
        )
        return services.juror_assign(application=application, juror=jury_member)

    assigned("Ahrtal Bäckerei GmbH", SizeClass.SMALL)  # open
    partial = assigned("Biewer Elektro GmbH")
    services.score_save(assignment=partial, criterion=catalogue[0], points=3)
    submitted = assigned("Conzer Klinikum", SizeClass.LARGE)
    submit_all(submitted, catalogue, [2, 3, 4])
    conflicted = assigned("Dhroner Weingut KG", SizeClass.SMALL)
    services.juror_declare_conflict(assignment=conflicted)


def test_list_shows_company_size_class_cycle_and_state(client, catalogue, jury_member):
    _assignments_in_every_state(jury_member, catalogue)
    login_with_second_factor(client, jury_member)

    html = client.get(reverse("seal:jury")).content.decode()

    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)[1:]
    text = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]
    cycle = catalogue[0].category.cycle.name
    assert text[0] == f"Ahrtal Bäckerei GmbH klein (1–9 Beschäftigte) {cycle} offen"
    assert text[1] == (
        f"Biewer Elektro GmbH mittel (10–249 Beschäftigte) {cycle} "
        "teilweise gespeichert (1 von 3 Kriterien)"
    )
    assert text[2].startswith(f"Conzer Klinikum groß (ab 250 Beschäftigten) {cycle} abgeschickt")
    assert (
        text[3] == f"Dhroner Weingut KG klein (1–9 Beschäftigte) {cycle} Interessenkonflikt erklärt"
    )


@pytest.mark.parametrize("many", [False, True])
def test_list_runs_a_constant_number_of_queries(
    client, catalogue, jury_member, django_assert_num_queries, many
):
    application = SubmittedApplicationFactory(cycle=catalogue[0].category.cycle)
    services.juror_assign(application=application, juror=jury_member)
    if many:
        _assignments_in_every_state(jury_member, catalogue)
        other_cycle = CriterionFactory().category.cycle
        services.juror_assign(
            application=SubmittedApplicationFactory(cycle=other_cycle), juror=jury_member
        )
    login_with_second_factor(client, jury_member)

    # session, user with the juror's company, jury group, assignments, criteria per cycle
    with django_assert_num_queries(5):
        response = client.get(reverse("seal:jury"))

    assert response.status_code == 200
    assert len(response.context["rows"]) == (6 if many else 1)


def test_list_without_assignments(client, jury_member):
    login_with_second_factor(client, jury_member)
    html = client.get(reverse("seal:jury")).content.decode()
    assert "Ihnen sind noch keine Bewerbungen zugeteilt." in html


# --- Conflicts of interest ----------------------------------------------------------------------


def test_juror_assign_refuses_a_juror_who_works_for_the_company(application, company):
    employee = juror(first_name="Erika", last_name="Angestellt")
    MembershipFactory(user=employee, company=company, role=CompanyMembership.Role.MEMBER)

    with pytest.raises(ValidationError) as refused:
        services.juror_assign(application=application, juror=employee)

    assert "Moselblick Pflege GmbH" in refused.value.messages[0]
    assert not JurorAssignment.objects.filter(juror=employee).exists()


def test_juror_assign_refuses_a_non_juror(application):
    with pytest.raises(ValidationError):
        services.juror_assign(application=application, juror=UserFactory())
    assert not JurorAssignment.objects.exists()


def test_a_juror_who_joined_the_company_sees_a_notice_and_no_form(
    client, catalogue, assignment, jury_member, company
):
    # Assigned first, then became an employee of the applying company.
    MembershipFactory(user=jury_member, company=company)
    login_with_second_factor(client, jury_member)

    html = html_of(client, assignment)

    assert (
        "Sie arbeiten für dieses Unternehmen und können seine Bewerbung deshalb nicht bewerten."
        in html
    )
    assert 'name="points_' not in html
    assert "Unsere Antwort zu:" not in html
    assert "Interessenkonflikt erklären" not in html

    response = client.post(score_url(assignment), form_data(catalogue, [4, 4, 4], "submit"))
    assert response.status_code == 302
    follow = client.get(response.url)
    assert (
        "Sie arbeiten für das bewerbende Unternehmen und können seine Bewerbung nicht bewerten."
        in messages_of(follow)
    )
    assert not Score.objects.exists()
    html = client.get(reverse("seal:jury")).content.decode()
    assert "Interessenkonflikt (Sie arbeiten für dieses Unternehmen)" in html


def test_declaring_a_conflict_needs_the_confirmation(client, catalogue, assignment, jury_member):
    login_with_second_factor(client, jury_member)

    response = client.post(conflict_url(assignment), {}, follow=True)

    assert "Bitte bestätigen Sie den Interessenkonflikt mit dem Häkchen." in messages_of(response)
    assignment.refresh_from_db()
    assert assignment.conflict_declared_at is None


def test_a_declared_conflict_ends_scoring_and_its_scores_do_not_count(
    client, catalogue, assignment, other_assignment, jury_member
):
    login_with_second_factor(client, jury_member)
    client.post(score_url(assignment), form_data(catalogue, [0, 0, None]))
    assert assignment.scores.count() == 2
    submit_all(other_assignment, catalogue, [4, 4, 4])

    response = client.post(conflict_url(assignment), {"confirm": "on"}, follow=True)

    assert (
        "Vielen Dank. Sie haben einen Interessenkonflikt erklärt und bewerten diese Bewerbung "
        "nicht; Ihre bereits gespeicherten Punkte wurden gelöscht." in messages_of(response)
    )
    assignment.refresh_from_db()
    assert assignment.conflict_declared_at is not None
    assert not assignment.scores.exists()
    html = response.content.decode()
    assert "für diese Bewerbung einen Interessenkonflikt erklärt." in html
    assert 'name="points_' not in html
    assert "Unsere Antwort zu:" not in html
    assert "Konrad Zweitjuror" not in html

    # No more scoring, neither through the page nor through the service.
    client.post(score_url(assignment), form_data(catalogue, [0, 0, 0], "submit"))
    assert not assignment.scores.exists()
    with pytest.raises(ValidationError):
        services.score_save(assignment=assignment, criterion=catalogue[0], points=0)
    with pytest.raises(ValidationError):
        services.score_submit(assignment=assignment)

    # Only the other juror counts: 4 of 4 points everywhere.
    result = application_result(assignment.application)
    assert result.jurors_submitted == 1
    assert str(result.total) == "100.00"
    assert "Interessenkonflikt erklärt" in client.get(reverse("seal:jury")).content.decode()


# --- Scores stay hidden until one's own submission ----------------------------------------------


def test_other_jurors_scores_are_hidden_until_the_juror_has_submitted(
    client, catalogue, assignment, other_assignment, jury_member
):
    submit_all(other_assignment, catalogue, [0, 1, 0], comment=OTHER_COMMENT)
    login_with_second_factor(client, jury_member)

    html = html_of(client, assignment)

    assert OTHER_COMMENT not in html
    assert "Konrad Zweitjuror" not in html
    assert "other-scores" not in html
    assert "Bewertungen der anderen Jurymitglieder</h4>" not in html
    assert "Mittelwert" not in html
    assert "Zwischenergebnis" not in html
    assert "checked" not in html  # the other juror's points do not pre-fill this juror's form

    # Partially saved: still hidden.
    client.post(score_url(assignment), form_data(catalogue, [4, None, None]))
    html = html_of(client, assignment)
    assert OTHER_COMMENT not in html
    assert "Konrad Zweitjuror" not in html
    assert len(re.findall(r"\bchecked\b", html)) == 1

    response = submit(client, assignment, form_data(catalogue, [4, 3, 4], "submit"), follow=True)

    assert (
        "Vielen Dank, Ihre Bewertung ist abgeschickt. Sie sehen jetzt auch die Bewertungen der "
        "anderen Jurymitglieder, die bereits abgeschickt haben." in messages_of(response)
    )
    html = response.content.decode()
    assert OTHER_COMMENT in html
    assert "Konrad Zweitjuror:</span> 0 Punkte" in html
    # Means over both jurors: (4+0)/2 = 2, (3+1)/2 = 2, (4+0)/2 = 2; spread 4 on the first and
    # last criterion, 2 on the second -> all three to be discussed (threshold 2).
    assert html.count("Mittelwert aller abgeschickten Bewertungen: 2,00") == 3
    assert html.count("Große Streuung (4 Punkte): bitte besprechen") == 2
    assert html.count("Große Streuung (2 Punkte): bitte besprechen") == 1
    # total: (2*2 + 2*1 + 2*1) / (4*2 + 4*1 + 4*1) = 8 / 16 -> 50.00
    assert re.search(r"Gesamt \(0–100\)</dt>\s*<dd[^>]*>50,00</dd>", html)


def test_unsubmitted_other_juror_scores_never_show(
    client, catalogue, assignment, other_assignment, jury_member
):
    services.score_save(
        assignment=other_assignment, criterion=catalogue[0], points=1, comment=OTHER_COMMENT
    )
    login_with_second_factor(client, jury_member)
    submit(client, assignment, form_data(catalogue, [4, 4, 4], "submit"))

    html = html_of(client, assignment)

    assert "Bewertungen der anderen Jurymitglieder</h4>" in html
    assert OTHER_COMMENT not in html
    assert "Konrad Zweitjuror" not in html
    assert html.count("Noch kein anderes Jurymitglied hat abgeschickt.") == 3


# --- Saving, submitting, read-only --------------------------------------------------------------


def test_the_page_shows_answers_evidence_and_the_scale(client, assignment, jury_member):
    login_with_second_factor(client, jury_member)
    evidence = assignment.application.answers.get(evidence__isnull=False).evidence.get()

    html = html_of(client, assignment)

    assert "Vergütung und Zusatzleistungen" in html
    assert "Weiterbildung und Entwicklung" in html
    assert "Unsere Antwort zu: Zahlen Sie über Tarif?" in html
    assert "3 von 4 Punkten" in html
    assert f'href="{reverse("seal:evidence", args=[evidence.pk])}"' in html
    assert "Weiterbildungsplan.pdf" in html
    assert "Gewichtung 2 · 0 bis 4 Punkte" in html
    assert html.count('type="radio"') == 3 * 5
    assert "4 – Stufe 4" in html
    assert "Bewertung absenden" in html
    assert "<script>" not in html
    assert "style=" not in html


def test_partial_save_then_submit(client, catalogue, assignment, jury_member):
    login_with_second_factor(client, jury_member)

    response = client.post(
        score_url(assignment),
        form_data(catalogue, [3, None, None], comments={0: "  Gute Zulagen.  "}),
        follow=True,
    )

    assert (
        "Ihre Bewertung wurde gespeichert. Sie können später weitermachen und sie dann absenden."
        in messages_of(response)
    )
    score = assignment.scores.get()
    assert (score.criterion, score.points, score.comment) == (catalogue[0], 3, "Gute Zulagen.")
    html = response.content.decode()
    assert re.search(rf'name="points_{catalogue[0].pk}" value="3"[^>]*\bchecked', html)
    assert "2 Kriterien noch nicht gespeichert." in html
    listing = client.get(reverse("seal:jury")).content.decode()
    assert "teilweise gespeichert (1 von 3 Kriterien)" in listing
    assignment.refresh_from_db()
    assert assignment.submitted_at is None

    response = submit(client, assignment, form_data(catalogue, [2, 1, 4], "submit"), follow=True)

    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert sorted(assignment.scores.values_list("criterion_id", "points")) == sorted(
        [(catalogue[0].pk, 2), (catalogue[1].pk, 1), (catalogue[2].pk, 4)]
    )
    assert "abgeschickt" in client.get(reverse("seal:jury")).content.decode()


def test_submit_with_open_criteria_is_refused(client, catalogue, assignment, jury_member):
    login_with_second_factor(client, jury_member)

    response = client.post(
        score_url(assignment), form_data(catalogue, [3, None, None], "submit"), follow=True
    )

    assert messages_of(response) == [
        "Bitte bewerten Sie vor dem Absenden jedes Kriterium (2 offen).",
        "Ihre bisherigen Eingaben wurden gespeichert.",
    ]
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert list(assignment.scores.values_list("points", flat=True)) == [3]
    assert 'name="points_' in response.content.decode()


def test_a_comment_without_points_is_refused(client, catalogue, assignment, jury_member):
    login_with_second_factor(client, jury_member)

    response = client.post(
        score_url(assignment), form_data(catalogue, [None, 2, None], comments={0: "Unklar."})
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Bitte wählen Sie die Punkte für dieses Kriterium, um Ihren Kommentar zu speichern." in (
        html
    )
    assert "Unklar." in html  # the entry is kept for correction
    assert not Score.objects.exists()  # nothing of an invalid form is saved


def test_points_outside_the_scale_are_refused(client, catalogue, assignment, jury_member):
    login_with_second_factor(client, jury_member)

    response = client.post(score_url(assignment), form_data(catalogue, [5, 2, None]))

    assert response.status_code == 200
    assert "Bitte prüfen Sie die markierten Angaben." in messages_of(response)
    assert not Score.objects.exists()


def test_scores_are_read_only_after_submitting(client, catalogue, assignment, jury_member):
    login_with_second_factor(client, jury_member)
    submit(
        client,
        assignment,
        form_data(catalogue, [2, 1, 4], "submit", comments={2: "Starkes Programm."}),
    )

    html = html_of(client, assignment)

    assert 'name="points_' not in html
    assert "Bewertung absenden" not in html
    assert "Interessenkonflikt erklären" not in html
    assert "abgeschickt; sie kann nicht mehr geändert werden." in html
    assert "4 – Stufe 4" in html
    assert "Starkes Programm." in html

    response = client.post(
        score_url(assignment), form_data(catalogue, [0, 0, 0], "submit"), follow=True
    )
    assert "Ihre Bewertung ist abgeschickt und kann nicht mehr geändert werden." in messages_of(
        response
    )
    assert sorted(assignment.scores.values_list("points", flat=True)) == [1, 2, 4]
    with pytest.raises(ValidationError):
        services.score_save(assignment=assignment, criterion=catalogue[0], points=0)
    response = client.post(conflict_url(assignment), {"confirm": "on"}, follow=True)
    assert "Ihre Bewertung ist abgeschickt und kann nicht mehr geändert werden." in messages_of(
        response
    )
    assignment.refresh_from_db()
    assert assignment.conflict_declared_at is None


def test_a_reopened_application_waits(client, catalogue, assignment, jury_member):
    services.application_reopen(application=assignment.application, by_user=None)
    login_with_second_factor(client, jury_member)

    html = html_of(client, assignment)
    assert "Die Bewerbung wurde für Änderungen des Unternehmens wieder geöffnet." in html
    assert 'name="points_' not in html

    response = client.post(score_url(assignment), form_data(catalogue, [1, 1, 1]), follow=True)
    assert (
        "Die Bewerbung ist derzeit nicht eingereicht; "
        "die Bewertung wartet, bis sie eingereicht ist." in messages_of(response)
    )
    assert not Score.objects.exists()
    assert "wartet: Bewerbung wieder geöffnet" in client.get(reverse("seal:jury")).content.decode()


def test_scores_written_for_a_conflicted_assignment_are_not_shown_to_others(
    client, catalogue, assignment, jury_member
):
    # Defence in depth: rows of a conflicted assignment never count and never show.
    conflicted = JurorAssignmentFactory(
        application=assignment.application,
        submitted_at=timezone.now(),
        conflict_declared_at=timezone.now(),
    )
    ScoreFactory(assignment=conflicted, criterion=catalogue[0], points=0, comment=OTHER_COMMENT)
    login_with_second_factor(client, jury_member)
    submit(client, assignment, form_data(catalogue, [4, 4, 4], "submit"))

    html = html_of(client, assignment)

    assert OTHER_COMMENT not in html
    assert str(application_result(assignment.application).total) == "100.00"


# --- The confirmation before submitting ---------------------------------------------------------


def submit_url(assignment):
    return reverse("seal:jury_submit", args=[assignment.pk])


def test_submitting_is_confirmed_first(client, catalogue, assignment, jury_member, company):
    login_with_second_factor(client, jury_member)

    response = client.post(score_url(assignment), form_data(catalogue, [2, 1, 4], "submit"))

    # The scores are saved, not submitted; on to the confirmation.
    assert response.url == submit_url(assignment)
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
    assert assignment.scores.count() == 3
    page = client.get(submit_url(assignment))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Bewertung absenden?</h1>" in html
    assert "Moselblick Pflege GmbH" in html
    # Points per category: pay 2 + 1 of 4 + 4, training 4 of 4.
    assert re.search(
        r"Vergütung und Zusatzleistungen</dt>\s*<dd[^>]*>3 von 8 Punkten \(2 Kriterien\)", html
    )
    assert re.search(
        r"Weiterbildung und Entwicklung</dt>\s*<dd[^>]*>4 von 4 Punkten \(1 Kriterium\)", html
    )
    assert "Ihre Bewertung aller 3 Kriterien der Bewerbung von Moselblick Pflege GmbH" in html
    assert "Nach dem Absenden können Sie Ihre Punkte und Kommentare nicht mehr ändern." in html
    assert "Es wird keine E-Mail verschickt." in html
    assert f'href="{score_url(assignment)}"' in html  # the way back
    assignment.refresh_from_db()
    assert assignment.submitted_at is None  # the GET changed nothing

    response = client.post(submit_url(assignment), follow=True)

    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert "Vielen Dank, Ihre Bewertung ist abgeschickt." in messages_of(response)[0]


def test_no_confirmation_while_criteria_are_open_or_after_submitting(
    client, catalogue, assignment, jury_member
):
    login_with_second_factor(client, jury_member)
    client.post(score_url(assignment), form_data(catalogue, [2, None, None]))

    response = client.get(submit_url(assignment), follow=True)
    assert "Bitte bewerten Sie vor dem Absenden jedes Kriterium (2 offen)." in messages_of(response)
    response = client.post(submit_url(assignment), follow=True)
    assignment.refresh_from_db()
    assert assignment.submitted_at is None

    submit(client, assignment, form_data(catalogue, [2, 1, 4], "submit"))
    response = client.get(submit_url(assignment), follow=True)
    assert "Ihre Bewertung ist abgeschickt und kann nicht mehr geändert werden." in messages_of(
        response
    )


def test_another_jurors_confirmation_does_not_exist(
    client, catalogue, assignment, other_assignment
):
    services.scores_save(
        assignment=assignment, scores=[(criterion, 1, "") for criterion in catalogue]
    )
    login_with_second_factor(client, other_assignment.juror)

    assert client.get(submit_url(assignment)).status_code == 404
    assert client.post(submit_url(assignment)).status_code == 404
    assignment.refresh_from_db()
    assert assignment.submitted_at is None
