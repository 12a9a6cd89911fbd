from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    """The cooperation board: projects member companies run together (a shared language
    course, jobs for family members of international staff, …)."""

    name = "cooperation"
    verbose_name = _("Cooperation board")
