"""Registrations: read-only (answers change only through the RSVP rules), with check-in."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from network_portal.admin_views import PortalAdminMixin, service_action

from .. import services
from ..models import Registration


@admin.register(Registration)
class RegistrationAdmin(PortalAdminMixin, admin.ModelAdmin):
    """Read-only: answers change only through the RSVP rules (seats, waitlist, limits)."""

    list_display = ["name", "company", "meeting", "status", "email", "checked_in_at", "created_at"]
    list_filter = [
        ("meeting", admin.RelatedOnlyFieldListFilter),
        "status",
        ("company", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "email", "company__name", "meeting__title"]
    list_select_related = ["company", "meeting"]
    readonly_fields = [
        "meeting",
        "company",
        "contact",
        "name",
        "email",
        "status",
        "registered_by",
        "waitlisted_at",
        "checked_in_at",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    actions = ["check_in", "undo_check_in"]
    # Registrations come from the RSVP; deleting a seat would skip the waitlist promotion.
    not_by_hand = ("add", "delete")

    check_in = service_action(
        services.check_in,
        present=True,
        name="check_in",
        description=_("Check in"),
        done_message=ngettext_lazy("%(n)d person checked in.", "%(n)d people checked in.", "n"),
    )
    undo_check_in = service_action(
        services.check_in,
        present=False,
        name="undo_check_in",
        description=_("Undo check-in"),
        done_message=ngettext_lazy(
            "Check-in undone for %(n)d person.", "Check-in undone for %(n)d people.", "n"
        ),
    )
