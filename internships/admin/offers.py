"""The member companies' internship offers: read only here (the companies keep them in the
portal, which logs every change); the coordinators filter and search them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin

from ..models import InternshipOffer, OfferPeriod


class OfferPeriodInline(admin.TabularInline):
    model = OfferPeriod
    extra = 0
    fields = ["starts_on", "ends_on"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InternshipOffer)
class InternshipOfferAdmin(PortalAdminMixin, admin.ModelAdmin):
    not_by_hand = ("add", "change", "delete")
    list_display = [
        "company",
        "field",
        "field_detail",
        "places",
        "period_list",
        "public_consent",
        "status",
    ]
    list_filter = ["status", "field", "public_consent"]
    list_select_related = ["company"]
    search_fields = ["company__name", "field_detail", "description"]
    inlines = [OfferPeriodInline]
    fields = [
        "company",
        "field",
        "field_detail",
        "places",
        "description",
        "contact",
        "public_consent",
        "status",
        "created_by",
        "created_at",
        "updated_at",
        "withdrawn_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("periods")

    @admin.display(description=_("Periods"))
    def period_list(self, offer):
        return ", ".join(str(period) for period in offer.periods.all())
