from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternshipsConfig(AppConfig):
    """Internship places for pupils: companies offer places, coordinators place the pupils of
    partner schools, schools find the public list."""

    name = "internships"
    verbose_name = _("Pupil internships")
