"""The coordinators' side of the seal: cycles and their catalogue, applications and jurors,
the ranking with threshold and decisions, certificates.

Every state change goes through :mod:`seal.services`; the admin binds forms, calls one service,
reports the outcome as a message and redirects. Once the first application of a cycle is
submitted, its catalogue (categories, criteria, scale levels) is shown read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from members.models import SizeClass, User
from members.roles import JURY_GROUP
from network_portal.downloads import csv_attachment, pdf_attachment, pdf_view
from network_portal.text import validate_multi_line

from . import documents, selectors, services
from .models import (
    Application,
    AwardCycle,
    Category,
    Certificate,
    Criterion,
    JurorAssignment,
    ScaleLevel,
)

FLAG = "⚑"


def _error_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _number(value) -> str:
    """0–100 with two decimals in the active language (German: 72,50); empty when unscored."""
    return "" if value is None else formats.number_format(value, 2, use_l10n=True)


def _frozen(cycle: AwardCycle | None) -> bool:
    """Whether ``cycle``'s catalogue is frozen, asked once per cycle instance (the admin asks
    for every permission of every inline)."""
    if cycle is None:
        return False
    if not hasattr(cycle, "_admin_catalogue_frozen"):
        cycle._admin_catalogue_frozen = cycle.catalogue_frozen
    return cycle._admin_catalogue_frozen


class FrozenCatalogueMixin:
    """Read-only once the cycle behind ``cycle_of(obj)`` has a submitted application."""

    def cycle_of(self, obj) -> AwardCycle:
        raise NotImplementedError

    def editable(self, obj) -> bool:
        return obj is None or not _frozen(self.cycle_of(obj))

    def frozen_context(self, obj) -> dict:
        cycle = self.cycle_of(obj) if obj is not None else None
        return {"frozen_cycle": cycle if _frozen(cycle) else None}


class FrozenCatalogueInline(FrozenCatalogueMixin, admin.TabularInline):
    """``obj`` is the parent object: the rows can't be added, changed or deleted once the
    parent's cycle is frozen."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return self.editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.editable(obj) and super().has_delete_permission(request, obj)


class FrozenCatalogueAdmin(FrozenCatalogueMixin, admin.ModelAdmin):
    """A frozen object is shown read-only; adding to a frozen cycle is refused by the form
    (the cycle is only known once it is chosen)."""

    def has_change_permission(self, request, obj=None):
        return self.editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.editable(obj) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        context = {**self.frozen_context(obj), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)


class CatalogueForm(forms.ModelForm):
    """A category or criterion may only be added to (or moved into) an editable cycle."""

    def cycle(self) -> AwardCycle | None:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        cycle = self.cycle()
        if cycle is not None:
            try:
                services.require_catalogue_editable(cycle)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from error
        return cleaned


# --------------------------------------------------------------------------------------------
# Award cycles


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


class CategoryInline(FrozenCatalogueInline):
    model = Category
    fields = ["name", "position"]
    show_change_link = True

    def cycle_of(self, cycle):
        return cycle


