"""Subscribers: their addresses and consent log, export (JSON) and erasure. Subscriptions
change only through the subscriber's own links and the member list sync. Subscribers are never
deleted here: the erase action also removes the address from past deliveries, which a plain
delete would keep."""

import json

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin
from network_portal.downloads import attachment

from .. import services
from ..models import ConsentRecord, MailingList, Subscriber, Subscription


class SuppressedFilter(admin.SimpleListFilter):
    title = _("suppressed")
    parameter_name = "suppressed"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(suppressed_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(suppressed_at__isnull=True)
        return queryset


class SubscriptionListFilter(admin.SimpleListFilter):
    """On a list; together with the status filter: with that status on that list."""

    title = _("mailing list")
    parameter_name = "list"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in MailingList.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit():
            return queryset
        lookup = {"subscriptions__mailing_list_id": int(self.value())}
        status = request.GET.get(SubscriptionStatusFilter.parameter_name)
        if status:
            lookup["subscriptions__status"] = status
        return queryset.filter(**lookup).distinct()


class SubscriptionStatusFilter(admin.SimpleListFilter):
    title = _("subscription status")
    parameter_name = "subscription_status"

    def lookups(self, request, model_admin):
        return Subscription.Status.choices

    def queryset(self, request, queryset):
        if not self.value() or request.GET.get(SubscriptionListFilter.parameter_name):
            return queryset  # applied together with the list by SubscriptionListFilter
        return queryset.filter(subscriptions__status=self.value()).distinct()


class RecordInline(admin.TabularInline):
    """What happened to a subscriber, shown as it was recorded."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SubscriptionInline(RecordInline):
    model = Subscription
    fields = ["mailing_list", "status", "source", "created_at", "confirmed_at", "unsubscribed_at"]
    readonly_fields = fields


class ConsentRecordInline(RecordInline):
    model = ConsentRecord
    fields = ["created_at", "mailing_list", "action", "form", "consent_text"]
    readonly_fields = fields


@admin.register(Subscriber)
class SubscriberAdmin(PortalAdminMixin, admin.ModelAdmin):
    """Addresses and their consent log. Subscriptions change only through the subscriber's own
    links (confirmation, preferences, unsubscribe) and the member list sync."""

    list_display = ["email", "full_name", "confirmed_lists", "language", "suppressed_at"]
    list_filter = [SuppressedFilter, SubscriptionListFilter, SubscriptionStatusFilter]
    search_fields = ["email", "first_name", "last_name"]
    fields = [
        "email",
        "salutation",
        "title",
        "first_name",
        "last_name",
        "language",
        "contact",
        "suppressed_at",
        "suppression_reason",
        "created_at",
    ]
    # A new address would need its own confirmation: it is never typed in here.
    readonly_fields = ["email", "contact", "suppressed_at", "suppression_reason", "created_at"]
    inlines = [SubscriptionInline, ConsentRecordInline]
    actions = ["export_json", "erase"]
    # A new address would need its own confirmation. Deleting would keep the address in past
    # deliveries; erasure removes it there too.
    not_by_hand = ("add", "delete")

    def get_queryset(self, request):
        confirmed = Subscription.objects.filter(
            status=Subscription.Status.CONFIRMED
        ).select_related("mailing_list")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("subscriptions", confirmed, to_attr="confirmed"))
        )

    @admin.display(description=_("Name"))
    def full_name(self, subscriber):
        return " ".join(
            p for p in (subscriber.title, subscriber.first_name, subscriber.last_name) if p
        )

    @admin.display(description=_("Confirmed lists"))
    def confirmed_lists(self, subscriber):
        return ", ".join(s.mailing_list.name for s in subscriber.confirmed) or "–"

    def has_erase_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.delete_{self.opts.model_name}")

    @admin.action(description=_("Export as JSON (data and consent log)"), permissions=["view"])
    def export_json(self, request, queryset):
        subscribers = list(queryset.order_by("email"))
        if len(subscribers) == 1:
            content = services.subscriber_export(subscribers[0])
            filename = f"newsletter-{slugify(subscribers[0].email)}.json"
        else:
            content = json.dumps(
                [json.loads(services.subscriber_export(s)) for s in subscribers],
                ensure_ascii=False,
                indent=2,
            )
            filename = "newsletter-subscribers.json"
        return attachment(
            content, filename=filename, content_type="application/json; charset=utf-8"
        )

    @admin.action(description=_("Erase personal data"), permissions=["erase"])
    def erase(self, request, queryset):
        return self.run_after_confirmation(
            request,
            queryset.order_by("email"),
            lambda subscriber: services.subscriber_erase(
                subscriber=subscriber, by_user=request.user
            ),
            action="erase",
            done_message=ngettext_lazy(
                "The personal data of %(n)d address has been erased.",
                "The personal data of %(n)d addresses has been erased.",
                "n",
            ),
            title=gettext("Erase personal data?"),
            warning=gettext(
                "The addresses below, their names, subscriptions and consent records are deleted "
                "for good, and the addresses are removed from past deliveries. Only anonymous "
                "send counts remain. This cannot be undone."
            ),
            details=gettext(
                "If you need the data or the proof of consent, export it as JSON first."
            ),
            label=lambda subscriber: subscriber.email,
            list_id="erase-addresses",
            submit_label=gettext("Yes, erase the data"),
        )
