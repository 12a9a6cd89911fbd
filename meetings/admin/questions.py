"""Questions to the experts: the experts of a meeting (an inline of its form), the questions
grouped by expert with the step that sends them (:class:`QuestionsScreen`, mixed into
:class:`~meetings.admin.meetings.MeetingAdmin`), and the list of all questions, where an answer
is recorded (:class:`ExpertQuestionAdmin`).

Sending passes a confirmation page that names the expert and the number of questions. An
expert gets only the questions they have not received yet: those to them and those to all
experts. Questions that come in after a mail can be sent later; nobody gets a question twice.
"""

from django import forms
from django.contrib import admin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.confirmation import Confirmation

from .. import services
from ..models import ExpertGuest, ExpertQuestion, Meeting
from ..selectors import question_groups, questions_to_send
from .facts import meeting_facts


class ExpertGuestFormSet(forms.BaseInlineFormSet):
    """Refuses deleting an expert who has questions: their questions would turn into
    questions to all experts."""

    def clean(self):
        super().clean()
        doomed = [
            form.instance
            for form in self.deleted_forms
            if form.instance.pk is not None and form.instance.questions.exists()
        ]
        if doomed:
            raise forms.ValidationError(
                ngettext(
                    "%(names)s cannot be deleted: members have asked this expert questions, "
                    "which would then go to all experts. Please first give their questions "
                    "to another expert or delete them in the list of questions.",
                    "%(names)s cannot be deleted: members have asked these experts questions, "
                    "which would then go to all experts. Please first give their questions "
                    "to another expert or delete them in the list of questions.",
                    len(doomed),
                )
                % {"names": ", ".join(expert.name for expert in doomed)}
            )


class ExpertGuestInline(admin.TabularInline):
    """The external experts of a meeting, who get the members' questions beforehand; one who
    has questions is not deleted (:class:`ExpertGuestFormSet`)."""

    model = ExpertGuest
    formset = ExpertGuestFormSet
    extra = 0
    fields = ["name", "organisation", "email", "questions_sent_at"]
    readonly_fields = ["questions_sent_at"]


class QuestionsScreen(PortalAdminMixin):
    def _questions_meeting(self, request, pk, *, change=False) -> Meeting:
        return self.object_for(
            request,
            pk,
            require=("change",) if change else ("view",),
            perms=(
                ("meetings.change_expertquestion",) if change else ("meetings.view_expertquestion",)
            ),
            queryset=Meeting.objects.select_related("host"),
        )

    def _questions_url(self, meeting: Meeting) -> str:
        return reverse("admin:meetings_meeting_questions", args=[meeting.pk])

    @admin_url("<int:pk>/questions/", name="meetings_meeting_questions")
    def questions_view(self, request, pk):
        meeting = self._questions_meeting(request, pk)
        groups = question_groups(meeting)
        return self.render_admin_page(
            request,
            "admin/meetings/meeting/questions.html",
            gettext("Questions to the experts: %(meeting)s") % {"meeting": meeting.title},
            original=meeting,
            meeting=meeting,
            groups=groups,
            question_count=sum(len(group["questions"]) for group in groups),
            can_send=self.has_change_permission(request, meeting)
            and request.user.has_perm("meetings.change_expertquestion")
            and meeting.status in (Meeting.Status.PUBLISHED, Meeting.Status.HELD),
        )

    @admin_url("<int:pk>/questions/send/<int:expert_pk>/", name="meetings_meeting_questions_send")
    def questions_send_view(self, request, pk, expert_pk):
        meeting = self._questions_meeting(request, pk, change=True)
        expert = get_object_or_404(ExpertGuest, pk=expert_pk, meeting=meeting)
        back = HttpResponseRedirect(self._questions_url(meeting))
        if request.method == "POST":
            self.run_service(
                request,
                lambda: services.questions_send(
                    meeting=meeting, expert=expert, by_user=request.user
                ),
                done_message=lambda questions: (
                    ngettext(
                        "%(n)d question is being sent to %(expert)s.",
                        "%(n)d questions are being sent to %(expert)s.",
                        len(questions),
                    )
                    % {"n": len(questions), "expert": expert.name}
                ),
            )
            return back
        questions = list(questions_to_send(meeting, expert))
        count = len(questions)
        to_all = sum(1 for question in questions if question.expert_id is None)
        nothing_to_do = ""
        if not count:
            nothing_to_do = gettext("%(expert)s has received every question already.") % {
                "expert": expert.name
            }
        consequences = [
            ngettext(
                "%(expert)s gets %(n)d question by email, as a PDF (%(to_all)d of them to all "
                "experts).",
                "%(expert)s gets %(n)d questions by email, as a PDF (%(to_all)d of them to all "
                "experts).",
                count,
            )
            % {"expert": expert.name, "n": count, "to_all": to_all},
            gettext(
                "Only the questions %(expert)s has not received yet are sent. Questions that "
                "come in later can be sent afterwards: again only the new ones."
            )
            % {"expert": expert.name},
            gettext(
                "The companies can no longer change or withdraw the questions sent. The PDF "
                "names a company only where it allowed its name to be shown."
            ),
        ]
        return self.render_confirmation(
            request,
            Confirmation(
                title=gettext("Send the questions to %(expert)s?") % {"expert": expert.name},
                consequences=consequences,
                facts=[
                    *meeting_facts(meeting),
                    (gettext("Expert"), f"{expert.name} ({expert.organisation})"),
                ],
                mails=[
                    gettext("One email with the questions as a PDF to %(expert)s (%(email)s).")
                    % {"expert": expert.name, "email": expert.email}
                ],
                recipients=[f"{expert.name} · {expert.organisation} · {expert.email}"],
                submit_label=ngettext("Send %(n)d question", "Send %(n)d questions", count)
                % {"n": count},
                cancel_url=self._questions_url(meeting),
                danger=False,
            ),
            original=meeting,
            crumb=gettext("Send to the expert"),
            nothing_to_do=nothing_to_do,
            back_label=gettext("Back to the questions"),
        )


