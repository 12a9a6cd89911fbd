"""The portal's URLs plus the benchmark's bare view; used only when the setting BENCH_VIEWS is
on (env BENCH_VIEWS=1, set by bench/load.py), never in production."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from network_portal.urls import *  # noqa: F403
from network_portal.urls import urlpatterns as portal_urlpatterns


@login_required
def bare(request):
    """Renders nothing behind the whole middleware stack, for a logged-in session: the floor
    a page's cost is compared with."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *portal_urlpatterns]
