"""The jury's pages: the assigned applications, scoring one of them, declaring a conflict.

Only members of the jury group get in (others 403). An assignment is always looked up through
the logged-in juror, so another juror's assignment does not exist for them (404). Until a juror
has submitted, no other juror's score reaches the page.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import ListView

from accounts.roles import is_juror
from accounts.second_factor import second_factor_refusal
from members.permissions import membership_of
from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.flash import flash_errors, flash_form_errors

from .. import selectors, services
from ..jury_forms import DeclareConflictForm, ScoreForm
from ..models import Criterion, JurorAssignment, Score
from ..permissions import can_see_other_scores, scoring_problem
from ..selectors import works_for


class JurorRequiredMixin(LoginRequiredMixin):
    """Members of the jury group only; anonymous visitors are sent to the login."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_juror(request.user):
            raise PermissionDenied(_("These pages are for the members of the seal's jury."))
        refusal = second_factor_refusal(request)
        if refusal is not None:
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def get_assignment(self, pk) -> JurorAssignment:
        return get_object_or_404(
            JurorAssignment.objects.select_related("application__company", "application__cycle"),
            pk=pk,
            juror=self.request.user,
        )


# --- The list of assignments ----------------------------------------------------------------


@dataclass
class JuryRow:
    assignment: JurorAssignment
    state: str  # works_for, conflict, submitted, waiting, not_yet, partial, open
    scored: int
    criteria: int


def _state(assignment, *, own_company_id, scored: int) -> str:
    if assignment.application.company_id == own_company_id:
        return "works_for"
    if assignment.conflict_declared_at is not None:
        return "conflict"
    if assignment.submitted_at is not None:
        return "submitted"
    if not assignment.application.is_submitted:
        return "waiting"
    if not assignment.application.cycle.scoring_open:
        return "not_yet"
    return "partial" if scored else "open"


