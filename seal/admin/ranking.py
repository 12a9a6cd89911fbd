"""The ranking of a cycle's applications, the award threshold, the decisions and sending them."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
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
# Rows of the ranking a page.
RANKING_PER_PAGE = 100
# Stands for an application's key in its reversed admin address (replaced per row).
PK_PLACEHOLDER = 987654321


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
    override_reason = forms.CharField(
        label=_("Reason for deciding without all scores"),
        help_text=_("Only needed while not every assigned juror has submitted scores."),
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
        cycle, size_class, categories, all_rows = self._ranking(request, pk)
        can_decide = self.has_decide_permission(request, cycle)
        suggest = can_decide and "suggest" in request.GET and cycle.award_threshold is not None
        # A page of the ranking at a time (the ranks count on); saving decisions saves the
        # rows of the page shown (the others are not posted, so they stay as they are).
        page = Paginator(all_rows, RANKING_PER_PAGE).get_page(request.GET.get("page"))
        rows = page.object_list
        # What each row shows, prepared once per page rather than by template filters and
        # tags per cell: the figures, the size class's label, the application's address.
        size_labels = {value: str(label) for value, label in SizeClass.choices}
        change_url = reverse("admin:seal_application_change", args=[PK_PLACEHOLDER])
        for row in rows:
            application = row["application"]
            row["total_text"] = _number(row["total"])
            row["subtotal_texts"] = [_number(value) or "–" for value in row["subtotals"]]
            row["size_label"] = size_labels.get(row["company"].size_class, "")
            row["url"] = change_url.replace(str(PK_PLACEHOLDER), str(application.pk))
            initial = {
                "decision": application.decision,
                "note": application.decision_note,
                "override_reason": application.decision_override_reason,
            }
            if suggest and not application.decision and row["total"] is not None:
                initial["decision"] = (
                    Application.Decision.AWARDED
                    if row["total"] >= cycle.award_threshold
                    else Application.Decision.NOT_AWARDED
                )
            # The template writes each row's inputs of DecisionForm (prefix "a<pk>") as plain
            # HTML from these values: a form object rendered per row cost most of the page's
            # time at a few hundred applications. The POST is read by DecisionForm.
            row["initial"] = initial
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
            # Rows whose decision can still change: a sent decision until the results are public.
            open_rows=can_decide
            and any(
                row["application"].decision_sent_at is None or not cycle.is_published
                for row in rows
            ),
            page=page,
            revisable=not cycle.is_published,
            suggest=suggest,
            threshold_form=ThresholdForm(instance=cycle),
            ready_to_send=ready_to_send,
            flag=FLAG,
            # The inputs' labels, translated once for all rows.
            decision_labels={
                name: str(field.label) for name, field in DecisionForm.base_fields.items()
            },
            decision_choices=[
                (value, str(label)) for value, label in DecisionForm.base_fields["decision"].choices
            ],
            # The table needs the whole width of the screen: no navigation beside it.
            is_nav_sidebar_enabled=False,
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
            cycle=cycle, submitted_at__isnull=False
        ).select_related("company")
        if cycle.is_published:  # sent decisions are final once the results are public
            applications = applications.filter(decision_sent_at__isnull=True)
        changes = list(self._changed_decisions(request, applications))
        corrections = [change for change in changes if change[0].decision_sent_at is not None]
        if corrections and request.POST.get("confirm_corrections") != "yes":
            # Correcting a sent decision mails the company at once: confirmed first, with
            # everything posted kept for the confirmation's POST.
            posted = [
                (name, value)
                for name in request.POST
                if name not in ("csrfmiddlewaretoken", "confirm_corrections")
                for value in request.POST.getlist(name)
            ]
            return self.render_confirmation(
                request,
                corrections_confirmation(cycle, corrections),
                original=cycle,
                crumb=gettext("Correct sent decisions"),
                hidden=[*posted, ("confirm_corrections", "yes")],
                action_url=reverse("admin:seal_awardcycle_decisions", args=[cycle.pk]),
            )
        saved = self.run_service_per_object(
            request,
            changes,
            lambda change: services.decision_record(
                application=change[0],
                awarded=change[1],
                note=change[2],
                override_reason=change[3],
                by_user=request.user,
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
        """``(application, awarded, note, override reason)`` for each row of the posted ranking
        whose decision is given and differs from the one saved; a row whose note or reason is
        refused is reported."""
        for application in applications:
            form = DecisionForm(request.POST, prefix=f"a{application.pk}")
            if not form.is_valid():
                errors = [
                    e for field in ("note", "override_reason") for e in form.errors.get(field, [])
                ]
                self.message_user(
                    request,
                    refusal_text(errors, about=application.company.name),
                    messages.ERROR,
                )
                continue
            decision, note = form.cleaned_data["decision"], form.cleaned_data["note"].strip()
            if not decision or (
                decision == application.decision and note == application.decision_note
            ):
                continue
            reason = form.cleaned_data["override_reason"].strip()
            yield application, decision == Application.Decision.AWARDED, note, reason

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
            _after_sending(cycle),
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
        mails=[
            *mails,
            gettext("In all: %(mails)s to %(companies)s.")
            % {"mails": _emails(total), "companies": _companies(len(applications))},
        ],
        submit_label=ngettext(
            "Send the decisions to %(n)d person", "Send the decisions to %(n)d people", total
        )
        % {"n": total},
        cancel_url=reverse("admin:seal_awardcycle_ranking", args=[cycle.pk]),
        danger=False,
    )


def _emails(n: int) -> str:
    return ngettext("%(n)d email", "%(n)d emails", n) % {"n": n}


def _companies(n: int) -> str:
    return ngettext("%(n)d company", "%(n)d companies", n) % {"n": n}


def _after_sending(cycle: AwardCycle) -> str:
    """What remains possible once the decisions are sent, by the cycle's phase."""
    if cycle.is_published:
        return gettext(
            "The results of this cycle are public: sent decisions are final. The certificates "
            "are confirmed on the verification page at once."
        )
    return gettext(
        "Nothing is public before the award ceremony on %(date)s. Until then a sent decision "
        "can still be corrected on the ranking page; the company then gets a correction email."
    ) % {"date": formats.date_format(cycle.ceremony_on)}


