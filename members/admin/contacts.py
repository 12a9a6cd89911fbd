"""Contact persons of the member companies."""

from django.contrib import admin

from ..models import ContactPerson


@admin.register(ContactPerson)
class ContactPersonAdmin(admin.ModelAdmin):
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