class JuryListView(JurorRequiredMixin, ListView):
    """The juror's assignments, newest cycle first, in a fixed number of queries."""

    template_name = "seal/jury_list.html"
    context_object_name = "assignments"

    def get_queryset(self):
        return (
            JurorAssignment.objects.filter(juror=self.request.user)
            .select_related("application__company", "application__cycle")
            .annotate(scored=Count("scores"))
            .order_by("-application__cycle__applications_open_at", "application__company__name")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        assignments = list(context["assignments"])
        criteria_per_cycle = {}
        if assignments:
            criteria_per_cycle = dict(
                Criterion.objects.filter(
                    category__cycle__in={a.application.cycle_id for a in assignments}
                )
                .values("category__cycle")
                .annotate(n=Count("pk"))
                .values_list("category__cycle", "n")
            )
        # With the company: the navigation asks for its status too.
        membership = membership_of(self.request.user, with_company=True)
        own_company_id = membership.company_id if membership else None
        context["rows"] = [
            JuryRow(
                assignment=a,
                state=_state(a, own_company_id=own_company_id, scored=a.scored),
                scored=a.scored,
                criteria=criteria_per_cycle.get(a.application.cycle_id, 0),
            )
            for a in assignments
        ]
        context["deadlines"] = _deadlines(context["rows"])
        return context


@dataclass
class JuryDeadline:
    cycle: object
    days_left: int  # negative: passed


def _deadlines(rows: list[JuryRow]) -> list[JuryDeadline]:
    """The scoring deadline of each cycle in which the juror still has something to score."""
    today = timezone.localdate()
    cycles = {
        row.assignment.application.cycle_id: row.assignment.application.cycle
        for row in rows
        if row.state in ("open", "partial", "waiting", "not_yet")
    }
    return [
        JuryDeadline(cycle=cycle, days_left=(cycle.jury_review_until - today).days)
        for cycle in sorted(cycles.values(), key=lambda c: c.jury_review_until)
    ]


# --- Scoring one application ----------------------------------------------------------------


@dataclass
class ScoreItem:
    criterion: Criterion
    answer: object  # Answer or None
    own_score: Score | None
    own_level: str
    fields: tuple | None  # (points field, comment field) while the juror can score
    other_scores: list
    result: object  # selectors.CriterionResult once the juror may see the others


def _criteria(cycle) -> list[Criterion]:
    criteria = selectors.cycle_criteria(cycle)
    prefetch_related_objects(criteria, "levels")
    return criteria


def _score_context(assignment: JurorAssignment, *, user, form=None) -> dict:
    application = assignment.application
    judges_own_company = works_for(user, application.company)
    context = {
        "assignment": assignment,
        "application": application,
        "company": application.company,
        "cycle": application.cycle,
        "works_for": judges_own_company,
        "conflict": assignment.conflict_declared_at is not None,
        "submitted": assignment.submitted_at is not None,
    }
    if judges_own_company or context["conflict"]:
        # Nothing of the application and no form: this juror does not judge it.
        return context
    can_score = (
        assignment.submitted_at is None
        and application.is_submitted
        and application.cycle.scoring_open
    )
    see_others = can_see_other_scores(assignment)
    criteria = _criteria(application.cycle)
    # A draft (or reopened) application's answers are the company's work in progress.
    answers = (
        {a.criterion_id: a for a in application.answers.prefetch_related("evidence")}
        if application.is_submitted
        else {}
    )
    own = {s.criterion_id: s for s in assignment.scores.all()}
    if can_score and form is None:
        form = ScoreForm(criteria=criteria, initial=ScoreForm.initial_from(own.values()))
    others, results, result = defaultdict(list), {}, None
    if see_others:
        for score in selectors.other_submitted_scores(assignment):
            others[score.criterion_id].append(score)
        result = selectors.results_for([application], criteria)[0]
        results = {r.criterion.pk: r for r in result.criteria}
    sections, by_category = [], {}
    for criterion in criteria:
        if criterion.category_id not in by_category:
            by_category[criterion.category_id] = {"category": criterion.category, "items": []}
            sections.append(by_category[criterion.category_id])
        own_score = own.get(criterion.pk)
        levels = {level.points: level.description for level in criterion.levels.all()}
        by_category[criterion.category_id]["items"].append(
            ScoreItem(
                criterion=criterion,
                answer=answers.get(criterion.pk),
                own_score=own_score,
                own_level=levels.get(own_score.points, "") if own_score else "",
                fields=form.fields_for(criterion) if can_score else None,
                other_scores=others[criterion.pk],
                result=results.get(criterion.pk),
            )
        )
    context.update(
        can_score=can_score,
        see_others=see_others,
        sections=sections,
        form=form if can_score else None,
        result=result,
        open_criteria=sum(1 for c in criteria if c.pk not in own),
        conflict_form=DeclareConflictForm() if assignment.submitted_at is None else None,
    )
    return context


class JuryScoreView(JurorRequiredMixin, View):
    """The application's answers and evidence, and a score per criterion.

    "Save" keeps what is filled in (partial saving); "Submit" saves and then submits, which
    needs every criterion scored. After submitting the page is read-only and shows the other
    jurors' submitted scores, their mean and the spread flag.
    """

    template_name = "seal/jury_score.html"

    def _render(self, assignment, form=None):
        context = _score_context(assignment, user=self.request.user, form=form)
        return render(self.request, self.template_name, context)

    def get(self, request, pk):
        return self._render(self.get_assignment(pk))

    def post(self, request, pk):
        assignment = self.get_assignment(pk)
        # The service's refusal, before the form: an empty form would save nothing to refuse.
        problem = scoring_problem(assignment)
        if problem is not None:
            messages.error(request, problem)
            return redirect("seal:jury_score", pk=assignment.pk)

        form = ScoreForm(request.POST, criteria=_criteria(assignment.application.cycle))
        if not form.is_valid():
            messages.error(request, _("Please check the marked entries."))
            return self._render(assignment, form=form)
        filled = form.filled()
        try:
            services.scores_save(assignment=assignment, scores=filled)
        except ValidationError as error:
            flash_errors(request, error)
            return self._render(assignment, form=form)

        if request.POST.get("action") != "submit":
            messages.success(
                request,
                _("Your scores have been saved. You can continue later and submit them then."),
            )
            return redirect("seal:jury_score", pk=assignment.pk)
        # Submitting is final: saved, then on to the confirmation, which submits.
        try:
            services.require_can_submit(assignment)
        except ValidationError as error:
            flash_errors(request, error)
            if filled:
                messages.info(request, _("Your entries so far have been saved."))
            return redirect("seal:jury_score", pk=assignment.pk)
        return redirect("seal:jury_submit", pk=assignment.pk)


class JurySubmitView(JurorRequiredMixin, View):
    """The confirmation before the juror's scores on an application become final: the
    application, the points per category, what can no longer change. A GET changes nothing;
    the POST submits (:func:`seal.services.score_submit`)."""

    def get(self, request, pk):
        assignment = self.get_assignment(pk)
        try:
            services.require_can_submit(assignment)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("seal:jury_score", pk=assignment.pk)
        return confirmation_page(request, _submit_confirmation(assignment))

    def post(self, request, pk):
        assignment = self.get_assignment(pk)
        try:
            services.score_submit(assignment=assignment)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you, your scores are submitted. You now also see the scores of the "
                    "other jurors who have submitted."
                ),
            )
        return redirect("seal:jury_score", pk=assignment.pk)


