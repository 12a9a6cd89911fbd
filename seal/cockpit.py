"""The seal's section of the coordinators' cockpit (:mod:`network_portal.cockpit`): submitted
applications without a juror, the scores each juror still owes, and decisions taken but not
yet sent.

The querysets counted here are the ones the admin's list filters show
(:mod:`seal.admin.applications`), so a counter's link lists exactly what it counts. Three
queries, whatever the number of applications and jurors.
"""

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network_portal.cockpit import ATTENTION, Counter, changelist_url, may_view

from .models import Application, JurorAssignment
from .selectors import open_assignments


def _applications(queryset=None):
    return Application.objects.all() if queryset is None else queryset


def open_submitted(queryset=None):
    """Submitted and not decided: what the jury works on."""
    return _applications(queryset).filter(submitted_at__isnull=False, decision="")


def without_jurors(queryset=None):
    """Applications no juror can score: nobody assigned, or every juror assigned declared a
    conflict of interest."""
    return _applications(queryset).filter(
        ~Exists(
            JurorAssignment.objects.filter(
                application=OuterRef("pk"), conflict_declared_at__isnull=True
            )
        )
    )


def applications_without_jurors(queryset=None):
    """Submitted, not decided, and no juror who can score it."""
    return without_jurors(open_submitted(queryset))


def applications_awaiting_scores(queryset=None, *, juror_id: int):
    """The applications ``juror_id`` still has to score."""
    return _applications(queryset).filter(
        Exists(open_assignments().filter(application=OuterRef("pk"), juror_id=juror_id))
    )


def jurors_with_outstanding_scores() -> list[dict]:
    """``{"juror_id", "name", "count"}`` per juror who owes scores, by name."""
    rows = (
        open_assignments()
        .values("juror_id", "juror__first_name", "juror__last_name", "juror__email")
        .annotate(count=Count("pk"))
        .order_by("juror__last_name", "juror__first_name", "juror__email")
    )
    return [
        {
            "juror_id": row["juror_id"],
            "name": " ".join(
                part for part in (row["juror__first_name"], row["juror__last_name"]) if part
            )
            or row["juror__email"],
            "count": row["count"],
        }
        for row in rows
    ]


def decisions_ready_to_send(queryset=None):
    """Decided, and the decision not yet sent to the company."""
    return (
        _applications(queryset)
        .filter(decided_at__isnull=False, decision_sent_at__isnull=True)
        .exclude(decision="")
    )


def counters(request) -> list[Counter]:
    from .admin.applications import JuryFilter, OutstandingScoresFilter, StatusFilter

    if not may_view(request, Application):
        return []
    shown = [
        Counter(
            label=_("Submitted applications without a juror"),
            count=applications_without_jurors().count(),
            url=changelist_url(
                Application,
                **{
                    StatusFilter.parameter_name: StatusFilter.SUBMITTED,
                    JuryFilter.parameter_name: JuryFilter.NONE,
                },
            ),
            level=ATTENTION,
        )
    ]
    for juror in jurors_with_outstanding_scores():
        shown.append(
            Counter(
                label=gettext("Scores outstanding from %(juror)s") % {"juror": juror["name"]},
                count=juror["count"],
                url=changelist_url(
                    Application, **{OutstandingScoresFilter.parameter_name: juror["juror_id"]}
                ),
            )
        )
    shown.append(
        Counter(
            label=_("Decisions ready to send"),
            count=decisions_ready_to_send().count(),
            url=changelist_url(
                Application, **{StatusFilter.parameter_name: StatusFilter.READY_TO_SEND}
            ),
            level=ATTENTION,
            hint=_("They are sent from the ranking page of their cycle."),
        )
    )
    return shown
