"""The bounce webhooks: ours, ``POST /newsletter/bounces/``, and the mail provider's own form
(``/newsletter/bounces/provider/``, through django-anymail: :mod:`newsletter.provider_bounces`).

Ours:
``Authorization: Bearer <NEWSLETTER_BOUNCE_TOKEN>`` and a JSON body
``{"email": "...", "type": "hard" | "soft", "diagnostic": "..."}``. With the setting empty the
webhook is off (404). Answers are JSON: a stable ``error`` code for programs and a ``message``
for people.
"""

import hmac
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .. import provider_bounces, services
from ..models import Bounce


def _error(code: str, message: str, *, status: int, **headers) -> JsonResponse:
    response = JsonResponse({"error": code, "message": message}, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _authorised(request, expected: str) -> bool:
    scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@csrf_exempt
def bounce_webhook(request):
    expected = settings.NEWSLETTER_BOUNCE_TOKEN
    if not expected:
        raise Http404("The bounce webhook is switched off.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not _authorised(request, expected):
        return _error(
            "unauthorized",
            _("Missing or wrong access token."),
            status=401,
            **{"WWW-Authenticate": 'Bearer realm="newsletter-bounces"'},
        )
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _error("invalid_json", _("The request body is not valid JSON."), status=400)
    if not isinstance(data, dict):
        return _error("invalid_json", _("The request body must be a JSON object."), status=400)
    email = data.get("email")
    if not isinstance(email, str) or not email.strip():
        return _error("missing_email", _("The field “email” is missing."), status=400)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError:
        return _error("invalid_email", _("“email” is not a valid email address."), status=400)
    if len(email) > Bounce._meta.get_field("email").max_length:  # the standard allows 320
        return _error("invalid_email", _("“email” is not a valid email address."), status=400)
    kind = data.get("type")
    if kind not in Bounce.Kind.values:
        return _error("invalid_type", _("“type” must be “hard” or “soft”."), status=400)
    diagnostic = data.get("diagnostic") or ""
    if not isinstance(diagnostic, str):
        return _error("invalid_diagnostic", _("“diagnostic” must be a text."), status=400)
    # The text comes from some remote mail server: keep it, without what PostgreSQL refuses
    # (NUL characters, and lone surrogates that JSON escapes can carry).
    diagnostic = diagnostic.encode("utf-8", "replace").decode().replace("\x00", "")
    bounce = services.bounce_record(email=email, kind=kind, diagnostic=diagnostic, source="webhook")
    return JsonResponse({"id": bounce.pk, "email": bounce.email, "type": bounce.kind}, status=201)


@csrf_exempt  # anymail's view is exempt too, but the middleware asks this one
def provider_bounce_webhook(request):
    """The provider's tracking webhook: anymail's view checks the provider's authentication
    and sends its events to :func:`newsletter.provider_bounces.tracking_received`."""
    view = provider_bounces.webhook_view()
    if view is None:
        raise Http404("The provider's bounce webhook is switched off.")
    return view(request)
