"""Bookings: read-only here (places change only through the booking rules: limit, waitlist,
promotion); the participants and their attendance are shown with each booking."""

from django.contrib import admin
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin

from ..models import Booking, Participant


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["name", "attended"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["company", "project", "places", "waiting_places", "cost", "created_at"]
    list_filter = [
        ("project", admin.RelatedOnlyFieldListFilter),
        ("company", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["company__name", "project__title"]
    list_select_related = ["company", "project"]
    readonly_fields = [
        "project",
        "company",
        "places",
        "waiting_places",
        "waitlisted_at",
        "booked_by",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    inlines = [ParticipantInline]
    # Places come from the booking rules; deleting a booking would skip the waitlist.
    not_by_hand = ("add", "delete")

    @admin.display(description=_("Share of the cost"))
    def cost(self, booking):
        share = booking.cost_share
        if share is None:
            return "–"
        return f"{number_format(share, decimal_pos=2, force_grouping=True)} €"
