from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from . import health
from .home import home_context


class HomeView(TemplateView):
    """The start page; what it shows of each app comes from the app (network_portal.home)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**home_context(self.request), **kwargs)


@never_cache
def healthz(request):
    """Liveness: this process serves requests. Touches neither database nor broker
    (see network_portal.health); /readyz says whether the portal can do its work."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request):
    """Readiness: database, broker, worker, beat and mail; 503 naming what is stuck.

    ``?check=database&check=broker`` runs only the named checks (e.g. for a load balancer
    that should not take every web server out because the mail is stuck).
    """
    names = request.GET.getlist("check")
    unknown = sorted(set(names) - set(health.CHECKS))
    if unknown:
        return JsonResponse(
            {"error": f"unknown check {', '.join(unknown)}", "checks": list(health.CHECKS)},
            status=400,
        )
    report = health.readiness(names or None)
    return JsonResponse(report, status=503 if report["stuck"] else 200)
