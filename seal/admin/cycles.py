"""Award cycles: their phases, the threshold, and the way to the catalogue, the copy of an
earlier catalogue and the ranking (screens of their own, mixed in)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import object_link

from .. import services
from ..models import AwardCycle
from .catalogue import CategoryInline, _frozen
from .copy_catalogue import CopyCatalogueScreen
from .ranking import RankingScreen


class AwardCycleAdminForm(forms.ModelForm):
    class Meta:
        model = AwardCycle
        fields = [
            "name",
            "slug",
            "criteria_published_on",
            "applications_open_at",
            "deadline",
            "jury_review_until",
            "decision_on",
            "ceremony_on",
            "validity_years",
            "award_threshold",
        ]

    PHASES = [
        "criteria_published_on",
        "applications_open_at",
        "deadline",
        "jury_review_until",
        "decision_on",
        "ceremony_on",
    ]

    def clean(self):
        cleaned = super().clean()
        opens, deadline = cleaned.get("applications_open_at"), cleaned.get("deadline")
        if opens and deadline and deadline > opens:
            candidate = AwardCycle(
                pk=self.instance.pk,
                name=cleaned.get("name", ""),
                applications_open_at=opens,
                deadline=deadline,
            )
            try:
                services.cycle_check_window(cycle=candidate)
            except ValidationError as error:
                self.add_error("applications_open_at", error.messages)
        self._check_phase_order(cleaned)
        return cleaned

    def _check_phase_order(self, cleaned):
        """Each phase begins on or after the day of the one before (the deadline itself is
        checked against the opening by the model)."""
        previous = None
        for name in self.PHASES:
            value = cleaned.get(name)
            if value is None:
                continue
            day = timezone.localdate(value) if hasattr(value, "hour") else value
            if previous is not None and day < previous[1]:
                self.add_error(
                    name,
                    gettext("This date must not be before “%(earlier)s”.")
                    % {"earlier": self.fields[previous[0]].label},
                )
            previous = (name, day)


@admin.register(AwardCycle)
class AwardCycleAdmin(CopyCatalogueScreen, RankingScreen, admin.ModelAdmin):
    form = AwardCycleAdminForm
    list_display = [
        "name",
        "applications_open_at",
        "deadline",
        "ceremony_on",
        "validity_years",
        "award_threshold",
        "submitted_count",
        "ranking_link",
    ]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CategoryInline]
    actions = ["copy_catalogue"]
    fieldsets = [
        (None, {"fields": ["name", "slug"]}),
        (
            _("Phases"),
            {
                "fields": [
                    "criteria_published_on",
                    "applications_open_at",
                    "deadline",
                    "jury_review_until",
                    "decision_on",
                    "ceremony_on",
                ]
            },
        ),
        (_("Award"), {"fields": ["validity_years", "award_threshold"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                submitted_count=Count(
                    "applications", filter=Q(applications__submitted_at__isnull=False)
                )
            )
        )

    @admin.display(description=_("Submitted applications"), ordering="submitted_count")
    def submitted_count(self, cycle):
        return cycle.submitted_count

    @admin.display(description=_("Ranking"))
    def ranking_link(self, cycle):
        return object_link("admin:seal_awardcycle_ranking", cycle, gettext("Ranking and decisions"))

    # The cycle itself (dates, threshold, validity) stays editable when its catalogue is
    # frozen; only its categories become read-only (CategoryInline).
    def change_view(self, request, object_id, form_url="", extra_context=None):
        cycle = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if cycle is not None:
            context["frozen_cycle"] = cycle if _frozen(cycle) else None
            context["can_copy_catalogue"] = self.has_change_permission(request, cycle)
        return super().change_view(request, object_id, form_url, context)
