"""Calendar downloads: one meeting as ``.ics`` and the personal feed for Outlook or Google."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from members.permissions import is_network_member
from network_portal.signing import absolute_url

from .. import calendar, services
from ..models import CalendarFeed, Meeting
from ..permissions import MeetingsMemberMixin

# The feed shows the meetings of roughly the last year and everything ahead.
FEED_PAST_DAYS = 366
# Calendar apps poll the feed; they may keep a copy for this long.
FEED_MAX_AGE_SECONDS = 15 * 60

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


class MeetingIcsView(MeetingsMemberMixin, View):
    """ "Add to calendar" for one meeting; a cancelled meeting comes as STATUS:CANCELLED."""

    def get(self, request, slug):
        meeting = get_object_or_404(Meeting.objects.visible(), slug=slug)
        response = HttpResponse(calendar.meeting_ics(meeting), content_type=ICS_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{meeting.slug}.ics"'
        patch_cache_control(response, private=True, no_cache=True)
        return response


meeting_ics = MeetingIcsView.as_view()


def feed_url(feed: CalendarFeed) -> str:
    return absolute_url(reverse("meetings:feed", args=[feed.token]))


class CalendarFeedView(MeetingsMemberMixin, TemplateView):
    """Explains the personal feed and lets the user create, replace or switch it off."""

    template_name = "meetings/calendar_feed.html"

    def get_context_data(self, **kwargs):
        feed = CalendarFeed.objects.filter(user=self.request.user).first()
        context = {"feed": feed}
        if feed is not None:
            url = feed_url(feed)
            # webcal:// makes the browser hand the address to the calendar app.
            context.update(feed_url=url, webcal_url="webcal://" + url.split("://", 1)[1])
        return super().get_context_data(**context, **kwargs)

    def post(self, request):
        action = request.POST.get("action")
        user = request.user
        # A new secret token: whoever knew the old URL gets nothing from it any more.
        if action in ("create", "renew"):
            existed = CalendarFeed.objects.filter(user=user).exists()
            services.calendar_feed_renew(user=user)
            if existed:
                messages.success(
                    request,
                    _(
                        "Your calendar feed has a new address. The old address no longer "
                        "works: please subscribe again with the new one."
                    ),
                )
            else:
                messages.success(request, _("Your personal calendar feed is ready."))
        elif action == "delete":
            services.calendar_feed_delete(user=user)
            messages.success(
                request, _("Your calendar feed has been switched off. Its address no longer works.")
            )
        else:
            messages.error(request, _("Please choose an action."))
        return redirect("meetings:calendar")


def feed(request, token):
    """The personal feed: no login (calendar apps cannot log in); the secret token is the key.

    The feed works only while its owner may see meetings, so a user whose company paused or
    left the network gets nothing from an old subscription.
    """
    calendar_feed = (
        CalendarFeed.objects.select_related("user__membership__company").filter(token=token).first()
    )
    if calendar_feed is None or not calendar_feed.user.is_active:
        raise Http404
    if not is_network_member(calendar_feed.user):
        raise Http404
    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    meetings = Meeting.objects.visible().filter(ends_at__gte=since).order_by("starts_at")
    response = HttpResponse(calendar.feed_ics(meetings), content_type=ICS_CONTENT_TYPE)
    patch_cache_control(response, private=True, max_age=FEED_MAX_AGE_SECONDS)
    response["X-Robots-Tag"] = "noindex"
    return response
