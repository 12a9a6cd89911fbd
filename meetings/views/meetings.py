from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import DetailView, ListView

from network_portal.downloads import stored_file_response

from ..forms import ColleagueForm
from ..models import AgendaItem, Material, Meeting
from ..permissions import MeetingsMemberMixin
from ..selectors import company_places_left, free_seats, waitlist_position, with_seat_counts


class MeetingListView(MeetingsMemberMixin, ListView):
    """Upcoming meetings, and the past ones (paginated) with their materials."""

    template_name = "meetings/meeting_list.html"
    context_object_name = "past_meetings"
    paginate_by = 10

    def get_queryset(self):
        return with_seat_counts(Meeting.objects.past(), self.company)

    def get_context_data(self, **kwargs):
        upcoming = list(with_seat_counts(Meeting.objects.upcoming(), self.company))
        for meeting in upcoming:
            meeting.free_seats = free_seats(meeting)
        return super().get_context_data(upcoming_meetings=upcoming, **kwargs)


class MeetingDetailView(MeetingsMemberMixin, DetailView):
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        agenda = AgendaItem.objects.select_related("speaker_contact__company")
        return with_seat_counts(Meeting.objects.visible()).prefetch_related(
            Prefetch("agenda_items", queryset=agenda), "materials"
        )

    def get_context_data(self, **kwargs):
        meeting = self.object
        context = {"free_seats": free_seats(meeting)}
        if self.company is not None:
            # Only the user's own company's registrations: others stay hidden.
            own = list(
                meeting.registrations.filter(company=self.company).order_by("status", "name")
            )
            mine = next(
                (r for r in own if r.email.lower() == self.request.user.email.lower()), None
            )
            context.update(
                company_registrations=own,
                my_registration=mine,
                places_left_for_company=company_places_left(
                    meeting, self.company, holding=sum(1 for r in own if r.is_attending)
                ),
                colleague_form=ColleagueForm(company=self.company),
                waitlist_position=waitlist_position(mine),
            )
        return super().get_context_data(**context, **kwargs)


class MaterialDownloadView(MeetingsMemberMixin, View):
    """Slides and handouts, for members only, under a server-chosen file name."""

    def get(self, request, slug, pk):
        material = get_object_or_404(
            Material.objects.select_related("meeting"),
            pk=pk,
            meeting__slug=slug,
            meeting__status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
        )
        extension = material.file.name.rsplit(".", 1)[-1]
        return stored_file_response(
            material.file,
            filename=f"{material.meeting.slug}-{material.pk}.{extension}",
            content_type=material.content_type,
        )
