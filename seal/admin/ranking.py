"""The ranking of a cycle's applications, the award threshold, the decisions and sending them."""

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from members.models import SizeClass
from network_portal.admin_views import PortalAdminMixin, admin_url, refusal_text
from network_portal.confirmation import Confirmation
from network_portal.downloads import csv_attachment
from network_portal.text import validate_multi_line

from .. import cockpit, selectors, services
from ..models import Application, AwardCycle, Category

FLAG = "⚑"


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


class RankingScreen(PortalAdminMixin):
    """Mixed into :class:`~seal.admin.cycles.AwardCycleAdmin`. The ranking shows applications:
    besides the cycle, it needs their view permission; deciding, their change permission."""

    def has_decide_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) and request.user.has_perm(
            "seal.change_application"
        )

    def _cycle(self, request, pk, *, decide=False) -> AwardCycle:
        """The cycle, if the user may see its applications (``decide``: and decide them)."""
        return self.object_for(
            request,
            pk,
            require=("view", "decide") if decide else ("view",),
            perms=("seal.view_application",),
        )

    def _back_to_ranking(self, cycle, size_class="") -> HttpResponseRedirect:
        url = reverse("admin:seal_awardcycle_ranking", args=[cycle.pk])
        if size_class:
            url = f"{url}?{urlencode({'size_class': size_class})}"
        return HttpResponseRedirect(url)

    def _ranking(self, request, pk):
        """The cycle, the size class asked for (empty: all) and its ranking."""
        cycle = self._cycle(request, pk)
        size_class = request.GET.get("size_class", "")
        if size_class not in SizeClass.values:
            size_class = ""
        return cycle, size_class, *ranking_rows(cycle, size_class=size_class)

    @admin_url("<int:pk>/ranking/", name="seal_awardcycle_ranking")
    def ranking_view(self, request, pk):
        cycle, size_class, categories, rows = self._ranking(request, pk)
        can_decide = self.has_decide_permission(request, cycle)
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
        ready_to_send = cockpit.decisions_ready_to_send(cycle.applications.all()).count()
        return self.render_admin_page(
            request,
            "admin/seal/awardcycle/ranking.html",
            gettext("Ranking: %(cycle)s") % {"cycle": cycle.name},
            original=cycle,
            cycle=cycle,
            categories=categories,
            rows=rows,
            size_class=size_class,
            size_classes=SizeClass.choices,
            can_decide=can_decide,
            # Rows whose decision can still change (a sent decision is final).
            open_rows=can_decide
            and any(row["application"].decision_sent_at is None for row in rows),
            suggest=suggest,
            threshold_form=ThresholdForm(instance=cycle),
            ready_to_send=ready_to_send,
            flag=FLAG,
        )

    @admin_url("<int:pk>/ranking/csv/", name="seal_awardcycle_ranking_csv")
    def ranking_csv_view(self, request, pk):
        cycle, size_class, categories, rows = self._ranking(request, pk)
        suffix = f"-{size_class}" if size_class else ""
        return csv_attachment(
            ranking_csv_rows(categories, rows), filename=f"ranking-{cycle.slug}{suffix}.csv"
        )

    @admin_url("<int:pk>/ranking/threshold/", name="seal_awardcycle_threshold", post_only=True)
    def threshold_view(self, request, pk):
        cycle = self._cycle(request, pk, decide=True)
        form = ThresholdForm(request.POST, instance=cycle)
        if form.is_valid():
            form.save()
            self.message_user(request, gettext("The award threshold is saved."), messages.SUCCESS)
        else:
            self.message_form_errors(request, form)
        return self._back_to_ranking(cycle, request.POST.get("size_class", ""))

    @admin_url("<int:pk>/ranking/decisions/", name="seal_awardcycle_decisions", post_only=True)
    def decisions_view(self, request, pk):
        cycle = self._cycle(request, pk, decide=True)
        applications = Application.objects.filter(
            cycle=cycle, submitted_at__isnull=False, decision_sent_at__isnull=True
        ).select_related("company")
        saved = self.run_service_per_object(
            request,
            self._changed_decisions(request, applications),
            lambda change: services.decision_record(
                application=change[0], awarded=change[1], note=change[2], by_user=request.user
            ),
            refusal_label=lambda change: change[0].company.name,
        )
        self.message_user(
            request,
            ngettext("%(n)d decision saved.", "%(n)d decisions saved.", saved) % {"n": saved},
            messages.SUCCESS if saved else messages.INFO,
        )
        return self._back_to_ranking(cycle, request.POST.get("size_class", ""))

    def _changed_decisions(self, request, applications):
        """``(application, awarded, note)`` for each row of the posted ranking whose decision
        is given and differs from the one saved; a row whose note is refused is reported."""
        for application in applications:
            form = DecisionForm(request.POST, prefix=f"a{application.pk}")
            if not form.is_valid():
                self.message_user(
                    request,
                    refusal_text(form.errors.get("note", []), about=application.company.name),
                    messages.ERROR,
                )
                continue
            decision, note = form.cleaned_data["decision"], form.cleaned_data["note"].strip()
            if not decision or (
                decision == application.decision and note == application.decision_note
            ):
                continue
            yield application, decision == Application.Decision.AWARDED, note

    @admin_url("<int:pk>/ranking/send/", name="seal_awardcycle_send_decisions")
    def send_decisions_view(self, request, pk):
        """A GET shows the confirmation (which decisions go to how many people); only its
        POST sends them (:func:`seal.services.decisions_send`)."""
        cycle = self._cycle(request, pk, decide=True)
        if request.method == "POST":
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
            return self._back_to_ranking(cycle)
        applications = list(
            services.decisions_to_send(cycle=cycle).order_by("decision", "company__name")
        )
        if not applications:
            self.message_user(
                request, gettext("There are no decisions left to send."), messages.INFO
            )
            return self._back_to_ranking(cycle)
        return self.render_confirmation(
            request,
            decisions_confirmation(cycle, applications),
            original=cycle,
            crumb=gettext("Send the decisions"),
            notices=_without_recipients(applications),
        )


