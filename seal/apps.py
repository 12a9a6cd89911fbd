from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The topics of the seal page's shared parts (network_portal.cache_versions): the current
# cycle and its criteria catalogue; the current holders.
CATALOGUE_TOPIC = "seal.catalogue"
HOLDERS_TOPIC = "seal.holders"
# The ranking page's figures: scores, assignments, applications, the catalogue, companies.
RANKING_TOPIC = "seal.ranking"


class SealConfig(AppConfig):
    name = "seal"
    verbose_name = _("“Mein Top Job Trier” seal")

    def ready(self):
        from members.models import Company
        from network_portal.cache_versions import watch
        from network_portal.cockpit import register_cockpit_section

        from . import cockpit
        from .models import (
            Application,
            AwardCycle,
            Category,
            Certificate,
            Criterion,
            HolderProfile,
            JurorAssignment,
            ScaleLevel,
            Score,
        )

        for model in (AwardCycle, Category, Criterion, ScaleLevel):
            watch(model, CATALOGUE_TOPIC)
        for model in (AwardCycle, Certificate, HolderProfile, Company):
            watch(model, HOLDERS_TOPIC)
        ranked = (AwardCycle, Category, Criterion, Application, JurorAssignment, Score, Company)
        for model in ranked:
            watch(model, RANKING_TOPIC)

        from network_portal.company_groups import register_company_groups

        from .company_groups import award_cycle_groups

        # The companies awarded in a cycle, e.g. as the guests of its award ceremony.
        register_company_groups("seal", award_cycle_groups)
        register_cockpit_section(
            "seal",
            title=_("“Mein Top Job Trier” seal"),
            order=30,
            counters=cockpit.counters,
            permission="seal.view_application",
            watches=(AwardCycle, Application, JurorAssignment),
        )
