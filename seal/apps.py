from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealConfig(AppConfig):
    name = "seal"
    verbose_name = _("“Mein Top Job Trier” seal")

    def ready(self):
        from network_portal.cockpit import register_cockpit_section

        from . import cockpit

        register_cockpit_section(
            "seal",
            title=_("“Mein Top Job Trier” seal"),
            order=30,
            counters=cockpit.counters,
            permission="seal.view_application",
        )
