"""Public sign-up, and the pages reached by signed links from mails (no login).

The signed token is the authorisation on every page but the sign-up: it was mailed to the
address it names. Confirmation follows the house pattern for links from mails: GET shows the
page with a button and changes nothing; the person's press of the button (a POST) confirms, so
a mail scanner that opens the link, even one that runs scripts, confirms nothing.
Unsubscribing is likewise a deliberate POST from the page, or the
RFC 8058 one-click POST a mail program sends without cookies, hence ``csrf_exempt``.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView

from network_portal import ratelimits
from network_portal.signing import LinkProblem, LinkProblemPageMixin, make_token, read_link

from .. import rendering, services
from ..forms import (
    CONSENT_TEXT,
    PREFERENCES_CONSENT_TEXT,
    SIGNUP_FORM,
    PreferencesForm,
    SubscribeForm,
)
from ..models import MailingList, Subscriber, Subscription

logger = logging.getLogger(__name__)

# Preference and unsubscribe links come with every issue; they stay valid for two years.
LINK_MAX_AGE = 2 * 366 * 24 * 3600

ONE_CLICK_FORM = "one-click"
UNSUBSCRIBE_PAGE_FORM = "unsubscribe-page"
PREFERENCES_FORM = "preferences"


def _public_lists():
    return MailingList.objects.filter(kind=MailingList.Kind.PUBLIC).order_by("name")


def _visitor_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def preferences_path(subscriber: Subscriber) -> str:
    token = make_token(purpose=rendering.PREFERENCES_PURPOSE, payload={"s": subscriber.pk})
    return reverse("newsletter:preferences", args=[token])


def _read(token: str, *, purpose: str, max_age_seconds: int, expired_message: str):
    """The payload and subscriber of a link from a mail, or :class:`LinkProblem`."""
    payload = read_link(
        token,
        purpose=purpose,
        max_age_seconds=max_age_seconds,
        expired_message=expired_message,
        invalid_message=_("This link is not valid."),
    )
    subscriber_id = payload.get("s") if isinstance(payload, dict) else None
    subscriber = (
        Subscriber.objects.filter(pk=subscriber_id).first()
        if isinstance(subscriber_id, int)
        else None
    )
    if subscriber is None:  # erased in the meantime, or a payload we never wrote
        raise LinkProblem(_("This link is not valid."))
    return payload, subscriber


class SubscribeView(View):
    template_name = "newsletter/subscribe.html"

    def get(self, request):
        lists = _public_lists()
        form = SubscribeForm(public_lists=lists) if lists.exists() else None
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        lists = _public_lists()
        if not lists.exists():
            return render(request, self.template_name, {"form": None})
        form = SubscribeForm(request.POST, public_lists=lists)
        if form.is_bot:
            # Answer like a success, so a bot learns nothing; nothing is stored or mailed.
            logger.info("Newsletter sign-up with a filled honeypot ignored.")
            return redirect("newsletter:subscribe_sent")
        # Each sign-up mails the address typed in: limited per client address and overall.
        if form.is_valid() and not ratelimits.signup_allowed(
            request, action=ratelimits.NEWSLETTER_SIGNUP
        ):
            form.add_error(None, ratelimits.REFUSED)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.subscription_request(
                    email=data["email"],
                    lists=list(data["lists"]),
                    consent_text=str(CONSENT_TEXT),
                    form=SIGNUP_FORM,
                    salutation=data["salutation"],
                    title=data["title"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    language=_visitor_language(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("newsletter:subscribe_sent")
        return render(request, self.template_name, {"form": form})


class SubscribeSentView(TemplateView):
    """The same page whether the address was known or not."""

    template_name = "newsletter/subscribe_sent.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(confirm_days=settings.NEWSLETTER_CONFIRM_DAYS, **kwargs)


class ConfirmView(LinkProblemPageMixin, View):
    """The link from the confirmation mail (double opt-in)."""

    template_name = "newsletter/confirm.html"

    def _resolve(self, token):
        payload, subscriber = _read(
            token,
            purpose=rendering.CONFIRM_PURPOSE,
            max_age_seconds=services.confirm_max_age_seconds(),
            expired_message=_(
                "This confirmation link has expired. For your protection it is only valid for "
                "%(days)s days. Please sign up again; you will then receive a new link."
            )
            % {"days": settings.NEWSLETTER_CONFIRM_DAYS},
        )
        list_ids = payload.get("l")
        if not isinstance(list_ids, list) or not all(isinstance(i, int) for i in list_ids):
            raise LinkProblem(_("This link is not valid."))
        return subscriber, list_ids

    def get(self, request, token):
        subscriber, list_ids = self._resolve(token)
        lists = MailingList.objects.filter(pk__in=list_ids).order_by("name")
        return render(
            request,
            self.template_name,
            {"subscriber": subscriber, "lists": lists, "confirmed": False},
        )

    def post(self, request, token):
        subscriber, list_ids = self._resolve(token)
        services.subscription_confirm(subscriber=subscriber, list_ids=list_ids)
        confirmed = (
            subscriber.subscriptions.filter(
                mailing_list_id__in=list_ids, status=Subscription.Status.CONFIRMED
            )
            .select_related("mailing_list")
            .order_by("mailing_list__name")
        )
        return render(
            request,
            self.template_name,
            {
                "subscriber": subscriber,
                "confirmed": True,
                "confirmed_lists": [s.mailing_list for s in confirmed],
                "preferences_url": preferences_path(subscriber),
            },
        )


class PreferencesView(LinkProblemPageMixin, View):
    """Choose lists or leave all, without login, from the link in every mail."""

    template_name = "newsletter/preferences.html"

    def _resolve(self, token):
        _payload, subscriber = _read(
            token,
            purpose=rendering.PREFERENCES_PURPOSE,
            max_age_seconds=LINK_MAX_AGE,
            expired_message=_(
                "This link has expired. Please use the link in a more recent newsletter."
            ),
        )
        return subscriber

    def _form(self, subscriber, data=None):
        subscriptions = list(subscriber.subscriptions.select_related("mailing_list"))
        # Member lists are joined as a member contact, not by choice: offered here only to
        # those on them (or who left them), never to someone who is no longer a member contact.
        member_list_ids = [
            s.mailing_list_id
            for s in subscriptions
            if s.mailing_list.kind == MailingList.Kind.MEMBERS
            and s.status != Subscription.Status.ENDED
        ]
        available = MailingList.objects.filter(
            Q(kind=MailingList.Kind.PUBLIC) | Q(pk__in=member_list_ids)
        ).order_by("kind", "name")
        form = PreferencesForm(
            data,
            available_lists=available,
            subscribed_ids=[
                s.mailing_list_id
                for s in subscriptions
                if s.status == Subscription.Status.CONFIRMED
            ],
        )
        pending = [
            s.mailing_list
            for s in subscriptions
            if s.status == Subscription.Status.PENDING
            and (
                s.mailing_list.kind == MailingList.Kind.PUBLIC
                or s.mailing_list_id in member_list_ids
            )
        ]
        return form, pending

    def _render(self, request, subscriber, form, pending):
        return render(
            request,
            self.template_name,
            {
                "subscriber": subscriber,
                "form": form,
                "pending_lists": pending,
                "consent_text": PREFERENCES_CONSENT_TEXT,
            },
        )

    def get(self, request, token):
        subscriber = self._resolve(token)
        form, pending = self._form(subscriber)
        return self._render(request, subscriber, form, pending)

    def post(self, request, token):
        subscriber = self._resolve(token)
        if request.POST.get("action") == "leave":
            services.unsubscribe_all(subscriber=subscriber, form=PREFERENCES_FORM)
            messages.success(
                request,
                _(
                    "You have left all newsletters. You will receive no more newsletters from "
                    "us at %(email)s."
                )
                % {"email": subscriber.email},
            )
            return redirect(request.path)
        form, pending = self._form(subscriber, request.POST)
        if not form.is_valid():
            return self._render(request, subscriber, form, pending)
        services.preferences_save(
            subscriber=subscriber,
            wanted_lists=list(form.cleaned_data["lists"]),
            consent_text=str(PREFERENCES_CONSENT_TEXT),
        )
        messages.success(request, _("Your choice has been saved."))
        return redirect(request.path)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(LinkProblemPageMixin, View):
    """GET asks; POST unsubscribes from every list (the page's button or RFC 8058 one-click).

    No script submits this form: a link that is only fetched never unsubscribes anyone.
    The view is exempt from CSRF because mail programs send the one-click POST without
    cookies; the signed token is the authorisation, and the worst a forged POST could do is
    what the link's owner may do with one click anyway.
    """

    template_name = "newsletter/unsubscribe.html"

    def _resolve(self, token):
        _payload, subscriber = _read(
            token,
            purpose=rendering.UNSUBSCRIBE_PURPOSE,
            max_age_seconds=LINK_MAX_AGE,
            expired_message=_(
                "This unsubscribe link has expired. Please use the link in a more recent "
                "newsletter, or write to us at %(email)s."
            )
            % {"email": settings.NEWSLETTER_UNSUBSCRIBE_MAILTO},
        )
        return subscriber

    def get(self, request, token):
        subscriber = self._resolve(token)
        return render(
            request, self.template_name, {"subscriber": subscriber, "unsubscribed": False}
        )

    def post(self, request, token):
        subscriber = self._resolve(token)
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        services.unsubscribe_all(
            subscriber=subscriber, form=ONE_CLICK_FORM if one_click else UNSUBSCRIBE_PAGE_FORM
        )
        return render(
            request,
            self.template_name,
            {
                "subscriber": subscriber,
                "unsubscribed": True,
                "preferences_url": preferences_path(subscriber),
            },
        )
