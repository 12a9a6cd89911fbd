"""The company side of the seal: a company admin applies, step by step, and downloads the PDFs."""

from collections import Counter
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import slug_re
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views import View

from accounts.second_factor import second_factor_refusal
from members.permissions import CompanyAdminRequiredMixin
from members.selectors import company_admins
from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.downloads import pdf_attachment, pdf_view, stored_file_response
from network_portal.flash import flash_errors
from network_portal.pdf import PDFRenderTimeout

from .. import documents, selectors, services
from ..forms import AnswerForm
from ..models import Answer, Application, Category, Certificate, Criterion, Evidence
from ..permissions import (
    decision_visible,
    editable_problem,
    evidence_access,
    evidence_of_company,
    own_application,
    own_applications,
    start_refusal,
)
from .public import certificate_links

EVIDENCE_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def status_label(application: Application) -> str:
    """Draft, submitted, or the decision – the latter only once it has been sent."""
    if decision_visible(application):
        return application.get_decision_display()
    if application.is_submitted:
        return pgettext("application", "submitted")
    return pgettext("application", "draft")


def valid_certificate(application: Application) -> Certificate | None:
    """The certificate of an awarded application whose decision has been sent, unless revoked."""
    if not decision_visible(application) or application.decision != Application.Decision.AWARDED:
        return None
    return Certificate.objects.filter(application=application, revoked_at__isnull=True).first()


def _has_certificate(application: Application) -> bool:
    """For an application fetched with ``select_related("certificate")``."""
    certificate = getattr(application, "certificate", None)
    return bool(
        certificate is not None
        and certificate.revoked_at is None
        and application.decision == Application.Decision.AWARDED
    )


def category_progress(cycle, missing) -> list[Category]:
    """The cycle's categories, each with ``total`` criteria, ``done`` and ``percent`` complete.

    A criterion counts as done when nothing is missing for it (``services.application_missing``).
    """
    missing_per_category = Counter(criterion.category_id for criterion, _reason in missing)
    categories = list(
        Category.objects.filter(cycle=cycle)
        .annotate(total=Count("criteria"))
        .order_by("position", "pk")
    )
    for category in categories:
        category.done = category.total - missing_per_category[category.pk]
        category.percent = round(100 * category.done / category.total) if category.total else 100
    return categories


def to_review(application: Application) -> list[Answer]:
    """Answers carried over from the company's last application and not reviewed yet."""
    return list(
        application.answers.filter(needs_review=True)
        .select_related("criterion__category")
        .order_by("criterion__category__position", "criterion__position", "criterion__pk")
    )


class ApplicationView(CompanyAdminRequiredMixin, View):
    """Overview: start or continue, progress per category, what is missing, submit, PDFs."""

    template_name = "seal/application.html"

    def get(self, request):
        cycle = services.current_cycle()
        application = own_application(self.company, cycle=cycle)
        without_application = cycle is not None and (
            application is None or application.cycle_id != cycle.pk
        )
        refusal = start_refusal(cycle, self.company) if without_application else None
        context = {
            "cycle": cycle,
            "application": application,
            "now": timezone.now(),
            "cycle_without_application": without_application,
            # The start button only when application_start would take it.
            "can_start": without_application and refusal is None,
            "start_refusal": refusal,
        }
        if application is not None:
            problem = editable_problem(application)
            missing = services.application_missing(application) if problem is None else []
            certificate = valid_certificate(application)
            context.update(
                status=status_label(application),
                editable=problem is None,
                not_editable_reason=problem,
                missing=missing,
                categories=category_progress(application.cycle, missing),
                to_review=to_review(application) if problem is None else [],
                catalogue_changes=(
                    selectors.catalogue_changes(application) if problem is None else None
                ),
                decision_visible=decision_visible(application),
                certificate=certificate,
                **(certificate_links(certificate) if certificate else {}),
            )
        context["earlier_applications"] = [
            (earlier, status_label(earlier), _has_certificate(earlier))
            for earlier in own_applications(self.company)
            .exclude(pk=getattr(application, "pk", None))
            .filter(decision_sent_at__isnull=False)
            .select_related("certificate")
            .order_by("-cycle__applications_open_at")
        ]
        return render(request, self.template_name, context)

    def post(self, request):
        """Start the application for the cycle that accepts applications."""
        cycle = services.current_cycle()
        if cycle is None:
            raise Http404
        if own_applications(self.company).filter(cycle=cycle).exists():
            return redirect("seal:application")  # already started (e.g. a second tab)
        try:
            application = services.application_start(
                cycle=cycle, company=self.company, by_user=request.user
            )
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("seal:application")
        messages.success(
            request,
            _(
                "Your application for the seal %(cycle)s has been started. You can save your "
                "answers at any time and continue later."
            )
            % {"cycle": cycle.name},
        )
        first = Category.objects.filter(cycle=application.cycle).order_by("position", "pk").first()
        if first is None:
            return redirect("seal:application")
        return redirect("seal:application_step", category_id=first.pk)


