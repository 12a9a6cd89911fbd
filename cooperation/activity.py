"""The activity log's actions of the cooperation board (see ``network_portal.activity``);
imported by the plumbing when the apps are ready."""

from django.utils.translation import gettext_lazy as _

from network_portal.activity import RECIPIENTS, Detail, register_actions

from .models import Project

register_actions(
    {
        "cooperation.project.proposed": _("Cooperation project proposed"),
        "cooperation.project.created": _("Cooperation project created"),
        "cooperation.project.changed": _("Cooperation project changed"),
        "cooperation.project.status_changed": _("Status of the cooperation project changed"),
        "cooperation.project.message_sent": _("Mail sent to the interested companies"),
    },
    details={
        "status": Detail(_("Status"), choices=Project.Status.choices, change=True),
        "changed": Detail(_("Changed details"), kind="fields"),
        "promoted": Detail(_("Places moved up from the waitlist")),
        "companies": Detail(_("Companies")),
        "recipients": RECIPIENTS,
        "subject": Detail(_("Subject")),
    },
)

register_actions(
    {
        "cooperation.interest.marked": _("Interest in a cooperation project declared"),
        "cooperation.interest.withdrawn": _("Interest in a cooperation project withdrawn"),
    },
)

register_actions(
    {
        "cooperation.booking.booked": _("Places booked"),
        "cooperation.booking.cancelled": _("Places cancelled"),
        "cooperation.booking.promoted": _("Places moved up from the waitlist"),
        "cooperation.booking.attendance_recorded": _("Attendance recorded"),
    },
    details={
        "places": Detail(_("Booked places"), change=True),
        "waiting_places": Detail(_("Places on the waitlist"), change=True),
        "promoted": Detail(_("Places moved up from the waitlist")),
        "participants": Detail(_("Participants")),
        "attended": Detail(_("attended")),
    },
)
