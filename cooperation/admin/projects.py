"""Projects: the coordinators create their own (the Wirtschaftsförderung's) and change any;
the status moves only through the steps the service allows, after a confirmation."""

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import ConfirmFirst, PortalAdminMixin, service_action

from .. import selectors, services
from ..forms import ProjectAdminForm
from ..models import Project


class OwnerFilter(admin.SimpleListFilter):
    title = _("Run by")
    parameter_name = "owner"

    def lookups(self, request, model_admin):
        return [("coordinators", _("The coordinators")), ("companies", _("Member companies"))]

    def queryset(self, request, queryset):
        if self.value() == "coordinators":
            return queryset.filter(company__isnull=True)
        if self.value() == "companies":
            return queryset.filter(company__isnull=False)
        return queryset


def _status_action(status, *, name, description, done_message, warning, submit_label):
    allowed_from = [
        old for old, steps in Project.TRANSITIONS.items() if Project.Status(status) in steps
    ]
    return service_action(
        services.project_set_status,
        status=status,
        name=name,
        description=description,
        done_message=done_message,
        confirm=ConfirmFirst(
            title=description,
            warning=warning,
            submit_label=submit_label,
            nothing_to_do=_("None of the selected projects can take this step."),
            back_label=_("Back to the projects"),
            eligible=lambda queryset: queryset.filter(Q(status__in=allowed_from)).order_by("title"),
        ),
    )


@admin.register(Project)
class ProjectAdmin(PortalAdminMixin, admin.ModelAdmin):
    form = ProjectAdminForm
    list_display = ["title", "kind", "status", "owner", "places", "interest_count", "created_at"]
    list_filter = ["kind", "status", OwnerFilter, ("company", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "description", "company__name"]
    readonly_fields = ["status", "proposed_by", "created_at", "updated_at"]
    autocomplete_fields = ["company"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "description", "company", "status"]}),
        (_("Contact"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (
            _("Places and cost"),
            {
                "fields": [
                    "total_places",
                    "max_places_per_company",
                    "total_cost",
                    "starts_on",
                    "schedule",
                ]
            },
        ),
        (None, {"fields": ["proposed_by", "created_at", "updated_at"]}),
    ]
    actions = ["open_project", "back_to_planning", "start", "complete"]

    def get_queryset(self, request):
        return selectors.projects_with_figures()

    @admin.display(description=_("Owner"), ordering="company__name")
    def owner(self, project):
        return project.company.name if project.company_id else _("The coordinators")

    @admin.display(description=_("Places booked"))
    def places(self, project):
        if not project.has_places:
            return "–"
        text = f"{project.booked} / {project.total_places}"
        if project.waiting:
            text += " " + gettext("(%(n)d waiting)") % {"n": project.waiting}
        return text

    @admin.display(description=_("Interested companies"), ordering="interest_count")
    def interest_count(self, project):
        return project.interest_count

    def save_model(self, request, obj, form, change):
        # The form has checked the service's rules (forms.check_places).
        services.project_save(
            project=obj,
            by_user=request.user,
            changed=form.changed_data,
            # Only what the form edits: the read-only fields (the status among them) stay as
            # the locked row has them, whatever the page showed when it was loaded.
            fields=tuple(form.fields),
        )

    open_project = _status_action(
        Project.Status.OPEN,
        name="open_project",
        description=_("Open for registrations"),
        done_message=ngettext_lazy(
            "%(n)d project opened for registrations.",
            "%(n)d projects opened for registrations.",
            "n",
        ),
        warning=_("Member companies can say they take part and book places from now on."),
        submit_label=_("Yes, open for registrations"),
    )
    back_to_planning = _status_action(
        Project.Status.PLANNING,
        name="back_to_planning",
        description=_("Back to planning"),
        done_message=ngettext_lazy(
            "%(n)d project back in planning.", "%(n)d projects back in planning.", "n"
        ),
        warning=_("No more bookings are taken; places booked stay booked."),
        submit_label=_("Yes, back to planning"),
    )
    start = _status_action(
        Project.Status.RUNNING,
        name="start",
        description=_("Mark as running"),
        done_message=ngettext_lazy(
            "%(n)d project marked as running.", "%(n)d projects marked as running.", "n"
        ),
        warning=_("Bookings close: companies can no longer book or give back places."),
        submit_label=_("Yes, mark as running"),
    )
    complete = _status_action(
        Project.Status.COMPLETED,
        name="complete",
        description=_("Mark as completed"),
        done_message=ngettext_lazy(
            "%(n)d project marked as completed.", "%(n)d projects marked as completed.", "n"
        ),
        warning=_("A completed project stays completed; this cannot be undone."),
        submit_label=_("Yes, mark as completed"),
    )
