"""The activity log's actions of meetings, answers, topics and feedback (see
``network_portal.activity``); imported by the plumbing when the apps are ready."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from network_portal.activity import RECIPIENTS, Detail, register_actions

from .models import Meeting, Registration

register_actions(
    {
        "meetings.meeting.published": _("Meeting published, invitations written"),
        "meetings.meeting.rescheduled": _("Date, time or venue changed, updates written"),
        "meetings.meeting.waitlist_moved_up": _("Waitlist moved up"),
        "meetings.meeting.cancelled": _("Meeting cancelled"),
        "meetings.meeting.held": _("Meeting marked as held"),
        "meetings.meeting.mails_written": _("Meeting mails written"),
        "meetings.meeting.reminders_written": _("Reminders written"),
        "meetings.meeting.feedback_requested": _("Feedback requested from the participants"),
    },
    details={
        "status": Detail(_("Status"), choices=Meeting.Status.choices, change=True),
        "kind": Detail(
            _("Kind of mail"),
            choices={
                "invitation": pgettext_lazy("meeting mail", "invitation"),
                "update": pgettext_lazy("meeting mail", "update"),
                "cancellation": pgettext_lazy("meeting mail", "cancellation notice"),
            },
        ),
        "recipients": RECIPIENTS,
        "changed": Detail(_("Changed details"), kind="fields"),
        "promoted": Detail(_("Moved up from the waitlist")),
        "note": Detail(_("Note in the email")),
        "participant_reminders": Detail(_("Reminders to participants")),
        "deadline_reminders": Detail(_("Reminders of the RSVP deadline")),
    },
)

register_actions(
    {
        "meetings.registration.registered": _("Registered for the meeting"),
        "meetings.registration.declined": _("Answered: not attending"),
        "meetings.registration.cancelled": _("Registration cancelled"),
        "meetings.registration.checked_in": _("Checked in"),
        "meetings.registration.check_in_undone": _("Check-in undone"),
        "meetings.registration.walked_in": _("Came without registration, checked in"),
    },
    details={
        "status": Detail(_("Status"), choices=Registration.Status.choices, change=True),
        "promoted": Detail(_("Moved up from the waitlist")),
    },
)

register_actions(
    {"meetings.feedback.given": _("Feedback given")},
    details={"rating": Detail(_("Rating"))},
)

register_actions(
    {
        "meetings.topic.proposed": _("Topic proposed"),
        "meetings.topic.voted": _("Vote for a topic"),
        "meetings.topic.vote_withdrawn": _("Vote for a topic withdrawn"),
        "meetings.topic.scheduled": _("Topic put on a meeting's agenda"),
        "meetings.topic.unscheduled": _("Topic taken off the agenda"),
        "meetings.calendar_feed.renewed": _("Calendar feed address renewed"),
        "meetings.calendar_feed.deleted": _("Calendar feed switched off"),
    },
    details={"meeting": Detail(_("Meeting"))},
)

register_actions(
    {
        "meetings.meeting.newcomers_invited": _("Invitations written to late joiners"),
        "meetings.meeting.answer_reminders_sent": _("Reminders to answer written by hand"),
        "meetings.meeting.invitation_resent": _("Invitation sent again"),
    },
    details={"recipients": RECIPIENTS, "meeting": Detail(_("Meeting"))},
)
