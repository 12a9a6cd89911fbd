"""The admin's part of the matrix: the site's own pages, every registered model's pages, and
the custom views the ModelAdmins add.

The admin site's rule is the same for every admin URL and is tested once per URL, by a sweep
(``SITE_RULE``): anonymous visitors go to the (allauth) login, a logged-in user who is not staff
gets 403, and a staff session that has not passed the second factor is logged out and sent to
the login (the second-factor middleware stops it before the admin does). Every entry here says
only what its page adds (``admin_page``): what the coordinator gets (the page when the
coordinators' group holds the permission, 403 where it does not), what staff without any group
get, and any role of the rule the page departs from.
"""

from dataclasses import dataclass, replace

from django.contrib.admin import site
from django.urls import reverse
from django.utils import timezone

from .outcomes import FORBIDDEN, LOGIN, NOT_FOUND, OK, Entry, Extra, login_next, to
from .urls import UNNAMED

# The admin site's rule, login -> outcome. A juror is logged in with the second factor passed
# but is no staff; "coordinator_password_only" is the coordinator (every permission) with a
# session that has not passed the second factor.
SITE_RULE = {
    "anonymous": LOGIN,
    "company_admin": FORBIDDEN,
    "juror": FORBIDDEN,
    "coordinator_password_only": LOGIN,
}
# What every admin page adds to the rule, tested per page: the coordinator, and staff without
# any group (the admin lets them in, but shows them nothing of any app).
PAGE_ROLES = ("coordinator", "staff")


def admin_page(*, coordinator, staff, **exceptions) -> dict:
    """What an admin page adds to the site's rule: the coordinator's and the staff-without-
    permissions' outcome, and the outcome of a login of the rule where the page departs from
    it."""
    unknown = sorted(set(exceptions) - set(SITE_RULE))
    if unknown:
        raise TypeError(f"not a login of the admin site's rule {sorted(SITE_RULE)}: {unknown}")
    return {"coordinator": coordinator, "staff": staff, **exceptions}


@dataclass(frozen=True)
class AdminEntry(Entry):
    """An admin URL: ``expect`` is ``admin_page(...)``; the sweep applies the site's rule."""

    def __post_init__(self):
        assert set(PAGE_ROLES) <= set(self.expect) <= set(PAGE_ROLES) | set(SITE_RULE), (
            f"expectations for {sorted(self.expect)}"
        )


# The user model's admin: its URL names are admin:<USER_ADMIN>_change and so on.
USER_ADMIN = "accounts_user"

