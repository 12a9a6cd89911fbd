"""The owner or the coordinators write to the companies interested in a project: the form,
then a confirmation with the count, then one mail per address."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views import View

from .. import selectors, services
from ..forms import MessageForm
from ..models import Project
from ..permissions import CooperationMemberMixin


class MessageView(CooperationMemberMixin, View):
    template_name = "cooperation/message.html"

    def get_project(self, pk) -> Project:
        project = get_object_or_404(Project.objects.select_related("company"), pk=pk)
        self.require_manager(project)
        return project

    def get(self, request, pk):
        project = self.get_project(pk)
        return self._render(project, MessageForm())

    def post(self, request, pk):
        project = self.get_project(pk)
        form = MessageForm(request.POST)
        if not form.is_valid():
            return self._render(project, form)
        token = _token(request.POST.get("token", ""))
        if request.POST.get("confirmed") != "yes" or token is None:
            return self._render(project, form, confirm=True)
        try:
            message = services.message_send(
                project=project,
                subject=form.cleaned_data["subject"],
                text=form.cleaned_data["text"],
                by_user=request.user,
                token=token,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(project, form)
        messages.success(
            request,
            ngettext(
                "Your message is being sent to %(n)d recipient.",
                "Your message is being sent to %(n)d recipients.",
                message.recipients,
            )
            % {"n": message.recipients},
        )
        return redirect("cooperation:detail", pk=project.pk)

    def _render(self, project, form, *, confirm=False):
        recipients = selectors.message_recipients(project)
        return render(
            self.request,
            self.template_name,
            {
                "project": project,
                "form": form,
                "confirm": confirm,
                # One token per confirmation page: a double click sends the message once.
                "token": uuid.uuid4() if confirm else None,
                "recipient_count": len(recipients),
                "company_count": len({recipient.company_id for recipient in recipients}),
            },
        )


def _token(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
