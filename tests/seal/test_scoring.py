"""The scoring arithmetic of seal.selectors on a hand-computed example, the spread flag and the
ranking (order, size-class filter, constant number of queries)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from members.models import SizeClass
from seal import services
from seal.models import JurorAssignment, Score
from seal.selectors import application_result, ranking, results_for
from tests.factories import CompanyFactory
from tests.seal.factories import (
    ApplicationFactory,
    AwardCycleFactory,
    CategoryFactory,
    CriterionFactory,
    JurorAssignmentFactory,
    SubmittedApplicationFactory,
    juror,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _spread_threshold(settings):
    # The project's default: half the scale (2 of 4 points) or more between jurors is discussed.
    settings.SEAL_SPREAD_SHARE_FOR_DISCUSSION = 0.5


def _score_and_submit(application, points_by_criterion):
    """A juror scores every criterion through the services and submits."""
    assignment = services.juror_assign(application=application, juror=juror())
    for criterion, points in points_by_criterion.items():
        services.score_save(assignment=assignment, criterion=criterion, points=points)
    return services.score_submit(assignment=assignment)


def _submitted_scores(application, criteria, *rows):
    """Submitted jurors' scores written directly, one row of points per juror (fast set-up for
    the ranking; the rules of the services are tested elsewhere)."""
    for row in rows:
        assignment = JurorAssignmentFactory(application=application, submitted_at=timezone.now())
        Score.objects.bulk_create(
            [
                Score(assignment=assignment, criterion=c, points=p)
                for c, p in zip(criteria, row, strict=True)
            ]
        )


@pytest.fixture
def catalogue():
    cycle = AwardCycleFactory(scoring=True)
    pay = CategoryFactory(cycle=cycle, name="Vergütung und Zusatzleistungen", position=0)
    training = CategoryFactory(cycle=cycle, name="Weiterbildung", position=1)
    return {
        "cycle": cycle,
        "pay": pay,
        "training": training,
        "a1": CriterionFactory(category=pay, weight=2, scale_max=4, position=0),
        "a2": CriterionFactory(category=pay, weight=1, scale_max=4, position=1),
        "b1": CriterionFactory(category=training, weight=1, scale_max=4, position=0),
    }


def test_hand_computed_example(catalogue):
    a1, a2, b1 = catalogue["a1"], catalogue["a2"], catalogue["b1"]
    application = SubmittedApplicationFactory(cycle=catalogue["cycle"])

    # Juror 1 and juror 2 score everything and submit: they count.
    _score_and_submit(application, {a1: 4, a2: 4, b1: 2})
    _score_and_submit(application, {a1: 3, a2: 0, b1: 3})
    # Juror 3 has saved zeros but not submitted: ignored.
    pending = services.juror_assign(application=application, juror=juror())
    services.score_save(assignment=pending, criterion=a1, points=0)
    services.score_save(assignment=pending, criterion=a2, points=0)
    # Juror 4 declared a conflict of interest. The service deletes such a juror's scores; rows
    # written directly (here even marked submitted) must still never count.
    conflicted = JurorAssignmentFactory(
        application=application, submitted_at=timezone.now(), conflict_declared_at=timezone.now()
    )
    for criterion in (a1, a2, b1):
        Score.objects.create(assignment=conflicted, criterion=criterion, points=0)

    result = application_result(application)

    # Per criterion the mean over the two submitted jurors:
    #   A1 (weight 2): (4 + 3) / 2 = 3.5   -> weighted 3.5 * 2 = 7
    #   A2 (weight 1): (4 + 0) / 2 = 2     -> weighted 2   * 1 = 2
    #   B1 (weight 1): (2 + 3) / 2 = 2.5   -> weighted 2.5 * 1 = 2.5
    means = {r.criterion: r.mean for r in result.criteria}
    assert means == {a1: Decimal("3.5"), a2: Decimal("2"), b1: Decimal("2.5")}
    assert [sorted(r.points) for r in result.criteria] == [[3, 4], [0, 4], [2, 3]]
    assert result.jurors_submitted == 2

    # Category subtotals: weighted points reached / weighted points possible * 100
    #   pay:      (7 + 2) / (4*2 + 4*1) = 9 / 12 = 0.75      -> 75.00
    #   training: 2.5 / (4*1)           = 0.625              -> 62.50
    categories = result.categories
    assert [category for category, _ in categories] == [catalogue["pay"], catalogue["training"]]
    assert [str(subtotal) for _, subtotal in categories] == ["75.00", "62.50"]

    # Total: (7 + 2 + 2.5) / (8 + 4 + 4) = 11.5 / 16 = 0.71875 -> 71.875, rounded half up 71.88
    # (not the mean of the subtotals, 68.75: the categories weigh by their possible points).
    assert result.total == Decimal("71.88")
    assert str(result.total) == "71.88"

    # Spread: A2 got 0 and 4 -> flagged; A1 (3 and 4) and B1 (2 and 3) -> not.
    assert [r.criterion for r in result.flagged] == [a2]
    assert {r.criterion: r.spread for r in result.criteria} == {a1: 1, a2: 4, b1: 1}


def test_no_submitted_juror_means_no_total(catalogue):
    application = SubmittedApplicationFactory(cycle=catalogue["cycle"])
    pending = services.juror_assign(application=application, juror=juror())
    services.score_save(assignment=pending, criterion=catalogue["a1"], points=4)

    result = application_result(application)

    assert result.total is None
    assert [subtotal for _, subtotal in result.categories] == [None, None]
    assert all(r.mean is None for r in result.criteria)
    assert result.jurors_submitted == 0
    assert result.flagged == []


@pytest.mark.parametrize(
    ("points", "flagged"),
    [((0, 4), True), ((2, 3), False), ((1, 3), True), ((3, 3), False), ((4,), False)],
)
def test_spread_flag(catalogue, points, flagged):
    criterion = catalogue["b1"]
    application = SubmittedApplicationFactory(cycle=catalogue["cycle"])
    _submitted_scores(application, [criterion], *[(p,) for p in points])

    (result,) = results_for([application], [criterion])

    assert result.criteria[0].needs_discussion is flagged
    assert (result.flagged != []) is flagged


def test_total_rounds_half_up_with_repeating_means():
    cycle = AwardCycleFactory(scoring=True)
    category = CategoryFactory(cycle=cycle)
    x = CriterionFactory(category=category, weight=3, scale_max=4)
    y = CriterionFactory(category=category, weight=1, scale_max=4)
    application = SubmittedApplicationFactory(cycle=cycle)
    # Six jurors: X gets 2+2+2+2+2+1 = 11 points, Y 6 * 1 = 6 points.
    _submitted_scores(application, [x, y], *[(2, 1)] * 5, (1, 1))

    result = application_result(application)

    # X: 11/6 * 3 = 5.5, Y: 1 * 1 = 1; (5.5 + 1) / (4*3 + 4*1) = 6.5 / 16 = 0.40625 -> 40.63
    assert result.total == Decimal("40.63")


# --- Ranking ------------------------------------------------------------------------------------


def test_ranking_order_and_size_class_filter(catalogue):
    cycle = catalogue["cycle"]
    criteria = [catalogue["a1"], catalogue["a2"], catalogue["b1"]]

    def applicant(name, size_class, **kwargs):
        company = CompanyFactory(name=name, size_class=size_class)
        return SubmittedApplicationFactory(cycle=cycle, company=company, **kwargs)

    workshop = applicant("Saarburger Holzwerkstatt", SizeClass.SMALL)
    bakery = applicant("Bäckerei Mosella", SizeClass.SMALL)
    hospital = applicant("Klinikum Petrisberg", SizeClass.LARGE)
    unscored = applicant("Aachener Straße Logistik", SizeClass.SMALL)
    draft = applicant("Olewiger Weinbau", SizeClass.SMALL, submitted_at=None)
    ApplicationFactory(company=CompanyFactory(size_class=SizeClass.SMALL))  # another cycle

    # Weighted possible points: 4*2 + 4*1 + 4*1 = 16.
    _submitted_scores(workshop, criteria, (4, 4, 4), (4, 2, 4))  # (8+3+4)/16 = 93.75
    _submitted_scores(bakery, criteria, (2, 2, 2))  # (4+2+2)/16 = 50.00
    _submitted_scores(hospital, criteria, (3, 4, 4))  # (6+4+4)/16 = 87.50
    _submitted_scores(draft, criteria, (4, 4, 4))  # not submitted: not ranked

    everyone = ranking(cycle)
    assert [(r.application, r.total) for r in everyone] == [
        (workshop, Decimal("93.75")),
        (hospital, Decimal("87.50")),
        (bakery, Decimal("50.00")),
        (unscored, None),  # no submitted juror yet: last
    ]

    small = ranking(cycle, size_class=SizeClass.SMALL)
    assert [r.application for r in small] == [workshop, bakery, unscored]
    assert [r.application for r in ranking(cycle, size_class=SizeClass.LARGE)] == [hospital]
    assert ranking(cycle, size_class=SizeClass.MEDIUM) == []


def test_ranking_ties_are_ordered_by_company_name(catalogue):
    cycle = catalogue["cycle"]
    criteria = [catalogue["a1"], catalogue["a2"], catalogue["b1"]]
    zell = SubmittedApplicationFactory(cycle=cycle, company=CompanyFactory(name="Zeller Bau"))
    ahr = SubmittedApplicationFactory(cycle=cycle, company=CompanyFactory(name="Ahrweiler IT"))
    _submitted_scores(zell, criteria, (2, 2, 2))
    _submitted_scores(ahr, criteria, (2, 2, 2))

    assert [r.application for r in ranking(cycle)] == [ahr, zell]


def _ranking_data(applications, jurors, criteria_per_category):
    cycle = AwardCycleFactory(scoring=True)
    criteria = [
        CriterionFactory(category=category, weight=1 + i % 2)
        for category in (CategoryFactory(cycle=cycle), CategoryFactory(cycle=cycle))
        for i in range(criteria_per_category)
    ]
    for n in range(applications):
        application = SubmittedApplicationFactory(
            cycle=cycle, company=CompanyFactory(size_class=SizeClass.SMALL)
        )
        rows = [[(n + j + k) % 5 for k in range(len(criteria))] for j in range(jurors)]
        _submitted_scores(application, criteria, *rows)
    return cycle


@pytest.mark.parametrize(
    ("applications", "jurors", "criteria_per_category"), [(1, 1, 1), (6, 4, 5)]
)
def test_ranking_runs_a_constant_number_of_queries(
    django_assert_num_queries, applications, jurors, criteria_per_category
):
    cycle = _ranking_data(applications, jurors, criteria_per_category)

    # applications with their companies, the catalogue, all submitted scores
    with django_assert_num_queries(3):
        table = [
            (
                r.application.company.name,
                r.application.company.size_class,
                r.total,
                [(category.name, subtotal) for category, subtotal in r.categories],
                [(f.criterion.question, f.mean, f.spread) for f in r.flagged],
                r.jurors_submitted,
            )
            for r in ranking(cycle, size_class=SizeClass.SMALL)
        ]

    assert len(table) == applications
    assert all(row[2] is not None for row in table)
    assert all(row[5] == jurors for row in table)
    assert JurorAssignment.objects.filter(application__cycle=cycle).count() == (
        applications * jurors
    )
