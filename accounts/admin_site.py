"""The coordinators' admin site.

Django's admin has its own login form; here it hands over to allauth's login, so the admin is
reached through the same login page, the same rate limits and the same second factor as the
rest of the portal. Only staff whose session has passed the second factor get in; a logged-in
user without that right gets 403 instead of a login form they cannot use.
"""

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .second_factor import second_factor_passed


class PortalAdminSite(admin.AdminSite):
    def has_permission(self, request):
        return super().has_permission(request) and second_factor_passed(request)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def password_change(self, request, extra_context=None):
        # allauth's page: it asks for the old password and mails the owner about the change.
        return redirect("account_change_password")

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, settings.LOGIN_URL)
        if not self.has_permission(request):
            raise PermissionDenied
        return redirect(next_url)
