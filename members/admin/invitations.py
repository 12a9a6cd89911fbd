"""Invitations of colleagues to a company account: a record, kept read-only."""

from django.contrib import admin

from network_portal.admin_views import PortalAdminMixin

from ..models import CompanyInvitation


@admin.register(CompanyInvitation)
class CompanyInvitationAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = [
        "email",
        "company",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    search_fields = ["email", "company__name"]
    list_select_related = ["company", "invited_by"]
    readonly_fields = [
        "company",
        "email",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    not_by_hand = ("add",)  # company admins invite in the portal