# The models in the admin, each with the object its pages are requested for and what the
# coordinator gets where it is not the page itself (200): view name -> outcome. Staff without
# permissions get none of a model's pages (403); "<object_id>/" only redirects to the change
# page, for them as for the coordinator.
# Apps outside the setting COORDINATOR_APPS give the coordinators no permission at all.
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
    # The standard texts of the mails: edited by kind and language on a page of their own (the
    # change page leads there); an own text goes by a confirmed reset, not a deletion.
    "network_portal_mailtext": (
        lambda w: w.mail_text,
        {**WORKFLOW_ONLY, "change": to(lambda w, requested: _mail_text_edit(w))},
    ),
    # The activity log: written by the services, read-only for everyone.
    "network_portal_activityentry": (lambda w: w.activity_entry, WORKFLOW_ONLY),
    USER_ADMIN: (lambda w: w.users["member"], {}),
    "members_company": (lambda w: w.company, {}),
    "members_contactperson": (lambda w: w.contact, {}),
    "members_joinrequest": (lambda w: w.join_request, NO_ADD),  # users ask in the portal
    "members_companyinvitation": (lambda w: w.invitation, NO_ADD),  # company admins invite
    # A published meeting is cancelled (with a notice), not deleted.
    "meetings_meeting": (lambda w: w.meeting, {"delete": FORBIDDEN}),
    "meetings_registration": (lambda w: w.registration, WORKFLOW_ONLY),
    "meetings_topicproposal": (lambda w: w.proposal, NO_ADD),
    # Requests to speak are made from „Passende Angebote“ and kept as a record (the change
    # page shows them read-only).
    "meetings_speakerrequest": (lambda w: w.speaker_request, WORKFLOW_ONLY),
    "members_expertisetopic": (lambda w: w.expertise_topic, {}),
    # The companies keep their offers; coordinators read them and may remove one.
    "members_expertiseoffer": (lambda w: w.expertise_offer, NO_ADD),
    "meetings_feedback": (lambda w: w.feedback, NO_ADD),
    # Cooperation board: projects are the coordinators' to create and change; bookings,
    # interest and the messages sent are records of what the companies and owners did.
    "cooperation_project": (lambda w: w.coop_project, {}),
    "cooperation_booking": (lambda w: w.coop_booking, WORKFLOW_ONLY),
    "cooperation_interest": (lambda w: w.coop_interest, WORKFLOW_ONLY),
    "cooperation_message": (lambda w: w.coop_message, WORKFLOW_ONLY),
    # Questions come from the companies, which withdraw them themselves.
    "meetings_expertquestion": (lambda w: w.question, WORKFLOW_ONLY),
    # Offers are the companies' own (kept in the portal): the admin shows them read-only.
    "internships_internshipoffer": (lambda w: w.internship_offer, WORKFLOW_ONLY),
    "internships_partnerschool": (lambda w: w.partner_school, {}),
    "internships_schoolstay": (lambda w: w.school_stay, {}),
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
    # Engagement: a view of the member companies (only the permission to view it); a row leads
    # to the company's own page, which shows the same figures.
    "reports_engagement": (
        lambda w: w.company,
        {**WORKFLOW_ONLY, "change": to(lambda w, requested: _company_change(w))},
    ),
}


def _mail_text_edit(world) -> str:
    return reverse("admin:network_portal_mailtext_edit", args=["meetings.invitation", "de"])


