"""The admin's part of the matrix: the site's own pages, every registered model's pages, and
the custom views the ModelAdmins add.

One rule for the admin: anonymous visitors go to the (allauth) login, every logged-in user who
is not staff with a passed second factor gets 403, and the coordinator gets the page when the
coordinators' group holds the permission (403 where it does not). Every pattern is requested.
"""

from dataclasses import replace

from django.contrib.admin import site
from django.urls import reverse

from .outcomes import FORBIDDEN, LOGIN, NOT_FOUND, OK, Entry, Extra, by_role, login_next, to
from .urls import UNNAMED


def admin_cells(coordinator):
    """The admin's rule: only the coordinator's outcome varies."""
    return by_role(LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, coordinator)


# The models in the admin, each with the object its pages are requested for and what the
# coordinator gets where it is not the page itself (200): view name -> outcome.
# Apps outside members.roles.COORDINATOR_APPS give the coordinators no permission at all.
NO_PERMISSION = {
    "changelist": FORBIDDEN,
    "add": FORBIDDEN,
    "history": FORBIDDEN,
    "delete": FORBIDDEN,
    "change": FORBIDDEN,
}

# Pages the ModelAdmins switch off for everyone (403 to the coordinator as well): what the
# portal's workflows create or keep as a record is not added or deleted by hand.
WORKFLOW_ONLY = {"add": FORBIDDEN, "delete": FORBIDDEN}
NO_ADD = {"add": FORBIDDEN}

ADMIN_MODELS = {
    "auth_group": (lambda w: w.coordinators_group, NO_PERMISSION),
    "sites_site": (lambda w: w.site, NO_PERMISSION),
    "flatpages_flatpage": (lambda w: w.imprint, {}),
    "account_emailaddress": (lambda w: w.email_address, NO_PERMISSION),
    "mfa_authenticator": (lambda w: w.authenticator, NO_PERMISSION),
    "django_celery_beat_periodictask": (lambda w: w.periodic_task, NO_PERMISSION),
    "django_celery_beat_clockedschedule": (lambda w: w.clocked, NO_PERMISSION),
    "django_celery_beat_crontabschedule": (lambda w: w.crontab, NO_PERMISSION),
    "django_celery_beat_solarschedule": (lambda w: w.solar, NO_PERMISSION),
    "django_celery_beat_intervalschedule": (lambda w: w.interval, NO_PERMISSION),
    "network_portal_outboxmail": (lambda w: w.outbox_mail, NO_ADD),  # services write mails
    "members_user": (lambda w: w.users["member"], {}),
    "members_company": (lambda w: w.company, {}),
    "members_contactperson": (lambda w: w.contact, {}),
    "members_joinrequest": (lambda w: w.join_request, NO_ADD),  # users ask in the portal
    "members_companyinvitation": (lambda w: w.invitation, NO_ADD),  # company admins invite
    # A published meeting is cancelled (with a notice), not deleted.
    "meetings_meeting": (lambda w: w.meeting, {"delete": FORBIDDEN}),
    "meetings_registration": (lambda w: w.registration, WORKFLOW_ONLY),
    "meetings_topicproposal": (lambda w: w.proposal, NO_ADD),
    "meetings_feedback": (lambda w: w.feedback, NO_ADD),
    "seal_awardcycle": (lambda w: w.cycle, {}),
    # The cycle's catalogue is frozen: an application has been submitted.
    "seal_category": (lambda w: w.category, {"delete": FORBIDDEN}),
    "seal_criterion": (lambda w: w.criterion, {"delete": FORBIDDEN}),
    "seal_application": (lambda w: w.application, WORKFLOW_ONLY),
    "seal_certificate": (lambda w: w.certificate, WORKFLOW_ONLY),  # revoked, never deleted
    "newsletter_mailinglist": (lambda w: w.public_list, {}),
    "newsletter_issue": (lambda w: w.draft_issue, {}),
    # Subscribers come with their consent; the admin erases them with an action of its own.
    "newsletter_subscriber": (lambda w: w.subscriber, WORKFLOW_ONLY),
    "newsletter_bounce": (lambda w: w.bounce, WORKFLOW_ONLY),
    "newsletter_delivery": (lambda w: w.delivery, WORKFLOW_ONLY),
}


