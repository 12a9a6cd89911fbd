from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
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

        # The coordinators' cockpit: the plumbing's own section (failed mails of the outbox).
        from .cockpit import register_outbox_section

        register_outbox_section()

        from . import checks  # noqa: F401 - registers the deploy checks

        # Each app names its activity log actions in its activity.py (network_portal.activity);
        # imported here like the admin's admin.py, so the plumbing never imports an app.
        autodiscover_modules("activity")
        # Each app registers the kinds of mail whose standard text coordinators may edit in
        # its mail_texts.py (network_portal.mail_texts), imported the same way.
        autodiscover_modules("mail_texts")
