from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def home_next_meeting(request):
    """The start page's next published meeting (or None)."""
    from .selectors import next_published_meeting

    return {"next_meeting": next_published_meeting()}


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Network meetings")

    def ready(self):
        from network_portal.cockpit import register_cockpit_section
        from network_portal.home import register_home_section

        from . import account, cockpit

        register_home_section("meetings", home_next_meeting, order=20)
        register_cockpit_section(
            "meetings",
            title=_("Next network meetings"),
            order=60,
            template="admin/meetings/cockpit.html",
            context=cockpit.context,
            permission="meetings.view_meeting",
        )
        account.register()

        from members.newcomers import register_newcomers_hook

        from . import services

        # Contacts who join while a meeting is open for answers are invited to it.
        register_newcomers_hook("meetings", services.invite_newcomers)
