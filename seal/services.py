"""Every state change of the seal: cycles, applications, jury scores, decisions, certificates.

Each change leaves one activity log entry (``network_portal.activity``; the actions are named
in ``seal/activity.py``). Jurors' points are not logged: they stay hidden until submitted.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import JURY_GROUP, is_juror
from members.models import CompanyMembership, ContactPerson
from members.selectors import company_admins, company_admins_of
from network_portal.activity import log_activity
from network_portal.cache_versions import cached
from network_portal.mail import binary_attachment, mail_enqueue, mail_users
from network_portal.models import OutboxMail
from network_portal.signing import absolute_url
from network_portal.uploads import validate_document_upload, validate_image_upload

from . import selectors
from .models import (
    Answer,
    Application,
    AwardCycle,
    Category,
    Certificate,
    Criterion,
    Evidence,
    HolderProfile,
    JurorAssignment,
    ScaleLevel,
    Score,
)

EVIDENCE_TYPES = {"application/pdf", "image/png", "image/jpeg"}


# --- Cycles and the catalogue ---------------------------------------------------------------


def cycle_check_window(*, cycle: AwardCycle) -> None:
    """At most one cycle accepts applications at a time: application windows may not overlap."""
    overlapping = AwardCycle.objects.filter(
        applications_open_at__lt=cycle.deadline, deadline__gt=cycle.applications_open_at
    ).exclude(pk=cycle.pk)
    other = overlapping.first()
    if other is not None:
        raise ValidationError(
            _("The application window overlaps with that of cycle %(other)s.")
            % {"other": other.name}
        )


def current_cycle() -> AwardCycle | None:
    """The cycle that accepts applications now, else the next one, else the latest. Kept in
    the cache until a cycle changes or its deadline passes (network_portal.cache_versions)."""
    from .apps import CATALOGUE_TOPIC

    def compute():
        now = timezone.now()
        return (
            AwardCycle.objects.filter(deadline__gte=now).order_by("applications_open_at").first()
            or AwardCycle.objects.order_by("-applications_open_at").first()
        )

    def until(cycle):
        return cycle.deadline if cycle is not None and cycle.deadline >= timezone.now() else None

    return cached("seal.current_cycle", compute, topics=[CATALOGUE_TOPIC], valid_until=until)


def require_catalogue_editable(cycle: AwardCycle) -> None:
    if cycle.catalogue_frozen:
        raise ValidationError(
            _("The criteria of %(cycle)s are frozen: an application has been submitted.")
            % {"cycle": cycle.name}
        )


@transaction.atomic
def cycle_copy_catalogue(
    *, source: AwardCycle, target: AwardCycle, by_user=None, process: str | None = None
) -> int:
    """Start a new cycle's catalogue from a copy of an earlier one; returns criteria copied.
    ``by_user``: the coordinator; ``process``: a command (the demo data) that copies."""
    require_catalogue_editable(target)
    if target.categories.exists():
        raise ValidationError(_("This cycle already has a catalogue."))
    copied = 0
    for category in source.categories.prefetch_related("criteria__levels"):
        new_category = Category.objects.create(
            cycle=target,
            name=category.name,
            description=category.description,
            position=category.position,
        )
        for criterion in category.criteria.all():
            new_criterion = Criterion.objects.create(
                category=new_category,
                question=criterion.question,
                guidance=criterion.guidance,
                scale_max=criterion.scale_max,
                weight=criterion.weight,
                evidence_required=criterion.evidence_required,
                position=criterion.position,
                copied_from=criterion,
            )
            ScaleLevel.objects.bulk_create(
                [
                    ScaleLevel(
                        criterion=new_criterion, points=lvl.points, description=lvl.description
                    )
                    for lvl in criterion.levels.all()
                ]
            )
            copied += 1
    log_activity(
        action="seal.cycle.catalogue_copied",
        obj=target,
        by_user=by_user,
        process=process,
        details={"source": source.name, "criteria": copied},
    )
    return copied


@transaction.atomic
def cycle_open_scoring_early(*, cycle: AwardCycle, by_user) -> AwardCycle:
    """A coordinator lets the jurors score before the application deadline, on purpose (e.g.
    for applications handed in long before it)."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.scoring_open:
        raise ValidationError(_("Scoring for %(cycle)s is already open.") % {"cycle": cycle.name})
    cycle.scoring_opened_at = timezone.now()
    cycle.save(update_fields=["scoring_opened_at"])
    log_activity(
        action="seal.cycle.scoring_opened_early",
        obj=cycle,
        by_user=by_user,
        details={"deadline": cycle.deadline.isoformat()},
    )
    return cycle


@transaction.atomic
def cycle_publish_early(*, cycle: AwardCycle, by_user) -> AwardCycle:
    """A coordinator makes the cycle's result public before the award ceremony, on purpose:
    its holders are listed and its certificates confirmed from now on."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.is_published:
        raise ValidationError(
            _("The results of %(cycle)s are already public.") % {"cycle": cycle.name}
        )
    cycle.published_at = timezone.now()
    cycle.save(update_fields=["published_at"])
    log_activity(
        action="seal.cycle.published_early",
        obj=cycle,
        by_user=by_user,
        details={"ceremony": cycle.ceremony_on.isoformat()},
    )
    return cycle


# --- Applications ---------------------------------------------------------------------------


def _check_open(cycle: AwardCycle) -> None:
    """The model's rule (``AwardCycle.accepts_applications``); here only the message why not."""
    if cycle.accepts_applications:
        return
    if timezone.now() < cycle.applications_open_at:
        raise ValidationError(
            _("Applications for the seal %(cycle)s open on %(date)s.")
            % {
                "cycle": cycle.name,
                "date": formats.date_format(timezone.localtime(cycle.applications_open_at)),
            }
        )
    raise ValidationError(
        _(
            "The application deadline for the seal %(cycle)s was %(date)s. Applications are "
            "no longer possible."
        )
        % {"cycle": cycle.name, "date": formats.date_format(timezone.localtime(cycle.deadline))}
    )


