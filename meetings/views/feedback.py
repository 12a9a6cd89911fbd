"""Feedback after a meeting, from the signed link in the feedback mail (no login)."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from network_portal.signing import LinkProblem, LinkProblemPageMixin, read_link

from .. import services
from ..forms import FeedbackForm
from ..models import Feedback, Meeting, Registration

# The request goes out within two weeks after the meeting; the link stays valid a while longer.
FEEDBACK_LINK_MAX_AGE = 60 * 24 * 3600


class FeedbackView(LinkProblemPageMixin, View):
    template_name = "meetings/feedback_form.html"

    def _resolve(self, token):
        """The registration the link was made for, or :class:`LinkProblem`."""
        invalid = _("This feedback link is not valid.")
        payload = read_link(
            token,
            purpose=services.FEEDBACK_PURPOSE,
            max_age_seconds=FEEDBACK_LINK_MAX_AGE,
            expired_message=_("This feedback link has expired."),
            invalid_message=invalid,
        )
        registration = (
            Registration.objects.select_related("meeting")
            .filter(
                pk=payload.get("r"),
                meeting__status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
            )
            .first()
        )
        if registration is None:
            raise LinkProblem(invalid)
        return registration

    def _render(self, request, registration, form, status=200, **extra):
        context = {"registration": registration, "meeting": registration.meeting, "form": form}
        return render(request, self.template_name, {**context, **extra}, status=status)

    def get(self, request, token):
        registration = self._resolve(token)
        if not registration.meeting.is_over:
            return self._render(request, registration, form=None, not_yet=True)
        existing = Feedback.objects.filter(registration=registration).first()
        initial = {"rating": existing.rating, "comment": existing.comment} if existing else None
        return self._render(request, registration, FeedbackForm(initial=initial), existing=existing)

    def post(self, request, token):
        registration = self._resolve(token)
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            return self._render(request, registration, form)
        try:
            services.feedback_give(
                registration=registration,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            return self._render(
                request, registration, form=None, status=409, refused=" ".join(error.messages)
            )
        return self._render(request, registration, form=None, thanks=True)
