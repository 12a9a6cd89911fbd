"""Reads of the seal: scores, subtotals and the ranking, in a fixed number of queries.

The arithmetic: per criterion the mean of the points of all jurors who have submitted;
weighted by the criterion's weight; a category's subtotal and the total are the weighted points
reached as a share of the weighted points possible, shown as 0–100.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property, lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import pgettext_lazy

from accounts.roles import JURY_GROUP
from members.models import Company, CompanyMembership
from network_portal.cache_versions import cached

from .models import (
    Answer,
    Application,
    AwardCycle,
    Certificate,
    Criterion,
    HolderProfile,
    JurorAssignment,
    Score,
)

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
        share = _fraction(str(settings.SEAL_SPREAD_SHARE_FOR_DISCUSSION))
        return len(self.points) > 1 and self.spread >= share * self.criterion.scale_max


@lru_cache(maxsize=8)
def _fraction(text: str) -> Fraction:
    return Fraction(text)


def _hundredths(weight) -> int:
    """A criterion's weight (two decimals) in hundredths, exactly: 1.5 → 150."""
    return int(Decimal(str(weight)).scaleb(2))


@dataclass
class ApplicationResult:
    application: Application
    criteria: list[CriterionResult] = field(default_factory=list)
    jurors_submitted: int = 0

    def _share(self, results) -> Decimal | None:
        # Exact until the one rounding at the end (40.625 must become 40.63), in integers: the
        # weights have two decimals, so in hundredths they are whole; the reached points are
        # kept as one fraction num/den (a ranking of hundreds of applications computed them
        # with Fraction objects in most of its time).
        num, den, possible = 0, 1, 0
        for result in results:
            if not result.points:
                continue
            weight = _hundredths(result.criterion.weight)
            count = len(result.points)
            num, den = num * count + sum(result.points) * weight * den, den * count
            possible += result.criterion.scale_max * weight
        if not possible:
            return None
        # floor(num / den / possible * 10000 + 1/2)
        hundredths = (20000 * num + den * possible) // (2 * den * possible)
        return (Decimal(hundredths) / 100).quantize(Decimal("0.01"))

    @cached_property
    def total(self) -> Decimal | None:
        return self._share(self.criteria)

    @cached_property
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


def ranking_cached(cycle: AwardCycle, *, size_class: str = "") -> list[ApplicationResult]:
    """:func:`ranking` for the ranking page, from the cache until a score, an assignment, an
    application, the catalogue or a company changes (network_portal.cache_versions)."""
    from .apps import RANKING_TOPIC

    return cached(
        "seal.ranking",
        lambda: ranking(cycle, size_class=size_class),
        topics=[RANKING_TOPIC],
        parts=[cycle.pk, size_class],
    )


# The feedback report compares an applicant only with the median of at least this many scored
# applications: with fewer, a company could work out another one's scores.
BENCHMARK_MIN_APPLICATIONS = 5


@dataclass
class Benchmark:
    """The feedback report's comparison: the applicant's subtotal per category beside the median
    of the scored applications of its size class in the same cycle, or of all of them when its
    size class has fewer than ``BENCHMARK_MIN_APPLICATIONS``; no comparison at all when the
    cycle has fewer. Only medians and a count: no other company, no minimum or maximum."""

    SIZE_CLASS = "size_class"
    ALL = "all"

    result: ApplicationResult
    scope: str  # SIZE_CLASS, ALL, or "" (too few scored applications to compare with)
    count: int  # the scored applications the medians are taken over ("": of the whole cycle)
    rows: list[tuple]  # [(category, own subtotal, median)], medians None without a comparison
    total_median: Decimal | None = None

    @property
    def shown(self) -> bool:
        return bool(self.scope)


def _median(values: list[Decimal]) -> Decimal | None:
    return _round(statistics.median(values)) if values else None


