from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealConfig(AppConfig):
    name = "seal"
    verbose_name = _("“Mein Top Job Trier” seal")
