"""The seal's groups of companies for other apps (``network_portal.company_groups``): the
companies awarded in each cycle, "Siegelträger des Jahrgangs 2026", which the meetings take
as the guests of the award ceremony."""

from django.utils.translation import gettext

from network_portal.company_groups import CompanyGroup

from . import selectors


def award_cycle_groups() -> list[CompanyGroup]:
    """One group per cycle with seals awarded, newest first; one query."""
    return [
        CompanyGroup(
            key=f"seal:{cycle.slug}",
            label=gettext("Seal holders of the cycle %(cycle)s") % {"cycle": cycle.name},
            companies=lambda cycle=cycle: selectors.awarded_companies(cycle),
        )
        for cycle in selectors.cycles_with_awards()
    ]