class AnsweredFilter(admin.SimpleListFilter):
    title = _("answered")
    parameter_name = "answered"

    def lookups(self, request, model_admin):
        return [("yes", _("Answered")), ("no", _("Not answered"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(answered_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(answered_at__isnull=True)
        return queryset


class SentFilter(admin.SimpleListFilter):
    title = _("sent to the expert")
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("yes", _("Sent")), ("no", _("Not sent yet"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(sent_at__isnull=True)
        return queryset


class AnswerForm(forms.ModelForm):
    class Meta:
        model = ExpertQuestion
        fields = ["answer"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 6, "cols": 80})}

    def clean_answer(self):
        answer = self.cleaned_data.get("answer", "").strip()
        if not answer and self.instance.answered_at is not None:
            raise forms.ValidationError(_("Please enter the answer."))
        return answer


@admin.register(ExpertQuestion)
class ExpertQuestionAdmin(PortalAdminMixin, admin.ModelAdmin):
    """Every question to the experts; on a question's page the coordinators record the
    expert's answer, which marks it answered (the dossier after the meeting shows it)."""

    form = AnswerForm
    list_display = [
        "short_text",
        "meeting",
        "addressee",
        "company",
        "show_company",
        "created_at",
        "sent_at",
        "is_answered",
    ]
    list_filter = [("meeting", admin.RelatedOnlyFieldListFilter), AnsweredFilter, SentFilter]
    list_select_related = ["meeting", "expert", "company"]
    search_fields = ["text", "answer", "company__name", "expert__name"]
    fields = [
        "meeting",
        "expert",
        "company",
        "asked_by",
        "show_company",
        "text",
        "created_at",
        "sent_at",
        "answer",
        "answered_at",
    ]
    readonly_fields = [
        "meeting",
        "expert",
        "company",
        "asked_by",
        "show_company",
        "text",
        "created_at",
        "sent_at",
        "answered_at",
    ]
    # Questions come from the companies, which withdraw them themselves; a question is kept.
    not_by_hand = ("add", "delete")

    @admin.display(description=_("Question"))
    def short_text(self, question):
        return question.text if len(question.text) <= 80 else f"{question.text[:79]}…"

    @admin.display(description=_("To"), ordering="expert__name")
    def addressee(self, question):
        return str(question.expert) if question.expert_id else gettext("All experts")

    @admin.display(description=_("Answered"), boolean=True, ordering="answered_at")
    def is_answered(self, question):
        return question.answered_at is not None

    def save_model(self, request, obj, form, change):
        # Only the answer is edited here, through the service (logged, marks it answered).
        if change and "answer" in form.changed_data and form.cleaned_data["answer"]:
            services.question_answer(
                question=obj, answer=form.cleaned_data["answer"], by_user=request.user
            )
