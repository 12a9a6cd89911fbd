"""Award cycles: their phases, the threshold, and the way to the catalogue, the copy of an
earlier catalogue and the ranking (screens of their own, mixed in)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import ConfirmFirst, object_link, service_action

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
        self._check_phases_reached(cleaned)
        return cleaned

    def _check_phases_reached(self, cleaned):
        """Moving a date may not open or close a phase by the back door: scoring opens at the
        deadline (or by the logged action), the results become public at the ceremony (or
        by the logged action); once reached, these dates stay."""
        if self.instance.pk is None:
            return  # a new cycle, e.g. an earlier one entered afterwards
        before = AwardCycle.objects.get(pk=self.instance.pk)
        deadline = cleaned.get("deadline")
        # The form shows whole seconds: a deadline saved with microseconds comes back without.
        if deadline and deadline.replace(microsecond=0) != before.deadline.replace(microsecond=0):
            if before.deadline <= timezone.now():
                self.add_error(
                    "deadline",
                    gettext(
                        "The application deadline has passed and scoring has begun: it can no "
                        "longer be moved."
                    ),
                )
            elif deadline <= timezone.now():
                self.add_error(
                    "deadline",
                    gettext(
                        "The deadline cannot be moved into the past. To let the jury score "
                        "before the deadline, use the action “Open scoring before the deadline”."
                    ),
                )
        ceremony = cleaned.get("ceremony_on")
        if ceremony and ceremony != before.ceremony_on:
            if before.is_published:
                self.add_error(
                    "ceremony_on",
                    gettext("The results of this cycle are public: its award date stays."),
                )
            elif ceremony <= timezone.localdate():
                self.add_error(
                    "ceremony_on",
                    gettext(
                        "An award date of today or earlier would make the results public. To "
                        "publish before the ceremony, use the action “Publish the results "
                        "before the award ceremony”."
                    ),
                )

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


def _scoring_not_open(queryset):
    return queryset.filter(scoring_opened_at__isnull=True, deadline__gt=timezone.now()).order_by(
        "deadline"
    )


def _not_published(queryset):
    return queryset.filter(
        published_at__isnull=True, ceremony_on__gt=timezone.localdate()
    ).order_by("ceremony_on")


# The admin's actions name their object after the model ("awardcycle").
def _open_scoring_early(*, awardcycle, by_user):
    return services.cycle_open_scoring_early(cycle=awardcycle, by_user=by_user)


def _publish_early(*, awardcycle, by_user):
    return services.cycle_publish_early(cycle=awardcycle, by_user=by_user)


OPEN_SCORING = ConfirmFirst(
    title=_("Open scoring before the application deadline?"),
    warning=_(
        "The assigned jurors can score the submitted applications of these cycles from now on, "
        "before the application deadline. Applications submitted later are scored as they "
        "come in. This is logged and cannot be undone here. No email goes out."
    ),
    submit_label=_("Yes, open scoring now"),
    nothing_to_do=_(
        "Scoring is already open for the selected cycles: their deadline has passed or "
        "scoring was opened early."
    ),
    back_label=_("Back to the award cycles"),
    eligible=_scoring_not_open,
)
PUBLISH_EARLY = ConfirmFirst(
    title=_("Publish the results before the award ceremony?"),
    warning=_(
        "The awarded companies of these cycles become public at once, before the award "
        "ceremony: in the list of seal holders, on the verification page and in the seal "
        "image. Sent decisions can no longer be corrected. This is logged and cannot be "
        "undone here. No email goes out."
    ),
    submit_label=_("Yes, publish the results now"),
    nothing_to_do=_(
        "The results of the selected cycles are already public: their award ceremony has "
        "taken place or they were published early."
    ),
    back_label=_("Back to the award cycles"),
    eligible=_not_published,
)


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
    actions = ["copy_catalogue", "open_scoring_early", "publish_early"]
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
                    "scoring_opened_at",
                    "published_at",
                ]
            },
        ),
        (_("Award"), {"fields": ["validity_years", "award_threshold"]}),
    ]
    # Set only on purpose, through the actions "open scoring" and "publish early" (logged).
    readonly_fields = ["scoring_opened_at", "published_at"]

    open_scoring_early = service_action(
        _open_scoring_early,
        name="open_scoring_early",
        description=_("Open scoring before the deadline"),
        done_message=ngettext_lazy(
            "Scoring opened for %(n)d cycle.", "Scoring opened for %(n)d cycles.", "n"
        ),
        confirm=OPEN_SCORING,
    )
    publish_early = service_action(
        _publish_early,
        name="publish_early",
        description=_("Publish the results before the award ceremony"),
        done_message=ngettext_lazy(
            "The results of %(n)d cycle are public.", "The results of %(n)d cycles are public.", "n"
        ),
        confirm=PUBLISH_EARLY,
    )

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
