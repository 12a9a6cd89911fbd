from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import DetailView, ListView

from ..forms import ColleagueForm
from ..models import AgendaItem, Material, Meeting, Registration
from ..permissions import MeetingsMemberMixin


def with_seat_counts(queryset, company=None):
    seated = Q(registrations__status=Registration.Status.CONFIRMED)
    queryset = queryset.select_related("host").annotate(
        seated=Count("registrations", filter=seated)
    )
    if company is not None:
        queryset = queryset.annotate(
            own_registrations=Count(
                "registrations",
                filter=Q(registrations__company=company)
                & Q(
                    registrations__status__in=[
                        Registration.Status.CONFIRMED,
                        Registration.Status.WAITLISTED,
                    ]
                ),
            )
        )
    return queryset


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
            meeting.free_seats = max(meeting.capacity - meeting.seated, 0)
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
        context = {"free_seats": max(meeting.capacity - meeting.seated, 0)}
        if self.company is not None:
            # Only the user's own company's registrations: others stay hidden.
            own = list(
                meeting.registrations.filter(company=self.company).order_by("status", "name")
            )
            mine = next(
                (r for r in own if r.email.lower() == self.request.user.email.lower()), None
            )
            holding = sum(1 for r in own if r.is_attending)
            context.update(
                company_registrations=own,
                my_registration=mine,
                places_left_for_company=max(meeting.per_company_limit - holding, 0),
                colleague_form=ColleagueForm(company=self.company),
                waitlist_position=_waitlist_position(meeting, mine),
            )
        return super().get_context_data(**context, **kwargs)


def _waitlist_position(meeting, registration):
    if registration is None or registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        meeting.registrations.waiting()
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


class MaterialDownloadView(MeetingsMemberMixin, View):
    """Slides and handouts, for members only, under a server-chosen file name."""

    def get(self, request, slug, pk):
        material = get_object_or_404(
            Material.objects.select_related("meeting"),
            pk=pk,
            meeting__slug=slug,
            meeting__status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
        )
        if not material.file:
            raise Http404
        extension = material.file.name.rsplit(".", 1)[-1]
        response = FileResponse(
            material.file.open("rb"),
            as_attachment=True,
            filename=f"{material.meeting.slug}-{material.pk}.{extension}",
            content_type=material.content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
