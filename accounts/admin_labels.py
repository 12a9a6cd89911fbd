"""German names for what the admin shows of Django's and the libraries' models.

Two kinds of gaps, closed here so no English label is left in the admin:

- Words the libraries mark for translation but their German catalogues leave in English (or
  misspell). The portal's catalogue (``locale/de``) translates them and is read first
  (``LOCALE_PATHS``); :data:`LIBRARY_MSGIDS` names them so ``make messages`` keeps them.
- Labels the libraries never mark for translation: a model without a ``verbose_name``
  (allauth's authenticators), a field named in English only (beat's task name), an admin
  column without a description. :func:`name_library_models` gives them names at start-up. It
  sets only the names the admin reads (``Options.verbose_name``, ``Field.verbose_name``, a
  column's ``short_description``), not what migrations compare (``Options.original_attrs``,
  the field's constructor argument), so no migration of a library follows from it.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

LIBRARY_MSGIDS = [
    # django.contrib.flatpages: Impressum, Datenschutz, Barrierefreiheit.
    gettext_noop("Flat Pages"),
    gettext_noop("flat page"),
    gettext_noop("flat pages"),
    # allauth.mfa
    gettext_noop("MFA"),
    gettext_noop("TOTP Authenticator"),
    # django.contrib.auth and admin: the user's pages.
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    # django_celery_beat
    gettext_noop("Periodic Tasks Using This Schedule"),
    gettext_noop("solar event"),
    gettext_noop("Solar Event"),
]


def name_library_models() -> None:
    """Give the libraries' models, fields and admin columns without a translatable name one."""
    from allauth.mfa.models import Authenticator
    from django_celery_beat.admin import PeriodicTaskAdmin
    from django_celery_beat.models import CrontabSchedule, PeriodicTask

    opts = Authenticator._meta
    opts.verbose_name = _("second factor")
    opts.verbose_name_plural = _("second factors")
    fields = {
        "user": pgettext_lazy("portal user", "User"),
        "type": _("Kind"),
        "data": _("Stored data"),
        "created_at": _("Created at"),
        "last_used_at": _("Last used at"),
    }
    for name, label in fields.items():
        opts.get_field(name).verbose_name = label

    PeriodicTask._meta.get_field("task").verbose_name = _("Task")
    PeriodicTaskAdmin.crontab_translation.short_description = _("Crontab in words")
    CrontabSchedule.human_readable.fget.short_description = _("In words")
