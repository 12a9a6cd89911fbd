"""The error pages (handler400, handler403, handler404, handler500 in urls.py; CSRF_FAILURE_VIEW).

Django's own error views carry ``requires_csrf_token``, which checks the CSRF token once more
and so reads ``request.POST``. For a body Django refuses to parse (a form that declares
``charset=latin-1``) that raises the same ``BadRequest`` again, the 500 view fails the same
way, and the server answers an empty 500. These views render the same templates and never
touch the body; forms on the pages still get their token from ``CsrfViewMiddleware``.
"""

from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseNotFound,
    HttpResponseServerError,
)
from django.template import loader
from django.utils.translation import gettext as _


def bad_request(request, exception=None):
    # Rendered without the request, as Django does: the request is what could not be read.
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def permission_denied(request, exception=None):
    context = {"exception": str(exception or "")}
    return HttpResponseForbidden(loader.render_to_string("403.html", context, request=request))


def page_not_found(request, exception=None):
    return HttpResponseNotFound(loader.render_to_string("404.html", request=request))


def server_error(request):
    # The page stands alone (no base layout, no database): whatever failed may fail again.
    return HttpResponseServerError(loader.render_to_string("500.html"))


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: open too long, or cookies blocked."""
    message = _(
        "The form could not be sent: it was open for too long, or your browser does not accept "
        "cookies from this site. Please reload the page and try again."
    )
    return permission_denied(request, message)
