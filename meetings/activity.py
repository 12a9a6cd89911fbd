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

register_actions(
    {
        "meetings.question.submitted": _("Question to the experts submitted"),
        "meetings.question.changed": _("Question to the experts changed"),
        "meetings.question.withdrawn": _("Question to the experts withdrawn"),
        "meetings.question.sent": _("Questions sent to an expert"),
        "meetings.question.answered": _("Answer to a question recorded"),
    },
    details={
        "meeting": Detail(_("Meeting")),
        "changed": Detail(_("Changed details"), kind="fields"),
        "questions": Detail(_("Questions")),
    },
)

register_actions(
    {"meetings.meeting.dossier_published": _("Dossier published, mails written")},
    details={
        "recipients": RECIPIENTS,
        "companies_absent": Detail(_("Of these, companies that were not there")),
        "minutes": Detail(
            _("Short minutes"),
            choices={
                "yes": pgettext_lazy("dossier minutes", "included"),
                "no": pgettext_lazy("dossier minutes", "none"),
            },
        ),
        "materials": Detail(_("Materials")),
        "questions": Detail(_("Answered questions")),
    },
)

register_actions(
    {
        "meetings.speaker_request.sent": _("Member company asked to speak"),
        "meetings.speaker_request.accepted": _("Request to speak accepted, put on the agenda"),
        "meetings.speaker_request.declined": _("Request to speak declined"),
        "meetings.speaker_request.withdrawn": _("Request to speak withdrawn"),
    },
    details={"meeting": Detail(_("Meeting")), "company": Detail(_("Company"))},
)

register_actions(
    {
        "meetings.meeting.guests_taken": _("Guests taken over from a group of companies"),
    },
    details={
        "group": Detail(_("Group of companies")),
        "companies": Detail(_("Companies")),
        "recipients": RECIPIENTS,
        "dropped": Detail(_("Companies no longer invited")),
        "dropped_registered": Detail(_("Their people registered (keep their places)")),
    },
)