def _model_entries() -> dict:
    entries = {}
    for model in site._registry:
        opts = model._meta
        key = f"{opts.app_label}_{opts.model_name}"
        if key not in ADMIN_MODELS:
            continue  # reported as missing by the coverage test
        get_object, coordinator = ADMIN_MODELS[key]

        def object_id(world, get_object=get_object):
            return {"object_id": get_object(world).pk}

        def change_url(world, requested, key=key, get_object=get_object):
            return reverse(f"admin:{key}_change", args=[get_object(world).pk])

        def redirect_path(world, key=key, get_object=get_object):
            return reverse(f"admin:{key}_change", args=[get_object(world).pk]).removesuffix(
                "change/"
            )

        entries[f"admin:{key}_changelist"] = Entry(admin_cells(coordinator.get("changelist", OK)))
        entries[f"admin:{key}_add"] = Entry(admin_cells(coordinator.get("add", OK)))
        for view in ("history", "delete", "change"):
            entries[f"admin:{key}_{view}"] = Entry(
                admin_cells(coordinator.get(view, OK)), kwargs=object_id
            )
        # "<object_id>/" only redirects to the change page, which checks the permission.
        entries[f"{UNNAMED}admin/{opts.app_label}/{opts.model_name}/<path:object_id>/"] = Entry(
            admin_cells(coordinator.get("redirect", to(change_url))), path=redirect_path
        )
    return entries


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def _ranking(world, requested):
    return reverse("admin:seal_awardcycle_ranking", args=[world.cycle.pk])


def _issue_change(world, requested):
    return reverse("admin:newsletter_issue_change", args=[world.draft_issue.pk])


def _participants(world, requested):
    url = reverse("admin:meetings_meeting_participants", args=[world.meeting.pk])
    return f"{url}#registration-{world.registration.pk}"


