"""Applications: the companies fill them in; coordinators assign jurors, reopen them and
download their summary. Decisions are taken on the ranking page of the cycle."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext, ngettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import (
    PortalAdminMixin,
    admin_url,
    dry_run_mail_lines,
    object_link,
)
from network_portal.downloads import pdf_attachment

from .. import cockpit, documents, selectors, services
from ..models import Application, AwardCycle
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


class AssignedJurorFilter(admin.SimpleListFilter):
    """The applications assigned to a juror (the jury progress page links here)."""

    title = _("assigned to")
    parameter_name = "juror"

    def lookups(self, request, model_admin):
        return [(str(user.pk), str(user)) for user in selectors.jury_members()]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(assignments__juror_id=int(value))
        return queryset


class AssignJurorsForm(forms.Form):
    """The jurors a bulk assignment assigns to the selected applications."""

    jurors = forms.ModelMultipleChoiceField(
        label=_("Jurors"),
        queryset=selectors.jury_members(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one juror.")},
    )


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
        AssignedJurorFilter,
    ]
    list_select_related = ["company", "cycle"]
    search_fields = ["company__name"]
    inlines = [JurorAssignmentInline]
    actions = ["assign_jurors", "reopen"]
    change_list_template = "admin/seal/application/change_list.html"
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
            .annotate(
                juror_count=Count("assignments"),
                scoring_jurors=Count(
                    "assignments", filter=selectors.scoring_jurors_q("assignments__")
                ),
                done_jurors=Count("assignments", filter=selectors.done_jurors_q("assignments__")),
            )
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
        """How far the jury is: "2 of 3 jurors done" (jurors who declared a conflict do not
        count)."""
        if not application.juror_count:
            return "–"
        text = ngettext(
            "%(done)d of %(n)d juror done",
            "%(done)d of %(n)d jurors done",
            application.scoring_jurors,
        ) % {"done": application.done_jurors, "n": application.scoring_jurors}
        conflicts = application.juror_count - application.scoring_jurors
        if conflicts:
            text += " " + ngettext(
                "(%(n)d conflict of interest)", "(%(n)d conflicts of interest)", conflicts
            ) % {"n": conflicts}
        return text

    @admin.display(description=_("Documents"))
    def documents(self, application):
        if not application.is_submitted and not application.decision:
            return "–"
        return object_link(
            "admin:seal_application_summary_pdf", application, gettext("Application summary (PDF)")
        )

    # --- Several applications to several jurors at once --------------------------------------

    ASSIGN_TEMPLATE = "admin/seal/application/assign_jurors.html"

    @admin.action(description=_("Assign jurors …"), permissions=["change"])
    def assign_jurors(self, request, queryset):
        """Pick jurors (checkboxes), see what will happen (the assignments, the pairs skipped
        and why, the mails), then assign: services.jurors_assign_bulk."""
        applications = list(
            queryset.select_related("company", "cycle").order_by("company__name", "pk")
        )
        step = request.POST.get("step", "")
        form = AssignJurorsForm(request.POST if step in ("preview", "assign") else None)
        if step == "assign" and form.is_valid():
            result = services.jurors_assign_bulk(
                applications=applications,
                jurors=form.cleaned_data["jurors"],
                by_user=request.user,
            )
            self._message_bulk_result(request, result)
            return None
        context = {
            "applications": applications,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "changelist_url": reverse("admin:seal_application_changelist"),
        }
        if step == "preview" and form.is_valid():
            plan = services.jurors_assign_plan(
                applications=applications, jurors=form.cleaned_data["jurors"]
            )
            cycles = {application.cycle for application, _juror in plan.pairs}
            context.update(
                plan=plan,
                step="assign",
                juror_ids=[juror.pk for juror in form.cleaned_data["jurors"]],
                # One mail per juror and cycle with new applications.
                mails=len({(juror.pk, app.cycle_id) for app, juror in plan.pairs}),
                deadlines=sorted((cycle.jury_review_until, cycle.name) for cycle in cycles),
            )
            title = gettext("Assign these jurors?")
        else:
            context["step"] = "preview"
            title = gettext("Assign jurors")
        return self.render_admin_page(request, self.ASSIGN_TEMPLATE, title, **context)

    def _message_bulk_result(self, request, result) -> None:
        assigned = len(result.assigned)
        if assigned:
            self.message_user(
                request,
                ngettext(
                    "%(n)d assignment made; %(mails)d emails to jurors.",
                    "%(n)d assignments made; %(mails)d emails to jurors.",
                    assigned,
                )
                % {"n": assigned, "mails": result.mails},
                messages.SUCCESS,
            )
        if result.skipped:
            self.message_user(
                request,
                ngettext("%(n)d pair skipped:", "%(n)d pairs skipped:", len(result.skipped))
                % {"n": len(result.skipped)}
                + " "
                + "; ".join(
                    f"{pair.application.company.name} – {pair.juror} ({pair.reason})"
                    for pair in result.skipped
                ),
                messages.WARNING,
            )
        if not assigned and not result.skipped:
            self.message_user(request, gettext("Nothing to assign."), messages.WARNING)

    # --- The jury's progress, juror by juror --------------------------------------------------

    @admin_url("jury-progress/", name="seal_application_jury_progress")
    def jury_progress_view(self, request):
        self.check_permissions(request, require=("view",))
        cycles = list(AwardCycle.objects.order_by("-applications_open_at"))
        chosen = request.GET.get("cycle", "")
        cycle = next((c for c in cycles if str(c.pk) == chosen), None)
        if cycle is None:
            current = services.current_cycle()
            cycle = next((c for c in cycles if current and c.pk == current.pk), None)
        rows = selectors.jury_progress(cycle) if cycle is not None else []
        changelist = reverse("admin:seal_application_changelist")
        for row in rows:
            in_cycle = {"cycle__id__exact": cycle.pk}
            row.assigned_url = f"{changelist}?{urlencode({**in_cycle, 'juror': row.juror.pk})}"
            row.open_url = (
                f"{changelist}?"
                f"{urlencode({**in_cycle, OutstandingScoresFilter.parameter_name: row.juror.pk})}"
            )
        days_left = None
        if cycle is not None:
            days_left = (cycle.jury_review_until - timezone.localdate()).days
        return self.render_admin_page(
            request,
            "admin/seal/application/jury_progress.html",
            gettext("Jury progress"),
            cycles=cycles,
            cycle=cycle,
            rows=rows,
            deadline=cycle.jury_review_until if cycle is not None else None,
            days_left=days_left,
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
