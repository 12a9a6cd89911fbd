from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The one permission of the engagement list, the company panel and the annual report.
VIEW_REPORTS = "reports.view_engagement"


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Figures and reports")

    def ready(self):
        from meetings.models import Meeting, Registration
        from members.admin_panels import register_company_panel
        from members.models import Company, ContactPerson
        from network_portal.cockpit import register_cockpit_section
        from seal.models import AwardCycle

        from . import cockpit, panels

        register_cockpit_section(
            "reports",
            title=_("Figures and annual report"),
            order=80,
            counters=cockpit.counters,
            template="admin/reports/cockpit_section.html",
            context=cockpit.context,
            permission=VIEW_REPORTS,
            # Quiet companies: companies, their contacts, meetings and who came.
            watches=(Company, ContactPerson, Meeting, Registration, AwardCycle),
        )
        register_company_panel(
            "engagement",
            title=_("Engagement"),
            order=10,
            template="admin/reports/company_panel.html",
            context=panels.engagement_context,
            permission=VIEW_REPORTS,
        )
