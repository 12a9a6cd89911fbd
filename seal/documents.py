"""The seal's PDFs: application summary, certificate (Urkunde) and feedback report.

All go through network_portal.pdf.render_pdf; the QR code is drawn here as an inline PNG.
"""

import base64
import io

from network_portal.pdf import render_pdf

from . import selectors
from .models import Application, Certificate, Criterion


def qr_data_url(text: str) -> str:
    import qrcode

    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def application_summary_pdf(application: Application) -> bytes:
    answers = {a.criterion_id: a for a in application.answers.prefetch_related("evidence")}
    criteria = (
        Criterion.objects.filter(category__cycle=application.cycle)
        .select_related("category")
        .prefetch_related("levels")
    )
    rows = [(criterion, answers.get(criterion.pk)) for criterion in criteria]
    return render_pdf(
        template="seal/pdf/application_summary.html",
        context={"application": application, "rows": rows},
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    url = certificate.verify_url()
    return render_pdf(
        template="seal/pdf/certificate.html",
        context={
            "certificate": certificate,
            "application": certificate.application,
            "company": certificate.application.company,
            "cycle": certificate.application.cycle,
            "verify_url": url,
            "qr": qr_data_url(url),
        },
    )


def feedback_report_pdf(application: Application) -> bytes:
    """Own category scores against the cycle's average – no other company is named."""
    result = selectors.application_result(application)
    averages = selectors.category_averages(application.cycle)
    rows = [
        (category, subtotal, averages.get(category.pk)) for category, subtotal in result.categories
    ]
    return render_pdf(
        template="seal/pdf/feedback_report.html",
        context={"application": application, "result": result, "rows": rows},
    )
