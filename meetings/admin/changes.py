"""Changing and cancelling a published meeting, each after a confirmation that says how many
people get a mail, with an optional note of the coordinator's for it. Mixed into
:class:`~meetings.admin.meetings.MeetingAdmin`; the list's actions confirm the same way
(:data:`CANCEL`, :data:`PUBLISH`, :data:`MARK_HELD`).

Saving a new date, time or venue of a published meeting sends everyone invited an update
(:func:`meetings.services.meeting_schedule_changed`). Such a save is not done at once: the form
is checked as always, and instead of saving, the confirmation page shows what changes (old →
new) and how many people get the update (:func:`meetings.services.notice_recipients`, the
people the service writes to). Its button posts the same form again, confirmed, with the note;
only that POST saves and sends. Files chosen in the form cannot travel through the page: it
says so, and they are chosen again.
"""

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import (
    ConfirmFirst,
    MailNoteForm,
    PortalAdminMixin,
    admin_url,
)
from network_portal.confirmation import Confirmation

from .. import services
from ..models import Meeting
from .facts import meeting_facts, shown

# The field the confirmation page posts along with the form: the update is confirmed.
UPDATE_CONFIRMED = "_update_confirmed"
# What the confirmation page does not post back: Django's token, and its own fields.
_NOT_REPOSTED = {"csrfmiddlewaretoken", "note", UPDATE_CONFIRMED}


class UpdateNeedsConfirmation(Exception):
    """Raised from ``save_model`` before anything is saved (the admin's transaction rolls
    back): the confirmation page is shown instead."""

    def __init__(self, *, meeting: Meeting, form, changes: list[str], note_form: MailNoteForm):
        super().__init__(meeting.pk)
        self.meeting, self.form, self.changes, self.note_form = meeting, form, changes, note_form


def _change_url(meeting: Meeting) -> str:
    return reverse("admin:meetings_meeting_change", args=[meeting.pk])


def cancellation_lines(meetings) -> list[str]:
    """Who hears of the cancellation of each of ``meetings``: one line each (a draft: nobody,
    it was never announced)."""
    lines = []
    for meeting in meetings:
        if meeting.status == Meeting.Status.PUBLISHED:
            count = len(services.notice_recipients(meeting=meeting, kind="cancellation"))
            lines.append(
                ngettext(
                    "“%(meeting)s”: %(n)d person invited gets the cancellation notice by email; "
                    "the calendar entry removes the date.",
                    "“%(meeting)s”: %(n)d people invited get the cancellation notice by email; "
                    "the calendar entry removes the date.",
                    count,
                )
                % {"meeting": meeting.title, "n": count}
            )
        else:
            lines.append(
                gettext("“%(meeting)s” is a draft: nobody was invited, no email goes out.")
                % {"meeting": meeting.title}
            )
    return lines


def invitation_lines(meetings) -> list[str]:
    """How many invitations publishing each of ``meetings`` writes: one line each."""
    return [
        ngettext(
            "“%(meeting)s”: %(n)d invitation goes out by email, with the calendar entry.",
            "“%(meeting)s”: %(n)d invitations go out by email, with the calendar entry.",
            count,
        )
        % {"meeting": meeting.title, "n": count}
        for meeting in meetings
        for count in [services.invitations_on_publish(meeting=meeting)]
    ]


def _publishable(queryset):
    return queryset.filter(status=Meeting.Status.DRAFT, starts_at__gt=timezone.now()).order_by(
        "starts_at"
    )


def _cancellable(queryset):
    return queryset.filter(status__in=[Meeting.Status.DRAFT, Meeting.Status.PUBLISHED]).order_by(
        "starts_at"
    )


def _held(queryset):
    return queryset.filter(status=Meeting.Status.PUBLISHED, starts_at__lte=timezone.now()).order_by(
        "starts_at"
    )


# The list's actions: each confirms first, naming the meetings it acts on and the mails.
PUBLISH = ConfirmFirst(
    title=_("Publish these meetings?"),
    warning=_(
        "The meetings appear on the portal for all member companies, and the contact persons "
        "who want invitations get one by email."
    ),
    submit_label=_("Yes, publish and send the invitations"),
    nothing_to_do=_("None of the selected meetings can be published: only future drafts can."),
    back_label=_("Back to the meetings"),
    eligible=_publishable,
    mails=invitation_lines,
)
CANCEL = ConfirmFirst(
    title=_("Cancel these meetings?"),
    warning=_(
        "The meetings are cancelled; this cannot be undone. Everyone invited to a published "
        "one gets a cancellation notice by email."
    ),
    submit_label=_("Yes, cancel and notify"),
    nothing_to_do=_(
        "None of the selected meetings can be cancelled: only drafts and published meetings can."
    ),
    back_label=_("Back to the meetings"),
    eligible=_cancellable,
    mails=cancellation_lines,
    note=True,
)
MARK_HELD = ConfirmFirst(
    title=_("Mark these meetings as held?"),
    warning=_("The meetings are marked as held; this cannot be undone. No email goes out."),
    submit_label=_("Yes, mark as held"),
    nothing_to_do=_(
        "None of the selected meetings can be marked as held: only published meetings that "
        "have started can."
    ),
    back_label=_("Back to the meetings"),
    eligible=_held,
)