def _company_change(world) -> str:
    return reverse("admin:members_company_change", args=[world.company.pk])


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

        def page(view, kwargs=None, coordinator=coordinator):
            return AdminEntry(
                admin_page(coordinator=coordinator.get(view, OK), staff=FORBIDDEN), kwargs=kwargs
            )

        entries[f"admin:{key}_changelist"] = page("changelist")
        entries[f"admin:{key}_add"] = page("add")
        for view in ("history", "delete", "change"):
            entries[f"admin:{key}_{view}"] = page(view, kwargs=object_id)
        # "<object_id>/" only redirects to the change page, which checks the permission.
        redirect = coordinator.get("redirect", to(change_url))
        entries[f"{UNNAMED}admin/{opts.app_label}/{opts.model_name}/<path:object_id>/"] = (
            AdminEntry(admin_page(coordinator=redirect, staff=redirect), path=redirect_path)
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


def _walked_in(world, requested):
    from meetings.models import Registration

    walk_in = Registration.objects.filter(meeting=world.door_meeting, walk_in=True).latest("pk")
    url = reverse("admin:meetings_meeting_check_in_page", args=[world.door_meeting.pk])
    return f"{url}#registration-{walk_in.pk}"


def _placements(world, requested):
    return reverse("admin:internships_schoolstay_placements", args=[world.school_stay.pk])


def _pupil_row(name):
    """The placement screen at a pupil's row: ``name``'s, or the placed pupil's (None)."""

    def location(world, requested):
        pupil = getattr(world, name) if name else world.internship_placement.pupil
        return f"{_placements(world, requested)}#pupil-{pupil.pk}"

    return location


def _this_year(world) -> str:
    return f"year={timezone.localdate().year}"


def _view_on_site(world, requested):
    return f"http://{world.site.domain}{world.imprint.url}"


def coordinators_only(outcome=OK):
    """A page of the coordinators' work: ``outcome`` for the coordinator, 403 for staff without
    permissions."""
    return admin_page(coordinator=outcome, staff=FORBIDDEN)


ADMIN_SITE = {
    # --- The admin site's own pages: staff without any group get them too -------------------
    "admin:index": AdminEntry(admin_page(coordinator=OK, staff=OK)),
    "admin:login": AdminEntry(
        admin_page(
            coordinator=to("admin:index"),
            staff=to("admin:index"),
            anonymous=login_next("/admin/"),
        ),
        why="the admin's login hands over to allauth's login; logged in, it goes on to 'next'",
    ),
    "admin:logout": AdminEntry(admin_page(coordinator=OK, staff=OK), method="post"),
    "admin:password_change": AdminEntry(
        admin_page(coordinator=to("account_change_password"), staff=to("account_change_password")),
        why="the admin hands the password change over to allauth's page",
    ),
    "admin:password_change_done": AdminEntry(admin_page(coordinator=OK, staff=OK)),
    "admin:autocomplete": AdminEntry(
        coordinators_only(),
        query="app_label=meetings&model_name=meeting&field_name=host&term=Mosel",
    ),
    "admin:jsi18n": AdminEntry(admin_page(coordinator=OK, staff=OK)),
    # The contenttypes shortcut only redirects to the object's public URL (a flat page here).
    "admin:view_on_site": AdminEntry(
        admin_page(coordinator=to(_view_on_site), staff=to(_view_on_site)),
        kwargs=lambda w: {"content_type_id": w.flatpage_type.pk, "object_id": w.imprint.pk},
    ),
    "admin:app_list": AdminEntry(
        admin_page(coordinator=OK, staff=NOT_FOUND),
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
    f"{UNNAMED}admin/(?P<url>.*)$": AdminEntry(
        admin_page(coordinator=NOT_FOUND, staff=NOT_FOUND),
        path=lambda w: "/admin/no-such-page/",
        why="the admin's catch-all: unknown admin pages are 404 once past the admin's guard",
    ),
    # --- Custom views of the ModelAdmins ---------------------------------------------------
    "admin:members_company_import": AdminEntry(coordinators_only()),
    "admin:meetings_meeting_participants": AdminEntry(coordinators_only(), kwargs=_pk("meeting")),
    # Speakers from the member companies: the matching offers, the request's form and
    # confirmation (its POST tested in tests/meetings/test_speaker_requests.py), withdrawal.
    "admin:meetings_meeting_offers": AdminEntry(coordinators_only(), kwargs=_pk("meeting")),
    "admin:meetings_meeting_ask": AdminEntry(
        coordinators_only(),
        kwargs=lambda w: {"pk": w.meeting.pk, "offer_pk": w.expertise_offer.pk},
    ),
    "admin:meetings_topicproposal_offers": AdminEntry(coordinators_only(), kwargs=_pk("proposal")),
    "admin:meetings_topicproposal_ask": AdminEntry(
        coordinators_only(),
        kwargs=lambda w: {"pk": w.proposal.pk, "offer_pk": w.expertise_offer.pk},
    ),
    "admin:meetings_speakerrequest_withdraw": AdminEntry(
        coordinators_only(), kwargs=_pk("speaker_request")
    ),
    "admin:meetings_meeting_participants_csv": AdminEntry(
        coordinators_only(), kwargs=_pk("meeting")
    ),
    "admin:meetings_meeting_participants_pdf": AdminEntry(
        coordinators_only(), kwargs=_pk("meeting")
    ),
    "admin:meetings_meeting_check_in": AdminEntry(
        coordinators_only(to(_participants)),
        kwargs=_pk("meeting"),
        method="post",
        data=lambda w: {"registration": w.registration.pk, "present": "1"},
    ),
    "admin:meetings_meeting_check_in_page": AdminEntry(coordinators_only(), kwargs=_pk("meeting")),
    "admin:meetings_meeting_walk_in": AdminEntry(
        coordinators_only(to(_walked_in)),
        kwargs=_pk("door_meeting"),
        method="post",
        data={"name": "Gast Ohneanmeldung", "company": "Hunsrück Bau"},
    ),
    # The confirmation (a GET sends nothing); its POST publishes, tested in
    # tests/meetings/test_meeting_form.py.
    "admin:meetings_meeting_publish": AdminEntry(coordinators_only(), kwargs=_pk("draft_meeting")),
    # The confirmation (a GET cancels nothing); its POST cancels, tested in
    # tests/meetings/test_change_confirmations.py.
    "admin:meetings_meeting_cancel": AdminEntry(coordinators_only(), kwargs=_pk("meeting")),
    # Confirmations from the participant overview (a GET sends nothing); their POSTs are
    # tested in tests/meetings/test_reminders_by_hand.py.
    "admin:meetings_meeting_remind": AdminEntry(coordinators_only(), kwargs=_pk("meeting")),
    # The dossier's confirmation (a GET sends nothing); its POST publishes, tested in
    # tests/meetings/test_dossier.py.
    "admin:meetings_meeting_dossier": AdminEntry(coordinators_only(), kwargs=_pk("past_meeting")),
    "admin:meetings_meeting_questions": AdminEntry(coordinators_only(), kwargs=_pk("meeting")),
    # The groups to take over as guests (a GET changes nothing); the confirmation and its POST
    # are tested in tests/meetings/test_event_kinds.py.
    "admin:meetings_meeting_guests": AdminEntry(coordinators_only(), kwargs=_pk("draft_meeting")),
    # The confirmation (a GET sends nothing); its POST sends, tested in
    # tests/meetings/test_questions.py.
    "admin:meetings_meeting_questions_send": AdminEntry(
        coordinators_only(), kwargs=lambda w: {"pk": w.meeting.pk, "expert_pk": w.expert.pk}
    ),
    "admin:meetings_meeting_resend_invitation": AdminEntry(
        coordinators_only(), kwargs=lambda w: {"pk": w.meeting.pk, "contact_pk": w.contact.pk}
    ),
    # The placement screen of a school stay (tests/internships/test_pages.py) and its steps.
    "admin:internships_schoolstay_placements": AdminEntry(
        coordinators_only(), kwargs=_pk("school_stay")
    ),
    "admin:internships_schoolstay_place": AdminEntry(
        coordinators_only(to(_pupil_row("unplaced_pupil"))),
        kwargs=_pk("school_stay"),
        method="post",
        data=lambda w: {"pupil": w.unplaced_pupil.pk, "offer": w.internship_offer.pk},
    ),
    "admin:internships_schoolstay_unplace": AdminEntry(
        coordinators_only(to(_pupil_row(None))),
        kwargs=lambda w: {"pk": w.school_stay.pk, "placement_pk": w.internship_placement.pk},
        method="post",
    ),
    "admin:internships_schoolstay_list_pdf": AdminEntry(
        coordinators_only(),
        kwargs=lambda w: {"pk": w.school_stay.pk, "company_pk": w.company.pk},
        extras=(
            Extra(
                "a company without pupils of the stay",
                "coordinator",
                NOT_FOUND,
                kwargs=lambda w: {"pk": w.school_stay.pk, "company_pk": w.other_company.pk},
            ),
        ),
    ),
    # GET: the confirmation (N companies, M pupils); the POST sends the lists.
    "admin:internships_schoolstay_send": AdminEntry(
        coordinators_only(to(_placements)),
        kwargs=_pk("school_stay"),
        method="post",
        extras=(
            Extra("confirmation page", "coordinator", OK, method="get"),
            Extra("confirmation page", "staff", FORBIDDEN, method="get"),
        ),
    ),
    "admin:seal_awardcycle_copy_catalogue": AdminEntry(coordinators_only(), kwargs=_pk("cycle")),
    "admin:seal_awardcycle_ranking": AdminEntry(coordinators_only(), kwargs=_pk("cycle")),
    "admin:seal_awardcycle_ranking_csv": AdminEntry(coordinators_only(), kwargs=_pk("cycle")),
    "admin:seal_awardcycle_threshold": AdminEntry(
        coordinators_only(to(_ranking)), kwargs=_pk("cycle"), method="post"
    ),
    "admin:seal_awardcycle_decisions": AdminEntry(
        coordinators_only(to(_ranking)), kwargs=_pk("cycle"), method="post"
    ),
    # GET: the confirmation (tests/seal/test_decision_confirmation.py; with no decision left to
    # send, back to the ranking); the POST sends.
    "admin:seal_awardcycle_send_decisions": AdminEntry(
        coordinators_only(to(_ranking)),
        kwargs=_pk("cycle"),
        method="post",
        extras=(Extra("confirmation page", "coordinator", to(_ranking), method="get"),),
    ),
    # How far each juror has got (tests/seal/test_jury_work.py); the bulk assignment is an
    # action of the applications' list, not a URL of its own.
    "admin:seal_application_jury_progress": AdminEntry(coordinators_only()),
    "admin:seal_application_summary_pdf": AdminEntry(
        coordinators_only(), kwargs=_pk("application")
    ),
    "admin:seal_certificate_pdf": AdminEntry(coordinators_only(), kwargs=_pk("certificate")),
    "admin:newsletter_mailinglist_sync": AdminEntry(
        coordinators_only(to("admin:newsletter_mailinglist_changelist")), method="post"
    ),
    "admin:newsletter_issue_preview": AdminEntry(coordinators_only(), kwargs=_pk("draft_issue")),
    "admin:newsletter_issue_preview_text": AdminEntry(
        coordinators_only(), kwargs=_pk("draft_issue")
    ),
    "admin:newsletter_issue_attachment": AdminEntry(
        coordinators_only(),
        kwargs=lambda w: {"pk": w.draft_issue.pk, "attachment_pk": w.issue_attachment.pk},
        extras=(
            Extra(
                "an attachment of another issue",
                "coordinator",
                NOT_FOUND,
                kwargs=lambda w: {"pk": w.public_issue.pk, "attachment_pk": w.issue_attachment.pk},
            ),
        ),
    ),
    "admin:newsletter_issue_send_test": AdminEntry(
        coordinators_only(to(_issue_change)), kwargs=_pk("draft_issue"), method="post"
    ),
    # GET: the confirmation with the number of recipients (tests/newsletter/
    # test_send_confirmation.py); the POST sends or schedules.
    "admin:newsletter_issue_send": AdminEntry(
        coordinators_only(to(_issue_change)),
        kwargs=_pk("draft_issue"),
        method="post",
        extras=(
            Extra("confirmation page", "coordinator", OK, method="get"),
            Extra("confirmation page", "staff", FORBIDDEN, method="get"),
        ),
    ),
    "admin:newsletter_issue_schedule": AdminEntry(
        coordinators_only(to(_issue_change)),
        kwargs=_pk("draft_issue"),
        method="post",
        extras=(
            Extra(
                "confirmation page",
                "coordinator",
                OK,
                method="get",
                query="at=2099-01-15T09:00",
            ),
            Extra("confirmation page", "staff", FORBIDDEN, method="get"),
        ),
    ),
    "admin:newsletter_issue_unschedule": AdminEntry(
        coordinators_only(to(_issue_change)), kwargs=_pk("draft_issue"), method="post"
    ),
    # The standard texts of the mails: a text's page (its POSTs are tested in
    # tests/network_portal/test_mail_texts.py) and the preview of its mail in a frame.
    "admin:network_portal_mailtext_edit": AdminEntry(
        coordinators_only(), kwargs={"kind_key": "meetings.invitation", "language": "de"}
    ),
    "admin:network_portal_mailtext_preview": AdminEntry(
        coordinators_only(), kwargs={"kind_key": "meetings.invitation", "language": "en"}
    ),
    "admin:reports_engagement_csv": AdminEntry(coordinators_only()),
    "admin:reports_annual_report_pdf": AdminEntry(coordinators_only(), query=_this_year),
    "admin:reports_annual_report_xlsx": AdminEntry(coordinators_only(), query=_this_year),
    # Django's own: the password form of a user, under the auth app's name.
    "admin:auth_user_password_change": AdminEntry(
        coordinators_only(),
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
    f"admin:{USER_ADMIN}_delete": Extra(
        "a superuser's account",
        "coordinator",
        FORBIDDEN,
        kwargs=lambda w: {"object_id": w.superuser.pk},
    ),
}


def admin_matrix() -> dict:
    entries = {**_model_entries(), **ADMIN_SITE}
    for key, extra in SUPERUSER_EXTRAS.items():
        if key in entries:  # else USER_ADMIN is out of date: the coverage tests say so
            entries[key] = replace(entries[key], extras=(*entries[key].extras, extra))
    return entries