def require_editable(application: Application) -> None:
    if application.is_submitted:
        raise ValidationError(
            _(
                "The application has been submitted and can no longer be changed. The "
                "coordinators can reopen it if needed."
            )
        )
    if application.reopened_at is None:
        _check_open(application.cycle)


def require_can_start(cycle: AwardCycle, company) -> None:
    """An active member company starts an application while the cycle accepts them."""
    _check_open(cycle)
    if not company.is_active_member:
        raise ValidationError(_("Only active member companies can apply for the seal."))


@transaction.atomic
def application_start(*, cycle: AwardCycle, company, by_user) -> Application:
    existing = Application.objects.filter(cycle=cycle, company=company).first()
    if existing is not None:
        return existing
    require_can_start(cycle, company)
    application = Application.objects.create(cycle=cycle, company=company, started_by=by_user)
    details = _carry_over(application)
    log_activity(
        action="seal.application.started", obj=application, by_user=by_user, details=details
    )
    return application


def _carry_over(application: Application) -> dict:
    """A re-application starts from the company's previous application: each answer to a
    criterion that continues (``selectors.match_criteria``) is copied, marked for review, with
    the evidence that is still valid (a copy of each file: removing evidence deletes its file).
    Returns the details for the log (empty without a previous application)."""
    previous = selectors.previous_application(application)
    if previous is None:
        return {}
    earlier_answers = {
        answer.criterion_id: answer
        for answer in previous.answers.select_related("criterion").prefetch_related("evidence")
    }
    later = list(Criterion.objects.filter(category__cycle=application.cycle))
    matches = selectors.match_criteria([a.criterion for a in earlier_answers.values()], later)
    today = timezone.localdate()
    answers = files = 0
    written = []
    try:
        for criterion in later:
            before = matches.get(criterion.pk)
            if before is None:
                continue
            old = earlier_answers[before.pk]
            points = old.self_assessment
            if points is not None and points > criterion.scale_max:
                points = None  # the scale became shorter: the company chooses again
            answer = Answer.objects.create(
                application=application,
                criterion=criterion,
                self_assessment=points,
                explanation=old.explanation,
                carried_over_from=old,
                needs_review=True,
            )
            answers += 1
            for evidence in old.evidence.all():
                if evidence.valid_until is not None and evidence.valid_until < today:
                    continue
                copy = Evidence(
                    answer=answer,
                    original_name=evidence.original_name,
                    content_type=evidence.content_type,
                    size=evidence.size,
                    valid_until=evidence.valid_until,
                    carried_over=True,
                )
                with evidence.file.open("rb") as stored:
                    copy.file.save(Path(evidence.file.name).name, File(stored), save=False)
                written.append(copy.file.name)
                copy.save()
                files += 1
    except BaseException:
        for name in written:
            Evidence.file.field.storage.delete(name)
        raise
    return {"from_cycle": previous.cycle.name, "carried_over": answers, "files": files}


def _criterion_text(criterion: Criterion) -> str:
    return Truncator(criterion.question).chars(120)


@transaction.atomic
def answer_save(
    *,
    application: Application,
    criterion: Criterion,
    self_assessment,
    explanation: str,
    by_user,
) -> Answer:
    """One answer on its own (a step of the application saves several at once)."""
    answer = _answer_save(
        application=application,
        criterion=criterion,
        self_assessment=self_assessment,
        explanation=explanation,
    )
    log_activity(
        action="seal.application.answer_saved",
        obj=answer.application,
        by_user=by_user,
        details={"criterion": _criterion_text(criterion)},
    )
    return answer


@transaction.atomic
def _answer_save(
    *, application: Application, criterion: Criterion, self_assessment, explanation: str
) -> Answer:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_editable(application)
    if criterion.category.cycle_id != application.cycle_id:
        raise ValidationError(_("This criterion belongs to another cycle."))
    if self_assessment is not None and not 0 <= self_assessment <= criterion.scale_max:
        raise ValidationError(
            _("Please choose between 0 and %(max)d points.") % {"max": criterion.scale_max}
        )
    answer, _created = Answer.objects.update_or_create(
        application=application,
        criterion=criterion,
        # Saving the step is the company's review of an answer carried over.
        defaults={
            "self_assessment": self_assessment,
            "explanation": explanation.strip(),
            "needs_review": False,
        },
    )
    return answer


@transaction.atomic
def evidence_add(*, answer: Answer, upload, by_user, valid_until: date | None = None) -> Evidence:
    """A PDF or image as evidence on its own (a step of the application adds several);
    ``valid_until``: when the document expires (expired evidence is not carried over)."""
    evidence = _evidence_add(answer=answer, upload=upload, valid_until=valid_until)
    log_activity(
        action="seal.application.evidence_added",
        obj=answer.application,
        by_user=by_user,
        details={"criterion": _criterion_text(answer.criterion), "file": evidence.original_name},
    )
    return evidence


@transaction.atomic
def _evidence_add(*, answer: Answer, upload, valid_until: date | None = None) -> Evidence:
    """A PDF or image as evidence, checked by content and size, stored privately."""
    application = Application.objects.select_for_update().get(pk=answer.application_id)
    require_editable(application)
    if answer.evidence.count() >= settings.SEAL_EVIDENCE_MAX_FILES:
        raise ValidationError(
            _("At most %(n)d files per criterion.") % {"n": settings.SEAL_EVIDENCE_MAX_FILES}
        )
    wrong_type = ValidationError(_("Evidence must be a PDF file or an image (PNG, JPEG)."))
    if upload.size > settings.SEAL_EVIDENCE_MAX_BYTES:
        validate_document_upload(upload, max_bytes=settings.SEAL_EVIDENCE_MAX_BYTES)
    try:
        content_type = validate_document_upload(upload, max_bytes=settings.SEAL_EVIDENCE_MAX_BYTES)
    except ValidationError:
        raise wrong_type from None
    if content_type not in EVIDENCE_TYPES:
        raise wrong_type
    if content_type.startswith("image/"):
        validate_image_upload(upload, max_bytes=settings.SEAL_EVIDENCE_MAX_BYTES)
    extension = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
    evidence = Evidence(
        answer=answer,
        original_name=upload.name[:200],
        content_type=content_type,
        size=upload.size,
        valid_until=valid_until,
    )
    evidence.file.save(f"evidence{extension[content_type]}", upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by_user) -> None:
    application = Application.objects.select_for_update().get(pk=evidence.answer.application_id)
    require_editable(application)
    log_activity(
        action="seal.application.evidence_removed",
        obj=application,
        by_user=by_user,
        details={
            "criterion": _criterion_text(evidence.answer.criterion),
            "file": evidence.original_name,
        },
    )
    stored = evidence.file
    evidence.delete()
    # The file goes only once the removal is committed: a rollback keeps both.
    transaction.on_commit(lambda: stored.delete(save=False))