def _submit_confirmation(assignment: JurorAssignment) -> Confirmation:
    application = assignment.application
    points, maximum, criteria = defaultdict(int), defaultdict(int), defaultdict(int)
    categories = {}
    for score in assignment.scores.select_related("criterion__category").order_by(
        "criterion__category__position", "criterion__category__pk"
    ):
        category = score.criterion.category
        categories.setdefault(category.pk, category.name)
        points[category.pk] += score.points
        maximum[category.pk] += score.criterion.scale_max
        criteria[category.pk] += 1
    facts = [
        (_("Application"), application.company.name),
        (_("Award cycle"), application.cycle.name),
    ]
    facts += [
        (
            name,
            ngettext(
                "%(points)d of %(max)d points (%(n)d criterion)",
                "%(points)d of %(max)d points (%(n)d criteria)",
                criteria[pk],
            )
            % {"points": points[pk], "max": maximum[pk], "n": criteria[pk]},
        )
        for pk, name in categories.items()
    ]
    scored = sum(criteria.values())
    return Confirmation(
        title=_("Submit your scores?"),
        consequences=[
            ngettext(
                "Your scores on %(n)d criterion of the application of %(company)s are "
                "submitted as they are saved now.",
                "Your scores on all %(n)d criteria of the application of %(company)s are "
                "submitted as they are saved now.",
                scored,
            )
            % {"n": scored, "company": application.company.name},
            _("After submitting you can no longer change your scores or comments."),
            _("Then you also see the scores of the other jurors who have submitted."),
        ],
        facts=facts,
        submit_label=_("Submit my scores finally"),
        cancel_url=reverse("seal:jury_score", args=[assignment.pk]),
        danger=False,
    )


class DeclareConflictView(JurorRequiredMixin, View):
    """The juror declares a conflict of interest: they no longer score the application, and
    the scores they had saved are deleted."""

    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = self.get_assignment(pk)
        if assignment.conflict_declared_at is not None:
            messages.info(
                request, _("You have declared a conflict of interest for this application.")
            )
            return redirect("seal:jury_score", pk=assignment.pk)
        form = DeclareConflictForm(request.POST)
        if not form.is_valid():
            flash_form_errors(request, form)
            return redirect("seal:jury_score", pk=assignment.pk)
        try:
            services.juror_declare_conflict(assignment=assignment)
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. You have declared a conflict of interest and will not judge "
                    "this application; scores you had saved for it have been deleted."
                ),
            )
        return redirect("seal:jury_score", pk=assignment.pk)
