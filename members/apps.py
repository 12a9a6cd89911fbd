from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def home_member_count(request):
    """The start page's count of member companies."""
    from .models import Company

    return {"member_count": Company.objects.active().count()}


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member companies")

    def ready(self):
        from network_portal.home import register_home_section

        register_home_section("members", home_member_count, order=10)
