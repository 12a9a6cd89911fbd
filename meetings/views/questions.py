"""Questions to the experts of a meeting: members of active companies submit them beforehand
(to one expert or to all), see the questions asked so far and change or withdraw their
company's own until they are sent. The asking company's name is shown to other members only
where the company allowed it; it never reaches their page otherwise."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from network_portal.confirmation import Confirmation, confirmation_page
from network_portal.flash import flash_errors

from .. import services
from ..forms import ExpertQuestionForm
from ..models import ExpertQuestion, Meeting
from ..permissions import (
    MeetingsCompanyMixin,
    MeetingsMemberMixin,
    can_change_question,
    questions_open,
)
from ..selectors import meeting_questions, with_invitation

TEMPLATE = "meetings/questions.html"


def _meeting(slug: str, company=None) -> Meeting:
    """A published (or held) meeting that collects questions; any other is no such page.
    With ``company``: whether it is invited (``company_invited``), in the same query."""
    return get_object_or_404(
        with_invitation(
            Meeting.objects.filter(
                status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
                collects_questions=True,
            ),
            company,
        ),
        slug=slug,
    )


def _questions_url(meeting: Meeting, question=None) -> str:
    url = reverse("meetings:questions", args=[meeting.slug])
    return f"{url}#question-{question.pk}" if question is not None else url


def question_rows(questions, company) -> list[dict]:
    """What the page shows of each question: the asking company's name only where it may be
    named (``show_company``) or to the company itself; others get no name at all."""
    rows = []
    for question in questions:
        own = company is not None and question.company_id == company.pk
        rows.append(
            {
                "question": question,
                "own": own,
                "company_name": question.company.name if own or question.show_company else "",
                "can_change": own and can_change_question(question, company),
            }
        )
    return rows


class QuestionsView(MeetingsMemberMixin, View):
    """The questions page of a meeting: the form (while questions are taken) and the questions
    asked so far."""

    def get(self, request, slug):
        meeting = _meeting(slug, self.company)
        return self._page(request, meeting)

    def post(self, request, slug):
        meeting = _meeting(slug, self.company)
        if self.company is None:
            raise PermissionDenied(_("Only users of active member companies can ask questions."))
        form = ExpertQuestionForm(request.POST, meeting=meeting)
        if not form.is_valid():
            return self._page(request, meeting, form=form)
        try:
            question = services.question_submit(
                meeting=meeting,
                company=self.company,
                user=request.user,
                text=form.cleaned_data["text"],
                expert=form.cleaned_data["expert"],
                show_company=form.cleaned_data["show_company"],
            )
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(_questions_url(meeting))
        messages.success(
            request,
            _(
                "Thank you for your question. The coordinators pass it on to the expert before "
                "the meeting."
            ),
        )
        return redirect(_questions_url(meeting, question))

    def _page(self, request, meeting, *, form=None):
        is_open = questions_open(meeting)
        # A company not on the guest list of an event by invitation asks nothing (the service
        # refuses it too).
        invited = self.company is not None and meeting.company_invited
        if form is None and is_open and invited:
            form = ExpertQuestionForm(meeting=meeting)
        return render(
            request,
            TEMPLATE,
            {
                "meeting": meeting,
                "experts": list(meeting.experts.all()),
                "rows": question_rows(meeting_questions(meeting), self.company),
                "form": form if is_open and invited else None,
                "is_open": is_open,
                "has_company": self.company is not None,
                "not_invited": self.company is not None and not invited,
            },
        )


class _OwnQuestionView(MeetingsCompanyMixin, View):
    """A question of the user's own company (another company's does not exist: 404), which
    can still be changed; otherwise back to the page, with the reason."""

    def get_question(self, slug, pk):
        meeting = _meeting(slug)
        question = get_object_or_404(
            ExpertQuestion.objects.select_related("expert"),
            pk=pk,
            meeting=meeting,
            company=self.company,
        )
        return meeting, question

    def refusal(self, request, meeting, question):
        """Where the question can no longer be changed: the redirect back, else None."""
        if question.sent_at is not None:
            messages.info(
                request,
                _(
                    "This question has already been sent to the expert and can no longer be "
                    "changed."
                ),
            )
        elif not questions_open(meeting):
            messages.info(
                request, _("The questions have been passed on to the experts; no more changes.")
            )
        else:
            return None
        return redirect(_questions_url(meeting, question))


class QuestionEditView(_OwnQuestionView):
    template_name = "meetings/question_edit.html"

    def get(self, request, slug, pk):
        meeting, question = self.get_question(slug, pk)
        refused = self.refusal(request, meeting, question)
        if refused:
            return refused
        form = ExpertQuestionForm(
            meeting=meeting,
            initial={
                "expert": question.expert,
                "text": question.text,
                "show_company": question.show_company,
            },
        )
        return self._page(request, meeting, question, form)

    def post(self, request, slug, pk):
        meeting, question = self.get_question(slug, pk)
        refused = self.refusal(request, meeting, question)
        if refused:
            return refused
        form = ExpertQuestionForm(request.POST, meeting=meeting)
        if not form.is_valid():
            return self._page(request, meeting, question, form)
        try:
            services.question_update(
                question=question,
                by_user=request.user,
                text=form.cleaned_data["text"],
                expert=form.cleaned_data["expert"],
                show_company=form.cleaned_data["show_company"],
            )
        except ValidationError as error:
            flash_errors(request, error)
        else:
            messages.success(request, _("Your question has been changed."))
        return redirect(_questions_url(meeting, question))

    def _page(self, request, meeting, question, form):
        return render(
            request, self.template_name, {"meeting": meeting, "question": question, "form": form}
        )


class QuestionWithdrawView(_OwnQuestionView):
    """GET: what withdrawing means; POST: withdraw."""

    def get(self, request, slug, pk):
        meeting, question = self.get_question(slug, pk)
        refused = self.refusal(request, meeting, question)
        if refused:
            return refused
        return confirmation_page(
            request,
            Confirmation(
                title=_("Withdraw your question?"),
                consequences=[
                    _(
                        "The question is deleted: other members no longer see it and it is not "
                        "sent to the expert."
                    )
                ],
                facts=[
                    (_("Meeting"), meeting.title),
                    (_("To"), str(question.expert) if question.expert else _("All experts")),
                    (_("Question"), question.text),
                ],
                submit_label=_("Withdraw question"),
                cancel_url=_questions_url(meeting, question),
            ),
        )

    def post(self, request, slug, pk):
        meeting, question = self.get_question(slug, pk)
        try:
            services.question_withdraw(question=question, by_user=request.user)
        except ValidationError as error:
            flash_errors(request, error)
            return redirect(_questions_url(meeting, question))
        messages.success(request, _("Your question has been withdrawn."))
        return redirect(_questions_url(meeting))