@dataclass
class StepEntry:
    """What a company admin entered for one criterion on one step of the application."""

    criterion: Criterion
    self_assessment: int | None
    explanation: str
    uploads: list = field(default_factory=list)
    # When the uploaded documents expire (optional).
    evidence_valid_until: date | None = None


class StepRefused(Exception):
    """Nothing of the step was saved. ``errors`` maps a criterion id to its messages, by
    where they belong: ``"answer"`` (assessment, explanation) or ``"files"``."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]):
        super().__init__(errors)
        self.errors = errors


class _RollBack(Exception):
    pass


def application_step_save(*, application: Application, entries: list[StepEntry], by_user):
    """Save one step (answers and new evidence) completely or not at all.

    Files are written while the transaction runs; when anything is refused, the database rolls
    back and the files written so far are deleted too, so nothing is left half-saved.
    """
    stored: list[Evidence] = []
    errors: dict[int, dict[str, list[str]]] = {}
    try:
        with transaction.atomic():
            for entry in entries:
                problems = _save_entry(application, entry, stored)
                if problems:
                    errors[entry.criterion.pk] = problems
            if errors:
                raise _RollBack
            log_activity(
                action="seal.application.step_saved",
                obj=application,
                by_user=by_user,
                details={"answers": len(entries), "files": len(stored)},
            )
    except _RollBack:
        for evidence in stored:
            evidence.file.delete(save=False)
        raise StepRefused(errors) from None


def _save_entry(application, entry: StepEntry, stored: list) -> dict:
    try:
        answer = _answer_save(
            application=application,
            criterion=entry.criterion,
            self_assessment=entry.self_assessment,
            explanation=entry.explanation,
        )
    except ValidationError as error:
        return {"answer": list(error.messages)}
    file_problems = []
    for upload in entry.uploads:
        try:
            stored.append(
                _evidence_add(answer=answer, upload=upload, valid_until=entry.evidence_valid_until)
            )
        except ValidationError as error:
            file_problems += [
                _("%(name)s: %(message)s") % {"name": upload.name, "message": message}
                for message in error.messages
            ]
    return {"files": file_problems} if file_problems else {}


def application_missing(application: Application) -> list[tuple[Criterion, str]]:
    """What still keeps the application from being submitted, per criterion."""
    answers = {a.criterion_id: a for a in application.answers.prefetch_related("evidence")}
    missing = []
    for criterion in Criterion.objects.filter(category__cycle=application.cycle).select_related(
        "category"
    ):
        answer = answers.get(criterion.pk)
        if answer is None or answer.self_assessment is None:
            missing.append((criterion, _("self-assessment missing")))
        elif not answer.explanation:
            missing.append((criterion, _("explanation missing")))
        elif criterion.evidence_required and not answer.evidence.all():
            missing.append((criterion, _("evidence required")))
    return missing


@transaction.atomic
def application_submit(*, application: Application, by_user) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require_editable(application)
    missing = application_missing(application)
    if missing:
        raise ValidationError(
            _("The application is not complete yet: %(n)d answers are missing.")
            % {"n": len(missing)}
        )
    application.submitted_at = timezone.now()
    application.submitted_by = by_user
    application.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
    log_activity(action="seal.application.submitted", obj=application, by_user=by_user)
    from .documents import application_summary_pdf

    pdf = application_summary_pdf(application)
    mail_users(
        users=company_admins(application.company),
        key=f"seal:{application.pk}:submitted:{application.submitted_at:%Y%m%d%H%M%S}",
        template="seal/emails/submitted",
        context={
            "company_name": application.company.name,
            "cycle_name": application.cycle.name,
            "application_url": absolute_url(reverse("seal:application")),
        },
        attachments=[
            binary_attachment(
                filename=f"bewerbung-{application.cycle.slug}.pdf",
                content=pdf,
                mimetype="application/pdf",
            )
        ],
    )
    return application


@transaction.atomic
def application_reopen(*, application: Application, by_user) -> Application:
    """A coordinator gives a submitted application back to the company for changes."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_submitted or application.decision:
        raise ValidationError(_("Only a submitted application without decision can be reopened."))
    application.submitted_at = None
    application.reopened_at = timezone.now()
    application.save(update_fields=["submitted_at", "reopened_at", "updated_at"])
    # The answers may change: jurors look again at the resubmitted application.
    application.assignments.update(submitted_at=None)
    log_activity(action="seal.application.reopened", obj=application, by_user=by_user)
    mail_users(
        users=company_admins(application.company),
        key=f"seal:{application.pk}:reopened:{application.reopened_at:%Y%m%d%H%M%S}",
        template="seal/emails/reopened",
        context={
            "cycle_name": application.cycle.name,
            "application_url": absolute_url(reverse("seal:application")),
        },
    )
    return application


# --- Jury -----------------------------------------------------------------------------------


