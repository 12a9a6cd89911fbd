"""The page a request to speak links to: the asked person of a member company reads what the
coordination team asks and answers with "Zusagen" or "Absagen", without logging in.

GET shows the request and changes nothing; only the person's press of a button (a POST with
the signed token and the CSRF token) answers it, so a mail scanner that opens links answers for
nobody. The token names the request and the answer its link stood for (that button is the
first); either button may be pressed.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from network_portal.signing import LinkProblem, LinkProblemPageMixin, read_link

from .. import services
from ..models import SpeakerRequest


class SpeakerAnswerView(LinkProblemPageMixin, View):
    template_name = "meetings/speaker_answer.html"

    def _resolve(self, token) -> tuple[SpeakerRequest, bool]:
        invalid = _("This link is not valid.")
        payload = read_link(
            token,
            purpose=services.SPEAKER_PURPOSE,
            max_age_seconds=services.SPEAKER_LINK_MAX_AGE,
            expired_message=_("This link has expired."),
            invalid_message=invalid,
        )
        speaker_request = (
            SpeakerRequest.objects.select_related("meeting", "contact", "company", "agenda_item")
            .filter(pk=payload.get("s"))
            .first()
        )
        if speaker_request is None:
            raise LinkProblem(invalid)
        return speaker_request, bool(payload.get("a"))

    def _render(self, request, speaker_request, *, accept, status=200, **extra):
        return render(
            request,
            self.template_name,
            {
                "speaker_request": speaker_request,
                "meeting": speaker_request.meeting,
                "linked_accept": accept,
                "refusal": services.speaker_request_refusal(speaker_request),
                **extra,
            },
            status=status,
        )

    def get(self, request, token):
        speaker_request, accept = self._resolve(token)
        return self._render(request, speaker_request, accept=accept)

    def post(self, request, token):
        speaker_request, accept = self._resolve(token)
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            return self._render(
                request,
                speaker_request,
                accept=accept,
                status=400,
                problem=_("Please choose an answer."),
            )
        try:
            speaker_request = services.speaker_request_answer(
                speaker_request=speaker_request, accept=answer == "accept"
            )
        except ValidationError as error:
            speaker_request.refresh_from_db()
            return self._render(
                request,
                speaker_request,
                accept=accept,
                status=409,
                problem=" ".join(error.messages),
            )
        return self._render(request, speaker_request, accept=accept, recorded=True)
