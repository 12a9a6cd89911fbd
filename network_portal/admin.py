from django.contrib import admin

from .admin_views import PortalAdminMixin
from .models import OutboxMail


@admin.register(OutboxMail)
class OutboxMailAdmin(PortalAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMail._meta.fields]
    not_by_hand = ("add", "change")  # the services write mails, the sender sends them
