"""The activity log's actions of the seal: cycles, applications, jury, decisions and
certificates (see ``network_portal.activity``); imported by the plumbing when the apps are
ready. Jurors' points are not logged: they stay hidden until the juror submits."""

from django.utils.translation import gettext_lazy as _

from network_portal.activity import RECIPIENTS, Detail, register_actions

from .models import Application

register_actions(
    {
        "seal.cycle.catalogue_copied": _("Criteria catalogue copied"),
        "seal.cycle.decisions_sent": _("Decisions sent"),
    },
    details={
        "source": Detail(_("Copied from")),
        "criteria": Detail(_("Criteria")),
        "decisions": Detail(_("Decisions")),
        "certificates": Detail(_("Certificates")),
        "recipients": RECIPIENTS,
    },
)

register_actions(
    {
        "seal.application.started": _("Application started"),
        "seal.application.step_saved": _("Application step saved"),
        "seal.application.answer_saved": _("Answer saved"),
        "seal.application.evidence_added": _("Evidence uploaded"),
        "seal.application.evidence_removed": _("Evidence removed"),
        "seal.application.submitted": _("Application submitted"),
        "seal.application.reopened": _("Application reopened for changes"),
        "seal.application.juror_assigned": _("Juror assigned"),
        "seal.application.juror_removed": _("Juror removed"),
        "seal.application.conflict_declared": _("Conflict of interest declared"),
        "seal.application.score_saved": _("Score saved"),
        "seal.application.scores_saved": _("Scores saved"),
        "seal.application.scores_submitted": _("Scores submitted"),
        "seal.application.decided": _("Decision recorded"),
    },
    details={
        "answers": Detail(_("Answers")),
        "files": Detail(_("Files")),
        "criterion": Detail(_("Criterion")),
        "criteria": Detail(_("Criteria")),
        "file": Detail(_("File")),
        "juror": Detail(_("Juror"), personal=True),
        "decision": Detail(_("Decision"), choices=Application.Decision.choices, change=True),
        "note": Detail(_("Note on the decision")),
    },
)

register_actions({"seal.certificate.revoked": _("Seal revoked")})