@transaction.atomic
def juror_assign(
    *, application: Application, juror, by_user=None, notify: bool = False
) -> JurorAssignment:
    """Assign ``juror`` to ``application`` (already assigned: nothing changes). ``notify``: mail
    the juror their new applications with the scoring deadline (:func:`_jurors_notify`); a bulk
    assignment mails once at the end instead."""
    if not is_juror(juror):
        raise ValidationError(_("%(user)s is not in the jury.") % {"user": juror})
    if selectors.works_for(juror, application.company):
        raise ValidationError(
            _("%(user)s works for %(company)s and cannot judge its application.")
            % {"user": juror, "company": application.company}
        )
    assignment, created = JurorAssignment.objects.get_or_create(
        application=application, juror=juror
    )
    if created:
        log_activity(
            action="seal.application.juror_assigned",
            obj=application,
            by_user=by_user,
            details={"juror": str(juror)},
        )
        if notify:
            _jurors_notify(juror_ids={juror.pk})
    return assignment


def require_removable(assignment: JurorAssignment, *, scored: bool | None = None) -> None:
    """A juror who has scored the application (saved or submitted) stays on it: removing the
    assignment would delete the scores. ``scored``: known already (the inline counts them)."""
    if assignment.submitted_at is not None:
        raise ValidationError(
            _("%(user)s has submitted scores for this application and stays on it.")
            % {"user": assignment.juror}
        )
    if scored is None:
        scored = assignment.scores.exists()
    if scored:
        raise ValidationError(
            _(
                "%(user)s has already saved scores for this application and stays on it, so "
                "that no score is lost. If %(user)s may not judge it, %(user)s can declare a "
                "conflict of interest on the jury page."
            )
            % {"user": assignment.juror}
        )


@transaction.atomic
def juror_remove(*, assignment: JurorAssignment, by_user=None) -> None:
    """Take a juror off an application (a coordinator on the application's page). Only while
    the juror has no scores on it, saved or submitted (:func:`require_removable`)."""
    assignment = (
        JurorAssignment.objects.select_for_update()
        .select_related("application", "juror")
        .get(pk=assignment.pk)
    )
    require_removable(assignment)
    log_activity(
        action="seal.application.juror_removed",
        obj=assignment.application,
        by_user=by_user,
        details={"juror": str(assignment.juror)},
    )
    assignment.delete()


# --- Jury work: several at once, the jurors' mails, reminders --------------------------------

# Reminders go out this many days before a cycle's scoring deadline (jury_review_until).
JURY_REMINDER_DAYS = (7, 2)


@dataclass(frozen=True)
class SkippedPair:
    """An application and a juror a bulk assignment leaves out, and why."""

    application: Application
    juror: object
    reason: str


@dataclass
class AssignmentPlan:
    """What assigning ``jurors`` to ``applications`` would do: the pairs to assign, the pairs
    skipped (with the reason), and after the assignment the mails written."""

    pairs: list[tuple[Application, object]] = field(default_factory=list)
    skipped: list[SkippedPair] = field(default_factory=list)
    assigned: list[JurorAssignment] = field(default_factory=list)
    mails: int = 0

    def pairs_by_juror(self) -> list[tuple[object, list[Application]]]:
        grouped: dict[int, tuple[object, list]] = {}
        for application, juror in self.pairs:
            grouped.setdefault(juror.pk, (juror, []))[1].append(application)
        return list(grouped.values())


def jurors_assign_plan(*, applications, jurors) -> AssignmentPlan:
    """The pairs a bulk assignment makes and the ones it skips: already assigned, the juror
    works for the applying company or is not in the jury, the application is not submitted or
    is decided. A fixed number of queries, whatever the numbers of applications and jurors."""
    applications = sorted(applications, key=lambda a: (a.company.name.lower(), a.pk))
    jurors = list(jurors)
    juror_ids = [juror.pk for juror in jurors]
    existing = set(
        JurorAssignment.objects.filter(
            application__in=applications, juror_id__in=juror_ids
        ).values_list("application_id", "juror_id")
    )
    employer = dict(
        CompanyMembership.objects.filter(user_id__in=juror_ids).values_list("user_id", "company_id")
    )
    in_jury = set(
        get_user_model()
        .objects.filter(pk__in=juror_ids, groups__name=JURY_GROUP)
        .values_list("pk", flat=True)
    )
    plan = AssignmentPlan()
    for application in applications:
        for juror in jurors:
            reason = ""
            if application.decision:
                reason = _("the application is decided already")
            elif not application.is_submitted:
                reason = _("the application is not submitted")
            elif juror.pk not in in_jury:
                reason = _("not in the jury")
            elif (application.pk, juror.pk) in existing:
                reason = _("assigned already")
            elif employer.get(juror.pk) == application.company_id:
                reason = _("works for the applying company")
            if reason:
                plan.skipped.append(SkippedPair(application, juror, reason))
            else:
                plan.pairs.append((application, juror))
    return plan


@transaction.atomic
def jurors_assign_bulk(*, applications, jurors, by_user) -> AssignmentPlan:
    """Assign each of ``jurors`` to each of ``applications`` (:func:`juror_assign`, one log
    entry per assignment), skipping the pairs :func:`jurors_assign_plan` names; then one mail
    to each juror listing their new applications and the scoring deadline."""
    plan = jurors_assign_plan(applications=applications, jurors=jurors)
    for application, juror in plan.pairs:
        try:
            with transaction.atomic():
                plan.assigned.append(
                    juror_assign(application=application, juror=juror, by_user=by_user)
                )
        except ValidationError as error:  # changed meanwhile (a membership, the jury)
            plan.skipped.append(SkippedPair(application, juror, " ".join(error.messages)))
    plan.mails = _jurors_notify(juror_ids={assignment.juror_id for assignment in plan.assigned})
    return plan


def _assignment_key(prefix: str, assignment_ids) -> str:
    """An outbox key naming a set of assignments (hashed where the list is long)."""
    ids = "-".join(str(pk) for pk in sorted(assignment_ids))
    if len(prefix) + len(ids) > 190:
        ids = hashlib.sha256(ids.encode()).hexdigest()[:32]
    return f"{prefix}{ids}"


