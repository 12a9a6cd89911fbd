from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = _("Mailing lists")

    def ready(self):
        from network_portal.sending import register_queue

        from .delivery import delivery_queue

        register_queue(delivery_queue())

        from network_portal.cockpit import register_cockpit_section

        from . import cockpit

        register_cockpit_section(
            "newsletter", title=_("Mailing lists"), order=40, counters=cockpit.counters
        )
