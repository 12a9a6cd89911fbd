"""Applications: the companies fill them in; coordinators assign jurors, reopen them and
download their summary. Decisions are taken on the ranking page of the cycle."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import (
    PortalAdminMixin,
    admin_url,
    dry_run_mail_lines,
    object_link,
)
from network_portal.downloads import pdf_attachment

from .. import cockpit, documents, services
from ..models import Application
from .jury import JurorAssignmentInline


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"
    SUBMITTED = "submitted"
    READY_TO_SEND = "ready_to_send"

    def lookups(self, request, model_admin):
        return [
            ("draft", pgettext_lazy("application", "draft")),
            (self.SUBMITTED, pgettext_lazy("application", "submitted")),
            ("decided", _("decided")),
            (self.READY_TO_SEND, _("decided, not yet sent")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "draft":
            return queryset.filter(submitted_at__isnull=True)
        if self.value() == self.SUBMITTED:
            return cockpit.open_submitted(queryset)
        if self.value() == "decided":
            return queryset.exclude(decision="")
        if self.value() == self.READY_TO_SEND:
            return cockpit.decisions_ready_to_send(queryset)
        return queryset


class JuryFilter(admin.SimpleListFilter):
    """Applications no juror can score: none assigned, or all declared a conflict (the
    cockpit's counter links here)."""

    title = _("jury")
    parameter_name = "jury"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [(self.NONE, _("no juror who can score"))]

    def queryset(self, request, queryset):
        if self.value() == self.NONE:
            return cockpit.without_jurors(queryset)
        return queryset


class OutstandingScoresFilter(admin.SimpleListFilter):
    """The applications a juror still has to score (the cockpit's counters link here)."""

    title = _("scores outstanding from")
    parameter_name = "scores_outstanding"

    def lookups(self, request, model_admin):
        return [
            (str(juror["juror_id"]), juror["name"])
            for juror in cockpit.jurors_with_outstanding_scores()
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return cockpit.applications_awaiting_scores(queryset, juror_id=int(value))
        return queryset


@admin.register(Application)
class ApplicationAdmin(PortalAdminMixin, admin.ModelAdmin):
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
    list_filter = [
        "cycle",
        StatusFilter,
        "decision",
        "company__size_class",
        JuryFilter,
        OutstandingScoresFilter,
    ]
    list_select_related = ["company", "cycle"]
    search_fields = ["company__name"]
    inlines = [JurorAssignmentInline]
    actions = ["reopen"]
    not_by_hand = ("add", "delete")
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
        return object_link(
            "admin:seal_application_summary_pdf", application, gettext("Application summary (PDF)")
        )

    @admin.action(description=_("Reopen for changes by the company"), permissions=["change"])
    def reopen(self, request, queryset):
        def reopen(application):
            return services.application_reopen(application=application, by_user=request.user)

        return self.run_after_confirmation(
            request,
            queryset.filter(submitted_at__isnull=False, decision="")
            .select_related("company", "cycle")
            .order_by("company__name"),
            reopen,
            action="reopen",
            done_message=ngettext_lazy(
                "%(n)d application reopened; the company admins are told by email.",
                "%(n)d applications reopened; the company admins are told by email.",
                "n",
            ),
            title=gettext("Reopen these applications?"),
            warning=gettext(
                "The companies can change their answers and evidence again and must submit "
                "once more; the jurors score them again then, submitted scores included. The "
                "company admins are told by email."
            ),
            label=lambda application: f"{application.company.name} – {application.cycle.name}",
            submit_label=gettext("Yes, reopen"),
            nothing_to_do=gettext(
                "None of the selected applications is submitted and still undecided."
            ),
            back_label=gettext("Back to the applications"),
            mails=lambda applications: dry_run_mail_lines(reopen, applications),
        )

    @admin_url("<int:pk>/summary.pdf", name="seal_application_summary_pdf", pdf=True)
    def summary_pdf_view(self, request, pk):
        application = self.object_for(
            request, pk, queryset=Application.objects.select_related("company", "cycle")
        )
        return pdf_attachment(
            documents.application_summary_pdf(application),
            filename=f"bewerbung-{application.cycle.slug}-{application.company.slug}.pdf",
        )
