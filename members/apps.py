from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The topic of the shared content that shows companies and contact persons (the directory,
# the start page's count); network_portal.cache_versions.
DIRECTORY_TOPIC = "members.directory"


def home_member_count(request):
    """The start page's count of member companies (cached until a company changes)."""
    from network_portal.cache_versions import cached

    from .models import Company

    count = cached(
        "members.home.count", lambda: Company.objects.active().count(), topics=[DIRECTORY_TOPIC]
    )
    return {"member_count": count}


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Members")

    def ready(self):
        from network_portal.cache_versions import watch
        from network_portal.cockpit import register_cockpit_section
        from network_portal.home import register_home_section

        from . import account, cockpit
        from .models import Company, ContactPerson, JoinRequest

        watch(Company, DIRECTORY_TOPIC)
        watch(ContactPerson, DIRECTORY_TOPIC)
        register_home_section("members", home_member_count, order=10)
        register_cockpit_section(
            "members",
            title=_("Members"),
            order=10,
            counters=cockpit.counters,
            watches=(Company, JoinRequest),
        )
        account.register()
