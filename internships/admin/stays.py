"""School stays and their pupils (entered by the coordinators), with the placement screen
mixed in (:mod:`.placements`)."""

from django.contrib import admin
from django.db.models import Count
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin

from ..models import Pupil, SchoolStay
from .placements import PlacementsScreen

PLACED_HELP = _(
    "Fixed once the pupil is placed: to change the dates or delete the pupil, first remove the "
    "placement on the page “Place the pupils”."
)


class PupilFormSet(BaseInlineFormSet):
    """A placed pupil keeps its dates and cannot be deleted here: the placement was checked
    against them (periods, free places) and only ``placement_remove`` takes it away, logged.
    The fields are disabled when the form is built, on saving too: a pupil placed while the
    form was open keeps its dates (a disabled field takes its stored value)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk is not None and _is_placed(form.instance):
            for name in ("starts_on", "ends_on", DELETION_FIELD_NAME):
                if name in form.fields:
                    form.fields[name].disabled = True


def _is_placed(pupil: Pupil) -> bool:
    return hasattr(pupil, "placement")


class PupilInline(admin.TabularInline):
    """Only what the placement needs: most pupils are minors."""

    model = Pupil
    formset = PupilFormSet
    extra = 1
    fields = ["first_name", "last_name", "starts_on", "ends_on", "wished_field", "interests"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("placement")

    def get_formset(self, request, obj=None, **kwargs):
        """New rows start with the stay's dates: most pupils come for the whole stay."""
        formset = super().get_formset(request, obj, **kwargs)
        for name in ("starts_on", "ends_on"):
            formset.form.base_fields[name].help_text = PLACED_HELP
        if obj is not None:
            formset.form.base_fields["starts_on"].initial = obj.starts_on
            formset.form.base_fields["ends_on"].initial = obj.ends_on
        return formset


@admin.register(SchoolStay)
class SchoolStayAdmin(PlacementsScreen, PortalAdminMixin, admin.ModelAdmin):
    list_display = [
        "school",
        "starts_on",
        "ends_on",
        "pupil_count",
        "placed_count",
        "lists_sent_at",
        "placements_link",
    ]
    list_filter = ["starts_on", ("school", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["school"]
    search_fields = ["school__name", "school__city", "pupils__last_name"]
    date_hierarchy = "starts_on"
    fields = ["school", "starts_on", "ends_on", "notes", "placements_link", "lists_sent_at"]
    readonly_fields = ["placements_link", "lists_sent_at"]
    inlines = [PupilInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                pupil_count=Count("pupils", distinct=True),
                placed_count=Count("pupils__placement", distinct=True),
            )
        )

    @admin.display(description=_("Pupils"), ordering="pupil_count")
    def pupil_count(self, stay):
        return stay.pupil_count

    @admin.display(description=_("Placed"), ordering="placed_count")
    def placed_count(self, stay):
        return stay.placed_count

    @admin.display(description=_("Placement"))
    def placements_link(self, stay):
        if stay is None or stay.pk is None:
            return "–"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:internships_schoolstay_placements", args=[stay.pk]),
            _("Place the pupils"),
        )
