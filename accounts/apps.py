from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("User accounts")

    def ready(self):
        from allauth.account.signals import (
            authentication_step_completed,
            email_changed,
            user_logged_in,
        )
        from allauth.mfa.signals import authenticator_added, authenticator_removed
        from django.db.models.signals import post_migrate

        from .admin_labels import name_library_models
        from .middleware import apply_language_at_login
        from .receivers import on_login_address_changed
        from .roles import ensure_role_groups
        from .second_factor import (
            on_authentication_step,
            on_authenticator_added,
            on_authenticator_removed,
        )

        # Every app's post_migrate, so permissions of apps migrated later are included.
        post_migrate.connect(ensure_role_groups, dispatch_uid="accounts.ensure_role_groups")
        authentication_step_completed.connect(
            on_authentication_step, dispatch_uid="accounts.second_factor_step"
        )
        authenticator_removed.connect(
            on_authenticator_removed, dispatch_uid="accounts.second_factor_removed"
        )
        authenticator_added.connect(
            on_authenticator_added, dispatch_uid="accounts.second_factor_added"
        )
        email_changed.connect(on_login_address_changed, dispatch_uid="accounts.address_changed")
        user_logged_in.connect(apply_language_at_login, dispatch_uid="accounts.language_at_login")
        name_library_models()


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's admin site (see accounts.admin_site)."""

    default = False  # named explicitly in INSTALLED_APPS
    default_site = "accounts.admin_site.PortalAdminSite"
