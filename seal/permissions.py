"""Who may see and change what in the seal: the single place views and templates ask.

Objects of a company are looked up through the user's own company (``own_application``), so
another company's application, evidence or PDF simply does not exist for that user (404).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.roles import is_coordinator, is_juror
from members.models import Company
from members.permissions import is_company_admin, membership_of

from . import services
from .models import Application, Evidence, JurorAssignment


def _refusal(check, *args) -> str | None:
    """The message with which a service's ``check`` refuses (None while it allows)."""
    try:
        check(*args)
    except ValidationError as error:
        return " ".join(error.messages)
    return None


def editable_problem(application: Application) -> str | None:
    """Why the company can no longer change ``application`` (None while it can)."""
    return _refusal(services.require_editable, application)


def start_problem(cycle, company) -> str | None:
    """Why ``company`` cannot start an application for ``cycle`` now (None while it can):
    exactly what ``services.application_start`` refuses with."""
    return _refusal(services.require_can_start, cycle, company)


def start_refusal(cycle, company) -> str | None:
    """What a company admin reads instead of the start button (None while they can start):
    :func:`start_problem`, and for a company awaiting approval when it can apply."""
    problem = start_problem(cycle, company)
    if problem is not None and company.status == Company.Status.PENDING:
        return _("As soon as the coordination team has approved your company, you can apply.")
    return problem


def apply_offer_refusal(user, cycle) -> str | None:
    """What the seal page says to ``user`` instead of offering "Apply now" for ``cycle``, which
    accepts applications; None: offer it. "" : offer nothing and say nothing more (the page
    already says that company admins of member companies apply).

    Visitors are offered it (the application page asks them to log in); a company admin while
    :func:`start_refusal` allows it (or the company has already started); other users of a
    company learn that their admins apply, users without a company how to get there.
    """
    if not user.is_authenticated:
        return None
    membership = membership_of(user)
    if membership is None:
        if is_coordinator(user) or is_juror(user):
            return ""
        return _(
            "First register your company in the portal or join a registered one; once the "
            "coordination team has approved it, its company admins can apply."
        )
    company = membership.company
    if company.status == Company.Status.PENDING:
        return _(
            "As soon as the coordination team has approved your company, its company admins "
            "can apply."
        )
    if not is_company_admin(user):
        return _("Your company’s admins can apply for the seal in the portal.")
    if Application.objects.filter(cycle=cycle, company=company).exists():
        return None  # "Apply now" leads to the started application
    return start_refusal(cycle, company)


def scoring_problem(assignment: JurorAssignment) -> str | None:
    """Why the juror cannot change the scores of ``assignment`` (None while they can)."""
    return _refusal(services.require_can_score, assignment)


def can_see_other_scores(assignment: JurorAssignment) -> bool:
    """Until a juror has submitted, the other jurors' scores stay hidden from them."""
    return assignment.submitted_at is not None


def own_applications(company):
    return Application.objects.filter(company=company).select_related("cycle", "company")


def own_application(company, *, cycle=None, cycle_slug: str = "") -> Application | None:
    """The company's application of ``cycle_slug`` (404 if there is none), else the one of
    ``cycle`` (the current cycle), else the company's latest."""
    applications = own_applications(company)
    if cycle_slug:
        application = applications.filter(cycle__slug=cycle_slug).first()
        if application is None:
            raise Http404
        return application
    application = None
    if cycle is not None:
        application = applications.filter(cycle=cycle).first()
    return application or applications.order_by("-cycle__applications_open_at").first()


def decision_visible(application: Application) -> bool:
    """The company learns the decision only once the coordinators have sent it."""
    return bool(application.decision and application.decision_sent_at)


def evidence_access(user, evidence: Evidence) -> str | None:
    """In which role ``user`` may download ``evidence``: "coordinator" (staff with access to
    applications), "company" (an admin of the applying company) or "juror" (assigned to the
    submitted application, no conflict of interest declared); None if not at all.

    Other users of the applying company are refused (403): like the application itself, its
    evidence is the company admins' business.
    """
    if not user.is_authenticated or not user.is_active:
        return None
    if is_coordinator(user) and user.has_perm("seal.view_application"):
        return "coordinator"
    application = evidence.answer.application
    membership = membership_of(user)
    if membership is not None and membership.company_id == application.company_id:
        if not is_company_admin(user):
            raise PermissionDenied
        return "company"
    assigned = (
        application.is_submitted
        and is_juror(user)
        and JurorAssignment.objects.filter(
            application=application, juror=user, conflict_declared_at__isnull=True
        ).exists()
    )
    return "juror" if assigned else None


def evidence_of_company(company):
    """Evidence a company admin may act on: only that of the own company's applications."""
    return Evidence.objects.filter(answer__application__company=company).select_related(
        "answer__application__cycle", "answer__criterion__category"
    )
