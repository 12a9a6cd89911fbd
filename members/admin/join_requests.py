"""Requests of users to join a company: accepted or declined (usually by the company's admins
in the portal; here by the coordinators)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin

from .. import cockpit, services
from ..models import JoinRequest


class WaitingFilter(admin.SimpleListFilter):
    """Open requests nobody has decided for a week (the cockpit's counter links here)."""

    title = _("waiting")
    parameter_name = "waiting"
    OVER_A_WEEK = "over_a_week"

    def lookups(self, request, model_admin):
        return [(self.OVER_A_WEEK, _("open for more than a week"))]

    def queryset(self, request, queryset):
        if self.value() == self.OVER_A_WEEK:
            return cockpit.join_requests_waiting(queryset)
        return queryset


@admin.register(JoinRequest)
class JoinRequestAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["user", "company", "status", "created_at", "decided_at", "decided_by"]
    list_filter = ["status", WaitingFilter]
    search_fields = ["user__email", "company__name"]
    list_select_related = ["user", "company", "decided_by"]
    readonly_fields = [
        "user",
        "company",
        "message",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    actions = ["accept", "decline"]
    not_by_hand = ("add",)  # users ask in the portal

    def _decide(self, request, queryset, accept):
        def decide(join_request):
            services.join_request_decide(
                join_request=join_request, accept=accept, by_user=request.user
            )
            self.message_user(request, str(join_request), messages.SUCCESS)

        self.run_service_per_object(request, queryset, decide)

    @admin.action(description=_("Accept selected requests"), permissions=["change"])
    def accept(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("Decline selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        self._decide(request, queryset, False)
