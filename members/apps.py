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

        from allauth.account.signals import authentication_step_completed
        from allauth.mfa.signals import authenticator_added, authenticator_removed

        from .second_factor import (
            on_authentication_step,
            on_authenticator_added,
            on_authenticator_removed,
        )

        authentication_step_completed.connect(
            on_authentication_step, dispatch_uid="members.second_factor_step"
        )
        authenticator_removed.connect(
            on_authenticator_removed, dispatch_uid="members.second_factor_removed"
        )
        authenticator_added.connect(
            on_authenticator_added, dispatch_uid="members.second_factor_added"
        )
