"""Publishing a meeting from its form: the button "Veröffentlichen …" saves the form and leads
to this confirmation (the admin's shared confirmation page), which says how many invitations
will go out; only its POST publishes
(:func:`meetings.services.meeting_publish`). Mixed into
:class:`~meetings.admin.meetings.MeetingAdmin`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.confirmation import Confirmation

from .. import services
from ..models import Meeting
from .facts import meeting_facts

# The name of the form's button that saves and goes on to the confirmation.
PUBLISH_BUTTON = "_publish"


class PublishScreen(PortalAdminMixin):
    @admin_url("<int:pk>/publish/", name="meetings_meeting_publish")
    def publish_view(self, request, pk):
        meeting = self.object_for(
            request, pk, require=("change",), queryset=Meeting.objects.select_related("host")
        )
        try:
            invitations = services.invitations_on_publish(meeting=meeting)
        except ValidationError as error:
            self.message_refusal(request, error)
            return self.redirect_to_change(meeting)
        guests = meeting.invited_companies.count()
        if request.method == "POST":
            self.run_service(
                request,
                lambda: services.meeting_publish(meeting=meeting, by_user=request.user),
                done_message=_published_message,
            )
            return self.redirect_to_change(meeting)
        return self.render_confirmation(
            request,
            Confirmation(
                title=gettext("Publish “%(meeting)s”?") % {"meeting": meeting.title},
                consequences=[
                    ngettext(
                        "The event appears on the portal for all member companies; only the "
                        "%(n)d invited company can register.",
                        "The event appears on the portal for all member companies; only the "
                        "%(n)d invited companies can register.",
                        guests,
                    )
                    % {"n": guests}
                    if guests
                    else gettext(
                        "The meeting appears on the portal for all member companies, who can "
                        "register."
                    ),
                    gettext(
                        "After publishing, a change of date, time or venue sends everyone "
                        "invited an update."
                    ),
                ],
                facts=[
                    *meeting_facts(meeting),
                    (gettext("Kind of event"), meeting.get_kind_display()),
                    (gettext("Seats"), str(meeting.capacity)),
                    (gettext("Places per company"), str(meeting.per_company_limit)),
                ],
                mails=[
                    ngettext(
                        "%(n)d invitation goes out by email, with the calendar entry, to the "
                        "contact persons of the invited companies who want invitations.",
                        "%(n)d invitations go out by email, with the calendar entry, to the "
                        "contact persons of the invited companies who want invitations.",
                        invitations,
                    )
                    % {"n": invitations}
                    if guests
                    else ngettext(
                        "%(n)d invitation goes out by email, with the calendar entry, to the "
                        "contact persons of the active member companies who want invitations.",
                        "%(n)d invitations go out by email, with the calendar entry, to the "
                        "contact persons of the active member companies who want invitations.",
                        invitations,
                    )
                    % {"n": invitations}
                ],
                submit_label=ngettext(
                    "Publish and send %(n)d invitation",
                    "Publish and send %(n)d invitations",
                    invitations,
                )
                % {"n": invitations},
                cancel_url=reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                danger=False,
            ),
            original=meeting,
            crumb=gettext("Publish"),
            invitations=invitations,
        )

    # The form's button "Veröffentlichen …": save, then on to the confirmation.
    def response_add(self, request, obj, post_url_continue=None):
        if PUBLISH_BUTTON in request.POST:
            return self._to_confirmation(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if PUBLISH_BUTTON in request.POST:
            return self._to_confirmation(request, obj)
        return super().response_change(request, obj)

    def _to_confirmation(self, request, meeting):
        self.message_user(
            request,
            gettext("The meeting has been saved. Please confirm the publication."),
            messages.INFO,
        )
        return HttpResponseRedirect(reverse("admin:meetings_meeting_publish", args=[meeting.pk]))


def _published_message(meeting: Meeting) -> str:
    written = services.invitations_written(meeting=meeting)
    return ngettext(
        "“%(meeting)s” is published; %(n)d invitation is being sent.",
        "“%(meeting)s” is published; %(n)d invitations are being sent.",
        written,
    ) % {"meeting": meeting.title, "n": written}
