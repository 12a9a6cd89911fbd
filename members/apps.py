from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def home_member_count(request):
    """The start page's count of member companies."""
    from .models import Company

    return {"member_count": Company.objects.active().count()}


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from network_portal.cockpit import register_cockpit_section
        from network_portal.home import register_home_section

        from . import account, cockpit

        register_home_section("members", home_member_count, order=10)
        register_cockpit_section("members", title=_("Members"), order=10, counters=cockpit.counters)
        account.register()
