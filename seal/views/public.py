"""Public pages of the seal: what it is, the catalogue, the awarded companies, verification."""

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .. import selectors, services
from ..models import Category, Certificate, Criterion
from ..permissions import apply_offer_refusal

# The badge only changes when a certificate is revoked; caches may keep it for a day.
BADGE_MAX_AGE = 24 * 60 * 60


def _certificate_or_none(code: str) -> Certificate | None:
    """The certificate with ``code`` if the public may know it: its cycle is published (award
    ceremony reached or published early). Before that it is unknown, as a wrong code is."""
    code = code.strip().upper()
    if "\x00" in code:  # anyone can type a code; PostgreSQL refuses NUL in a query
        return None
    return selectors.public_certificates().filter(verification_code=code).first()


def certificate_links(certificate: Certificate) -> dict:
    """Absolute verification and badge URLs and the HTML a company pastes on its website."""
    verify_url = certificate.verify_url()
    badge_url = certificate.badge_url()
    cycle = certificate.application.cycle.name
    snippet = (
        f'<a href="{verify_url}"><img src="{badge_url}" width="160" height="160" '
        f'alt="Siegel „Mein Top Job Trier“ {cycle}"></a>'
    )
    return {"verify_url": verify_url, "badge_url": badge_url, "embed_snippet": snippet}


class SealHomeView(TemplateView):
    template_name = "seal/home.html"

    def get_context_data(self, **kwargs):
        cycle = services.current_cycle()
        context = {"cycle": cycle, "categories": []}
        if cycle is not None:
            context["catalogue_published"] = cycle.criteria_published_on <= timezone.localdate()
            if context["catalogue_published"]:
                criteria = Criterion.objects.order_by("position", "pk").prefetch_related("levels")
                context["categories"] = (
                    Category.objects.filter(cycle=cycle)
                    .order_by("position", "pk")
                    .prefetch_related(Prefetch("criteria", queryset=criteria))
                )
            context["now"] = timezone.now()
            if cycle.accepts_applications:
                context["apply_refusal"] = apply_offer_refusal(self.request.user, cycle)
        # The catalogue and the holders come from the cache ({% sharedcache %}): read only
        # when rendered anew.
        context["certificates"] = selectors.current_holders()
        context["public_pages"] = SimpleLazyObject(selectors.public_holder_companies)
        context["today"] = timezone.localdate()
        return super().get_context_data(**context, **kwargs)


class VerifyView(View):
    """Anyone can check a verification code from a certificate or a seal image."""

    def get(self, request, code):
        certificate = _certificate_or_none(code)
        if certificate is None:
            return render(request, "seal/verify_unknown.html", {"code": code}, status=404)
        context = {
            "certificate": certificate,
            "company": certificate.application.company,
            "cycle": certificate.application.cycle,
        }
        if certificate.is_valid:
            context.update(certificate_links(certificate))
        return render(request, "seal/verify.html", context)


@require_GET
def badge_svg(request, code):
    """The seal image for a company's website: only while the certificate is valid."""
    certificate = _certificate_or_none(code)
    if certificate is None or not certificate.is_valid:
        raise Http404
    # Rendered without the request: the image is the same for every visitor (always German).
    svg = render_to_string(
        "seal/badge_svg.html",
        {"certificate": certificate, "cycle": certificate.application.cycle},
    )
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={BADGE_MAX_AGE}"
    # Other websites embed the image.
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
