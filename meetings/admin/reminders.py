"""Reminders and resends by hand, from the participant overview: remind everyone invited who
has not answered yet, or send the invitation to one person again. Each passes a confirmation
page that names the people and their number; a GET changes nothing, only the page's POST
writes the mails (:func:`meetings.services.answer_reminders_send`,
:func:`meetings.services.invitation_resend`). Mixed into
:class:`~meetings.admin.meetings.MeetingAdmin`.

Each person gets each of these mails at most once a day (the outbox key carries the date): a
second click, or a second coordinator on the same day, writes nothing twice, and a reminder
tomorrow is a new one. A day rather than a numbered round keeps the rule visible on the page
("reminded today") without a counter to store.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from members.selectors import eligible_contacts
from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.confirmation import Confirmation
from network_portal.mail import keys_written

from .. import services
from ..models import Meeting
from ..selectors import non_responders
from .facts import meeting_facts


def _recipient_line(contact) -> str:
    return f"{contact.full_name} · {contact.company.name} · {contact.email}"


# The participant overview lists this many people without an answer a page.
NO_ANSWER_PER_PAGE = 50


def no_answer_context(meeting: Meeting, *, can_remind: bool, page_number=None) -> dict:
    """What the participant overview shows of the people without an answer: their number, one
    page of them (``page_number``), who was reminded today, how many are left to remind, and
    whether the reminder buttons are shown. Three queries whatever the numbers."""
    prefix = services.answer_reminder_prefix(meeting)
    reminded = {
        int(key.rsplit(":", 1)[1])
        for key in keys_written(prefix)
        if key.startswith(f"{prefix}contact:")
    }
    people = non_responders(meeting)
    counts = people.aggregate(
        total=Count("pk"), reminded=Count("pk", filter=Q(pk__in=reminded or [0]))
    )
    paginator = Paginator(people, NO_ANSWER_PER_PAGE)
    paginator.count = counts["total"]  # known: no second count query
    page = paginator.get_page(page_number)
    page.object_list = list(page.object_list)
    for contact in page.object_list:
        contact.reminded_today = contact.pk in reminded
    return {
        "no_answer": page.object_list,
        "no_answer_page": page,
        "no_answer_count": counts["total"],
        "to_remind": counts["total"] - counts["reminded"],
        "can_remind": can_remind and meeting.is_open_for_answers,
    }


class RemindersScreen(PortalAdminMixin):
    def _open_meeting(self, request, pk) -> Meeting:
        return self.object_for(
            request,
            pk,
            require=("change",),
            perms=("meetings.view_registration",),
            queryset=Meeting.objects.select_related("host"),
        )

    def _back_url(self, meeting: Meeting) -> str:
        url = reverse("admin:meetings_meeting_participants", args=[meeting.pk])
        return f"{url}#no-answer"

    def _back(self, meeting: Meeting) -> HttpResponseRedirect:
        return HttpResponseRedirect(self._back_url(meeting))

    @admin_url("<int:pk>/participants/remind/", name="meetings_meeting_remind")
    def remind_view(self, request, pk):
        meeting = self._open_meeting(request, pk)
        if request.method == "POST":
            self.run_service(
                request,
                lambda: services.answer_reminders_send(meeting=meeting, by_user=request.user),
                done_message=lambda mail_ids: (
                    ngettext(
                        "%(n)d reminder is being sent.",
                        "%(n)d reminders are being sent.",
                        len(mail_ids),
                    )
                    % {"n": len(mail_ids)}
                ),
            )
            return self._back(meeting)
        if not meeting.is_open_for_answers:
            return self._refuse(request, meeting)
        recipients, reminded = services.answer_reminder_recipients(meeting)
        count = len(recipients)
        mails = [
            ngettext(
                "%(n)d person who has not answered yet gets a reminder by email now, with "
                "the buttons to answer.",
                "%(n)d people who have not answered yet get a reminder by email now, with "
                "the buttons to answer.",
                count,
            )
            % {"n": count}
        ]
        nothing_to_do = ""
        if not count:
            nothing_to_do = gettext(
                "Nobody is left to remind today: everyone has answered or was reminded today."
            )
        if reminded:
            mails.append(
                ngettext(
                    "%(n)d person was reminded today already and is left out.",
                    "%(n)d people were reminded today already and are left out.",
                    reminded,
                )
                % {"n": reminded}
            )
        return self._mail_confirmation(
            request,
            meeting,
            Confirmation(
                title=gettext("Remind everyone who has not answered?"),
                consequences=[gettext("Each person gets at most one such reminder a day.")],
                facts=meeting_facts(meeting),
                mails=mails,
                recipients=[_recipient_line(contact) for contact in recipients],
                submit_label=ngettext("Send %(n)d reminder", "Send %(n)d reminders", count)
                % {"n": count},
                cancel_url=self._back_url(meeting),
                danger=False,
            ),
            crumb=gettext("Remind"),
            nothing_to_do=nothing_to_do,
        )

    @admin_url(
        "<int:pk>/participants/resend/<int:contact_pk>/",
        name="meetings_meeting_resend_invitation",
    )
    def resend_view(self, request, pk, contact_pk):
        meeting = self._open_meeting(request, pk)
        # Only someone who receives invitations (404 for anyone else).
        invited = eligible_contacts(wants_meeting_invitations=True).select_related("company")
        contact = get_object_or_404(invited, pk=contact_pk)
        if request.method == "POST":
            self.run_service(
                request,
                lambda: services.invitation_resend(
                    meeting=meeting, contact=contact, by_user=request.user
                ),
                done_message=lambda _mail: (
                    gettext("The invitation is being sent to %(name)s again.")
                    % {"name": contact.full_name}
                ),
            )
            return self._back(meeting)
        if not meeting.is_open_for_answers:
            return self._refuse(request, meeting)
        nothing_to_do = ""
        if keys_written(services.invitation_resend_key(meeting, contact)):
            nothing_to_do = gettext("The invitation was sent to %(name)s again today already.") % {
                "name": contact.full_name
            }
        return self._mail_confirmation(
            request,
            meeting,
            Confirmation(
                title=gettext("Send the invitation again?"),
                consequences=[gettext("Each person gets the invitation again at most once a day.")],
                facts=meeting_facts(meeting),
                mails=[
                    gettext(
                        "%(name)s (%(email)s) gets the invitation again by email, with the "
                        "calendar entry and the buttons to answer. Nobody else gets a mail."
                    )
                    % {"name": contact.full_name, "email": contact.email}
                ],
                recipients=[_recipient_line(contact)],
                submit_label=gettext("Send the invitation again"),
                cancel_url=self._back_url(meeting),
                danger=False,
            ),
            crumb=gettext("Send the invitation again"),
            nothing_to_do=nothing_to_do,
        )

    def _mail_confirmation(self, request, meeting, confirmation, *, crumb, nothing_to_do):
        """The shared confirmation page; with ``nothing_to_do`` (everyone reminded, the
        invitation resent today), it says so, with the way back to the overview."""
        return self.render_confirmation(
            request,
            confirmation,
            original=meeting,
            crumb=crumb,
            nothing_to_do=nothing_to_do,
            back_label=gettext("Back to the participant overview"),
        )

    def _refuse(self, request, meeting):
        self.message_user(
            request,
            gettext(
                "This meeting takes no more answers: reminders and invitations go out only "
                "while it is published and before its RSVP deadline."
            ),
            messages.ERROR,
        )
        return self._back(meeting)
