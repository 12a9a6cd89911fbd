"""The placement list of one company for one school stay, as a tagged PDF (PDF/UA-1) through
network_portal.pdf.render_pdf: mailed to the company and downloadable in the admin."""

from django.utils import timezone

from network_portal.office import office
from network_portal.pdf import render_pdf

from .models import SchoolStay
from .selectors import CompanyList


def placement_list_pdf(*, stay: SchoolStay, company_list: CompanyList) -> bytes:
    """The list in the active language: the school, the stay's period, each pupil placed at
    the company with dates and field, and whom to ask at the coordination office."""
    return render_pdf(
        template="internships/pdf/placement_list.html",
        context={
            "stay": stay,
            "school": stay.school,
            "company": company_list.company,
            "placements": company_list.placements,
            "office": office(),
            "printed_at": timezone.now(),
        },
        tagged=True,
    )


def placement_list_filename(*, stay: SchoolStay, company_list: CompanyList) -> str:
    return f"praktika-{stay.starts_on:%Y-%m-%d}-{company_list.company.slug}.pdf"
