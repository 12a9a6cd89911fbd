"""Topic wishes of the member companies, ranked by votes; scheduling one tells the proposer."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin, object_link

from .. import services
from ..models import Meeting, TopicProposal
from .speakers import TopicOffersScreen


@admin.register(TopicProposal)
class TopicProposalAdmin(TopicOffersScreen, PortalAdminMixin, admin.ModelAdmin):
    """Topic wishes ranked by votes; linking one to a meeting tells the proposer."""

    change_form_template = "admin/meetings/topicproposal/change_form.html"
    list_display = [
        "title",
        "company",
        "vote_count",
        "scheduled_meeting",
        "created_at",
        "offers_link",
    ]
    list_filter = [("scheduled_meeting", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["company", "scheduled_meeting"]
    search_fields = ["title", "description", "company__name"]
    fields = [
        "title",
        "description",
        "company",
        "proposed_by",
        "vote_count",
        "created_at",
        "scheduled_meeting",
        "expertise_topics",
    ]
    readonly_fields = ["company", "proposed_by", "vote_count", "created_at"]
    # Proposals come from the companies (with the proposer's own vote).
    not_by_hand = ("add",)

    def get_queryset(self, request):
        # Annotated before the ordering is applied: the ranking orders by the vote count.
        queryset = self.model._default_manager.annotate(vote_count=Count("votes", distinct=True))
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["-vote_count", "-created_at"]

    @admin.display(description=_("Matching offers"))
    def offers_link(self, proposal):
        return object_link(
            "admin:meetings_topicproposal_offers", proposal, gettext("Matching offers")
        )

    @admin.display(description=_("Votes"), ordering="vote_count")
    def vote_count(self, proposal):
        return proposal.vote_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "scheduled_meeting":
            # Members must be able to open the meeting the proposer is told about.
            kwargs["queryset"] = Meeting.objects.filter(
                status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD]
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "scheduled_meeting" in form.changed_data:
            services.topic_schedule(
                proposal=obj, meeting=obj.scheduled_meeting, by_user=request.user
            )
            if obj.scheduled_meeting is not None and obj.proposed_by_id:
                self.message_user(
                    request,
                    gettext("The proposer is told by email that the topic is on the agenda."),
                    messages.INFO,
                )
