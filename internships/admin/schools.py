"""Partner schools: entered by hand by the coordinators."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin

from ..models import PartnerSchool


@admin.register(PartnerSchool)
class PartnerSchoolAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = ["name", "city", "country", "contact_name", "stay_count"]
    list_filter = ["country"]
    search_fields = ["name", "city", "country", "contact_name", "contact_email"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(stay_count=Count("stays"))

    @admin.display(description=_("Stays"), ordering="stay_count")
    def stay_count(self, school):
        return school.stay_count