def _jury_mail_context(juror, cycle: AwardCycle, assignments) -> dict:
    return {
        "recipient_name": juror.get_full_name(),
        "cycle_name": cycle.name,
        "deadline": cycle.jury_review_until,
        "applications": [
            {
                "company": assignment.application.company.name,
                "size_class": assignment.application.company.get_size_class_display(),
            }
            for assignment in assignments
        ],
        "jury_url": absolute_url(reverse("seal:jury")),
    }


def _jurors_notify(*, juror_ids) -> int:
    """Mail each of ``juror_ids`` their assignments not mailed yet (``notified_at`` empty,
    no conflict declared, not submitted, application undecided): one mail per juror and cycle
    with the applications and the scoring deadline, and mark them notified. The mail belongs
    to the assignment's log entry. Returns the number of mails written."""
    if not juror_ids:
        return 0
    assignments = (
        JurorAssignment.objects.select_for_update(of=("self",))
        .filter(
            juror_id__in=juror_ids,
            notified_at__isnull=True,
            conflict_declared_at__isnull=True,
            submitted_at__isnull=True,
            application__decision="",
        )
        .select_related("juror", "application__company", "application__cycle")
        .order_by("juror_id", "application__cycle_id", "application__company__name")
    )
    groups: dict[tuple[int, int], list[JurorAssignment]] = defaultdict(list)
    for assignment in assignments:
        groups[(assignment.juror_id, assignment.application.cycle_id)].append(assignment)
    written = 0
    for group in groups.values():
        juror, cycle = group[0].juror, group[0].application.cycle
        ids = [assignment.pk for assignment in group]
        mail = mail_enqueue(
            key=_assignment_key(f"seal:jury-notify:{juror.pk}:", ids),
            to=juror.email,
            template="seal/emails/juror_assigned",
            context=_jury_mail_context(juror, cycle, group),
            language=juror.language,
        )
        written += mail is not None
        JurorAssignment.objects.filter(pk__in=ids).update(notified_at=timezone.now())
    return written


def jury_reminders_write(*, today: date | None = None, process: str | None = None) -> list[int]:
    """Remind jurors of their open assignments :data:`JURY_REMINDER_DAYS` days before a
    cycle's scoring deadline (or on the first run after, if beat missed the day): one mail per
    juror listing the applications still open. Beat runs it several times a day;
    ``reminded_at`` and the keys make a second run of a stage write nothing.
    One log entry per cycle and stage with reminders written. Returns the ids of the mails
    written (the caller sends them)."""
    today = today or timezone.localdate()
    mail_ids: list[int] = []
    cycles = AwardCycle.objects.filter(
        jury_review_until__gte=today,
        jury_review_until__lte=today + timedelta(days=max(JURY_REMINDER_DAYS)),
    )
    for cycle in cycles:
        days_left = (cycle.jury_review_until - today).days
        # The stage is the nearest reminder day reached: a day beat missed is made up for.
        stage = min(days for days in JURY_REMINDER_DAYS if days >= days_left)
        mail_ids += _jury_reminders_write(
            cycle=cycle, days=stage, days_left=days_left, process=process
        )
    return mail_ids


@transaction.atomic
def _jury_reminders_write(*, cycle: AwardCycle, days: int, days_left: int, process) -> list[int]:
    stage_began = timezone.make_aware(
        datetime.combine(cycle.jury_review_until - timedelta(days=days), time.min)
    )
    assignments = (
        selectors.open_assignments()
        .select_for_update(of=("self",))
        .filter(application__cycle=cycle)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=stage_began))
        .select_related("juror", "application__company")
        .order_by("juror_id", "application__company__name")
    )
    per_juror: dict[int, list[JurorAssignment]] = defaultdict(list)
    for assignment in assignments:
        per_juror[assignment.juror_id].append(assignment)
    mail_ids = []
    for juror_id, group in per_juror.items():
        juror = group[0].juror
        mail = mail_enqueue(
            key=f"seal:jury-reminder:{cycle.pk}:{juror_id}:{days}d",
            to=juror.email,
            template="seal/emails/juror_reminder",
            context={**_jury_mail_context(juror, cycle, group), "days": days_left},
            language=juror.language,
            send=False,
        )
        if mail is not None:
            mail_ids.append(mail.pk)
            JurorAssignment.objects.filter(pk__in=[a.pk for a in group]).update(
                reminded_at=timezone.now()
            )
    if mail_ids:
        log_activity(
            action="seal.cycle.jury_reminded",
            obj=cycle,
            process=process,
            details={"recipients": len(mail_ids), "days": days},
        )
    return mail_ids


def require_scoring_open(cycle: AwardCycle) -> None:
    """Jurors score once the application deadline has passed, or once a coordinator has
    opened scoring early (:func:`cycle_open_scoring_early`)."""
    if not cycle.scoring_open:
        raise ValidationError(
            _("Scoring begins after the application deadline on %(date)s.")
            % {"date": formats.date_format(timezone.localtime(cycle.deadline))}
        )


def require_can_score(assignment: JurorAssignment) -> None:
    """The assigned juror may change their scores: scoring is open, not working for the
    applying company, no conflict declared, not submitted yet, and the application is
    submitted."""
    require_scoring_open(assignment.application.cycle)
    if selectors.works_for(assignment.juror, assignment.application.company):
        raise ValidationError(_("You work for the applying company and cannot judge it."))
    if assignment.conflict_declared_at is not None:
        raise ValidationError(_("You have declared a conflict of interest for this application."))
    if assignment.submitted_at is not None:
        raise ValidationError(_("Your scores are submitted and can no longer be changed."))
    if not assignment.application.is_submitted:
        raise ValidationError(
            _("The application is not submitted at the moment; scoring waits for it.")
        )


@transaction.atomic
def juror_declare_conflict(*, assignment: JurorAssignment) -> JurorAssignment:
    assignment = JurorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.submitted_at is not None:
        raise ValidationError(_("Your scores are submitted and can no longer be changed."))
    assignment.conflict_declared_at = timezone.now()
    assignment.save(update_fields=["conflict_declared_at"])
    assignment.scores.all().delete()
    log_activity(
        action="seal.application.conflict_declared",
        obj=assignment.application,
        by_user=assignment.juror,
    )
    return assignment


