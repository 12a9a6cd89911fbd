"""Engagement per member company: a list of every active company with its figures (meetings,
topics, seal, reachable contacts, bounces), the quiet ones marked so the coordinators can call
them; sortable, filterable, as CSV. A company's row leads to its own page, where the same
figures are a panel (members.admin_panels, :func:`reports.panels.engagement_context`)."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.downloads import csv_attachment

from ..documents import engagement_rows
from ..models import Engagement
from ..selectors import quiet_reasons, seal_state_label, with_engagement
from .annual_report import AnnualReportScreen


class QuietFilter(admin.SimpleListFilter):
    title = _("quiet")
    parameter_name = "quiet"

    def lookups(self, request, model_admin):
        return [("yes", _("quiet: worth a call")), ("no", _("engaged"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(quiet=True)
        if self.value() == "no":
            return queryset.filter(quiet=False)
        return queryset


def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


@admin.register(Engagement)
class EngagementAdmin(AnnualReportScreen, PortalAdminMixin, admin.ModelAdmin):
    # A view of the member companies: nothing to add, change or delete here, for anyone.
    not_by_hand = ("add", "change", "delete")
    list_display = [
        "company",
        "attended",
        "answered",
        "last_attended_on",
        "proposals",
        "votes",
        "seal",
        "reachable",
        "bounce_count",
        "quiet_reasons",
    ]
    list_display_links = None
    list_filter = [QuietFilter, "size_class", "industry"]
    search_fields = ["name"]
    ordering = ["name"]
    list_per_page = 50
    actions = None

    class Media:
        css = {"all": ["reports/admin.css"]}

    def get_queryset(self, request):
        # Active member companies only: the figures are about the network's members today.
        return with_engagement(Engagement.objects.active()).order_by(*self.ordering)

    # --- Columns ----------------------------------------------------------------------------

    @admin.display(description=_("Company"), ordering="name")
    def company(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:members_company_change", args=[obj.pk]), obj
        )

    @admin.display(description=_("Meetings attended"), ordering="meetings_attended")
    def attended(self, obj):
        return obj.meetings_attended

    @admin.display(description=_("Meetings answered"), ordering="meetings_answered")
    def answered(self, obj):
        return obj.meetings_answered

    @admin.display(
        description=_("Last attended"), ordering=F("last_attended").asc(nulls_first=True)
    )
    def last_attended_on(self, obj):
        return _day(timezone.localdate(obj.last_attended) if obj.last_attended else None)

    @admin.display(description=_("Proposals"), ordering="topics_proposed")
    def proposals(self, obj):
        return obj.topics_proposed

    @admin.display(description=_("Votes for topics"), ordering="topic_votes")
    def votes(self, obj):
        return obj.topic_votes

    @admin.display(description=_("Seal"), ordering=F("seal_valid_until").asc(nulls_first=True))
    def seal(self, obj):
        if obj.seal_valid_until:
            return gettext("valid until %(day)s") % {"day": _day(obj.seal_valid_until)}
        return seal_state_label(obj) or "–"

    @admin.display(description=_("Reachable"), ordering="reachable_contacts")
    def reachable(self, obj):
        return gettext("%(reachable)d of %(contacts)d") % {
            "reachable": obj.reachable_contacts,
            "contacts": obj.contact_count,
        }

    @admin.display(description=_("Undeliverable"), ordering="bounces")
    def bounce_count(self, obj):
        return obj.bounces

    @admin.display(description=_("Quiet"), ordering="-quiet")
    def quiet_reasons(self, obj):
        reasons = quiet_reasons(obj)
        if not reasons:
            return "–"
        return format_html(
            '<span class="engagement-quiet">{}</span>',
            format_html_join("; ", "{}", ((reason,) for reason in reasons)),
        )

    # --- Pages ------------------------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The company's own page shows the same figures (a panel), with everything else.
        if not self.has_view_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:members_company_change", args=[object_id]))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "title": self.opts.verbose_name_plural,
            **(extra_context or {}),
            "csv_url": reverse("admin:reports_engagement_csv"),
            "quiet_months": settings.ENGAGEMENT_QUIET_MONTHS,
        }
        return super().changelist_view(request, extra_context)

    @admin_url("csv/", name="reports_engagement_csv")
    def csv_view(self, request):
        """The list as shown (its filters, search and order), every page, as CSV."""
        self.check_permissions(request, require=("view",))
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return self.redirect_to_changelist()
        return csv_attachment(engagement_rows(changelist.queryset), filename="engagement.csv")
