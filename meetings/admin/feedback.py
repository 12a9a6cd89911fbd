"""The participants' feedback on meetings: read-only (given by participants in the portal)."""

from django.contrib import admin

from network_portal.admin_views import PortalAdminMixin

from ..models import Feedback


@admin.register(Feedback)
class FeedbackAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["meeting", "rating", "comment", "created_at"]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), "rating"]
    list_select_related = ["meeting"]
    search_fields = ["comment"]
    fields = ["meeting", "rating", "comment", "created_at"]
    readonly_fields = fields
    not_by_hand = ("add", "change")
