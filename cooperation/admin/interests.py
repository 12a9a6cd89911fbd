"""The companies' interest in projects and the messages sent to them: records of what the
companies and the owners did on the board, read-only."""

from django.contrib import admin

from network_portal.admin_views import PortalAdminMixin

from ..models import Interest, Message


@admin.register(Interest)
class InterestAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["company", "project", "created_at"]
    list_filter = [("project", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["company__name", "project__title"]
    list_select_related = ["company", "project"]
    readonly_fields = ["project", "company", "marked_by", "created_at"]
    fields = readonly_fields
    # The companies say so on the board, and withdraw it there.
    not_by_hand = ("add", "change", "delete")


@admin.register(Message)
class MessageAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["subject", "project", "sent_by", "sent_at", "companies", "recipients"]
    list_filter = [("project", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["subject", "project__title"]
    list_select_related = ["project", "sent_by"]
    readonly_fields = [
        "project",
        "subject",
        "text",
        "sent_by",
        "sent_at",
        "companies",
        "recipients",
    ]
    fields = readonly_fields
    # Sent mails are a record.
    not_by_hand = ("add", "change", "delete")
