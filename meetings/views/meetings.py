from datetime import timedelta
from functools import cache

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from network_portal.downloads import stored_file_response
from network_portal.pagination import page_number

from .. import kinds, services
from ..forms import ColleagueForm
from ..models import Feedback, Material, Meeting
from ..permissions import MeetingsMemberMixin, questions_open
from ..selectors import (
    attendees,
    company_places_left,
    free_seats,
    past_meetings_html,
    upcoming_meetings_html,
    waitlist_position,
    with_invitation,
)
from .feedback import FEEDBACK_LINK_MAX_AGE


class MeetingListView(MeetingsMemberMixin, TemplateView):
    """Upcoming meetings with the seats and the own company's registrations (the same for
    everyone of a company), and the past ones (paginated; the same for every member): both
    rendered from the cache (meetings.selectors.upcoming_meetings_html, past_meetings_html)."""

    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        past = past_meetings_html(page_number(self.request))
        if past is None:
            raise Http404(_("Invalid page."))
        return super().get_context_data(
            upcoming_meetings_html=upcoming_meetings_html(self.company),
            past_meetings_html=past,
            **kwargs,
        )


class MeetingDetailView(MeetingsMemberMixin, DetailView):
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        # Whether the event has a guest list and the user's company is on it: same query.
        return with_invitation(Meeting.objects.visible().select_related("host"), self.company)

    def get_context_data(self, **kwargs):
        meeting = self.object
        # The meeting's shared part is kept in the cache ({% sharedcache %}): what only it
        # shows is read when it is rendered anew (the template calls these, each read once).
        context = {
            "free_seats": cache(lambda: free_seats(meeting)),
            "agenda": cache(
                lambda: list(meeting.agenda_items.select_related("speaker_contact__company"))
            ),
            "materials": cache(lambda: list(meeting.materials.all())),
            "places_per_company": kinds.places_per_company(meeting),
            # Per user, beside the cache: whether the meeting still takes questions.
            "questions_open": questions_open(meeting),
        }
        own = (
            # Only the user's own company's registrations: others stay hidden.
            list(meeting.registrations.filter(company=self.company).order_by("status", "name"))
            if self.company is not None
            else []
        )
        if self.company is not None and not meeting.company_invited and not own:
            # By invitation, and the company is not invited: the page says so, no answers.
            context.update(not_invited=True)
        elif self.company is not None:
            # Taken off the guest list after answering: it sees and may cancel its answers,
            # but registers nobody more.
            context.update(no_longer_invited=not meeting.company_invited)
            mine = next(
                (r for r in own if r.email.lower() == self.request.user.email.lower()), None
            )
            context.update(company_registrations=own, my_registration=mine)
            if meeting.is_over:
                context.update(past_participation(meeting, own, mine))
            else:
                context.update(
                    places_left_for_company=0
                    if not meeting.company_invited
                    else company_places_left(
                        meeting, self.company, holding=sum(1 for r in own if r.is_attending)
                    ),
                    colleague_form=ColleagueForm(company=self.company),
                    waitlist_position=waitlist_position(mine),
                )
        return super().get_context_data(**context, **kwargs)


def past_participation(meeting: Meeting, own: list, mine) -> dict:
    """After the meeting: who of the company came (``company_attendees``) and, for the user
    if they came, the link to give (or change) their feedback while such links are valid."""
    came = {
        registration.pk for registration in attendees(meeting).filter(pk__in=[r.pk for r in own])
    }
    context = {"company_attendees": [r for r in own if r.pk in came]}
    feedback_open = meeting.status in (Meeting.Status.PUBLISHED, Meeting.Status.HELD) and (
        timezone.now() - meeting.ends_at
    ) < timedelta(seconds=FEEDBACK_LINK_MAX_AGE)
    if mine is not None and mine.pk in came and feedback_open:
        context["feedback_url"] = reverse("meetings:feedback", args=[services.feedback_token(mine)])
        context["feedback_given"] = Feedback.objects.filter(registration=mine).exists()
    return context


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
