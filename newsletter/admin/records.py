"""Bounces and deliveries: records of what happened, read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin

from .. import cockpit
from ..models import Bounce, Delivery


class ReadOnlyAdmin(PortalAdminMixin, admin.ModelAdmin):
    not_by_hand = ("add", "change", "delete")


class ReceivedFilter(admin.SimpleListFilter):
    """Bounces of the last 30 days (the cockpit's counter links here)."""

    title = _("received")
    parameter_name = "received"
    LAST_30_DAYS = "30d"

    def lookups(self, request, model_admin):
        return [(self.LAST_30_DAYS, _("in the last 30 days"))]

    def queryset(self, request, queryset):
        if self.value() == self.LAST_30_DAYS:
            return cockpit.received_recently(queryset)
        return queryset


@admin.register(Bounce)
class BounceAdmin(ReadOnlyAdmin):
    list_display = ["email", "kind", "source", "received_at", "diagnostic"]
    list_filter = ["kind", ReceivedFilter, "source"]
    search_fields = ["email"]
    fields = ["email", "kind", "source", "received_at", "diagnostic"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["email", "issue", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = [("issue", admin.RelatedOnlyFieldListFilter), "status"]
    list_select_related = ["issue"]
    search_fields = ["email"]
    fields = [
        "issue",
        "email",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    readonly_fields = fields
