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

        from . import account, cockpit

        register_cockpit_section(
            "newsletter", title=_("Mailing lists"), order=40, counters=cockpit.counters
        )
        account.register()

        from anymail.signals import tracking
        from django.core.checks import register as register_check

        from . import provider_bounces

        tracking.connect(provider_bounces.tracking_received, dispatch_uid="newsletter-bounces")
        register_check(provider_bounces.check_settings)
