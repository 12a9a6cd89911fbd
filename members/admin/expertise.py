"""What the member companies offer to share (issue 16): the topics the coordinators keep as
tags, and the companies' offers to report from practice or to host a meeting. The companies
keep their offers themselves („Was wir teilen“); here the coordinators read them, find them
by topic and kind, and may remove one (logged, through :mod:`members.services`). Who would
fit a meeting or a topic wish is shown on those pages („Passende Angebote“, in meetings)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin

from .. import services
from ..models import ExpertiseOffer, ExpertiseTopic


@admin.register(ExpertiseTopic)
class ExpertiseTopicAdmin(PortalAdminMixin, admin.ModelAdmin):
    """The tags companies choose for their offers, and coordinators for meetings and wishes."""

    list_display = ["name", "offer_count"]
    search_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(offer_count=Count("offers", distinct=True))

    @admin.display(description=_("Offers"), ordering="offer_count")
    def offer_count(self, topic):
        return topic.offer_count


@admin.register(ExpertiseOffer)
class ExpertiseOfferAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["company", "kind", "topic_list", "contact", "seats", "updated_at"]
    list_filter = ["kind", "topics", "company__status"]
    list_select_related = ["company", "contact"]
    search_fields = ["company__name", "description", "topics__name", "room"]
    fields = [
        "company",
        "kind",
        "topics",
        "description",
        "contact",
        "room",
        "seats",
        "created_by",
        "created_at",
        "updated_at",
    ]
    readonly_fields = fields
    # The companies keep their offers; a coordinator removes one at most.
    not_by_hand = ("add", "change")
    mass_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics")

    @admin.display(description=_("Topics"))
    def topic_list(self, offer):
        return ", ".join(topic.name for topic in offer.topics.all()) or "–"

    def delete_model(self, request, obj):
        services.expertise_offer_delete(offer=obj, by_user=request.user)