def benchmark(application: Application) -> Benchmark:
    """The anonymous comparison of ``application`` with its cycle, in a constant number of
    queries (the cycle's ranking)."""
    results = ranking(application.cycle)
    own = next((r for r in results if r.application.pk == application.pk), None)
    if own is None:  # not submitted (any more): nothing to compare
        own = application_result(application)
    scored = [r for r in results if r.total is not None]
    size_class = own.application.company.size_class
    same_size = [r for r in scored if r.application.company.size_class == size_class]
    if len(same_size) >= BENCHMARK_MIN_APPLICATIONS:
        scope, group = Benchmark.SIZE_CLASS, same_size
    elif len(scored) >= BENCHMARK_MIN_APPLICATIONS:
        scope, group = Benchmark.ALL, scored
    else:
        scope, group = "", []
    subtotals = defaultdict(list)
    for result in group:
        for category, subtotal in result.categories:
            if subtotal is not None:
                subtotals[category.pk].append(subtotal)
    rows = [
        (category, subtotal, _median(subtotals[category.pk]))
        for category, subtotal in own.categories
    ]
    return Benchmark(
        result=own,
        scope=scope,
        count=len(group) or len(scored),
        rows=rows,
        total_median=_median([r.total for r in group]),
    )


def open_assignments():
    """Assignments the juror still has to score: neither submitted nor a conflict declared,
    the application submitted and undecided, the juror not working for the company. What the
    cockpit counts, the reminders list and the admin's "scores outstanding" filter shows."""
    return JurorAssignment.objects.filter(
        submitted_at__isnull=True,
        conflict_declared_at__isnull=True,
        application__submitted_at__isnull=False,
        application__decision="",
    ).exclude(juror__membership__company=F("application__company"))