@transaction.atomic
def score_save(
    *, assignment: JurorAssignment, criterion: Criterion, points: int, comment: str = ""
) -> Score:
    """One score of the assigned juror (who acts); the points are not logged."""
    score = _score_save(assignment=assignment, criterion=criterion, points=points, comment=comment)
    log_activity(
        action="seal.application.score_saved",
        obj=score.assignment.application,
        by_user=score.assignment.juror,
        details={"criterion": _criterion_text(criterion)},
    )
    return score


def _score_save(
    *, assignment: JurorAssignment, criterion: Criterion, points: int, comment: str = ""
) -> Score:
    assignment = (
        JurorAssignment.objects.select_for_update()
        .select_related("application__company", "application__cycle")
        .get(pk=assignment.pk)
    )
    require_can_score(assignment)
    if criterion.category.cycle_id != assignment.application.cycle_id:
        raise ValidationError(_("This criterion belongs to another cycle."))
    if not 0 <= points <= criterion.scale_max:
        raise ValidationError(
            _("Please choose between 0 and %(max)d points.") % {"max": criterion.scale_max}
        )
    score, _created = Score.objects.update_or_create(
        assignment=assignment,
        criterion=criterion,
        defaults={"points": points, "comment": comment.strip()},
    )
    return score


@transaction.atomic
def scores_save(*, assignment: JurorAssignment, scores) -> None:
    """Save several ``(criterion, points, comment)`` at once: all of them or none."""
    saved = [
        _score_save(assignment=assignment, criterion=criterion, points=points, comment=comment)
        for criterion, points, comment in scores
    ]
    if saved:
        log_activity(
            action="seal.application.scores_saved",
            obj=saved[0].assignment.application,
            by_user=saved[0].assignment.juror,
            details={"criteria": len(saved)},
        )


def require_can_submit(assignment: JurorAssignment) -> None:
    """The juror may submit: they may score (:func:`require_can_score`) and every criterion
    of the cycle has their score. The confirmation page asks it too."""
    require_can_score(assignment)
    scored = set(assignment.scores.values_list("criterion_id", flat=True))
    open_criteria = Criterion.objects.filter(category__cycle=assignment.application.cycle).exclude(
        pk__in=scored
    )
    if open_criteria.exists():
        raise ValidationError(
            _("Please score every criterion before submitting (%(n)d open).")
            % {"n": open_criteria.count()}
        )


@transaction.atomic
def score_submit(*, assignment: JurorAssignment) -> JurorAssignment:
    assignment = (
        JurorAssignment.objects.select_for_update()
        .select_related("application__company", "application__cycle")
        .get(pk=assignment.pk)
    )
    require_can_submit(assignment)
    assignment.submitted_at = timezone.now()
    assignment.save(update_fields=["submitted_at"])
    log_activity(
        action="seal.application.scores_submitted",
        obj=assignment.application,
        by_user=assignment.juror,
    )
    return assignment


# --- Decisions and certificates -------------------------------------------------------------


def require_decision_phase(cycle: AwardCycle) -> None:
    """Decisions follow the jury's scores: not before scoring has begun."""
    if not cycle.scoring_open:
        raise ValidationError(
            _(
                "Decisions are possible once scoring has begun, after the application deadline "
                "on %(date)s."
            )
            % {"date": formats.date_format(timezone.localtime(cycle.deadline))}
        )


def require_can_decide(application: Application, *, override_reason: str = "") -> bool:
    """The coordinators may decide ``application`` now: it is submitted, scoring has begun, a
    sent decision is only changed before the cycle's results are public, and every assigned
    juror (without a declared conflict) has submitted scores, or ``override_reason`` says why
    to decide all the same. Returns whether the decision needs that reason."""
    if not application.is_submitted:
        raise ValidationError(_("Only submitted applications can be decided."))
    cycle = application.cycle
    require_decision_phase(cycle)
    if application.decision_sent_at is not None and cycle.is_published:
        raise ValidationError(
            _(
                "The results of %(cycle)s are public: this sent decision can no longer be "
                "changed. If need be, revoke the certificate."
            )
            % {"cycle": cycle.name}
        )
    submitted, assigned = selectors.jurors_submitted(application)
    if assigned and submitted == assigned:
        return False
    if override_reason.strip():
        return True
    if not assigned:
        raise ValidationError(
            _(
                "No juror is assigned to this application. To decide all the same, please give "
                "a reason."
            )
        )
    raise ValidationError(
        ngettext(
            "%(submitted)d of %(assigned)d juror has scored. To decide before every juror "
            "has, please give a reason.",
            "%(submitted)d of %(assigned)d jurors have scored. To decide before every juror "
            "has, please give a reason.",
            assigned,
        )
        % {"submitted": submitted, "assigned": assigned}
    )


