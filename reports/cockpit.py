"""The reports' section of the coordinators' cockpit (network_portal.cockpit): how many member
companies are quiet (a link to exactly those in the engagement list), and the annual report:
a year to choose, the PDF or the workbook to download."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network_portal.cockpit import Counter, changelist_url

from .models import Engagement
from .selectors import default_report_year, quiet_companies, report_years


def counters(request) -> list[Counter]:
    return [
        Counter(
            label=_("Quiet member companies"),
            count=quiet_companies().count(),
            url=changelist_url(Engagement, quiet="yes"),
            hint=_(
                "No meeting for %(months)d months, or no contact person we can reach: worth a call."
            )
            % {"months": settings.ENGAGEMENT_QUIET_MONTHS},
        )
    ]


def context(request) -> dict:
    years = report_years()
    default = default_report_year()
    return {
        "report_years": years,
        "report_year": default if default in years else years[0],
        "report_pdf_url": reverse("admin:reports_annual_report_pdf"),
        "report_xlsx_url": reverse("admin:reports_annual_report_xlsx"),
        "engagement_url": changelist_url(Engagement),
    }