def corrections_confirmation(cycle: AwardCycle, corrections) -> Confirmation:
    """What saving ``corrections`` (``(application, awarded, note, reason)`` of sent
    decisions) does: each company's recipients of the sent decision get the correction."""
    applications = [change[0] for change in corrections]
    recipients = services.decision_recipients(applications)
    total = sum(len(people) for people in recipients.values())
    facts = []
    for application, awarded, _note, _reason in corrections:
        new = Application.Decision.AWARDED if awarded else Application.Decision.NOT_AWARDED
        facts.append(
            (
                application.company.name,
                ngettext(
                    "%(old)s → %(new)s – to %(n)d person",
                    "%(old)s → %(new)s – to %(n)d people",
                    len(recipients[application.pk]),
                )
                % {
                    "old": application.get_decision_display(),
                    "new": new.label,
                    "n": len(recipients[application.pk]),
                },
            )
        )
    return Confirmation(
        title=gettext("Correct sent decisions of “%(cycle)s”?") % {"cycle": cycle.name},
        consequences=[
            ngettext(
                "%(n)d decision has already been sent. Its correction is emailed at once to "
                "the people who received it.",
                "%(n)d decisions have already been sent. Their corrections are emailed at "
                "once to the people who received them.",
                len(corrections),
            )
            % {"n": len(corrections)},
            gettext(
                "A company no longer awarded loses its certificate (it was never public); a "
                "company now awarded gets one."
            ),
            gettext("The other decisions on the page are saved as well."),
        ],
        facts=facts,
        mails=[
            gettext("Corrections: %(mails)s to %(companies)s.")
            % {"mails": _emails(total), "companies": _companies(len(corrections))}
        ],
        submit_label=gettext("Save and send the corrections"),
        cancel_url=reverse("admin:seal_awardcycle_ranking", args=[cycle.pk]),
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
    for rank, result in enumerate(selectors.ranking_cached(cycle, size_class=size_class), start=1):
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
