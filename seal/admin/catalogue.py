"""The criteria catalogue of a cycle: categories, criteria and their scale levels.

Once the first application of a cycle is submitted, its catalogue is frozen: shown read-only,
and nothing can be added to it.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import services
from ..models import AwardCycle, Category, Criterion, ScaleLevel


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


class CategoryInline(FrozenCatalogueInline):
    model = Category
    fields = ["name", "position"]
    show_change_link = True

    def cycle_of(self, cycle):
        return cycle


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
