"""Bounces and deliveries: records of what happened, read-only."""

from django.contrib import admin

from network_portal.admin_views import PortalAdminMixin

from ..models import Bounce, Delivery


class ReadOnlyAdmin(PortalAdminMixin, admin.ModelAdmin):
    not_by_hand = ("add", "change", "delete")


@admin.register(Bounce)
class BounceAdmin(ReadOnlyAdmin):
    list_display = ["email", "kind", "source", "received_at", "diagnostic"]
    list_filter = ["kind", "source"]
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
