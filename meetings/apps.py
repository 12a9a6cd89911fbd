from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The topic of the shared content about meetings (past meetings list, the start page's next
# meeting): meetings and their hosts' names; network_portal.cache_versions.
MEETINGS_TOPIC = "meetings.shared"
# Seats and registrations: the upcoming meetings with their free seats.
SEATS_TOPIC = "meetings.seats"


def home_next_meeting(request):
    """The start page's next published meeting (or None): for visitors only a network meeting
    or a public event; cached until a meeting or a company changes, or the meeting starts."""
    from members.permissions import is_network_member

    from .selectors import next_published_meeting_cached

    members = request.user.is_authenticated and is_network_member(request.user)
    return {"next_meeting": next_published_meeting_cached(members=members)}


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Network meetings")

    def ready(self):
        from members.models import Company
        from network_portal.cache_versions import watch
        from network_portal.cockpit import register_cockpit_section
        from network_portal.home import register_home_section

        from . import account, cockpit
        from .models import AgendaItem, Material, Meeting, Registration

        watch(Meeting, MEETINGS_TOPIC)
        watch(Company, MEETINGS_TOPIC)
        watch(AgendaItem, MEETINGS_TOPIC)
        watch(Material, MEETINGS_TOPIC)
        watch(Registration, SEATS_TOPIC)
        register_home_section("meetings", home_next_meeting, order=20)
        register_cockpit_section(
            "meetings",
            title=_("Next network meetings"),
            order=60,
            template="admin/meetings/cockpit.html",
            context=cockpit.context,
            permission="meetings.view_meeting",
            watches=(Meeting, Registration, Company),
        )
        account.register()

        from members.newcomers import register_newcomers_hook

        from . import services

        # Contacts who join while a meeting is open for answers are invited to it.
        register_newcomers_hook("meetings", services.invite_newcomers)
