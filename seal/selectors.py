"""Reads of the seal: scores, subtotals and the ranking, in a fixed number of queries.

The arithmetic: per criterion the mean of the points of all jurors who have submitted;
weighted by the criterion's weight; a category's subtotal and the total are the weighted points
reached as a share of the weighted points possible, shown as 0–100.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When
from django.utils.translation import pgettext_lazy

from members.models import CompanyMembership

from .models import Application, AwardCycle, Certificate, Criterion, JurorAssignment, Score

HUNDRED = Decimal(100)


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class CriterionResult:
    criterion: Criterion
    points: list[int]

    @property
    def mean(self) -> Decimal | None:
        if not self.points:
            return None
        return Decimal(sum(self.points)) / len(self.points)

    @property
    def spread(self) -> int:
        return max(self.points) - min(self.points) if self.points else 0

    @property
    def needs_discussion(self) -> bool:
        """Jurors far apart on this criterion (a share of its scale): talk about it first."""
        share = Fraction(str(settings.SEAL_SPREAD_SHARE_FOR_DISCUSSION))
        return len(self.points) > 1 and self.spread >= share * self.criterion.scale_max


@dataclass
class ApplicationResult:
    application: Application
    criteria: list[CriterionResult] = field(default_factory=list)
    jurors_submitted: int = 0

    def _share(self, results) -> Decimal | None:
        # Exact fractions until the one rounding at the end: 40.625 must become 40.63.
        reached = possible = Fraction(0)
        for result in results:
            if not result.points:
                continue
            weight = Fraction(result.criterion.weight)
            reached += Fraction(sum(result.points), len(result.points)) * weight
            possible += result.criterion.scale_max * weight
        if not possible:
            return None
        hundredths = math.floor(reached / possible * 10000 + Fraction(1, 2))
        return (Decimal(hundredths) / 100).quantize(Decimal("0.01"))

    @property
    def total(self) -> Decimal | None:
        return self._share(self.criteria)

    @property
    def categories(self) -> list[tuple]:
        """[(category, subtotal 0–100 or None)] in catalogue order."""
        by_category = defaultdict(list)
        order = []
        for result in self.criteria:
            category = result.criterion.category
            if category.pk not in by_category:
                order.append(category)
            by_category[category.pk].append(result)
        return [(category, self._share(by_category[category.pk])) for category in order]

    @property
    def flagged(self) -> list[CriterionResult]:
        return [r for r in self.criteria if r.needs_discussion]


def cycle_criteria(cycle: AwardCycle) -> list[Criterion]:
    return list(
        Criterion.objects.filter(category__cycle=cycle)
        .select_related("category")
        .order_by("category__position", "category__pk", "position", "pk")
    )


def submitted_scores():
    """The scores that count: of jurors who have submitted and declared no conflict."""
    return Score.objects.filter(
        assignment__submitted_at__isnull=False, assignment__conflict_declared_at__isnull=True
    )


def other_submitted_scores(assignment: JurorAssignment):
    """The other jurors' counting scores of the same application, with the juror, by juror.

    Blind scoring: only for a juror who may see them (``seal.permissions.can_see_other_scores``).
    """
    return (
        submitted_scores()
        .filter(assignment__application_id=assignment.application_id)
        .exclude(assignment=assignment)
        .select_related("assignment__juror")
        .order_by("assignment__juror__last_name", "assignment__juror__email")
    )


def results_for(applications, criteria: list[Criterion]) -> list[ApplicationResult]:
    """Results of several applications: one query for all their submitted scores."""
    applications = list(applications)
    points = defaultdict(list)
    jurors = defaultdict(set)
    scores = (
        submitted_scores()
        .filter(assignment__application__in=applications)
        .values_list("assignment__application_id", "assignment_id", "criterion_id", "points")
    )
    for application_id, assignment_id, criterion_id, value in scores:
        points[(application_id, criterion_id)].append(value)
        jurors[application_id].add(assignment_id)
    return [
        ApplicationResult(
            application=application,
            criteria=[CriterionResult(c, points[(application.pk, c.pk)]) for c in criteria],
            jurors_submitted=len(jurors[application.pk]),
        )
        for application in applications
    ]


def application_result(application: Application) -> ApplicationResult:
    return results_for([application], cycle_criteria(application.cycle))[0]


def ranking(cycle: AwardCycle, *, size_class: str = "") -> list[ApplicationResult]:
    """All submitted applications of a cycle, best total first (unscored ones last)."""
    applications = Application.objects.filter(cycle=cycle, submitted_at__isnull=False)
    if size_class:
        applications = applications.filter(company__size_class=size_class)
    results = results_for(applications.select_related("company"), cycle_criteria(cycle))
    return sorted(
        results,
        key=lambda r: (r.total is None, -(r.total or 0), r.application.company.name),
    )


def category_averages(cycle: AwardCycle) -> dict[int, Decimal | None]:
    """Each category's average subtotal over all scored applications of the cycle (for the
    anonymous comparison in the feedback report)."""
    sums, counts = defaultdict(Decimal), defaultdict(int)
    for result in ranking(cycle):
        for category, subtotal in result.categories:
            if subtotal is not None:
                sums[category.pk] += subtotal
                counts[category.pk] += 1
    return {pk: _round(sums[pk] / counts[pk]) for pk in sums}


def works_for(user, company) -> bool:
    """The user acts for ``company``: as a juror they may not judge its application."""
    return CompanyMembership.objects.filter(user=user, company=company).exists()


# --- Engagement and the annual report --------------------------------------------------------


def certificates_valid_on(day):
    """The certificates valid on ``day``: issued by then (from the award ceremony on), not yet
    expired, and not revoked by then."""
    return Certificate.objects.filter(issued_on__lte=day, valid_until__gte=day).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__date__gt=day)
    )


def submitted_applications():
    """Applications handed in; one given back for changes counts again once resubmitted."""
    return Application.objects.filter(submitted_at__isnull=False)


# An application's state as coordinators see it (Application.status_label), as a code that a
# query can compute for many applications at once.
APPLICATION_STATES = {
    "draft": pgettext_lazy("application", "draft"),
    "submitted": pgettext_lazy("application", "submitted"),
    Application.Decision.AWARDED: Application.Decision.AWARDED.label,
    Application.Decision.NOT_AWARDED: Application.Decision.NOT_AWARDED.label,
}


def application_state():
    """The expression of an application's state code (a key of ``APPLICATION_STATES``), to
    annotate a query of applications with."""
    return Case(
        When(~Q(decision=""), then="decision"),
        When(submitted_at__isnull=False, then=Value("submitted")),
        default=Value("draft"),
        output_field=CharField(),
    )
