"""The activity log's actions of a person's own account (see ``network_portal.activity``);
imported by the plumbing when the apps are ready.

The addresses of a change of the login address are personal data: they go when the person's
data is erased (deleting the account erases the entries about it).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from network_portal.activity import Detail, register_actions

from .account_parts import PartLabels

register_actions(
    {
        "accounts.user.name_changed": _("Name changed"),
        "accounts.user.language_changed": _("Language changed"),
        "accounts.user.email_changed": _("Login address changed"),
        "accounts.user.deleted": _("Account deleted by its owner"),
    },
    details={
        "fields": Detail(_("Changed"), kind="fields"),
        "language": Detail(_("Language"), choices=settings.LANGUAGES, change=True),
        "addresses": Detail(_("Email address"), change=True, personal=True),
        "updated": Detail(_("Now using the new address"), choices=PartLabels()),
    },
)
