"""Session lifetime, caching rules for pages with personal data, and the request body's
temporary files and malformed headers."""

import re
import time
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .uploads import close_temporary_uploads

LOGIN_AT_SESSION_KEY = "portal_login_at"
SEEN_AT_SESSION_KEY = "portal_seen_at"
PERSONAL_URL_KWARGS = {"token", "key"}


def start_session_clock(sender, request, user, **kwargs) -> None:
    """On login: the absolute lifetime and the idle timer start now."""
    now = time.time()
    request.session[LOGIN_AT_SESSION_KEY] = now
    request.session[SEEN_AT_SESSION_KEY] = now


class SessionExpiryMiddleware:
    """Logs out after SESSION_IDLE_TIMEOUT without a request and SESSION_MAX_AGE after login.

    The session cookie expires after the idle timeout as well (SESSION_COOKIE_AGE); the checks
    here hold even for a client that keeps sending an old cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            login_at = session.setdefault(LOGIN_AT_SESSION_KEY, now)
            seen_at = session.get(SEEN_AT_SESSION_KEY, now)
            if (
                now - login_at > settings.SESSION_MAX_AGE
                or now - seen_at > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Your session has expired. Please log in again."))
                return redirect_to_login(request.get_full_path())
            if now - seen_at >= settings.SESSION_ACTIVITY_RESOLUTION or (
                SEEN_AT_SESSION_KEY not in session
            ):
                # Saving the session renews its cookie and its expiry in the database.
                session[SEEN_AT_SESSION_KEY] = now
        return self.get_response(request)


class NoStoreForPersonalPagesMiddleware:
    """Pages with personal data must not be kept by the browser or a proxy.

    That is every page a logged-in user sees, and every page opened with a personal token in
    its URL (one-click answers, newsletter preferences, invitations, calendar feeds, email
    confirmation and password reset).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(request, "_personal_url", False) or (user and user.is_authenticated):
            add_never_cache_headers(response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Our signed links call it token, allauth's (email confirmation, password reset) key.
        if view_kwargs.keys() & PERSONAL_URL_KWARGS:
            request._personal_url = True
        return None


class UploadCleanupMiddleware:
    """The outermost middleware: no temporary file of an upload outlives its request.

    Whatever became of the upload (stored by the view, cut off at UPLOAD_MAX_BYTES, read by
    CsrfViewMiddleware for a request it then refused, or broken off in the middle), its
    temporary files are closed, and so deleted, when the response is closed, as Django closes
    the request's own files; at once if no response came.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except BaseException:
            close_temporary_uploads(request)
            raise
        # Called by response.close(), after the last byte was sent (the WSGI server calls it;
        # Django's WSGIHandler closes the request the same way).
        response._resource_closers.append(partial(close_temporary_uploads, request))
        return response


class MalformedRequestMiddleware:
    """A Content-Length that is no number gets the 400 page.

    Django answers the other malformed bodies with a 400 itself (a form in another charset
    than UTF-8, a broken multipart body: ``BadRequest``, ``MultiPartParserError``), but reading
    the body with such a header fails with a plain ``ValueError``, a 500. gunicorn refuses it
    before us; other servers may pass it on.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = request.META.get("CONTENT_LENGTH")
        if length and not re.fullmatch(r"[0-9]+", length.strip()):
            raise BadRequest("Content-Length is not a number.")
        return self.get_response(request)