class CopyCatalogueForm(forms.Form):
    source = forms.ModelChoiceField(
        label=_("Copy the catalogue of"), queryset=AwardCycle.objects.none(), empty_label=None
    )

    def __init__(self, *args, target: AwardCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = (
            AwardCycle.objects.exclude(pk=target.pk)
            .filter(categories__isnull=False)
            .distinct()
            .order_by("-applications_open_at")
        )


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = AwardCycle
        fields = ["award_threshold"]
        widgets = {"award_threshold": forms.NumberInput(attrs={"step": "0.5", "size": 6})}


class DecisionForm(forms.Form):
    """One row of the ranking: awarded / not awarded with a note. Empty: leave undecided."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=Application.Decision.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note on the decision"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        validators=[validate_multi_line],
    )


@admin.register(AwardCycle)
class AwardCycleAdmin(admin.ModelAdmin):
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
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:seal_awardcycle_ranking", args=[cycle.pk]),
            gettext("Ranking and decisions"),
        )

    # The cycle itself (dates, threshold, validity) stays editable when its catalogue is
    # frozen; only its categories become read-only (CategoryInline).
    def change_view(self, request, object_id, form_url="", extra_context=None):
        cycle = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if cycle is not None:
            context["frozen_cycle"] = cycle if _frozen(cycle) else None
            context["can_copy_catalogue"] = self.has_change_permission(request, cycle)
        return super().change_view(request, object_id, form_url, context)

    @admin.action(
        description=_("Copy the catalogue of another cycle into this one"),
        permissions=["change"],
    )
    def copy_catalogue(self, request, queryset):
        cycles = list(queryset[:2])
        if len(cycles) != 1:
            self.message_user(
                request,
                gettext("Please select exactly one cycle to copy a catalogue into."),
                messages.WARNING,
            )
            return None
        return HttpResponseRedirect(
            reverse("admin:seal_awardcycle_copy_catalogue", args=[cycles[0].pk])
        )

    # ----------------------------------------------------------------------------------------
    # Copying a catalogue, the ranking, threshold, decisions

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/copy-catalogue/",
                wrap(self.copy_catalogue_view),
                name="seal_awardcycle_copy_catalogue",
            ),
            path("<int:pk>/ranking/", wrap(self.ranking_view), name="seal_awardcycle_ranking"),
            path(
                "<int:pk>/ranking/csv/",
                wrap(self.ranking_csv_view),
                name="seal_awardcycle_ranking_csv",
            ),
            path(
                "<int:pk>/ranking/threshold/",
                wrap(require_POST(self.threshold_view)),
                name="seal_awardcycle_threshold",
            ),
            path(
                "<int:pk>/ranking/decisions/",
                wrap(require_POST(self.decisions_view)),
                name="seal_awardcycle_decisions",
            ),
            path(
                "<int:pk>/ranking/send/",
                wrap(require_POST(self.send_decisions_view)),
                name="seal_awardcycle_send_decisions",
            ),
            *super().get_urls(),
        ]

    def _cycle_for(self, request, pk, *, decide=False) -> AwardCycle:
        """The cycle, if the user may see its applications (``decide``: and decide them)."""
        cycle = AwardCycle.objects.filter(pk=pk).first()
        if cycle is None:
            raise Http404
        if not self.has_view_permission(request, cycle) or not request.user.has_perm(
            "seal.view_application"
        ):
            raise PermissionDenied
        if decide and not self._can_decide(request, cycle):
            raise PermissionDenied
        return cycle

    def _can_decide(self, request, cycle) -> bool:
        return self.has_change_permission(request, cycle) and request.user.has_perm(
            "seal.change_application"
        )

    def _ranking_url(self, cycle, size_class="") -> str:
        url = reverse("admin:seal_awardcycle_ranking", args=[cycle.pk])
        return f"{url}?{urlencode({'size_class': size_class})}" if size_class else url

    def copy_catalogue_view(self, request, pk):
        cycle = AwardCycle.objects.filter(pk=pk).first()
        if cycle is None:
            raise Http404
        if not (
            self.has_change_permission(request, cycle)
            and request.user.has_perms(["seal.add_category", "seal.add_criterion"])
        ):
            raise PermissionDenied
        form = CopyCatalogueForm(request.POST or None, target=cycle)
        if request.method == "POST" and form.is_valid():
            source = form.cleaned_data["source"]
            try:
                copied = services.cycle_copy_catalogue(
                    source=source, target=cycle, by_user=request.user
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(n)d criterion copied from %(source)s.",
                        "%(n)d criteria copied from %(source)s.",
                        copied,
                    )
                    % {"n": copied, "source": source.name},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:seal_awardcycle_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Copy a catalogue into %(cycle)s") % {"cycle": cycle.name},
            "cycle": cycle,
            "form": form,
        }
        return TemplateResponse(request, "admin/seal/awardcycle/copy_catalogue.html", context)

    def ranking_view(self, request, pk):
        cycle = self._cycle_for(request, pk)
        size_class = request.GET.get("size_class", "")
        if size_class not in SizeClass.values:
            size_class = ""
        categories, rows = ranking_rows(cycle, size_class=size_class)
        can_decide = self._can_decide(request, cycle)
        suggest = can_decide and "suggest" in request.GET and cycle.award_threshold is not None
        for row in rows:
            application = row["application"]
            initial = {"decision": application.decision, "note": application.decision_note}
            if suggest and not application.decision and row["total"] is not None:
                initial["decision"] = (
                    Application.Decision.AWARDED
                    if row["total"] >= cycle.award_threshold
                    else Application.Decision.NOT_AWARDED
                )
            row["form"] = DecisionForm(prefix=f"a{application.pk}", initial=initial)
        ready_to_send = (
            Application.objects.filter(
                cycle=cycle, decided_at__isnull=False, decision_sent_at__isnull=True
            )
            .exclude(decision="")
            .count()
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Ranking: %(cycle)s") % {"cycle": cycle.name},
            "cycle": cycle,
            "categories": categories,
            "rows": rows,
            "size_class": size_class,
            "size_classes": SizeClass.choices,
            "can_decide": can_decide,
            # Rows whose decision can still change (a sent decision is final).
            "open_rows": can_decide
            and any(row["application"].decision_sent_at is None for row in rows),
            "suggest": suggest,
            "threshold_form": ThresholdForm(instance=cycle),
            "ready_to_send": ready_to_send,
            "flag": FLAG,
        }
        return TemplateResponse(request, "admin/seal/awardcycle/ranking.html", context)

    def ranking_csv_view(self, request, pk):
        cycle = self._cycle_for(request, pk)
        size_class = request.GET.get("size_class", "")
        if size_class not in SizeClass.values:
            size_class = ""
        categories, rows = ranking_rows(cycle, size_class=size_class)
        suffix = f"-{size_class}" if size_class else ""
        return csv_attachment(
            ranking_csv_rows(categories, rows), filename=f"ranking-{cycle.slug}{suffix}.csv"
        )

    def threshold_view(self, request, pk):
        cycle = self._cycle_for(request, pk, decide=True)
        form = ThresholdForm(request.POST, instance=cycle)
        if form.is_valid():
            form.save()
            self.message_user(request, gettext("The award threshold is saved."), messages.SUCCESS)
        else:
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
        return HttpResponseRedirect(self._ranking_url(cycle, request.POST.get("size_class", "")))

    def decisions_view(self, request, pk):
        cycle = self._cycle_for(request, pk, decide=True)
        applications = Application.objects.filter(
            cycle=cycle, submitted_at__isnull=False, decision_sent_at__isnull=True
        ).select_related("company")
        saved = 0
        for application in applications:
            form = DecisionForm(request.POST, prefix=f"a{application.pk}")
            if not form.is_valid():
                self.message_user(
                    request,
                    f"{application.company.name}: {' '.join(form.errors.get('note', []))}",
                    messages.ERROR,
                )
                continue
            decision, note = form.cleaned_data["decision"], form.cleaned_data["note"].strip()
            if not decision or (
                decision == application.decision and note == application.decision_note
            ):
                continue
            try:
                services.decision_record(
                    application=application,
                    awarded=decision == Application.Decision.AWARDED,
                    note=note,
                    by_user=request.user,
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{application.company.name}: {_error_messages(error)}",
                    messages.WARNING,
                )
            else:
                saved += 1
        self.message_user(
            request,
            ngettext("%(n)d decision saved.", "%(n)d decisions saved.", saved) % {"n": saved},
            messages.SUCCESS if saved else messages.INFO,
        )
        return HttpResponseRedirect(self._ranking_url(cycle, request.POST.get("size_class", "")))

    def send_decisions_view(self, request, pk):
        cycle = self._cycle_for(request, pk, decide=True)
        sent = services.decisions_send(cycle=cycle, by_user=request.user)
        if sent:
            message = ngettext(
                "%(n)d decision is being sent to the company admins.",
                "%(n)d decisions are being sent to the company admins.",
                sent,
            ) % {"n": sent}
        else:
            message = gettext("There are no decisions left to send.")
        self.message_user(request, message, messages.SUCCESS if sent else messages.INFO)
        return HttpResponseRedirect(self._ranking_url(cycle))


def ranking_rows(cycle: AwardCycle, *, size_class: str = "") -> tuple[list[Category], list]:
    """The ranking table: the cycle's categories (columns) and one row per submitted
    application, best first. Five queries whatever the numbers."""
    categories = list(cycle.categories.order_by("position", "pk"))
    rows = []
    for rank, result in enumerate(selectors.ranking(cycle, size_class=size_class), start=1):
        subtotals = {category.pk: subtotal for category, subtotal in result.categories}
        rows.append(
            {
                "rank": rank,
                "application": result.application,
                "company": result.application.company,
                "total": result.total,
                "subtotals": [subtotals.get(category.pk) for category in categories],
                "jurors_submitted": result.jurors_submitted,
                "flagged": [
                    f"{r.criterion.question} ({min(r.points)}–{max(r.points)})"
                    for r in result.flagged
                ],
            }
        )
    return categories, rows


def ranking_csv_rows(categories, rows) -> list[list[str]]:
    header = [
        gettext("Rank"),
        gettext("Company"),
        gettext("Size class"),
        gettext("Total (0–100)"),
        *[category.name for category in categories],
        gettext("Jurors submitted"),
        gettext("For discussion"),
        gettext("Decision"),
        gettext("Note on the decision"),
    ]
    lines = [header]
    for row in rows:
        application = row["application"]
        lines.append(
            [
                str(row["rank"]),
                row["company"].name,
                str(row["company"].get_size_class_display()),
                _number(row["total"]),
                *[_number(value) for value in row["subtotals"]],
                str(row["jurors_submitted"]),
                " | ".join(row["flagged"]),
                str(application.get_decision_display()) if application.decision else "",
                application.decision_note,
            ]
        )
    return lines


# --------------------------------------------------------------------------------------------
# Categories, criteria, scale levels


class CategoryAdminForm(CatalogueForm):
    class Meta:
        model = Category
        fields = ["cycle", "name", "description", "position"]

    def cycle(self):
        return self.cleaned_data.get("cycle")


class CriterionInline(FrozenCatalogueInline):
    model = Criterion
    fields = ["question", "weight", "scale_max", "evidence_required", "position"]
    show_change_link = True

    def cycle_of(self, category):
        return category.cycle


@admin.register(Category)
class CategoryAdmin(FrozenCatalogueAdmin):
    form = CategoryAdminForm
    list_display = ["name", "cycle", "position", "criteria_count"]
    list_filter = ["cycle"]
    list_select_related = ["cycle"]
    search_fields = ["name"]
    inlines = [CriterionInline]

    def cycle_of(self, category):
        return category.cycle

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(criteria_count=Count("criteria"))

    @admin.display(description=_("Criteria"), ordering="criteria_count")
    def criteria_count(self, category):
        return category.criteria_count


class CriterionAdminForm(CatalogueForm):
    class Meta:
        model = Criterion
        fields = [
            "category",
            "question",
            "guidance",
            "scale_max",
            "weight",
            "evidence_required",
            "position",
        ]

    def cycle(self):
        category = self.cleaned_data.get("category")
        return category.cycle if category is not None else None


class ScaleLevelFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        scale_max = self.instance.scale_max
        for form in self.forms:
            points = getattr(form, "cleaned_data", {}).get("points")
            if points is not None and points > scale_max and not self._should_delete_form(form):
                form.add_error(
                    "points",
                    gettext("The scale of this criterion ends at %(max)d points.")
                    % {"max": scale_max},
                )


class ScaleLevelInline(FrozenCatalogueInline):
    model = ScaleLevel
    formset = ScaleLevelFormSet
    fields = ["points", "description"]

    def cycle_of(self, criterion):
        return criterion.category.cycle


@admin.register(Criterion)
class CriterionAdmin(FrozenCatalogueAdmin):
    form = CriterionAdminForm
    list_display = [
        "question",
        "category",
        "cycle",
        "weight",
        "scale_max",
        "evidence_required",
        "position",
    ]
    list_filter = [("category__cycle", admin.RelatedOnlyFieldListFilter), "category"]
    list_select_related = ["category__cycle"]
    search_fields = ["question", "guidance"]
    inlines = [ScaleLevelInline]

    def cycle_of(self, criterion):
        return criterion.category.cycle

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category__cycle")

    def get_ordering(self, request):
        return ["-category__cycle__applications_open_at", "category__position", "position", "pk"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.select_related("cycle")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Cycle"), ordering="category__cycle__applications_open_at")
    def cycle(self, criterion):
        return criterion.category.cycle


# --------------------------------------------------------------------------------------------
# Applications and jurors


class JurorAssignmentFormSet(forms.BaseInlineFormSet):
    """New jurors are assigned through services.juror_assign, which refuses users outside the
    jury and anyone who works for the applying company."""

    by_user = None

    def clean(self):
        super().clean()
        for form in self.extra_forms:
            juror = getattr(form, "cleaned_data", {}).get("juror")
            if juror is None or self._should_delete_form(form) or form.errors:
                continue
            # A trial run of the service, rolled back: its refusal becomes the form error, and
            # nothing is stored while another part of the page may still be invalid.
            try:
                with transaction.atomic():
                    services.juror_assign(
                        application=self.instance, juror=juror, by_user=self.by_user
                    )
                    transaction.set_rollback(True)
            except ValidationError as error:
                form.add_error("juror", error.messages)

    def save_new(self, form, commit=True):
        return services.juror_assign(
            application=self.instance, juror=form.cleaned_data["juror"], by_user=self.by_user
        )


class JurorAssignmentInline(admin.TabularInline):
    """Jurors are added or removed here; an existing assignment is not edited (the juror's
    scores belong to it)."""

    model = JurorAssignment
    formset = JurorAssignmentFormSet
    extra = 0
    fields = ["juror", "conflict_declared_at", "submitted_at"]
    readonly_fields = ["conflict_declared_at", "submitted_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("juror")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.by_user = request.user
        return formset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "juror":
            kwargs["queryset"] = User.objects.filter(
                groups__name=JURY_GROUP, is_active=True
            ).order_by("last_name", "first_name", "email")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "juror":
            # No "add user" next to the choice: a new user would not be in the jury.
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return formfield

    def has_change_permission(self, request, obj=None):
        return False

    # Once decided, the jury of an application stays as it was.
    def has_add_permission(self, request, obj=None):
        return not (obj is not None and obj.decision) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.decision) and super().has_delete_permission(
            request, obj
        )


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [
            ("draft", pgettext_lazy("application", "draft")),
            ("submitted", pgettext_lazy("application", "submitted")),
            ("decided", _("decided")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.filter(submitted_at__isnull=True)
        if self.value() == "submitted":
            return queryset.filter(submitted_at__isnull=False, decision="")
        if self.value() == "decided":
            return queryset.exclude(decision="")
        return queryset


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Applications come from the companies; coordinators assign jurors and reopen. Decisions
    are taken on the ranking page of the cycle."""

    list_display = [
        "company",
        "cycle",
        "size_class",
        "status",
        "submitted_at",
        "decision_display",
        "jurors",
    ]
    list_filter = ["cycle", StatusFilter, "decision", "company__size_class"]
    list_select_related = ["company", "cycle"]
    search_fields = ["company__name"]
    inlines = [JurorAssignmentInline]
    actions = ["reopen"]
    fields = [
        "cycle",
        "company",
        "size_class",
        "status",
        "started_by",
        "created_at",
        "submitted_at",
        "submitted_by",
        "reopened_at",
        "decision",
        "decision_note",
        "decided_at",
        "decision_sent_at",
        "documents",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("company", "cycle")
            .annotate(juror_count=Count("assignments"))
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("Size class"), ordering="company__size_class")
    def size_class(self, application):
        return application.company.get_size_class_display()

    @admin.display(description=_("Status"))
    def status(self, application):
        return application.status_label

    @admin.display(description=_("Decision"), ordering="decision")
    def decision_display(self, application):
        return application.get_decision_display() or "–"

    @admin.display(description=_("Jurors"), ordering="juror_count")
    def jurors(self, application):
        return application.juror_count

    @admin.display(description=_("Documents"))
    def documents(self, application):
        if not application.is_submitted and not application.decision:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:seal_application_summary_pdf", args=[application.pk]),
            gettext("Application summary (PDF)"),
        )

    @admin.action(description=_("Reopen for changes by the company"), permissions=["change"])
    def reopen(self, request, queryset):
        done = 0
        for application in queryset.select_related("company"):
            try:
                services.application_reopen(application=application, by_user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{application}: {_error_messages(error)}", messages.WARNING
                )
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(n)d application reopened; the company admins are told by email.",
                    "%(n)d applications reopened; the company admins are told by email.",
                    done,
                )
                % {"n": done},
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/summary.pdf",
                self.admin_site.admin_view(pdf_view(self.summary_pdf_view)),
                name="seal_application_summary_pdf",
            ),
            *super().get_urls(),
        ]

    def summary_pdf_view(self, request, pk):
        application = get_object_or_404(
            Application.objects.select_related("company", "cycle"), pk=pk
        )
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        return pdf_attachment(
            documents.application_summary_pdf(application),
            filename=f"bewerbung-{application.cycle.slug}-{application.company.slug}.pdf",
        )


