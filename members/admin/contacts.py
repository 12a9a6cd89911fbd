"""Contact persons of the member companies."""

from django.contrib import admin

from network_portal.admin_views import QuickActionCheckbox

from .. import services
from ..models import ContactPerson


@admin.register(ContactPerson)
class ContactPersonAdmin(QuickActionCheckbox, admin.ModelAdmin):
    list_display = [
        "last_name",
        "first_name",
        "company",
        "function",
        "email",
        "wants_meeting_invitations",
        "wants_newsletter",
    ]
    list_filter = [
        "function",
        "wants_meeting_invitations",
        "wants_newsletter",
        "company__status",
    ]
    search_fields = ["first_name", "last_name", "email", "company__name"]
    list_select_related = ["company"]
    raw_id_fields = ["company", "user"]
    # The speaker chooser of a meeting's agenda (the admin site's autocomplete): "Name (Company)".
    autocomplete_select_related = ["company"]

    def autocomplete_label(self, contact):
        return contact.name_with_company

    # Through the services like everywhere else: logged, and a new contact of an active
    # company is invited to the meetings still open.
    def save_model(self, request, obj, form, change):
        services.contact_save(contact=obj, by_user=request.user)

    def delete_model(self, request, obj):
        services.contact_remove(contact=obj, by_user=request.user)

    def delete_queryset(self, request, queryset):
        for contact in queryset:
            services.contact_remove(contact=contact, by_user=request.user)
