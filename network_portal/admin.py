from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import activity
from .admin_views import PortalAdminMixin
from .models import ActivityEntry, OutboxMail


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


class AreaFilter(admin.SimpleListFilter):
    """The app an action belongs to (the first part of its code)."""

    title = _("Area")
    parameter_name = "area"

    def lookups(self, request, model_admin):
        return activity.areas()

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action__startswith=f"{self.value()}.")
        return queryset


class ActionFilter(admin.SimpleListFilter):
    """The registered actions (of the chosen area), by their labels."""

    title = _("Action")
    parameter_name = "activity"

    def lookups(self, request, model_admin):
        area = request.GET.get(AreaFilter.parameter_name)
        return [
            (kind.code, kind.label)
            for kind in activity.registered_actions()
            if not area or kind.area == area
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(ActivityEntry)
class ActivityEntryAdmin(PortalAdminMixin, admin.ModelAdmin):
    """The activity log („Protokoll“): every state change, who made it, read-only."""

    list_display = ["at", "who", "what", "concerning", "details_text"]
    list_filter = [
        AreaFilter,
        ActionFilter,
        ("actor", admin.RelatedOnlyFieldListFilter),
        "process",
    ]
    search_fields = ["object_label", "actor_label"]
    search_help_text = _("Searches the names of the objects and of who acted.")
    date_hierarchy = "at"
    list_select_related = ["object_type"]
    list_per_page = 100
    fields = ["at", "who", "what", "concerning", "details_text", "personal_data_erased_at"]
    readonly_fields = fields
    # Written by the services only; an entry is never changed or deleted by hand.
    not_by_hand = ("add", "change", "delete")

    def lookup_allowed(self, lookup, value, request=None):
        # An object's history page links to all of its entries.
        if lookup in ("object_type__id__exact", "object_id"):
            return True
        return super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("Who"))
    def who(self, entry):
        return activity.entry_who(entry)

    @admin.display(description=_("Action"), ordering="action")
    def what(self, entry):
        return activity.entry_what(entry)

    @admin.display(description=_("Concerning"), ordering="object_label")
    def concerning(self, entry):
        text = activity.entry_object(entry)
        model = entry.object_type.model_class() if entry.object_type_id else None
        if (
            model is None
            or entry.personal_data_erased_at is not None
            or not self.admin_site.is_registered(model)
        ):
            return text
        opts = model._meta
        try:
            url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[entry.object_id]
            )
        except NoReverseMatch:
            return text
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.display(description=_("Details"))
    def details_text(self, entry):
        return activity.entry_details_text(entry)


# The standard texts of the mails: a screen of its own (registers itself).
from . import admin_mail_texts  # noqa: E402, F401