class ApplicationStepView(CompanyAdminRequiredMixin, View):
    """One category: per criterion self-assessment, explanation and evidence."""

    template_name = "seal/application_step.html"

    def load(self, category_id):
        self.application = own_application(self.company, cycle=services.current_cycle())
        if self.application is None:
            return False
        self.categories = list(
            Category.objects.filter(cycle=self.application.cycle).order_by("position", "pk")
        )
        self.category = next((c for c in self.categories if c.pk == category_id), None)
        if self.category is None:
            raise Http404
        self.criteria = list(
            Criterion.objects.filter(category=self.category)
            .order_by("position", "pk")
            .prefetch_related("levels")
        )
        self.answers = {
            answer.criterion_id: answer
            for answer in Answer.objects.filter(
                application=self.application, criterion__category=self.category
            ).prefetch_related(Prefetch("evidence", queryset=Evidence.objects.order_by("pk")))
        }
        return True

    def build_forms(self, data=None, files=None) -> list[AnswerForm]:
        forms = []
        for criterion in self.criteria:
            answer = self.answers.get(criterion.pk)
            initial = {}
            if answer is not None:
                initial = {
                    "self_assessment": answer.self_assessment,
                    "explanation": answer.explanation,
                }
            forms.append(AnswerForm(data, files, criterion=criterion, initial=initial))
        return forms

    def render_step(self, forms, *, status=200):
        problem = editable_problem(self.application)
        index = self.categories.index(self.category)
        items = [(form, self.answers.get(form.criterion.pk)) for form in forms]
        return render(
            self.request,
            self.template_name,
            {
                "application": self.application,
                "category": self.category,
                "categories": self.categories,
                "step_number": index + 1,
                "is_last": index == len(self.categories) - 1,
                "items": items,
                "editable": problem is None,
                "not_editable_reason": problem,
                "status": status_label(self.application),
            },
            status=status,
        )

    def get(self, request, category_id):
        if not self.load(category_id):
            messages.info(request, _("Please start your application first."))
            return redirect("seal:application")
        return self.render_step(self.build_forms())

    def post(self, request, category_id):
        if not self.load(category_id):
            messages.info(request, _("Please start your application first."))
            return redirect("seal:application")
        problem = editable_problem(self.application)
        if problem:
            messages.error(request, problem)
            return redirect("seal:application")
        forms = self.build_forms(request.POST, request.FILES)
        if not all([form.is_valid() for form in forms]):  # noqa: C419 (bind errors on every form)
            messages.error(request, _("Please correct the marked entries. Nothing has been saved."))
            return self.render_step(forms)
        entries = [
            services.StepEntry(
                criterion=form.criterion,
                self_assessment=form.cleaned_data["self_assessment"],
                explanation=form.cleaned_data["explanation"],
                uploads=form.cleaned_data["files"],
                evidence_valid_until=form.cleaned_data["evidence_valid_until"],
            )
            for form in forms
            # An untouched criterion gets no empty answer row.
            if form.criterion.pk in self.answers or form.cleaned_data["files"] or form.has_input()
        ]
        try:
            services.application_step_save(
                application=self.application, entries=entries, by_user=request.user
            )
        except services.StepRefused as refused:
            for form in forms:
                problems = refused.errors.get(form.criterion.pk, {})
                for message in problems.get("answer", []):
                    form.add_error(None, message)
                for message in problems.get("files", []):
                    form.add_error("files", message)
            messages.error(
                request,
                _(
                    "Nothing has been saved: please correct the marked entries and choose the "
                    "files again."
                ),
            )
            return self.render_step(forms)
        messages.success(request, _("Your answers have been saved."))
        if request.POST.get("action") != "continue":
            return redirect("seal:application_step", category_id=self.category.pk)
        index = self.categories.index(self.category)
        if index + 1 < len(self.categories):
            return redirect("seal:application_step", category_id=self.categories[index + 1].pk)
        return redirect("seal:application")


def _review_notes(application: Application) -> list[str]:
    """For the submit confirmation: the answers carried over and not reviewed yet. Submitting
    them unchanged is allowed (they may still be true); the company should know it does."""
    unreviewed = to_review(application)
    if not unreviewed:
        return []
    return [
        ngettext(
            "%(n)d answer was taken over from your last application and has not been reviewed "
            "yet: %(criteria)s. It goes to the jury as it is.",
            "%(n)d answers were taken over from your last application and have not been "
            "reviewed yet: %(criteria)s. They go to the jury as they are.",
            len(unreviewed),
        )
        % {
            "n": len(unreviewed),
            "criteria": "; ".join(answer.criterion.question for answer in unreviewed),
        }
    ]


