from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkPortalConfig(AppConfig):
    name = "network_portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_session_clock

        user_logged_in.connect(start_session_clock, dispatch_uid="network_portal.session_clock")

        from .mail import outbox_queue
        from .sending import register_queue

        register_queue(outbox_queue())

        from . import checks  # noqa: F401 - registers the deploy checks