class MeetingChangesScreen(PortalAdminMixin):
    # --- Cancelling one meeting ---------------------------------------------------------------

    @admin_url("<int:pk>/cancel/", name="meetings_meeting_cancel")
    def cancel_view(self, request, pk):
        meeting = self.object_for(
            request, pk, require=("change",), queryset=Meeting.objects.select_related("host")
        )
        if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
            self.message_user(
                request, gettext("Only a planned meeting can be cancelled."), messages.ERROR
            )
            return self.redirect_to_change(meeting)
        published = meeting.status == Meeting.Status.PUBLISHED
        note_form = None
        if published:
            note_form = MailNoteForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and (note_form is None or note_form.is_valid()):
            note = note_form.note_or_none() if note_form else ""
            self.run_service(
                request,
                lambda: services.meeting_cancel(meeting=meeting, by_user=request.user, note=note),
                done_message=lambda _meeting: (
                    (
                        gettext("“%(meeting)s” is cancelled; everyone invited is being notified.")
                        if published
                        else gettext("“%(meeting)s” is cancelled.")
                    )
                    % {"meeting": meeting.title}
                ),
            )
            return self.redirect_to_change(meeting)
        consequences = [
            gettext(
                "The meeting is cancelled. This cannot be undone: answers are no longer taken, "
                "and the meeting cannot be published again."
            )
        ]
        if published:
            count = len(services.notice_recipients(meeting=meeting, kind="cancellation"))
            mails = [
                ngettext(
                    "%(n)d person invited gets the cancellation notice by email, with your "
                    "note; their calendar program removes the date.",
                    "%(n)d people invited get the cancellation notice by email, with your "
                    "note; their calendar programs remove the date.",
                    count,
                )
                % {"n": count}
            ]
            submit = ngettext(
                "Cancel the meeting and notify %(n)d person",
                "Cancel the meeting and notify %(n)d people",
                count,
            ) % {"n": count}
        else:
            mails = []
            submit = gettext("Cancel the meeting")
        return self.render_confirmation(
            request,
            Confirmation(
                title=gettext("Cancel “%(meeting)s”?") % {"meeting": meeting.title},
                consequences=consequences,
                facts=meeting_facts(meeting),
                mails=mails,
                submit_label=submit,
                cancel_url=_change_url(meeting),
            ),
            original=meeting,
            crumb=gettext("Cancel the meeting"),
            note_form=note_form,
        )

    # --- Saving a change that sends an update -------------------------------------------------

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except UpdateNeedsConfirmation as pending:
            return self._update_confirmation(request, pending)

    def update_note(self, request, meeting: Meeting, form, change: bool) -> str:
        """For ``save_model``, before it saves: the note for the update mails, once the
        coordinator has confirmed them ("" when the save sends none). Before that, raises
        :class:`UpdateNeedsConfirmation`: the confirmation page instead of the save."""
        if not change:
            return ""
        changes = services.schedule_changes(meeting=meeting, changed_fields=form.changed_data)
        if not changes:
            return ""
        confirmed = UPDATE_CONFIRMED in request.POST
        note_form = MailNoteForm(request.POST if confirmed else None)
        note = note_form.note_or_none() if confirmed else None
        if note is None:
            raise UpdateNeedsConfirmation(
                meeting=meeting, form=form, changes=changes, note_form=note_form
            )
        return note

    def _update_confirmation(self, request, pending: UpdateNeedsConfirmation):
        meeting, form = pending.meeting, pending.form
        count = len(services.notice_recipients(meeting=meeting, kind="update"))
        facts = [(gettext("Meeting"), meeting.title)]
        for name in pending.changes:
            label = str(form.fields[name].label or name)
            old, new = form.initial.get(name), form.cleaned_data.get(name)
            facts.append((label, f"{shown(old)} → {shown(new)}"))
        notices = []
        chosen = [upload.name for upload in request.FILES.values()]
        if chosen:
            notices.append(
                gettext(
                    "The files you chose cannot be carried over by this page: %(files)s. "
                    "Please choose them again after saving."
                )
                % {"files": ", ".join(chosen)}
            )
        hidden = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in _NOT_REPOSTED
            for value in values
        ]
        hidden.append((UPDATE_CONFIRMED, "1"))
        return self.render_confirmation(
            request,
            Confirmation(
                title=gettext("Save the changes and send an update?"),
                consequences=[
                    gettext(
                        "Your changes to the meeting are saved; the date, time or venue "
                        "change as shown."
                    ),
                    gettext(
                        "Registrations stay as they are; everyone invited can answer again "
                        "with the buttons in the email."
                    ),
                ],
                facts=facts,
                mails=[
                    ngettext(
                        "%(n)d person invited gets an update by email, with your note and the "
                        "new calendar entry.",
                        "%(n)d people invited get an update by email, with your note and the "
                        "new calendar entry.",
                        count,
                    )
                    % {"n": count}
                ],
                submit_label=ngettext(
                    "Save and send %(n)d update", "Save and send %(n)d updates", count
                )
                % {"n": count},
                cancel_url=_change_url(meeting),
                danger=False,
            ),
            original=meeting,
            crumb=gettext("Send an update"),
            note_form=pending.note_form,
            hidden=hidden,
            notices=notices,
            action_url=request.get_full_path(),
            back_in_history=True,
        )
