"""Mailing lists, with the button that brings the member lists up to date."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin, admin_url

from .. import services
from ..models import MailingList, Subscription


@admin.register(MailingList)
class MailingListAdmin(PortalAdminMixin, admin.ModelAdmin):
    change_list_template = "admin/newsletter/mailinglist/change_list.html"
    list_display = ["name", "kind", "contact_function", "confirmed_count", "pending_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "kind", "contact_function", "description"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed_count=Count(
                    "subscriptions",
                    filter=Q(
                        subscriptions__status=Subscription.Status.CONFIRMED,
                        subscriptions__subscriber__suppressed_at__isnull=True,
                    ),
                ),
                pending_count=Count(
                    "subscriptions",
                    filter=Q(subscriptions__status=Subscription.Status.PENDING),
                ),
            )
        )

    @admin.display(description=_("Confirmed subscribers"), ordering="confirmed_count")
    def confirmed_count(self, mailing_list):
        return mailing_list.confirmed_count

    @admin.display(description=_("Awaiting confirmation"), ordering="pending_count")
    def pending_count(self, mailing_list):
        return mailing_list.pending_count

    def changelist_view(self, request, extra_context=None):
        extra_context = {"can_sync": self.has_change_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    @admin_url("sync/", name="newsletter_mailinglist_sync", post_only=True)
    def sync_view(self, request):
        self.check_permissions(request, require=("change",))
        services.sync_member_lists(by_user=request.user)
        self.message_user(
            request,
            gettext("The member lists now match the contact persons of the member companies."),
            messages.SUCCESS,
        )
        return self.redirect_to_changelist()
