"""The seal's holders in public: the archive of past cycles, a page per current holder (with its
consent), a JSON feed and an embeddable list for the city's website; and the company admins'
page that decides what their public page shows.

Nothing of a cycle is public before it is published (``selectors.current_holders``).
"""

import json

from csp.constants import NONE, SELF
from csp.decorators import csp
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from members.models import Company
from members.permissions import CompanyAdminRequiredMixin
from network_portal.flash import flash_errors
from network_portal.signing import absolute_url

from .. import selectors, services
from ..forms import HolderProfileForm
from ..models import HolderProfile

# The feed and the embedded list change when a cycle is published or a seal expires.
FEED_MAX_AGE = 10 * 60
# JSON inside <script type="application/ld+json">: nothing in it may close the element.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def seal_title(cycle) -> str:
    return _("Seal “Mein Top Job Trier” %(cycle)s") % {"cycle": cycle.name}


def public_pages() -> set[int]:
    """Ids of the companies whose holder page is public."""
    return selectors.public_holder_companies()


def holder_page_url(company) -> str:
    return absolute_url(reverse("seal:holder", args=[company.slug]))


class ArchiveView(TemplateView):
    """Every published cycle with the companies awarded in it (revoked seals excluded)."""

    template_name = "seal/archive.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            cycles=selectors.archive(), public_pages=public_pages(), **kwargs
        )


def _organization_json_ld(company, certificates, page_url: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": company.name,
        "url": company.website or page_url,
        "address": {
            "@type": "PostalAddress",
            "postalCode": company.postcode,
            "addressLocality": company.city,
            "addressCountry": "DE",
        },
        "award": [
            _("%(seal)s, valid until %(date)s")
            % {"seal": seal_title(c.application.cycle), "date": c.valid_until.isoformat()}
            for c in certificates
        ],
    }
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 (escaped above)


class HolderPageView(View):
    """A current holder's public page, only with its consent (404 otherwise)."""

    def get(self, request, slug):
        company = get_object_or_404(Company, slug=slug)
        profile = HolderProfile.objects.filter(company=company, public=True).first()
        certificates = selectors.holder_certificates(company)
        if profile is None or not certificates:
            raise Http404
        shown = profile.published_answers.filter(
            pk__in=selectors.awarded_answers(company).values("pk")
        ).select_related("criterion__category", "application__cycle")
        page_url = holder_page_url(company)
        return render(
            request,
            "seal/holder.html",
            {
                "company": company,
                "profile": profile,
                "certificates": certificates,
                "answers": shown,
                "json_ld": _organization_json_ld(company, certificates, page_url),
            },
        )


@require_GET
def holders_json(request):
    """The current holders as JSON for other websites (e.g. the city's): one entry per seal."""
    pages = public_pages()
    holders = []
    for certificate in selectors.current_holders():
        company = certificate.application.company
        # The name, place and seal are public (the verification page says as much); the size
        # class and the page only with the company's consent to its public page.
        consented = company.pk in pages
        holders.append(
            {
                "name": company.name,
                "city": company.city,
                "size_class": company.size_class if consented else None,
                "size_class_label": company.get_size_class_display() if consented else None,
                "cycle": certificate.application.cycle.name,
                "valid_until": certificate.valid_until.isoformat(),
                "page_url": holder_page_url(company) if consented else None,
                "verify_url": certificate.verify_url(),
            }
        )
    response = JsonResponse(
        {"seal": "Mein Top Job Trier", "holders": holders},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


# The embedded list may sit in a frame on any website (settings.SEAL_EMBED_FRAME_ANCESTORS);
# it runs no script and has no form.
EMBED_POLICY = {
    "default-src": [NONE],
    "style-src": [SELF],
    "img-src": [SELF],
    "form-action": [NONE],
    "base-uri": [NONE],
}


@require_GET
@xframe_options_exempt
@csp({**EMBED_POLICY, "frame-ancestors": settings.SEAL_EMBED_FRAME_ANCESTORS})
def holders_embed(request):
    """The current holders as a small page without scripts, for an iframe on other websites."""
    response = render(
        request,
        "seal/holders_embed.html",
        {"certificates": selectors.current_holders(), "public_pages": public_pages()},
    )
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


def embed_snippet() -> str:
    """The HTML the city pastes into its website: an iframe of :func:`holders_embed`."""
    return format_html(
        '<iframe src="{}" title="{}" width="100%" height="480" loading="lazy" '
        'style="border:0"></iframe>',
        absolute_url(reverse("seal:holders_embed")),
        _("Companies with the seal “Mein Top Job Trier”"),
    )


class HolderProfileView(CompanyAdminRequiredMixin, View):
    """The company admins decide whether their company has a public seal page and what it
    shows."""

    template_name = "seal/holder_profile.html"

    def form(self, data=None):
        profile = HolderProfile.objects.filter(company=self.company).first()
        initial = {}
        if profile is not None:
            initial = {
                "public": profile.public,
                "offer": profile.offer,
                "published_answers": list(profile.published_answers.values_list("pk", flat=True)),
                "jobs_url": profile.jobs_url,
                "apprenticeships_url": profile.apprenticeships_url,
            }
        return HolderProfileForm(
            data, initial=initial, answers=selectors.awarded_answers(self.company)
        )

    def render_page(self, form, *, status=200):
        certificates = selectors.holder_certificates(self.company)
        profile = HolderProfile.objects.filter(company=self.company).first()
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "certificates": certificates,
                "is_public": bool(certificates and profile and profile.public),
                "page_url": reverse("seal:holder", args=[self.company.slug]),
            },
            status=status,
        )

    def get(self, request):
        return self.render_page(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if not form.is_valid():
            messages.error(request, _("Please correct the marked entries. Nothing has been saved."))
            return self.render_page(form)
        try:
            services.holder_profile_save(
                company=self.company,
                public=form.cleaned_data["public"],
                offer=form.cleaned_data["offer"],
                published_answers=form.cleaned_data["published_answers"],
                jobs_url=form.cleaned_data["jobs_url"],
                apprenticeships_url=form.cleaned_data["apprenticeships_url"],
                by_user=request.user,
            )
        except ValidationError as error:
            flash_errors(request, error)
            return self.render_page(form)
        messages.success(request, _("Your public seal page has been saved."))
        return redirect("seal:holder_profile")
