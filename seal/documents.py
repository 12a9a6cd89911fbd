"""The seal's PDFs: application summary, certificate (Urkunde) and feedback report.

All go through network_portal.pdf.render_pdf, written tagged (PDF/UA-1); the QR code is drawn
here as an inline PNG, the seal's ring text is laid out here letter by letter.
"""

import base64
import io
import math
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import pgettext

from network_portal.pdf import render_pdf

from . import selectors
from .models import Application, Certificate, Criterion


def qr_data_url(text: str) -> str:
    import qrcode

    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# Advance widths (in em) of DejaVu Sans Bold, the font of the seal's ring text on the certificate.
_BOLD_WIDTHS = {
    **dict.fromkeys("ABKRVX", 0.77),
    **dict.fromkeys("CPSTYZ", 0.72),
    **dict.fromkeys("DGHNOQU", 0.83),
    **dict.fromkeys("EF", 0.68),
    **dict.fromkeys("IJ", 0.37),
    "L": 0.64,
    "M": 1.0,
    "W": 1.1,
    **dict.fromkeys("0123456789", 0.7),
    **dict.fromkeys(" .·", 0.37),
}


@dataclass(frozen=True)
class RingText:
    """The seal's ring text as one SVG ``<text>``: each letter's start and rotation."""

    text: str
    x: str
    y: str
    rotate: str


def ring_text(
    text: str, *, radius: float, font_size: float, spacing: float, bottom: bool = False
) -> RingText:
    """``text`` centred along the seal's ring (centre 100, 100): over the top (read clockwise,
    letters' feet on the circle) or along the bottom (read left to right, letters' heads
    towards the centre).

    The seal's badge (seal/badge_svg.html) lays its ring text on a ``<textPath>``, which
    WeasyPrint does not follow; the certificate's copy of the seal places each letter instead
    (in one ``<text>``: one element per letter would make the PDF slower).
    """
    advances = [_BOLD_WIDTHS.get(c, 0.75) * font_size + spacing for c in text]
    offset = -sum(advances) / 2
    xs, ys, angles = [], [], []
    for advance in advances:
        start, middle = offset / radius, (offset + advance / 2) / radius  # radians
        offset += advance
        if bottom:
            xs.append(100 + radius * math.sin(start))
            ys.append(100 + radius * math.cos(start))
            angles.append(-math.degrees(middle))
        else:
            xs.append(100 + radius * math.sin(start))
            ys.append(100 - radius * math.cos(start))
            angles.append(math.degrees(middle))

    def numbers(values):
        return " ".join(f"{value:.2f}" for value in values)

    return RingText(text, numbers(xs), numbers(ys), numbers(angles))


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
        tagged=True,
    )


def certificate_context(certificate: Certificate) -> dict:
    """What seal/pdf/certificate.html shows (in the active language)."""
    url = certificate.verify_url()
    valid_until = pgettext("seal badge", "valid until")
    bottom = f"{valid_until} {date_format(certificate.valid_until, 'SHORT_DATE_FORMAT')}".upper()
    return {
        "certificate": certificate,
        "application": certificate.application,
        "company": certificate.application.company,
        "cycle": certificate.application.cycle,
        "verify_url": url,
        "qr": qr_data_url(url),
        "ring_top": ring_text(
            "ATTRAKTIVE UNTERNEHMEN TRIER", radius=78, font_size=10.5, spacing=1.2
        ),
        "ring_bottom": ring_text(bottom, radius=87, font_size=10, spacing=1, bottom=True),
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    return render_pdf(
        template="seal/pdf/certificate.html",
        context=certificate_context(certificate),
        tagged=True,
    )


def feedback_report_pdf(application: Application) -> bytes:
    """Own category scores beside the anonymous median of the size class (or of all
    applications, or none with too few): no other company is named."""
    benchmark = selectors.benchmark(application)
    return render_pdf(
        template="seal/pdf/feedback_report.html",
        context={
            "application": application,
            "company": benchmark.result.application.company,
            "cycle": application.cycle,
            "benchmark": benchmark,
            "minimum": selectors.BENCHMARK_MIN_APPLICATIONS,
        },
        tagged=True,
    )