@transaction.atomic
def decision_record(
    *,
    application: Application,
    awarded: bool,
    note: str = "",
    override_reason: str = "",
    by_user=None,
):
    """Award or not. Needs every assigned juror's submitted scores, or ``override_reason``
    (stored and logged). A decision already sent may be corrected until the cycle's results
    are public: the company's recipients get a correction mail at once, a certificate goes
    (awarded → not awarded; it was never public) or comes (not awarded → awarded)."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("cycle", "company")
        .get(pk=application.pk)
    )
    overridden = require_can_decide(application, override_reason=override_reason)
    old_decision, old_note = application.decision, application.decision_note
    new_decision = Application.Decision.AWARDED if awarded else Application.Decision.NOT_AWARDED
    note = note.strip()
    correction = application.decision_sent_at is not None
    if correction and (new_decision, note) == (old_decision, old_note):
        return application  # nothing to correct
    application.decision = new_decision
    application.decision_note = note
    application.decision_override_reason = override_reason.strip() if overridden else ""
    application.decided_at = timezone.now()
    fields = ["decision", "decision_note", "decision_override_reason", "decided_at"]
    details = {"decision": [old_decision or None, application.decision]}
    if application.decision_note:
        details["note"] = application.decision_note
    if overridden:
        submitted, assigned = selectors.jurors_submitted(application)
        details["override_reason"] = application.decision_override_reason
        details["jurors"] = f"{submitted}/{assigned}"
    if correction:
        details["corrected"] = application.decision_sent_at.isoformat()
        details["recipients"] = _decision_correct(application, old_decision=old_decision)
        application.decision_sent_at = application.decided_at
        fields.append("decision_sent_at")
    application.save(update_fields=[*fields, "updated_at"])
    log_activity(
        action="seal.application.decided", obj=application, by_user=by_user, details=details
    )
    return application


def _decision_correct(application: Application, *, old_decision: str) -> int:
    """The certificate follows the corrected decision; the people who got the sent decision
    get the correction. Returns how many mails are written."""
    certificate = None
    if application.decision == Application.Decision.AWARDED:
        certificate = _certificate_issue(application=application)
    else:
        Certificate.objects.filter(application=application).delete()
    people = _correction_recipients(application)
    for key, email, name, language in people:
        mail_enqueue(
            key=(
                f"seal:{application.pk}:decision-corrected:"
                f"{application.decided_at:%Y%m%d%H%M%S%f}:{key}"
            ),
            to=email,
            template="seal/emails/decision_corrected",
            context={
                **_decision_mail_context(application, certificate),
                "recipient_name": name,
                "was_awarded": old_decision == Application.Decision.AWARDED,
            },
            language=language,
        )
    return len(people)


def _correction_recipients(application: Application) -> list[tuple[str, str, str, str]]:
    """Who hears of a correction: everyone the sent decision was mailed to (its outbox mails),
    and whoever receives the company's decisions now (admins may have changed since)."""
    people = decision_recipients([application])[application.pk]
    known = {email.lower() for _key, email, _name, _language in people}
    sent = OutboxMail.objects.filter(key__startswith=f"seal:{application.pk}:decision:")
    for number, (email, language) in enumerate(sent.order_by("pk").values_list("to", "language")):
        if email.lower() not in known:
            known.add(email.lower())
            people.append((f"earlier:{number}", email, "", language))
    return people


def _decision_mail_context(application: Application, certificate: Certificate | None) -> dict:
    """What the mail of a decision (and of its correction) says, but the recipient."""
    cycle = application.cycle
    return {
        "company_name": application.company.name,
        "cycle_name": cycle.name,
        "awarded": certificate is not None,
        "note": application.decision_note,
        "valid_until": certificate.valid_until if certificate else None,
        "application_url": absolute_url(reverse("seal:application")),
        "verify_url": certificate.verify_url() if certificate else "",
        # Before the award ceremony nothing is public, the verification page neither.
        "public_from": None if cycle.is_published else cycle.ceremony_on,
    }


def decisions_to_send(*, cycle: AwardCycle):
    """The applications of ``cycle`` whose decision is made and not sent yet: what
    :func:`decisions_send` mails (its confirmation page lists them)."""
    return (
        Application.objects.filter(
            cycle=cycle, decided_at__isnull=False, decision_sent_at__isnull=True
        )
        .exclude(decision="")
        .select_related("company")
    )


