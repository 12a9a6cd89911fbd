from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Member companies")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import ensure_role_groups

        # Every app's post_migrate, so permissions of apps migrated later are included.
        post_migrate.connect(ensure_role_groups, dispatch_uid="members.ensure_role_groups")
