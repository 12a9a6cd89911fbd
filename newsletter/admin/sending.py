"""Sending an issue: a test to oneself, now, at a time, or taking the time back. Each step is
one service; the issue's page shows the outcome and the progress."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from network_portal.admin_views import PortalAdminMixin, admin_url
from network_portal.confirmation import Confirmation

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

    # Sending and scheduling confirm first: a GET shows how many subscribers get the issue
    # (``services.issue_recipients_count``, counted as the send writes its deliveries), and
    # only the page's POST sends or schedules.

    @admin_url("<int:pk>/send/", name="newsletter_issue_send")
    def send_view(self, request, pk):
        issue = self._issue(request, pk)
        if request.method == "POST":
            return self._run_step(
                request,
                issue,
                services.issue_send,
                lambda _sent: gettext(
                    "The issue is being sent. The progress is shown on this page."
                ),
            )
        return self._confirmation(request, issue)

    @admin_url("<int:pk>/schedule/", name="newsletter_issue_schedule")
    def schedule_view(self, request, pk):
        issue = self._issue(request, pk)
        form = ScheduleForm(request.POST if request.method == "POST" else request.GET)
        if not form.is_valid():
            self.message_form_errors(request, form)
            return self.redirect_to_change(issue)
        at = form.cleaned_data["at"]
        if request.method == "POST":
            return self._run_step(
                request,
                issue,
                services.issue_send,
                lambda scheduled: (
                    gettext("The issue will be sent on %(at)s.")
                    % {"at": _local(scheduled.scheduled_at)}
                ),
                at=at,
            )
        return self._confirmation(request, issue, at=at)

    def _confirmation(self, request, issue, *, at=None):
        """The page before sending ``issue`` now, or at ``at``: to how many, from which lists."""
        try:
            services.require_sendable(issue)
        except ValidationError as error:
            self.message_refusal(request, error)
            return self.redirect_to_change(issue)
        count = services.issue_recipients_count(issue=issue)
        lists = ", ".join(mailing_list.name for mailing_list in issue.lists.order_by("name"))
        facts = [(gettext("Subject"), issue.subject), (gettext("Lists"), lists)]
        if at is None:
            consequences = [
                gettext("The issue goes out now. Sending cannot be stopped or undone."),
                gettext("Once it is sent, the issue can no longer be changed."),
            ]
            mails = ngettext(
                "%(n)d subscriber gets the issue by email now: everyone with a confirmed "
                "subscription to one of its lists, each address once.",
                "%(n)d subscribers get the issue by email now: everyone with a confirmed "
                "subscription to one of its lists, each address once.",
                count,
            ) % {"n": count}
            title = gettext("Send “%(subject)s” now?") % {"subject": issue.subject}
            submit = ngettext(
                "Send now to %(n)d subscriber", "Send now to %(n)d subscribers", count
            ) % {"n": count}
            hidden = []
        else:
            when = _local(at)
            facts.append((gettext("Send at"), when))
            consequences = [
                gettext("The issue goes out on %(at)s by itself.") % {"at": when},
                gettext(
                    "Until then it cannot be changed; you can take back the scheduling on its "
                    "page and it is a draft again."
                ),
            ]
            mails = ngettext(
                "%(n)d subscriber would get the issue by email if it went out now: everyone "
                "with a confirmed subscription to one of its lists, each address once. It goes "
                "to those subscribed at the time of sending.",
                "%(n)d subscribers would get the issue by email if it went out now: everyone "
                "with a confirmed subscription to one of its lists, each address once. It goes "
                "to those subscribed at the time of sending.",
                count,
            ) % {"n": count}
            title = gettext("Schedule “%(subject)s”?") % {"subject": issue.subject}
            submit = gettext("Schedule for %(at)s") % {"at": when}
            hidden = [("at", timezone.localtime(at).strftime("%Y-%m-%dT%H:%M"))]
        return self.render_confirmation(
            request,
            Confirmation(
                title=title,
                consequences=consequences,
                facts=facts,
                mails=[mails],
                submit_label=submit,
                cancel_url=reverse("admin:newsletter_issue_change", args=[issue.pk]),
                danger=False,
            ),
            original=issue,
            crumb=gettext("Send now") if at is None else gettext("Schedule"),
            hidden=hidden,
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