class ApplicationSubmitView(CompanyAdminRequiredMixin, View):
    """GET: what submitting means, with the button; POST submits."""

    def get_application(self):
        application = own_application(self.company, cycle=services.current_cycle())
        if application is None:
            raise Http404
        return application

    def get(self, request):
        application = self.get_application()
        problem = editable_problem(application)
        if problem is not None:
            messages.info(request, problem)
            return redirect("seal:application")
        missing = services.application_missing(application)
        if missing:
            messages.error(
                request,
                ngettext(
                    "The application cannot be submitted yet: %(n)d answer is missing.",
                    "The application cannot be submitted yet: %(n)d answers are missing.",
                    len(missing),
                )
                % {"n": len(missing)},
            )
            return redirect("seal:application")
        criteria = Criterion.objects.filter(category__cycle=application.cycle).count()
        evidence = Evidence.objects.filter(answer__application=application).count()
        admins = ", ".join(user.email for user in company_admins(self.company))
        return confirmation_page(
            request,
            Confirmation(
                title=_("Submit application"),
                facts=[
                    (_("Company"), self.company.name),
                    (_("Seal"), application.cycle.name),
                    (
                        _("Answers"),
                        ngettext(
                            "%(n)d criterion answered", "all %(n)d criteria answered", criteria
                        )
                        % {"n": criteria},
                    ),
                    (
                        _("Evidence"),
                        ngettext("%(n)d file", "%(n)d files", evidence) % {"n": evidence},
                    ),
                ],
                consequences=[
                    *_review_notes(application),
                    _(
                        "The application of “%(company)s” for the seal %(cycle)s goes to the "
                        "coordination team and the jury, as it is now."
                    )
                    % {"company": self.company.name, "cycle": application.cycle.name},
                    _(
                        "After that, nobody in your company can change the answers or the "
                        "evidence. Only the coordination team can give the application back "
                        "for corrections."
                    ),
                ],
                mails=[
                    _(
                        "A confirmation with a PDF summary of your answers goes to the company "
                        "admins: %(addresses)s."
                    )
                    % {"addresses": admins}
                ],
                submit_label=_("Submit application"),
                cancel_url=reverse("seal:application"),
                danger=False,
            ),
        )

    def post(self, request):
        application = self.get_application()
        try:
            services.application_submit(application=application, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
        except PDFRenderTimeout:
            # The summary for the confirmation mail is made in the same transaction: nothing
            # was submitted, and the company can simply try again.
            messages.error(
                request,
                _(
                    "Your application could not be submitted just now because its PDF summary "
                    "took too long to create. Nothing was changed; please try again in a minute."
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "Thank you! Your application has been submitted. You will receive a "
                    "confirmation with a PDF summary of your answers by email."
                ),
            )
        return redirect("seal:application")


class EvidenceRemoveView(CompanyAdminRequiredMixin, View):
    def post(self, request, pk):
        evidence = get_object_or_404(evidence_of_company(self.company), pk=pk)
        category_id = evidence.answer.criterion.category_id
        try:
            services.evidence_remove(evidence=evidence, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect("seal:application")
        messages.success(
            request, _("The file “%(name)s” has been removed.") % {"name": evidence.original_name}
        )
        return redirect("seal:application_step", category_id=category_id)


@method_decorator(pdf_view, name="get")
class _OwnApplicationPdfView(CompanyAdminRequiredMixin, View):
    """A PDF of the own company's application: the current (or latest) cycle's, or the one of
    ``?cycle=<slug>``. Not available (yet) → 404."""

    def get(self, request):
        cycle_slug = request.GET.get("cycle", "").strip()
        if cycle_slug and not slug_re.fullmatch(cycle_slug):
            raise Http404  # no cycle has such a slug (and PostgreSQL refuses NUL in a query)
        application = own_application(
            self.company, cycle=services.current_cycle(), cycle_slug=cycle_slug
        )
        if application is None:
            raise Http404
        return self.pdf(application)


class SummaryPdfView(_OwnApplicationPdfView):
    def pdf(self, application):
        if not application.is_submitted:
            raise Http404
        return pdf_attachment(
            documents.application_summary_pdf(application),
            filename=f"bewerbung-{application.cycle.slug}.pdf",
        )


class FeedbackPdfView(_OwnApplicationPdfView):
    def pdf(self, application):
        if not decision_visible(application):
            raise Http404
        return pdf_attachment(
            documents.feedback_report_pdf(application),
            filename=f"feedback-{application.cycle.slug}.pdf",
        )


class CertificatePdfView(_OwnApplicationPdfView):
    def pdf(self, application):
        certificate = valid_certificate(application)
        if certificate is None:
            raise Http404
        return pdf_attachment(
            documents.certificate_pdf(certificate), filename=f"urkunde-{application.cycle.slug}.pdf"
        )


summary_pdf = SummaryPdfView.as_view()
feedback_pdf = FeedbackPdfView.as_view()
certificate_pdf = CertificatePdfView.as_view()


@login_required
def evidence_download(request, pk):
    """Evidence for the applying company's admins, coordinators and the jurors assigned to it."""
    evidence = get_object_or_404(Evidence.objects.select_related("answer__application"), pk=pk)
    access = evidence_access(request.user, evidence)
    if access is None:
        raise Http404
    if access == "juror":
        # Like the jury's pages, this needs the second factor.
        refusal = second_factor_refusal(request)
        if refusal is not None:
            return refusal
    extension = EVIDENCE_EXTENSIONS.get(evidence.content_type) or Path(evidence.file.name).suffix
    return stored_file_response(
        evidence.file,
        filename=f"nachweis-{evidence.pk}{extension}",
        content_type=evidence.content_type,
    )
