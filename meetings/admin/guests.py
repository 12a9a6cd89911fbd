"""The guest list of an event by invitation (``meetings.kinds``): "Gäste übernehmen …" takes a
group of companies another app offers (``network_portal.company_groups``: the seal holders of
a cycle for the award ceremony) onto the meeting's guest list, after a confirmation that names
the companies and the invitations going out (a published event invites its new guests at
once). Mixed into :class:`~meetings.admin.meetings.MeetingAdmin`."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from network_portal.admin_views import PortalAdminMixin, admin_url, dry_run_mail_lines
from network_portal.company_groups import company_groups
from network_portal.confirmation import Confirmation

from .. import selectors, services
from ..models import Meeting
from .facts import meeting_facts

GUESTS_TEMPLATE = "admin/meetings/meeting/guests.html"


class GuestsScreen(PortalAdminMixin):
    @admin_url("<int:pk>/guests/", name="meetings_meeting_guests")
    def guests_view(self, request, pk):
        meeting = self.object_for(
            request, pk, require=("change",), queryset=Meeting.objects.select_related("host")
        )
        group_key = request.POST.get("group") or request.GET.get("group")
        if not group_key:
            return self.render_admin_page(
                request,
                GUESTS_TEMPLATE,
                gettext("Take over guests for “%(meeting)s”") % {"meeting": meeting.title},
                original=meeting,
                crumb=gettext("Take over guests"),
                groups=company_groups(),
                guests=list(meeting.invited_companies.order_by("name")),
            )
        try:
            group, companies = services.guests_to_take(meeting=meeting, group_key=group_key)
        except ValidationError as error:
            self.message_refusal(request, error)
            return self.redirect_to_change(meeting)
        if request.method == "POST":
            self.run_service(
                request,
                lambda: services.meeting_guests_take(
                    meeting=meeting, group_key=group_key, by_user=request.user
                ),
                done_message=lambda added: (
                    ngettext(
                        "%(n)d company is now on the guest list.",
                        "%(n)d companies are now on the guest list.",
                        len(added),
                    )
                    % {"n": len(added)}
                ),
            )
            return self.redirect_to_change(meeting)
        back = reverse("admin:meetings_meeting_guests", args=[meeting.pk])
        # Open to all member companies until now: the others lose their invitation.
        dropped = selectors.companies_dropped_by_guest_list(meeting=meeting, guests=companies)
        dropped_registered = sum(company.registered for company in dropped)
        dropped_lines = (
            [
                ngettext(
                    "The event has been open to all member companies until now: %(n)d company "
                    "loses its invitation and can no longer register.",
                    "The event has been open to all member companies until now: %(n)d companies "
                    "lose their invitation and can no longer register.",
                    len(dropped),
                )
                % {"n": len(dropped)},
                ngettext(
                    "%(n)d of their people is registered or on the waitlist and keeps the "
                    "place; nobody is written to.",
                    "%(n)d of their people are registered or on the waitlist and keep their "
                    "places; nobody is written to.",
                    dropped_registered,
                )
                % {"n": dropped_registered},
            ]
            if dropped
            else []
        )
        confirmation = Confirmation(
            title=gettext("Take over the guests “%(group)s”?") % {"group": group.label},
            consequences=[
                ngettext(
                    "%(n)d company is put on the guest list of the event; the companies on it "
                    "already stay.",
                    "%(n)d companies are put on the guest list of the event; the companies on "
                    "it already stay.",
                    len(companies),
                )
                % {"n": len(companies)},
                gettext(
                    "Only the companies on the guest list are invited and may register, each "
                    "with %(n)d places."
                )
                % {"n": meeting.per_company_limit},
                *dropped_lines,
            ],
            facts=[
                *meeting_facts(meeting),
                (gettext("Group"), str(group.label)),
                (
                    gettext("Companies added"),
                    ", ".join(company.name for company in companies) or "–",
                ),
                *(
                    [
                        (
                            gettext("Companies no longer invited"),
                            ", ".join(
                                gettext("%(company)s (%(n)d registered)")
                                % {"company": company.name, "n": company.registered}
                                if company.registered
                                else company.name
                                for company in dropped
                            ),
                        )
                    ]
                    if dropped
                    else []
                ),
            ],
            mails=dry_run_mail_lines(
                lambda m: services.meeting_guests_take(
                    meeting=m, group_key=group_key, by_user=request.user
                ),
                [meeting],
            )
            if meeting.status == Meeting.Status.PUBLISHED
            else [
                gettext("No email goes out now: the invitations go out when you publish the event.")
            ],
            submit_label=ngettext(
                "Add %(n)d company to the guests",
                "Add %(n)d companies to the guests",
                len(companies),
            )
            % {"n": len(companies)},
            cancel_url=back,
            danger=False,
        )
        return self.render_confirmation(
            request,
            confirmation,
            original=meeting,
            crumb=gettext("Take over guests"),
            hidden=[("group", group_key)],
            nothing_to_do=gettext("Every company of “%(group)s” is on the guest list already.")
            % {"group": group.label}
            if not companies
            else "",
            back_label=gettext("Back to the groups"),
        )