ADMIN_SITE = {
    "admin:index": Entry(admin_cells(OK)),
    "admin:login": Entry(
        by_role(
            login_next("/admin/"), FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, to("admin:index")
        ),
        why="the admin's login hands over to allauth's login; logged in, it goes on to 'next'",
    ),
    "admin:logout": Entry(admin_cells(OK), method="post"),
    "admin:password_change": Entry(
        admin_cells(to("account_change_password")),
        why="the admin hands the password change over to allauth's page",
    ),
    "admin:password_change_done": Entry(admin_cells(OK)),
    "admin:autocomplete": Entry(
        admin_cells(OK),
        query="app_label=meetings&model_name=meeting&field_name=host&term=Mosel",
    ),
    "admin:jsi18n": Entry(admin_cells(OK)),
    "admin:view_on_site": Entry(
        admin_cells(to(lambda w, r: f"http://{w.site.domain}{w.imprint.url}")),
        kwargs=lambda w: {"content_type_id": w.flatpage_type.pk, "object_id": w.imprint.pk},
    ),
    "admin:app_list": Entry(
        admin_cells(OK),
        kwargs={"app_label": "members"},
        extras=(
            Extra(
                "an app without the coordinators' permissions",
                "coordinator",
                NOT_FOUND,
                kwargs={"app_label": "auth"},
            ),
        ),
        why="Django's admin answers 404 for an app in which the user has no permission",
    ),
    f"{UNNAMED}admin/(?P<url>.*)$": Entry(
        admin_cells(NOT_FOUND),
        path=lambda w: "/admin/no-such-page/",
        why="the admin's catch-all: unknown admin pages are 404 once past the admin's guard",
    ),
    # --- Custom views of the ModelAdmins ---------------------------------------------------
    "admin:members_company_import": Entry(admin_cells(OK)),
    "admin:meetings_meeting_participants": Entry(admin_cells(OK), kwargs=_pk("meeting")),
    "admin:meetings_meeting_participants_csv": Entry(admin_cells(OK), kwargs=_pk("meeting")),
    "admin:meetings_meeting_participants_pdf": Entry(admin_cells(OK), kwargs=_pk("meeting")),
    "admin:meetings_meeting_check_in": Entry(
        admin_cells(to(_participants)),
        kwargs=_pk("meeting"),
        method="post",
        data=lambda w: {"registration": w.registration.pk, "present": "1"},
    ),
    "admin:seal_awardcycle_copy_catalogue": Entry(admin_cells(OK), kwargs=_pk("cycle")),
    "admin:seal_awardcycle_ranking": Entry(admin_cells(OK), kwargs=_pk("cycle")),
    "admin:seal_awardcycle_ranking_csv": Entry(admin_cells(OK), kwargs=_pk("cycle")),
    "admin:seal_awardcycle_threshold": Entry(
        admin_cells(to(_ranking)), kwargs=_pk("cycle"), method="post"
    ),
    "admin:seal_awardcycle_decisions": Entry(
        admin_cells(to(_ranking)), kwargs=_pk("cycle"), method="post"
    ),
    "admin:seal_awardcycle_send_decisions": Entry(
        admin_cells(to(_ranking)), kwargs=_pk("cycle"), method="post"
    ),
    "admin:seal_application_summary_pdf": Entry(admin_cells(OK), kwargs=_pk("application")),
    "admin:seal_certificate_pdf": Entry(admin_cells(OK), kwargs=_pk("certificate")),
    "admin:newsletter_mailinglist_sync": Entry(
        admin_cells(to("admin:newsletter_mailinglist_changelist")), method="post"
    ),
    "admin:newsletter_issue_preview": Entry(admin_cells(OK), kwargs=_pk("draft_issue")),
    "admin:newsletter_issue_preview_text": Entry(admin_cells(OK), kwargs=_pk("draft_issue")),
    "admin:newsletter_issue_send_test": Entry(
        admin_cells(to(_issue_change)), kwargs=_pk("draft_issue"), method="post"
    ),
    "admin:newsletter_issue_send": Entry(
        admin_cells(to(_issue_change)), kwargs=_pk("draft_issue"), method="post"
    ),
    "admin:newsletter_issue_schedule": Entry(
        admin_cells(to(_issue_change)), kwargs=_pk("draft_issue"), method="post"
    ),
    "admin:newsletter_issue_unschedule": Entry(
        admin_cells(to(_issue_change)), kwargs=_pk("draft_issue"), method="post"
    ),
    # Django's own: the password form of a user, under the auth app's name.
    "admin:auth_user_password_change": Entry(
        admin_cells(OK),
        kwargs=lambda w: {"id": w.users["member"].pk},
        extras=(
            Extra(
                "a superuser's account",
                "coordinator",
                FORBIDDEN,
                kwargs=lambda w: {"id": w.superuser.pk},
            ),
        ),
    ),
}

# Coordinators are no superusers: a superuser's account is not theirs to change or delete.
SUPERUSER_EXTRAS = {
    "admin:members_user_delete": Extra(
        "a superuser's account",
        "coordinator",
        FORBIDDEN,
        kwargs=lambda w: {"object_id": w.superuser.pk},
    ),
}

# A staff user without any group passes the admin's guard but has no permission: they get the
# admin's own pages and nothing of any app.
STAFF_WITHOUT_GROUP = {
    "admin:index": OK,
    "admin:login": to("admin:index"),
    "admin:logout": OK,
    "admin:password_change": to("account_change_password"),
    "admin:password_change_done": OK,
    "admin:jsi18n": OK,
    # The contenttypes shortcut only redirects to the object's public URL (a flat page here).
    "admin:view_on_site": ADMIN_SITE["admin:view_on_site"].expect["coordinator"],
    "admin:app_list": NOT_FOUND,
    f"{UNNAMED}admin/(?P<url>.*)$": NOT_FOUND,
}


def admin_matrix() -> dict:
    entries = {**_model_entries(), **ADMIN_SITE}
    for key, entry in entries.items():
        if key.startswith(UNNAMED) and key.endswith("/<path:object_id>/"):
            staff = entry.expect["coordinator"]  # only a redirect to the change page
        else:
            staff = STAFF_WITHOUT_GROUP.get(key, FORBIDDEN)
        extras = (*entry.extras, Extra("staff without permissions", "staff", staff))
        if key in SUPERUSER_EXTRAS:
            extras = (*extras, SUPERUSER_EXTRAS[key])
        entries[key] = replace(entry, extras=extras)
    return entries
