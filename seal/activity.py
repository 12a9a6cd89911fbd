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
        "seal.cycle.scoring_opened_early": _("Scoring opened before the deadline"),
        "seal.cycle.published_early": _("Results published before the award ceremony"),
    },
    details={
        "source": Detail(_("Copied from")),
        "criteria": Detail(_("Criteria")),
        "decisions": Detail(_("Decisions")),
        "certificates": Detail(_("Certificates")),
        "recipients": RECIPIENTS,
        "deadline": Detail(_("Application deadline"), kind="datetime"),
        "ceremony": Detail(_("Award ceremony on"), kind="date"),
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
        "override_reason": Detail(_("Reason for deciding without all scores")),
        "jurors": Detail(_("Jurors submitted")),
        "corrected": Detail(_("Corrects the decision sent on"), kind="datetime"),
        "recipients": RECIPIENTS,
    },
)

register_actions(
    {"seal.certificate.revoked": _("Seal revoked")},
    details={"reason": Detail(_("Reason for the revocation"))},
)

# Validity, re-application and the holders' public pages.
register_actions(
    {"seal.application.started": _("Application started")},
    details={
        "from_cycle": Detail(_("Answers carried over from the application of")),
        "carried_over": Detail(_("Answers carried over")),
        "files": Detail(_("Evidence files carried over")),
    },
)
register_actions(
    {"seal.certificate.expiry_reminded": _("Reminded of the seal’s expiry")},
    details={
        "months": Detail(_("Months before expiry")),
        "recipients": RECIPIENTS,
        "next_cycle": Detail(_("Next cycle")),
    },
)
register_actions(
    {"seal.holder_profile.saved": _("Public seal page saved")},
    details={
        "public": Detail(
            _("Public page"), choices={True: _("shown"), False: _("not shown")}, change=True
        ),
        "fields": Detail(_("Changed"), kind="fields"),
    },
)

register_actions(
    {"seal.cycle.jury_reminded": _("Jurors reminded of the scoring deadline")},
    details={"recipients": RECIPIENTS, "days": Detail(_("Days before the scoring deadline"))},
)
