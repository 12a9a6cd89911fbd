"""Topic wishes: member companies propose topics for coming meetings and upvote others'."""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from network_portal.flash import flash_errors

from .. import services
from ..forms import TopicProposalForm
from ..models import Meeting, TopicProposal, TopicVote
from ..permissions import MeetingsMemberMixin


def _require_company(view) -> None:
    """Proposing and voting speak for a company: coordinators without one may only look."""
    if view.company is None:
        raise PermissionDenied(
            _("Only users of active member companies can propose topics and vote.")
        )


class TopicListView(MeetingsMemberMixin, ListView):
    """Open wishes ranked by votes (most first), then those already on a meeting's agenda."""

    template_name = "meetings/topic_list.html"
    context_object_name = "proposals"
    paginate_by = 20

    def get_queryset(self):
        own_vote = TopicVote.objects.filter(proposal=OuterRef("pk"), user=self.request.user)
        return (
            TopicProposal.objects.select_related("company", "scheduled_meeting")
            .annotate(
                vote_count=Count("votes"),
                voted=Exists(own_vote),
                is_scheduled=Case(
                    When(scheduled_meeting__isnull=True, then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                ),
            )
            .order_by("is_scheduled", "-vote_count", "-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.company is not None and "form" not in context:
            context["form"] = TopicProposalForm()
        context["can_take_part"] = self.company is not None
        context["draft_status"] = Meeting.Status.DRAFT
        return context

    def post(self, request):
        _require_company(self)
        form = TopicProposalForm(request.POST)
        if not form.is_valid():
            self.object_list = self.get_queryset()
            return self.render_to_response(self.get_context_data(form=form))
        services.topic_propose(
            company=self.company,
            user=request.user,
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
        )
        messages.success(
            request,
            _("Thank you for your proposal. The coordinators take it into account when planning."),
        )
        return redirect("meetings:topics")


class TopicVoteView(MeetingsMemberMixin, View):
    """Give or take back the user's vote (``vote=yes`` / ``vote=no``): one vote per user."""

    def post(self, request, pk):
        _require_company(self)
        choice = request.POST.get("vote")
        if choice not in ("yes", "no"):
            raise BadRequest  # a tampered form; the 400 page says so in the user's language
        proposal = get_object_or_404(TopicProposal, pk=pk)
        try:
            services.topic_vote(
                proposal=proposal, user=request.user, company=self.company, vote=choice == "yes"
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            if choice == "yes":
                messages.success(request, _("Thank you for your vote."))
            else:
                messages.success(request, _("Your vote has been withdrawn."))
        url = reverse("meetings:topics")
        page = request.POST.get("page", "")
        if page.isdigit() and page != "1":
            url += f"?page={page}"
        return redirect(f"{url}#topic-{proposal.pk}")
