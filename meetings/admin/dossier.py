"""Publishing a meeting's dossier ("Nachlese veröffentlichen …" on its page, once it took
place): a confirmation that says what is published (the short minutes or not, how many
materials and answered questions) and to whom the mail goes (how many addresses of how many
member companies, of which how many were not there); only its POST publishes
(:func:`meetings.services.dossier_publish`). Mixed into
:class:`~meetings.admin.meetings.MeetingAdmin`."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.confirmation import Confirmation

from .. import services
from ..models import Meeting
from .facts import meeting_facts


def _content_lines(plan: dict) -> list[str]:
    """What the dossier holds, one line each, as the confirmation states it."""
    return [
        gettext("The short minutes are published.")
        if plan["minutes"]
        else gettext("No short minutes: the page says none were written."),
        ngettext(
            "%(n)d material can be downloaded by all members.",
            "%(n)d materials can be downloaded by all members.",
            plan["materials"],
        )
        % {"n": plan["materials"]}
        if plan["materials"]
        else gettext("No materials: upload them in the meeting's form first, if there are any."),
        ngettext(
            "%(n)d answered question to the experts is shown with its answer (the company "
            "only where the asker allowed it).",
            "%(n)d answered questions to the experts are shown with their answers (the "
            "company only where the asker allowed it).",
            plan["questions"],
        )
        % {"n": plan["questions"]}
        if plan["questions"]
        else gettext("No answered questions to the experts."),
        gettext("The agenda with the speakers."),
    ]


def _mail_line(plan: dict) -> str:
    mails = ngettext(
        "%(n)d email with the link to the dossier goes out",
        "%(n)d emails with the link to the dossier go out",
        plan["mails"],
    ) % {"n": plan["mails"]}
    companies = ngettext(
        "to the contact persons of %(m)d member company",
        "to the contact persons of %(m)d member companies",
        plan["companies"],
    ) % {"m": plan["companies"]}
    absent = ngettext(
        "of which %(k)d company was not at the meeting.",
        "of which %(k)d companies were not at the meeting.",
        plan["companies_absent"],
    ) % {"k": plan["companies_absent"]}
    return f"{mails} {companies}, {absent}"


class DossierScreen(PortalAdminMixin):
    @admin_url("<int:pk>/dossier/", name="meetings_meeting_dossier")
    def dossier_view(self, request, pk):
        meeting = self.object_for(
            request, pk, require=("change",), queryset=Meeting.objects.select_related("host")
        )
        if request.method == "POST":
            self.run_service(
                request,
                lambda: services.dossier_publish(meeting=meeting, by_user=request.user),
                done_message=lambda mail_ids: (
                    ngettext(
                        "The dossier of “%(meeting)s” is published; %(n)d email is being sent.",
                        "The dossier of “%(meeting)s” is published; %(n)d emails are being sent.",
                        len(mail_ids),
                    )
                    % {"meeting": meeting.title, "n": len(mail_ids)}
                ),
            )
            return self.redirect_to_change(meeting)
        try:
            plan = services.dossier_on_publish(meeting=meeting)
        except ValidationError as error:
            self.message_refusal(request, error)
            return self.redirect_to_change(meeting)
        return self.render_confirmation(
            request,
            Confirmation(
                title=gettext("Publish the dossier of “%(meeting)s”?") % {"meeting": meeting.title},
                consequences=[
                    gettext(
                        "The dossier appears in the portal for the users of all active member "
                        "companies, linked from the meeting's page and the past meetings."
                    ),
                    *_content_lines(plan),
                    gettext(
                        "The mail goes out once: corrections of the minutes afterwards appear "
                        "on the page without a new mail."
                    ),
                ],
                facts=meeting_facts(meeting)[:3],
                mails=[_mail_line(plan)],
                submit_label=ngettext(
                    "Publish the dossier and send %(n)d email",
                    "Publish the dossier and send %(n)d emails",
                    plan["mails"],
                )
                % {"n": plan["mails"]},
                cancel_url=reverse("admin:meetings_meeting_change", args=[meeting.pk]),
                danger=False,
            ),
            original=meeting,
            crumb=gettext("Publish the dossier"),
        )
