"""The annual report's downloads, PDF and XLSX, for the year chosen on the cockpit
(``?year=2026``); a screen mixed into the engagement list's admin, whose permission opens it."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from network_portal.admin_views import admin_url
from network_portal.downloads import attachment, pdf_attachment

from .. import documents
from ..forms import ReportYearForm
from ..selectors import annual_report, report_years

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AnnualReportScreen:
    def _report_or_redirect(self, request):
        """The report of the requested year, or a redirect back to the cockpit that says which
        years there are."""
        self.check_permissions(request, require=("view",))
        years = report_years()
        form = ReportYearForm(request.GET, years=years)
        if not form.is_valid():
            if len(years) == 1:
                message = _("Please choose the year %(year)d.") % {"year": years[0]}
            else:
                message = _("Please choose a year from %(first)d to %(last)d.") % {
                    "first": years[-1],
                    "last": years[0],
                }
            self.message_user(request, message, messages.ERROR)
            return None, HttpResponseRedirect(reverse("admin:index"))
        return annual_report(form.cleaned_data["year"]), None

    @admin_url("annual-report/pdf/", name="reports_annual_report_pdf", pdf=True)
    def annual_report_pdf_view(self, request):
        report, redirect = self._report_or_redirect(request)
        if redirect:
            return redirect
        return pdf_attachment(
            documents.annual_report_pdf(report),
            filename=documents.filename(report.period.year, "pdf"),
        )

    @admin_url("annual-report/xlsx/", name="reports_annual_report_xlsx")
    def annual_report_xlsx_view(self, request):
        report, redirect = self._report_or_redirect(request)
        if redirect:
            return redirect
        return attachment(
            documents.annual_report_xlsx(report),
            filename=documents.filename(report.period.year, "xlsx"),
            content_type=XLSX,
        )
