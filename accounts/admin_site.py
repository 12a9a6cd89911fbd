"""The coordinators' admin site.

Django's admin has its own login form; here it hands over to allauth's login, so the admin is
reached through the same login page, the same rate limits and the same second factor as the
rest of the portal. Only staff whose session has passed the second factor get in; a logged-in
user without that right gets 403 instead of a login form they cannot use.

The start page is the coordinators' to-do list (the cockpit, :mod:`network_portal.cockpit`:
each app registers its section), and the lists are grouped by task (:data:`ADMIN_GROUPS`),
not by Django app: members, meetings, seal, mailing lists, the website's pages, the activity
log with the outbox; the technical models only for superusers, under "System".
"""

from dataclasses import dataclass
from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from network_portal.cockpit import cockpit_for

from .second_factor import second_factor_passed


@dataclass(frozen=True)
class AdminGroup:
    """A group of lists on the admin's start page and in its side bar. ``models`` names each
    model as ``"app_label.model_name"``, or a whole app as ``"app_label"`` (its models by
    name); ``labels`` gives a model a name of its own in the group."""

    key: str
    name: str
    models: tuple[str, ...]
    labels: dict | None = None
    superusers_only: bool = False


# Configuration by name, like INSTALLED_APPS: the groups in the order shown, the lists in each
# in the order of the work. A model registered in the admin but named nowhere here is shown in
# a group of its app's name, after these (tests/accounts/test_admin_groups.py asks for a place
# for each).
ADMIN_GROUPS = (
    AdminGroup(
        "members",
        _("Members"),
        (
            "members.company",
            "members.joinrequest",
            "members.contactperson",
            "members.companyinvitation",
            "members.expertiseoffer",
            "members.expertisetopic",
            "accounts.user",
        ),
    ),
    AdminGroup(
        "meetings",
        _("Network meetings"),
        (
            "meetings.meeting",
            "meetings.registration",
            "meetings.topicproposal",
            "meetings.speakerrequest",
            "meetings.expertquestion",
            "meetings.feedback",
        ),
    ),
    AdminGroup(
        "seal",
        _("Seal"),
        (
            "seal.awardcycle",
            "seal.application",
            "seal.category",
            "seal.criterion",
            "seal.certificate",
        ),
    ),
    # The network's practices beyond the meetings: projects companies run together and the
    # pupils' internships.
    AdminGroup(
        "cooperation",
        _("Cooperation and internships"),
        (
            "cooperation.project",
            "cooperation.booking",
            "cooperation.interest",
            "cooperation.message",
            "internships.internshipoffer",
            "internships.partnerschool",
            "internships.schoolstay",
        ),
    ),
    AdminGroup(
        "newsletter",
        _("Mailing lists"),
        (
            "newsletter.issue",
            "newsletter.mailinglist",
            "newsletter.subscriber",
            "newsletter.delivery",
            "newsletter.bounce",
        ),
    ),
    AdminGroup(
        "website",
        _("Website content"),
        ("flatpages.flatpage",),
        labels={"flatpages.flatpage": _("Imprint, privacy policy, accessibility statement")},
    ),
    AdminGroup("reports", _("Figures and reports"), ("reports",)),
    # What happened: who changed what (the activity log), and every mail the portal sent;
    # beside it, the standard texts those mails open with.
    AdminGroup(
        "log",
        _("Activity log and outbox"),
        ("network_portal.activityentry", "network_portal.outboxmail", "network_portal.mailtext"),
    ),
    # The technical models: roles, logins' second factors and addresses, the site's domain,
    # beat's schedules. Coordinators work through the portal's screens instead.
    AdminGroup(
        "system",
        _("System"),
        (
            "auth.group",
            "account.emailaddress",
            "mfa.authenticator",
            "sites.site",
            "contenttypes",
            "django_celery_beat",
        ),
        superusers_only=True,
    ),
)


def group_app_list(app_dict: dict, *, is_superuser: bool) -> list[dict]:
    """Django's app list (``AdminSite._build_app_dict``) regrouped by :data:`ADMIN_GROUPS`, in
    the same shape, so the admin's templates show it as they show apps."""
    models = {
        model["model"]._meta.label_lower: model
        for app in app_dict.values()
        for model in app["models"]
    }
    placed: set[str] = set()
    groups, system = [], []
    for group in ADMIN_GROUPS:
        entries = []
        for reference in group.models:
            if "." in reference:
                names = [reference] if reference in models else []
            else:
                names = sorted(
                    (name for name in models if name.split(".")[0] == reference),
                    key=lambda name: str(models[name]["name"]),
                )
            for name in names:
                if name in placed:
                    continue
                placed.add(name)
                label = (group.labels or {}).get(name)
                entries.append({**models[name], "name": label} if label else models[name])
        if not entries or (group.superusers_only and not is_superuser):
            continue
        grouped = {
            "name": group.name,
            "app_label": group.key,
            "app_url": "",
            "has_module_perms": True,
            "models": entries,
        }
        (system if group.superusers_only else groups).append(grouped)
    # Models named in no group keep a group of their app's name.
    for app in sorted(app_dict.values(), key=lambda app: str(app["name"]).lower()):
        rest = [m for m in app["models"] if m["model"]._meta.label_lower not in placed]
        if rest:
            groups.append({**app, "models": sorted(rest, key=lambda m: str(m["name"]))})
    return groups + system


class PortalAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete, with the label the chosen model's admin gives an object
    (``autocomplete_label(obj)``, e.g. a contact person as "Name (Company)") and the relations
    that label reads (``autocomplete_select_related``), still in one query per page."""

    def get_queryset(self):
        queryset = super().get_queryset()
        related = getattr(self.model_admin, "autocomplete_select_related", ())
        return queryset.select_related(*related) if related else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = str(label(obj))
        return result


class PortalAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)

    def index(self, request, extra_context=None):
        cockpit = cockpit_for(request)
        context = {
            "cockpit": cockpit,
            "cockpit_attention": sum(entry["attention"] for entry in cockpit),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        if app_label is not None:
            return super().get_app_list(request, app_label)
        return group_app_list(self._build_app_dict(request), is_superuser=request.user.is_superuser)

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