def decisions_confirmation(cycle: AwardCycle, applications) -> Confirmation:
    """What sending the decisions of ``applications`` does, with the people each outcome's
    mail goes to (counted as :func:`seal.services.decisions_send` writes them)."""
    recipients = services.decision_recipients(applications)
    for application in applications:
        application.recipient_count = len(recipients[application.pk])
    awarded = [a for a in applications if a.decision == Application.Decision.AWARDED]
    not_awarded = [a for a in applications if a.decision != Application.Decision.AWARDED]
    mails = []
    for group, text in (
        (
            awarded,
            ngettext_lazy(
                "Awarded: %(companies)d company gets the decision with its certificate "
                "(emails: %(n)d).",
                "Awarded: %(companies)d companies get the decision with their certificates "
                "(emails: %(n)d).",
                "companies",
            ),
        ),
        (
            not_awarded,
            ngettext_lazy(
                "Not awarded: %(companies)d company gets the decision (emails: %(n)d).",
                "Not awarded: %(companies)d companies get the decision (emails: %(n)d).",
                "companies",
            ),
        ),
    ):
        companies = sum(1 for a in group if a.recipient_count)
        if companies:
            people = sum(a.recipient_count for a in group)
            mails.append(text % {"companies": companies, "n": people})
    total = sum(a.recipient_count for a in applications)
    facts = [(gettext("Award cycle"), cycle.name)]
    facts += [
        (
            application.company.name,
            ngettext(
                "%(decision)s – to %(n)d person",
                "%(decision)s – to %(n)d people",
                application.recipient_count,
            )
            % {"decision": application.get_decision_display(), "n": application.recipient_count},
        )
        for application in applications
    ]
    return Confirmation(
        title=gettext("Send the decisions of “%(cycle)s”?") % {"cycle": cycle.name},
        consequences=[
            ngettext(
                "The decision on %(n)d application is sent by email to the company admins (a "
                "company without an admin: its contact persons).",
                "The decisions on %(n)d applications are sent by email to the company admins "
                "(a company without an admin: its contact persons).",
                len(applications),
            )
            % {"n": len(applications)},
            gettext("Sent decisions are final: they can no longer be changed on the ranking page."),
            *(
                [
                    ngettext(
                        "%(n)d awarded company gets its certificate.",
                        "%(n)d awarded companies get their certificates.",
                        len(awarded),
                    )
                    % {"n": len(awarded)}
                ]
                if awarded
                else []
            ),
        ],
        facts=facts,
        mails=mails,
        submit_label=ngettext(
            "Send the decisions to %(n)d person", "Send the decisions to %(n)d people", total
        )
        % {"n": total},
        cancel_url=reverse("admin:seal_awardcycle_ranking", args=[cycle.pk]),
        danger=False,
    )


def _without_recipients(applications) -> list[str]:
    nobody = [a.company.name for a in applications if not a.recipient_count]
    if not nobody:
        return []
    return [
        gettext(
            "Nobody can be told of these decisions (no company admin, no contact person); "
            "they are marked as sent all the same: %(companies)s."
        )
        % {"companies": ", ".join(nobody)}
    ]


def _number(value) -> str:
    """0–100 with two decimals in the active language (German: 72,50); empty when unscored."""
    return "" if value is None else formats.number_format(value, 2, use_l10n=True)


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