# --------------------------------------------------------------------------------------------
# Certificates


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "valid"

    def lookups(self, request, model_admin):
        return [("yes", _("valid")), ("expired", _("expired")), ("revoked", _("revoked"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.filter(revoked_at__isnull=True, valid_until__gte=today)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, valid_until__lt=today)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    """Certificates are issued when decisions are sent; here they are looked up, downloaded
    and, if need be, revoked (the verification page then no longer confirms them)."""

    list_display = [
        "company",
        "cycle",
        "verification_code",
        "issued_on",
        "valid_until",
        "is_valid",
        "revoked_at",
        "pdf_link",
    ]
    list_filter = [("application__cycle", admin.RelatedOnlyFieldListFilter), ValidityFilter]
    search_fields = ["verification_code", "application__company__name"]
    fields = [
        "company",
        "cycle",
        "verification_code",
        "issued_on",
        "valid_until",
        "revoked_at",
        "pdf_link",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("application__company", "application__cycle")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm(f"{self.opts.app_label}.change_{self.opts.model_name}")

    @admin.display(description=_("Company"), ordering="application__company__name")
    def company(self, certificate):
        return certificate.application.company

    @admin.display(description=_("Cycle"), ordering="application__cycle__applications_open_at")
    def cycle(self, certificate):
        return certificate.application.cycle

    @admin.display(description=_("valid"), boolean=True)
    def is_valid(self, certificate):
        return certificate.is_valid

    @admin.display(description=_("Certificate (PDF)"))
    def pdf_link(self, certificate):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:seal_certificate_pdf", args=[certificate.pk]),
            gettext("Download"),
        )

    @admin.action(description=_("Revoke the seal"), permissions=["revoke"])
    def revoke(self, request, queryset):
        certificates = queryset.filter(revoked_at__isnull=True)
        if request.POST.get("post") == "yes":
            count = 0
            for certificate in certificates:
                services.certificate_revoke(certificate=certificate, by_user=request.user)
                count += 1
            self.message_user(
                request,
                ngettext(
                    "%(n)d certificate revoked; its verification page no longer confirms it.",
                    "%(n)d certificates revoked; their verification pages no longer confirm them.",
                    count,
                )
                % {"n": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Revoke the seal?"),
            "certificates": certificates.order_by("application__company__name"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/seal/certificate/revoke_confirmation.html", context)

    def get_urls(self):
        return [
            path(
                "<int:pk>/pdf/",
                self.admin_site.admin_view(pdf_view(self.pdf_view)),
                name="seal_certificate_pdf",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, pk):
        certificate = get_object_or_404(
            Certificate.objects.select_related("application__company", "application__cycle"),
            pk=pk,
        )
        if not self.has_view_permission(request, certificate):
            raise PermissionDenied
        application = certificate.application
        return pdf_attachment(
            documents.certificate_pdf(certificate),
            filename=f"urkunde-{application.cycle.slug}-{application.company.slug}.pdf",
        )
