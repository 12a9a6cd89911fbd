"""Every state change of the seal: cycles, applications, jury scores, decisions, certificates.

Each change leaves one activity log entry (``network_portal.activity``; the actions are named
in ``seal/activity.py``). Jurors' points are not logged: they stay hidden until submitted.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.roles import is_juror
from members.models import ContactPerson
from members.selectors import company_admins, company_admins_of
from network_portal.activity import log_activity
from network_portal.mail import binary_attachment, mail_enqueue, mail_users
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
    """The cycle that accepts applications now, else the next one, else the latest."""
    now = timezone.now()
    return (
        AwardCycle.objects.filter(deadline__gte=now).order_by("applications_open_at").first()
        or AwardCycle.objects.order_by("-applications_open_at").first()
    )


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
    log_activity(action="seal.application.started", obj=application, by_user=by_user)
    return application


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
        defaults={"self_assessment": self_assessment, "explanation": explanation.strip()},
    )
    return answer


@transaction.atomic
def evidence_add(*, answer: Answer, upload, by_user) -> Evidence:
    """A PDF or image as evidence on its own (a step of the application adds several)."""
    evidence = _evidence_add(answer=answer, upload=upload)
    log_activity(
        action="seal.application.evidence_added",
        obj=answer.application,
        by_user=by_user,
        details={"criterion": _criterion_text(answer.criterion), "file": evidence.original_name},
    )
    return evidence


@transaction.atomic
def _evidence_add(*, answer: Answer, upload) -> Evidence:
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
            stored.append(_evidence_add(answer=answer, upload=upload))
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
def juror_assign(*, application: Application, juror, by_user=None) -> JurorAssignment:
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
    return assignment


@transaction.atomic
def juror_remove(*, assignment: JurorAssignment, by_user=None) -> None:
    """Take a juror off an application (a coordinator on the application's page). Submitted
    scores count for the decision, so their juror stays; scores not yet submitted go."""
    assignment = (
        JurorAssignment.objects.select_for_update()
        .select_related("application", "juror")
        .get(pk=assignment.pk)
    )
    if assignment.submitted_at is not None:
        raise ValidationError(
            _("%(user)s has submitted scores for this application and stays on it.")
            % {"user": assignment.juror}
        )
    log_activity(
        action="seal.application.juror_removed",
        obj=assignment.application,
        by_user=by_user,
        details={"juror": str(assignment.juror)},
    )
    assignment.delete()


def require_can_score(assignment: JurorAssignment) -> None:
    """The assigned juror may change their scores: not working for the applying company, no
    conflict declared, not submitted yet, and the application is submitted."""
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
        .select_related("application__company")
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
        .select_related("application__company")
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


@transaction.atomic
def decision_record(*, application: Application, awarded: bool, note: str = "", by_user=None):
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_submitted:
        raise ValidationError(_("Only submitted applications can be decided."))
    if application.decision_sent_at is not None:
        raise ValidationError(_("This decision has been sent and can no longer be changed."))
    old_decision = application.decision
    application.decision = (
        Application.Decision.AWARDED if awarded else Application.Decision.NOT_AWARDED
    )
    application.decision_note = note.strip()
    application.decided_at = timezone.now()
    application.save(update_fields=["decision", "decision_note", "decided_at", "updated_at"])
    details = {"decision": [old_decision or None, application.decision]}
    if application.decision_note:
        details["note"] = application.decision_note
    log_activity(
        action="seal.application.decided", obj=application, by_user=by_user, details=details
    )
    return application


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
def certificate_revoke(*, certificate: Certificate, by_user=None) -> Certificate:
    """Withdraw a seal: its verification page says so from now on."""
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is None:
        certificate.revoked_at = timezone.now()
        certificate.save(update_fields=["revoked_at"])
        log_activity(action="seal.certificate.revoked", obj=certificate, by_user=by_user)
    return certificate


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def decisions_send(*, cycle: AwardCycle, by_user=None) -> int:
    """Mail every decided application of the cycle once; awarded ones get their certificate."""
    sent = certificates = recipients = 0
    applications = list(decisions_to_send(cycle=cycle).select_for_update(of=("self",)))
    people = decision_recipients(applications)
    for application in applications:
        certificate = None
        if application.decision == Application.Decision.AWARDED:
            issued = max(cycle.ceremony_on, timezone.localdate())
            certificate, _created = Certificate.objects.get_or_create(
                application=application,
                defaults={
                    "issued_on": issued,
                    "valid_until": _add_years(issued, cycle.validity_years),
                },
            )
            certificates += 1
        for key, email, name, language in people[application.pk]:
            recipients += 1
            mail_enqueue(
                key=f"seal:{application.pk}:decision:{key}",
                to=email,
                template="seal/emails/decision",
                context={
                    "recipient_name": name,
                    "company_name": application.company.name,
                    "cycle_name": cycle.name,
                    "awarded": certificate is not None,
                    "note": application.decision_note,
                    "valid_until": certificate.valid_until if certificate else None,
                    "application_url": absolute_url(reverse("seal:application")),
                    "verify_url": certificate.verify_url() if certificate else "",
                },
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


def awarded_certificates():
    """Certificates not revoked, newest cycle first: the public list of awarded companies."""
    return (
        Certificate.objects.filter(revoked_at__isnull=True)
        .select_related("application__company", "application__cycle")
        .order_by("-application__cycle__applications_open_at", "application__company__name")
    )