def jurors_submitted(application: Application) -> tuple[int, int]:
    """``(submitted, assigned)``: of the jurors assigned to ``application`` who declared no
    conflict, how many have submitted their scores. One query."""
    counts = JurorAssignment.objects.filter(
        application=application, conflict_declared_at__isnull=True
    ).aggregate(assigned=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
    return counts["submitted"], counts["assigned"]


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


# --- What the public may see ------------------------------------------------------------------


def published_cycle_q(prefix: str = "") -> Q:
    """The cycles whose result is public (``AwardCycle.is_published`` as a filter): from the
    award ceremony on, or published early by a coordinator. ``prefix`` reaches the cycle from
    another model, e.g. ``"application__cycle__"``."""
    return Q(**{f"{prefix}published_at__isnull": False}) | Q(
        **{f"{prefix}ceremony_on__lte": timezone.localdate()}
    )


def public_certificates():
    """Certificates of published cycles (revoked and expired ones included): what the
    verification page may speak about. Before its cycle is published a certificate is unknown
    to the public."""
    return Certificate.objects.filter(published_cycle_q("application__cycle__")).select_related(
        "application__company", "application__cycle"
    )


def current_holders():
    """The current holders of the seal: certificates of published cycles, not revoked, not
    expired; newest cycle first. A company may hold seals of two overlapping cycles."""
    return (
        public_certificates()
        .filter(revoked_at__isnull=True, valid_until__gte=timezone.localdate())
        .order_by("-application__cycle__applications_open_at", "application__company__name")
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


# --- Validity, re-application and the holders' public pages ---------------------------------


def archive():
    """Every published cycle with the companies awarded in it (revoked seals are never listed),
    newest cycle first: ``[(cycle, [certificate, ...])]``. Expired seals stay here after they
    have left the list of current holders. Two queries."""
    certificates = (
        public_certificates()
        .filter(revoked_at__isnull=True)
        .order_by("-application__cycle__applications_open_at", "application__company__name")
    )
    cycles: dict[int, tuple] = {}
    for certificate in certificates:
        cycle = certificate.application.cycle
        cycles.setdefault(cycle.pk, (cycle, []))[1].append(certificate)
    return list(cycles.values())


def previous_application(application: Application) -> Application | None:
    """The company's application of the latest earlier cycle: where a re-application starts."""
    return (
        Application.objects.filter(
            company_id=application.company_id,
            cycle__applications_open_at__lt=application.cycle.applications_open_at,
        )
        .select_related("cycle")
        .order_by("-cycle__applications_open_at")
        .first()
    )


def _question_key(question: str) -> str:
    return " ".join(question.split()).casefold()


def match_criteria(earlier: list[Criterion], later: list[Criterion]) -> dict[int, Criterion]:
    """Which criterion of ``earlier`` (one cycle's catalogue) each of ``later`` continues:
    later criterion id → earlier criterion. Through the ``copied_from`` chain (a catalogue
    copied over several cycles), else by the identical question (spaces and case aside)."""
    by_pk = {criterion.pk: criterion for criterion in earlier}
    by_question: dict[str, list[Criterion]] = defaultdict(list)
    for criterion in earlier:
        by_question[_question_key(criterion.question)].append(criterion)
    ancestors = _copied_from_chains(later)
    matches: dict[int, Criterion] = {}
    taken: set[int] = set()
    for criterion in later:
        found = next((by_pk[pk] for pk in ancestors[criterion.pk] if pk in by_pk), None)
        if found is not None and found.pk not in taken:
            matches[criterion.pk] = found
            taken.add(found.pk)
    for criterion in later:
        if criterion.pk in matches:
            continue
        same = [c for c in by_question[_question_key(criterion.question)] if c.pk not in taken]
        if len(same) == 1:
            matches[criterion.pk] = same[0]
            taken.add(same[0].pk)
    return matches


def _copied_from_chains(criteria: list[Criterion]) -> dict[int, list[int]]:
    """Criterion id → the ids it was copied from, nearest first; one query per generation."""
    chains = {criterion.pk: [] for criterion in criteria}
    tips = {criterion.pk: criterion.copied_from_id for criterion in criteria}
    while any(tips.values()):
        for pk, tip in tips.items():
            if tip:
                chains[pk].append(tip)
        parents = dict(
            Criterion.objects.filter(pk__in={tip for tip in tips.values() if tip}).values_list(
                "pk", "copied_from_id"
            )
        )
        tips = {
            pk: parents.get(tip) if tip and parents.get(tip) not in chains[pk] else None
            for pk, tip in tips.items()
        }
    return chains


@dataclass
class CatalogueChanges:
    """What changed in the catalogue between a company's last application and this one."""

    previous_cycle: AwardCycle
    added: list[Criterion] = field(default_factory=list)
    removed: list[Criterion] = field(default_factory=list)
    # (now, before, what changed: "question", "scale")
    changed: list[tuple[Criterion, Criterion, list[str]]] = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.removed or self.changed)


def _levels(criterion: Criterion) -> list[tuple[int, str]]:
    return [(level.points, level.description) for level in criterion.levels.all()]


def catalogue_changes(application: Application) -> CatalogueChanges | None:
    """New, removed and reworded criteria since the company's previous application (None
    without one)."""
    previous = previous_application(application)
    if previous is None:
        return None
    earlier = list(
        Criterion.objects.filter(category__cycle=previous.cycle)
        .select_related("category")
        .prefetch_related("levels")
        .order_by("category__position", "category__pk", "position", "pk")
    )
    later = list(
        Criterion.objects.filter(category__cycle=application.cycle)
        .select_related("category")
        .prefetch_related("levels")
        .order_by("category__position", "category__pk", "position", "pk")
    )
    matches = match_criteria(earlier, later)
    changes = CatalogueChanges(previous_cycle=previous.cycle)
    matched = {criterion.pk for criterion in matches.values()}
    for criterion in later:
        before = matches.get(criterion.pk)
        if before is None:
            changes.added.append(criterion)
            continue
        what = []
        if _question_key(before.question) != _question_key(criterion.question) or (
            before.guidance.strip() != criterion.guidance.strip()
        ):
            what.append("question")
        if before.scale_max != criterion.scale_max or _levels(before) != _levels(criterion):
            what.append("scale")
        if what:
            changes.changed.append((criterion, before, what))
    changes.removed = [criterion for criterion in earlier if criterion.pk not in matched]
    return changes


def holder_certificates(company) -> list[Certificate]:
    """The company's current seals (published, valid, not revoked), newest first."""
    return list(current_holders().filter(application__company=company))


def company_holds_seal(company) -> bool:
    return current_holders().filter(application__company=company).exists()


def awarded_answers(company):
    """The answers of the company's applications with a current seal: what it may publish."""
    return (
        Answer.objects.filter(
            application__in=current_holders()
            .filter(application__company=company)
            .values("application")
        )
        .select_related("criterion__category", "application__cycle")
        .order_by(
            "-application__cycle__applications_open_at",
            "criterion__category__position",
            "criterion__position",
            "criterion__pk",
        )
    )


def awarded_companies(cycle: AwardCycle):
    """The member companies awarded the seal in ``cycle`` (a certificate not revoked), by
    name: the guests of its award ceremony. Published or not: the ceremony comes first."""
    return Company.objects.filter(
        seal_applications__cycle=cycle,
        seal_applications__certificate__isnull=False,
        seal_applications__certificate__revoked_at__isnull=True,
    ).order_by("name", "pk")


def cycles_with_awards():
    """The cycles with at least one seal awarded, newest first."""
    return AwardCycle.objects.filter(applications__certificate__isnull=False).distinct()


def public_holder_companies():
    """Ids of companies with a current seal and a public page (consent given)."""
    return set(
        HolderProfile.objects.filter(
            public=True,
            company__in=current_holders().values("application__company"),
        ).values_list("company_id", flat=True)
    )


# --- Jury work: who is in the jury, how far each juror has got -------------------------------


def jury_members():
    """The active members of the jury group, by name: whom coordinators can assign."""
    return (
        get_user_model()
        .objects.filter(groups__name=JURY_GROUP, is_active=True)
        .order_by("last_name", "first_name", "email")
    )


def done_jurors_q(prefix: str = "") -> Q:
    """Assignments whose juror has submitted (and declared no conflict); ``prefix`` reaches
    them from another model, e.g. ``"assignments__"``."""
    return Q(
        **{f"{prefix}submitted_at__isnull": False, f"{prefix}conflict_declared_at__isnull": True}
    )


def scoring_jurors_q(prefix: str = "") -> Q:
    """Assignments whose juror judges the application: no conflict of interest declared."""
    return Q(**{f"{prefix}conflict_declared_at__isnull": True})


def outstanding_q(prefix: str = "") -> Q:
    """Assignments still to be scored: neither submitted nor a conflict declared, the
    application submitted and undecided (what the cockpit counts as outstanding)."""
    return Q(
        **{
            f"{prefix}submitted_at__isnull": True,
            f"{prefix}conflict_declared_at__isnull": True,
            f"{prefix}application__submitted_at__isnull": False,
            f"{prefix}application__decision": "",
        }
    )


@dataclass
class JurorProgress:
    juror: object
    assigned: int = 0
    submitted: int = 0
    open: int = 0
    conflict: int = 0


def jury_progress(cycle: AwardCycle) -> list[JurorProgress]:
    """Per member of the jury (and anyone else assigned in ``cycle``), by name: the
    applications of ``cycle`` assigned, submitted, still open and declared a conflict. Two
    queries, whatever the numbers of jurors and applications."""
    in_cycle = Q(jury_assignments__application__cycle=cycle)
    users = (
        get_user_model()
        .objects.filter(Q(groups__name=JURY_GROUP, is_active=True) | in_cycle)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )
    counts = {
        row["juror_id"]: row
        for row in JurorAssignment.objects.filter(application__cycle=cycle)
        .values("juror_id")
        .annotate(
            assigned=Count("pk"),
            submitted=Count("pk", filter=done_jurors_q()),
            open=Count("pk", filter=outstanding_q()),
            conflict=Count("pk", filter=Q(conflict_declared_at__isnull=False)),
        )
        .order_by()
    }
    rows = []
    for user in users:
        row = counts.get(user.pk, {})
        rows.append(
            JurorProgress(
                juror=user,
                assigned=row.get("assigned", 0),
                submitted=row.get("submitted", 0),
                open=row.get("open", 0),
                conflict=row.get("conflict", 0),
            )
        )
    return rows
