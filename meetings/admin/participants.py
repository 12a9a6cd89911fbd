"""The participant overview of a meeting (who is seated, waiting, not coming; the answers by
company; the feedback) and its lists for download (CSV for Excel, PDF for signatures); the
check-in at the door is :mod:`.check_in`. Mixed into
:class:`~meetings.admin.meetings.MeetingAdmin`."""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext

from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.downloads import csv_attachment, pdf_attachment
from network_portal.pdf import render_pdf

from ..models import Meeting, Registration
from ..selectors import participant_overview
from .reminders import no_answer_context

# Empty rows at the end of the printed list, for people who come without registering.
BLANK_PDF_ROWS = 5


class ParticipantsScreen(PortalAdminMixin):
    """The overview shows people: besides the meeting, it needs the registrations' view
    permission (the check-in: their change permission)."""

    def _meeting(self, request, pk, *, require=("view",), perms=()) -> Meeting:
        return self.object_for(
            request,
            pk,
            require=require,
            perms=("meetings.view_registration", *perms),
            queryset=Meeting.objects.select_related("host"),
        )

    @admin_url("<int:pk>/participants/", name="meetings_meeting_participants")
    def participants_view(self, request, pk):
        meeting = self._meeting(request, pk)
        return self.render_admin_page(
            request,
            "admin/meetings/meeting/participants.html",
            gettext("Participants: %(meeting)s") % {"meeting": meeting.title},
            original=meeting,
            meeting=meeting,
            can_check_in=self.has_change_permission(request, meeting),
            **participant_overview(meeting, companies_page=request.GET.get("companies_page")),
            **no_answer_context(
                meeting,
                can_remind=self.has_change_permission(request, meeting),
                page_number=request.GET.get("no_answer_page"),
            ),
        )

    @admin_url("<int:pk>/participants/csv/", name="meetings_meeting_participants_csv")
    def participants_csv_view(self, request, pk):
        meeting = self._meeting(request, pk)
        rows = participant_rows(participant_overview(meeting))
        return csv_attachment(rows, filename=_filename(meeting, "csv"))

    @admin_url("<int:pk>/participants/pdf/", name="meetings_meeting_participants_pdf", pdf=True)
    def participants_pdf_view(self, request, pk):
        meeting = self._meeting(request, pk)
        pdf = render_pdf(
            template="meetings/pdf/participants.html",
            context={
                "meeting": meeting,
                "participants": participant_overview(meeting)["seated"],
                "blank_rows": range(BLANK_PDF_ROWS),
                "printed_at": timezone.now(),
            },
        )
        return pdf_attachment(pdf, filename=_filename(meeting, "pdf"))


def _filename(meeting: Meeting, extension: str) -> str:
    prefix = slugify(gettext("participants"))
    return f"{prefix}-{meeting.slug}.{extension}"


def participant_rows(overview: dict) -> list[list[str]]:
    """The participant list for Excel (from :func:`meetings.selectors.participant_overview`):
    seated, then the waitlist in order."""
    rows = [
        [
            gettext("Name"),
            gettext("Company"),
            gettext("Email"),
            gettext("Status"),
            gettext("Waitlist position"),
            gettext("Checked in at"),
        ]
    ]
    for registration in overview["seated"]:
        rows.append(_participant_row(registration, ""))
    for position, registration in enumerate(overview["waitlist"], start=1):
        rows.append(_participant_row(registration, str(position)))
    return rows


def _participant_row(registration: Registration, position: str) -> list[str]:
    return [
        registration.name,
        registration.company_label,
        registration.email,
        str(registration.get_status_display()),
        position,
        _timestamp(registration.checked_in_at),
    ]


def _timestamp(value) -> str:
    return date_format(timezone.localtime(value), "d.m.Y H:i") if value else ""
