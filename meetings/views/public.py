"""The public calendar of the network's public events (``Meeting.is_public``), for partners
and the city's website: a page, an iCalendar feed and a JSON feed. No login; title, kind, time,
venue and city only (no agenda, no seats, no people). One query each."""

from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from network_portal.signing import absolute_url

from .. import calendar
from ..selectors import public_events
from .calendar import ICS_CONTENT_TYPE

# Calendar apps and other websites may keep a copy for this long.
PUBLIC_FEED_MAX_AGE = 15 * 60


def public_event_url(meeting) -> str:
    """Where the public reads about ``meeting``: its entry on the public page (the meeting's own
    page is for members)."""
    return absolute_url(reverse("meetings:public_events")) + f"#event-{meeting.slug}"


def _public(response):
    response["Cache-Control"] = f"public, max-age={PUBLIC_FEED_MAX_AGE}"
    return response


class PublicEventsView(TemplateView):
    """„Öffentliche Veranstaltungen“: the public events ahead and of the last weeks, with the
    links to both feeds."""

    template_name = "meetings/public_events.html"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        events = public_events(now=now)
        ics_url = absolute_url(reverse("meetings:public_ics"))
        return super().get_context_data(
            upcoming=[event for event in events if event.ends_at >= now],
            past=[event for event in events if event.ends_at < now][::-1],
            ics_url=ics_url,
            webcal_url="webcal://" + ics_url.split("://", 1)[1],
            json_url=absolute_url(reverse("meetings:public_json")),
            **kwargs,
        )


@require_GET
def public_ics(request):
    response = HttpResponse(
        calendar.public_feed_ics(public_events(), url_of=public_event_url),
        content_type=ICS_CONTENT_TYPE,
    )
    response["Content-Disposition"] = 'inline; filename="veranstaltungen.ics"'
    return _public(response)


@require_GET
def public_json(request):
    """The public events as JSON for other websites: one entry per event."""
    events = [
        {
            "title": event.title,
            "kind": event.kind,
            "kind_label": str(event.get_kind_display()),
            "start": timezone.localtime(event.starts_at).isoformat(),
            "end": timezone.localtime(event.ends_at).isoformat(),
            "venue": {"name": event.venue_name, "city": event.venue_city},
            "url": public_event_url(event),
        }
        for event in public_events()
    ]
    response = JsonResponse(
        {
            "network": "Attraktive Unternehmen Trier",
            "title": _("Public events"),
            "ical_url": absolute_url(reverse("meetings:public_ics")),
            "events": events,
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return _public(response)
