"""Requests of users to join a company: accepted or declined (usually by the company's admins
in the portal; here by the coordinators)."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin, dry_run_mail_lines

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
        """Accept or decline the open ones among the selected requests, after a confirmation
        that names them and counts the mails (each requester is told)."""

        def decide(join_request):
            services.join_request_decide(
                join_request=join_request, accept=accept, by_user=request.user
            )
            self.message_user(request, str(join_request), messages.SUCCESS)

        open_requests = queryset.filter(status=JoinRequest.Status.PENDING).select_related(
            "user", "company"
        )
        return self.run_after_confirmation(
            request,
            open_requests.order_by("created_at"),
            decide,
            action="accept" if accept else "decline",
            done_message=(
                ngettext_lazy("%(n)d request accepted.", "%(n)d requests accepted.", "n")
                if accept
                else ngettext_lazy("%(n)d request declined.", "%(n)d requests declined.", "n")
            ),
            title=gettext("Accept these requests?")
            if accept
            else gettext("Decline these requests?"),
            warning=(
                gettext(
                    "The people join the companies they asked for and can act for them; each "
                    "is told by email."
                )
                if accept
                else gettext("The requests are declined; each person is told by email.")
            ),
            submit_label=gettext("Yes, accept") if accept else gettext("Yes, decline"),
            nothing_to_do=gettext("None of the selected requests is still open."),
            back_label=gettext("Back to the requests"),
            mails=lambda requests: dry_run_mail_lines(
                lambda join_request: services.join_request_decide(
                    join_request=join_request, accept=accept, by_user=request.user
                ),
                requests,
            ),
        )

    @admin.action(description=_("Accept selected requests"), permissions=["change"])
    def accept(self, request, queryset):
        return self._decide(request, queryset, True)

    @admin.action(description=_("Decline selected requests"), permissions=["change"])
    def decline(self, request, queryset):
        return self._decide(request, queryset, False)
