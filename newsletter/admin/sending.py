"""Sending an issue: a test to oneself, now, at a time, or taking the time back. Each step is
one service; the issue's page shows the outcome and the progress."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin, admin_url

from .. import services


class ScheduleForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def clean_at(self):
        at = self.cleaned_data["at"]
        if at <= timezone.now():
            raise ValidationError(_("Please choose a time in the future."))
        return at


class IssueSendingScreen(PortalAdminMixin):
    """Mixed into :class:`~newsletter.admin.issues.IssueAdmin`."""

    # A scheduled issue is read-only (no change permission on it), but its time can be taken
    # back: sending asks for the change permission on issues in general.
    def has_send_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request)

    def _issue(self, request, pk):
        """The issue, if the user may see it and send issues."""
        return self.object_for(request, pk, require=("send", "view"))

    @admin_url("<int:pk>/send-test/", name="newsletter_issue_send_test", post_only=True)
    def send_test_view(self, request, pk):
        issue = self._issue(request, pk)
        services.issue_send_test(issue=issue, to_user=request.user)
        self.message_user(
            request,
            gettext("A test copy is on its way to %(email)s.") % {"email": request.user.email},
            messages.SUCCESS,
        )
        return self.redirect_to_change(issue)

    def _run_step(self, request, issue, service, done_message, **service_kwargs):
        """``service(issue=…, by_user=…, **service_kwargs)``, reported (see ``run_service``);
        back to the issue."""
        self.run_service(
            request,
            lambda: service(issue=issue, by_user=request.user, **service_kwargs),
            done_message=done_message,
        )
        return self.redirect_to_change(issue)

    @admin_url("<int:pk>/send/", name="newsletter_issue_send", post_only=True)
    def send_view(self, request, pk):
        return self._run_step(
            request,
            self._issue(request, pk),
            services.issue_send,
            lambda _sent: gettext("The issue is being sent. The progress is shown on this page."),
        )

    @admin_url("<int:pk>/schedule/", name="newsletter_issue_schedule", post_only=True)
    def schedule_view(self, request, pk):
        issue = self._issue(request, pk)
        form = ScheduleForm(request.POST)
        if not form.is_valid():
            self.message_form_errors(request, form)
            return self.redirect_to_change(issue)
        return self._run_step(
            request,
            issue,
            services.issue_send,
            lambda scheduled: (
                gettext("The issue will be sent on %(at)s.")
                % {"at": _local(scheduled.scheduled_at)}
            ),
            at=form.cleaned_data["at"],
        )

    @admin_url("<int:pk>/unschedule/", name="newsletter_issue_unschedule", post_only=True)
    def unschedule_view(self, request, pk):
        return self._run_step(
            request,
            self._issue(request, pk),
            services.issue_unschedule,
            lambda _draft: gettext("The issue is a draft again and will not be sent."),
        )


def _local(value) -> str:
    return date_format(timezone.localtime(value), "DATETIME_FORMAT")