def decision_recipients(applications) -> dict[int, list[tuple[str, str, str, str]]]:
    """Who gets the decision of each of ``applications``: application id → ``(key, email,
    name, language)`` each. The company admins; a company without one hears through its
    contact persons. Two queries; :func:`decisions_send` writes one mail to each, its
    confirmation page counts them."""
    company_ids = {application.company_id for application in applications}
    admins = company_admins_of(company_ids)
    contacts: dict[int, list] = {}
    without_admin = company_ids - set(admins)
    if without_admin:
        for contact in ContactPerson.objects.filter(company__in=without_admin).order_by("pk"):
            contacts.setdefault(contact.company_id, []).append(contact)
    recipients = {}
    for application in applications:
        users = admins.get(application.company_id)
        if users:
            recipients[application.pk] = [
                (f"user:{u.pk}", u.email, u.get_full_name(), u.language) for u in users
            ]
        else:
            recipients[application.pk] = [
                (f"contact:{c.pk}", c.email, c.letter_name, settings.LANGUAGE_CODE)
                for c in contacts.get(application.company_id, [])
            ]
    return recipients


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, by_user=None) -> Certificate:
    """Withdraw a seal, with the reason: its verification page says so from now on (with the
    date, not the reason)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Please give the reason for the revocation."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.revocation_reason = reason
        certificate.save(update_fields=["revoked_at", "revocation_reason"])
        log_activity(
            action="seal.certificate.revoked",
            obj=certificate,
            by_user=by_user,
            details={"reason": reason},
        )
    return certificate


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _certificate_issue(*, application: Application) -> Certificate:
    """The certificate of an awarded application (made once): issued on the award ceremony,
    or on the day it is sent if that is later; valid for the cycle's ``validity_years``.
    Called when a decision, or its correction, is sent."""
    cycle = application.cycle
    issued = max(cycle.ceremony_on, timezone.localdate())
    certificate, _created = Certificate.objects.get_or_create(
        application=application,
        defaults={"issued_on": issued, "valid_until": _add_years(issued, cycle.validity_years)},
    )
    return certificate


@transaction.atomic
def decisions_send(*, cycle: AwardCycle, by_user=None) -> int:
    """Mail every decided application of the cycle once; awarded ones get their certificate."""
    sent = certificates = recipients = 0
    applications = list(
        decisions_to_send(cycle=cycle).select_related("cycle").select_for_update(of=("self",))
    )
    people = decision_recipients(applications)
    for application in applications:
        certificate = None
        if application.decision == Application.Decision.AWARDED:
            certificate = _certificate_issue(application=application)
            certificates += 1
        context = _decision_mail_context(application, certificate)
        for key, email, name, language in people[application.pk]:
            recipients += 1
            mail_enqueue(
                key=f"seal:{application.pk}:decision:{key}",
                to=email,
                template="seal/emails/decision",
                context={**context, "recipient_name": name},
                language=language,
            )
        application.decision_sent_at = timezone.now()
        application.save(update_fields=["decision_sent_at", "updated_at"])
        sent += 1
    if sent:
        log_activity(
            action="seal.cycle.decisions_sent",
            obj=cycle,
            by_user=by_user,
            details={"decisions": sent, "certificates": certificates, "recipients": recipients},
        )
    return sent


# --- Validity: reminders before a seal expires ----------------------------------------------

# Months before the end of a seal's validity its company is reminded, with the field that
# records the reminder.
EXPIRY_REMINDERS = ((2, "reminded_2_months_at"), (6, "reminded_6_months_at"))


def next_cycle_after(cycle: AwardCycle) -> AwardCycle | None:
    """The first later cycle that still takes (or will take) applications."""
    return (
        AwardCycle.objects.filter(
            applications_open_at__gt=cycle.applications_open_at, deadline__gte=timezone.now()
        )
        .order_by("applications_open_at")
        .first()
    )


def expiry_reminders_send(*, today: date | None = None, process: str | None = None) -> list[int]:
    """Remind the company admins of each seal six and two months before it expires, once each
    (a seal within two months of its end gets only the second reminder), with the next cycle's
    dates. A company that holds a newer seal lasting longer is not reminded of the older one.
    One log entry per reminded certificate; returns the outbox ids (sent by the caller)."""
    today = today or timezone.localdate()
    mail_ids: list[int] = []
    due = (
        Certificate.objects.filter(
            revoked_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + relativedelta(months=6),
        )
        .filter(
            Q(reminded_6_months_at__isnull=True)
            | Q(
                reminded_2_months_at__isnull=True,
                valid_until__lte=today + relativedelta(months=2),
            )
        )
        .values_list("pk", flat=True)
    )
    for pk in list(due):
        with transaction.atomic():
            mail_ids += _expiry_reminder(pk, today=today, process=process)
    return mail_ids


def _expiry_reminder(pk: int, *, today: date, process: str | None) -> list[int]:
    certificate = (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("application__company", "application__cycle")
        .get(pk=pk)
    )
    months, field_name = next(
        (months, name)
        for months, name in EXPIRY_REMINDERS
        if certificate.valid_until <= today + relativedelta(months=months)
    )
    if getattr(certificate, field_name) is not None:
        return []
    application = certificate.application
    newer = Certificate.objects.filter(
        application__company_id=application.company_id,
        revoked_at__isnull=True,
        valid_until__gt=certificate.valid_until,
    )
    if newer.exists():
        return []
    next_cycle = next_cycle_after(application.cycle)
    mail_ids = []
    recipients = decision_recipients([application])[application.pk]
    for key, email, name, language in recipients:
        mail = mail_enqueue(
            key=f"seal:certificate:{certificate.pk}:expiry-{months}m:{key}",
            to=email,
            template="seal/emails/expiry_reminder",
            context={
                "recipient_name": name,
                "company_name": application.company.name,
                "cycle_name": application.cycle.name,
                "valid_until": certificate.valid_until,
                "months": months,
                "next_cycle_name": next_cycle.name if next_cycle else "",
                "next_cycle_opens": (
                    timezone.localtime(next_cycle.applications_open_at) if next_cycle else None
                ),
                "next_cycle_deadline": (
                    timezone.localtime(next_cycle.deadline) if next_cycle else None
                ),
                "seal_url": absolute_url(reverse("seal:home")),
                "application_url": absolute_url(reverse("seal:application")),
            },
            language=language,
            send=False,
        )
        if mail is not None:
            mail_ids.append(mail.pk)
    setattr(certificate, field_name, timezone.now())
    certificate.save(update_fields=[field_name])
    details = {"months": months, "recipients": len(recipients)}
    if next_cycle is not None:
        details["next_cycle"] = next_cycle.name
    log_activity(
        action="seal.certificate.expiry_reminded",
        obj=certificate,
        process=process,
        details=details,
    )
    return mail_ids


# --- The holders' public pages ---------------------------------------------------------------


@transaction.atomic
def holder_profile_save(
    *,
    company,
    public: bool,
    offer: str,
    published_answers,
    jobs_url: str,
    apprenticeships_url: str,
    by_user,
) -> HolderProfile:
    """A company admin decides what the company's public seal page shows, and whether there is
    one (consent). Only answers of the company's applications with a current seal can be
    shown; the page itself exists only while the company holds a current seal."""
    answers = list(published_answers)
    allowed = set(selectors.awarded_answers(company).values_list("pk", flat=True))
    if any(answer.pk not in allowed for answer in answers):
        raise ValidationError(_("Only answers of an application with a current seal can be shown."))
    if public and not selectors.company_holds_seal(company):
        raise ValidationError(
            _("A public page is only possible while your company holds a valid seal.")
        )
    profile, _created = HolderProfile.objects.select_for_update().get_or_create(company=company)
    before = {
        "public": profile.public,
        "offer": profile.offer,
        "jobs_url": profile.jobs_url,
        "apprenticeships_url": profile.apprenticeships_url,
        "published_answers": set(profile.published_answers.values_list("pk", flat=True)),
    }
    profile.offer = offer.strip()
    profile.jobs_url = jobs_url.strip()
    profile.apprenticeships_url = apprenticeships_url.strip()
    if public and not profile.public:
        profile.consent_given_at = timezone.now()
        profile.consent_given_by = by_user
    profile.public = public
    profile.save()
    profile.published_answers.set(answers)
    after = {
        "public": profile.public,
        "offer": profile.offer,
        "jobs_url": profile.jobs_url,
        "apprenticeships_url": profile.apprenticeships_url,
        "published_answers": {answer.pk for answer in answers},
    }
    changed = [name for name in before if before[name] != after[name]]
    log_activity(
        action="seal.holder_profile.saved",
        obj=profile,
        by_user=by_user,
        details={"public": [before["public"], profile.public], "fields": changed},
    )
    return profile
