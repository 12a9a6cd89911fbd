"""The authorization matrix: every URL pattern of the project and what each role gets.

The rule: anonymous visitors are sent to the login (public pages and token pages excepted),
another company's object does not exist for a user (404), a missing permission is refused
(403). Where an entry departs from it, ``why`` says so.

The roles (``by_role`` names each, ``everyone`` names the exceptions): anonymous; other (an
admin of another active company); member (a user of the owning company without admin rights);
company_admin (of the owning company); pending (the admin of a company that registered and
awaits the coordinators' approval); juror (in the jury group, no company, assigned to the owning
company's submitted application); coordinator (staff in the coordinators' group, not a
superuser, second factor passed).
"""

from urllib.parse import urlencode

from django.urls import reverse

from .outcomes import (
    BAD_REQUEST,
    CREATED,
    FORBIDDEN,
    GONE,
    LOGIN,
    NOT_FOUND,
    OK,
    SERVICE_UNAVAILABLE,
    UNAUTHORIZED,
    Entry,
    Extra,
    by_role,
    everyone,
    to,
)

BOGUS = "bogus-token"
PUBLIC = everyone(OK)
# Users without a company are led to the onboarding (register a company or join one) from the
# pages that act on "your company": for them that is the way in, not a refusal.
ONBOARDING = to("members:onboarding")
HOME = to("members:company")  # company users on pages for users without a company
DASHBOARD = to("members:dashboard")  # allauth: already logged in
REAUTHENTICATE = to(
    lambda w, requested: f"{reverse('account_reauthenticate')}?{urlencode({'next': requested})}"
)

NO_COMPANY_WHY = (
    "juror and coordinator have no company: pages of 'your company' lead them to the onboarding"
)

PENDING_WHY = (
    "the members-only parts are for users of active member companies: the user of a company "
    "awaiting approval is refused (403)"
)

# Network pages: users of active member companies and coordinators; a juror from outside the
# member companies and the user of a company awaiting approval are refused.
NETWORK = everyone(OK, anonymous=LOGIN, pending=FORBIDDEN, juror=FORBIDDEN)
# Company-admin pages without an object in the URL: each admin acts on their own company, an
# approved one or one awaiting approval.
COMPANY_ADMIN_PAGE = by_role(
    anonymous=LOGIN,
    other=OK,
    member=FORBIDDEN,
    company_admin=OK,
    pending=OK,
    juror=ONBOARDING,
    coordinator=ONBOARDING,
)
LOGGED_IN = everyone(OK, anonymous=LOGIN)
# The jury's pages: jurors only.
JURY = everyone(FORBIDDEN, anonymous=LOGIN, juror=OK)


def Account(expect, **options):  # noqa: N802 (reads like Entry)
    """allauth's pages: requested right after a login (see Entry.fresh_login)."""
    return Entry(expect, fresh_login=True, **options)


def _company_action(done):
    """A company admin's page or action on an object of the owning company: another company's
    admin, approved or awaiting approval, does not find it."""
    return by_role(
        anonymous=LOGIN,
        other=NOT_FOUND,
        member=FORBIDDEN,
        company_admin=done,
        pending=NOT_FOUND,
        juror=ONBOARDING,
        coordinator=ONBOARDING,
    )


def _confirmation_page(expect: dict) -> tuple:
    """The GET of an action URL: its confirmation page (for each role ``expect`` names), which
    changes nothing; the entry itself sends the POST that acts."""
    return tuple(
        Extra("confirmation page", role, outcome, method="get") for role, outcome in expect.items()
    )


def _company_users(outcome):
    """``outcome`` for the users of a company, approved or awaiting approval; juror and
    coordinator (no company, but a second factor) get the page."""
    return everyone(outcome, anonymous=LOGIN, juror=OK, coordinator=OK)


EXPERTISE_WHY = (
    "what a company shares is kept by any user of an active member company (not only its "
    "admins); a company awaiting approval is refused (403), users without a company are led "
    "to the onboarding"
)
EXPERTISE_PAGE = everyone(
    OK, anonymous=LOGIN, pending=FORBIDDEN, juror=ONBOARDING, coordinator=ONBOARDING
)


def _expertise_offer(done):
    """The owning company's offer: its users get ``done``, another company's admin 404."""
    return everyone(
        done,
        anonymous=LOGIN,
        other=NOT_FOUND,
        pending=FORBIDDEN,
        juror=ONBOARDING,
        coordinator=ONBOARDING,
    )


INTERNSHIPS_WHY = (
    "internship places are offered by the users of active member companies (any user of one, "
    "not only its admins); a company awaiting approval, a juror and a coordinator have none "
    "(403)"
)
# The company side of internships: the users of an active member company, each for their own.
INTERNSHIP_COMPANY_PAGE = everyone(
    OK, anonymous=LOGIN, pending=FORBIDDEN, juror=FORBIDDEN, coordinator=FORBIDDEN
)


def _internship_offer(done):
    """The owning company's offer: its users get ``done``, another company's admin 404."""
    return everyone(
        done,
        anonymous=LOGIN,
        other=NOT_FOUND,
        pending=FORBIDDEN,
        juror=FORBIDDEN,
        coordinator=FORBIDDEN,
    )


def _coop_project(world):
    return {"pk": world.coop_project.pk}


def _coop_booking(world):
    return {"pk": world.coop_project.pk, "booking_pk": world.coop_booking.pk}


def _coop_detail(world, requested):
    return reverse("cooperation:detail", args=[world.coop_project.pk])


# The cooperation board: pages and actions that speak for a company (users of active member
# companies); coordinators without a company may look and manage, not take part.
COOP_COMPANY = everyone(
    OK, anonymous=LOGIN, pending=FORBIDDEN, juror=FORBIDDEN, coordinator=FORBIDDEN
)
COOP_COMPANY_ACTION = everyone(
    to(_coop_detail), anonymous=LOGIN, pending=FORBIDDEN, juror=FORBIDDEN, coordinator=FORBIDDEN
)
# The project's owner (the owning company's users) and the coordinators manage it; another
# company sees the project on the board but may not change it.
COOP_MANAGER = everyone(OK, anonymous=LOGIN, other=FORBIDDEN, pending=FORBIDDEN, juror=FORBIDDEN)
COOP_WHY = "taking part speaks for a company: coordinators without one may only look and manage"


def _meeting(world):
    return {"slug": world.meeting.slug}


def _detail(world, requested):
    return reverse("meetings:detail", args=[world.meeting.slug])


def _question(world):
    return {"slug": world.meeting.slug, "pk": world.question.pk}


def _question_anchor(world, requested):
    url = reverse("meetings:questions", args=[world.meeting.slug])
    return f"{url}#question-{world.question.pk}"


def _questions_posted(world, requested):
    from meetings.models import ExpertQuestion

    question = ExpertQuestion.objects.filter(meeting=world.meeting).latest("pk")
    return f"{reverse('meetings:questions', args=[world.meeting.slug])}#question-{question.pk}"


def _own_question(done):
    """A question of the owning company: its users change or withdraw it; another company's
    user does not find it; coordinators and jurors act for no company."""
    return by_role(
        anonymous=LOGIN,
        other=NOT_FOUND,
        member=done,
        company_admin=done,
        pending=FORBIDDEN,
        juror=FORBIDDEN,
        coordinator=FORBIDDEN,
    )


def _jury_score(world, requested):
    return reverse("seal:jury_score", args=[world.assignment.pk])


DEV_MAILBOX_WHY = (
    "a developer's tool, for everyone but only with DJANGO_DEBUG on and mails written as files "
    "(tests/network_portal/test_dev_mailbox.py); with DEBUG off, as here, it does not exist"
)


def _reset_key_set(world, requested):
    # allauth keeps the key in the session and continues without it in the URL.
    return requested.replace(world.tokens["password_reset_key"], "set-password")


SITE = {
    # --- Portal ----------------------------------------------------------------------------
    "home": Entry(PUBLIC),
    "healthz": Entry(PUBLIC),
    "readyz": Entry(
        everyone(SERVICE_UNAVAILABLE),
        why="public like healthz, the same for everyone; the test world runs no worker or beat, "
        "so readiness names them stuck (503)",
    ),
    "set_language": Entry(everyone(to("/")), method="post", data={"language": "de", "next": "/"}),
    "imprint": Entry(PUBLIC),
    "privacy": Entry(PUBLIC),
    "accessibility": Entry(PUBLIC),
    # --- The development mailbox (network_portal.dev_mailbox) --------------------------------
    "dev_mailbox": Entry(everyone(NOT_FOUND), why=DEV_MAILBOX_WHY),
    "dev_mail": Entry(everyone(NOT_FOUND), kwargs={"name": "x.eml"}, why=DEV_MAILBOX_WHY),
    "dev_mail_html": Entry(everyone(NOT_FOUND), kwargs={"name": "x.eml"}, why=DEV_MAILBOX_WHY),
    "dev_mail_attachment": Entry(
        everyone(NOT_FOUND), kwargs={"name": "x.eml", "number": 1}, why=DEV_MAILBOX_WHY
    ),
    # --- Accounts (allauth) ----------------------------------------------------------------
    "account_login": Account(everyone(DASHBOARD, anonymous=OK)),
    "account_logout": Account(everyone(OK, anonymous=to("/"))),
    "account_inactive": Account(PUBLIC),
    "account_signup": Account(everyone(DASHBOARD, anonymous=OK)),
    "account_reauthenticate": Account(LOGGED_IN),
    "account_email": Account(LOGGED_IN),
    "account_email_verification_sent": Account(PUBLIC),
    "account_change_password": Account(LOGGED_IN),
    "account_set_password": Account(everyone(to("account_change_password"), anonymous=LOGIN)),
    "account_reset_password": Account(PUBLIC),
    "account_confirm_login_code": Account(
        everyone(DASHBOARD, anonymous=to("account_login")),
        why="login by code is switched off: allauth sends everyone back to the login",
    ),
    "account_confirm_email": Account(
        PUBLIC,
        kwargs=lambda w: {"key": w.tokens["email_confirmation"]},
        token=True,
        # allauth answers an unknown key with its page "invalid or expired link".
        extras=(Extra("bogus token", "anonymous", OK, kwargs={"key": BOGUS}),),
    ),
    "account_reset_password_from_key_done": Account(PUBLIC),
    "account_reset_password_from_key": Account(
        everyone(to(_reset_key_set)),
        kwargs=lambda w: {
            "uidb36": w.tokens["password_reset_uid"],
            "key": w.tokens["password_reset_key"],
        },
        token=True,
        # allauth answers a bad key with its page "invalid or expired link".
        extras=(
            Extra(
                "bogus token",
                "anonymous",
                OK,
                kwargs=lambda w: {"uidb36": w.tokens["password_reset_uid"], "key": BOGUS},
            ),
        ),
    ),
    "account_reset_password_done": Account(PUBLIC),
    # --- Two-factor authentication (allauth.mfa) -------------------------------------------
    # allauth asks for the password again (reauthentication) before it shows or changes a
    # second factor; company users have none, so its pages for one do not exist for them.
    "mfa_index": Account(LOGGED_IN),
    "mfa_authenticate": Account(
        everyone(DASHBOARD, anonymous=to("account_login")),
        why="only reached in the middle of a login: otherwise allauth sends the user on",
    ),
    "mfa_reauthenticate": Account(
        _company_users(to("account_reauthenticate")),
        why="without a second factor the password is the way to reauthenticate",
    ),
    "mfa_activate_totp": Account(
        everyone(
            REAUTHENTICATE,
            anonymous=LOGIN,
            juror=to("mfa_deactivate_totp"),
            coordinator=to("mfa_deactivate_totp"),
        ),
        why="juror and coordinator have an authenticator: allauth offers to replace it instead",
    ),
    "mfa_deactivate_totp": Account(_company_users(NOT_FOUND)),
    "mfa_view_recovery_codes": Account(_company_users(NOT_FOUND)),
    "mfa_generate_recovery_codes": Account(_company_users(REAUTHENTICATE)),
    "mfa_download_recovery_codes": Account(_company_users(NOT_FOUND)),
    # Passkeys (allauth.mfa's WebAuthn): adding, renaming and removing one asks for the password
    # again; a person's passkeys are their own (another's authenticator does not exist here).
    "mfa_list_webauthn": Account(LOGGED_IN),
    "mfa_add_webauthn": Account(_company_users(REAUTHENTICATE)),
    "mfa_reauthenticate_webauthn": Account(
        everyone(to("account_reauthenticate"), anonymous=LOGIN),
        why="without a passkey the password is the way to reauthenticate",
    ),
    "mfa_edit_webauthn": Account(
        _company_users(REAUTHENTICATE) | {"juror": NOT_FOUND, "coordinator": NOT_FOUND},
        kwargs=lambda w: {"pk": w.authenticator.pk},
        why="the coordinator's authenticator app is nobody's passkey: 404 after the password",
    ),
    "mfa_remove_webauthn": Account(
        _company_users(REAUTHENTICATE) | {"juror": NOT_FOUND, "coordinator": NOT_FOUND},
        kwargs=lambda w: {"pk": w.authenticator.pk},
        why="the coordinator's authenticator app is nobody's passkey: 404 after the password",
    ),
    "mfa_login_webauthn": Account(
        everyone(DASHBOARD, anonymous=to("account_login")),
        why="the passkey login answers the login page's script (JSON); opened as a page it "
        "leads to the login, logged-in users are sent on",
    ),
    # --- Open sessions (allauth.usersessions) -----------------------------------------------
    "usersessions_list": Account(LOGGED_IN),
    # --- „Mein Konto“ (accounts) -----------------------------------------------------------
    "accounts:account": Entry(LOGGED_IN),
    "accounts:name": Entry(
        everyone(to("accounts:account"), anonymous=LOGIN),
        method="post",
        data={"first_name": "Ines", "last_name": "Kaiser"},
        why="everyone changes their own name only: no object in the URL",
    ),
    "accounts:language": Entry(
        everyone(to("accounts:account"), anonymous=LOGIN), method="post", data={"language": "de"}
    ),
    "accounts:delete": Account(
        _company_users(REAUTHENTICATE),
        why="deleting asks for the password again (jurors and coordinators logged in with it "
        "just now): the page then says what happens, or why it cannot",
    ),
    # --- Members ---------------------------------------------------------------------------
    "members:directory": Entry(NETWORK, why=PENDING_WHY),
    "members:public_directory": Entry(PUBLIC),
    "members:dashboard": Entry(
        everyone(HOME, anonymous=LOGIN, juror=to("seal:jury"), coordinator=to("admin:index"))
    ),
    "members:onboarding": Entry(_company_users(HOME)),
    "members:register": Entry(_company_users(HOME)),
    "members:join": Entry(_company_users(HOME)),
    "members:join_withdraw": Entry(
        everyone(NOT_FOUND, anonymous=LOGIN),
        kwargs=lambda w: {"pk": w.join_request.pk},
        method="post",
        why="only the applicant may withdraw a join request: for everyone else it does not exist",
    ),
    "members:company": Entry(
        everyone(OK, anonymous=LOGIN, juror=ONBOARDING, coordinator=ONBOARDING),
        why=NO_COMPANY_WHY,
    ),
    "members:company_edit": Entry(COMPANY_ADMIN_PAGE, why=NO_COMPANY_WHY),
    "members:own_contact": Entry(
        everyone(to("accounts:account"), anonymous=LOGIN),
        why="the page is always the person's own contact entry; the world's logins have none "
        "linked, so they are sent back to „Mein Konto“",
    ),
    "members:contact_add": Entry(COMPANY_ADMIN_PAGE, why=NO_COMPANY_WHY),
    "members:contact_edit": Entry(
        _company_action(OK), kwargs=lambda w: {"pk": w.contact.pk}, why=NO_COMPANY_WHY
    ),
    "members:contact_delete": Entry(
        _company_action(OK), kwargs=lambda w: {"pk": w.contact.pk}, why=NO_COMPANY_WHY
    ),
    # „Was wir teilen“: any user of an active member company, for its own offers.
    "members:expertise": Entry(EXPERTISE_PAGE, why=EXPERTISE_WHY),
    "members:expertise_add": Entry(EXPERTISE_PAGE, why=EXPERTISE_WHY),
    "members:expertise_edit": Entry(
        _expertise_offer(OK), kwargs=lambda w: {"pk": w.expertise_offer.pk}, why=EXPERTISE_WHY
    ),
    "members:expertise_delete": Entry(
        _expertise_offer(OK), kwargs=lambda w: {"pk": w.expertise_offer.pk}, why=EXPERTISE_WHY
    ),
    "members:invitation_add": Entry(COMPANY_ADMIN_PAGE, why=NO_COMPANY_WHY),
    "members:invitation_revoke": Entry(
        _company_action(HOME),
        kwargs=lambda w: {"pk": w.invitation.pk},
        method="post",
        why=NO_COMPANY_WHY,
    ),
    "members:join_request_decide": Entry(
        _company_action(HOME),
        kwargs=lambda w: {"pk": w.join_request.pk, "decision": "accept"},
        method="post",
        why=NO_COMPANY_WHY,
    ),
    "members:membership_change": Entry(
        _company_action(HOME),
        kwargs=lambda w: {"pk": w.member_membership.pk, "action": "make-admin"},
        method="post",
        why=NO_COMPANY_WHY,
    ),
    "members:membership_remove": Entry(
        _company_action(HOME),
        kwargs=lambda w: {"pk": w.member_membership.pk},
        method="post",
        why=NO_COMPANY_WHY,
        extras=_confirmation_page(_company_action(OK)),
    ),
    "members:invitation_accept": Entry(
        PUBLIC,
        kwargs=lambda w: {"token": w.tokens["invitation"]},
        token=True,
        extras=(Extra("bogus token", "anonymous", GONE, kwargs={"token": BOGUS}),),
    ),
    "members:logo": Entry(
        everyone(OK, anonymous=NOT_FOUND, pending=NOT_FOUND, juror=NOT_FOUND),
        kwargs=lambda w: {"slug": w.company.slug},
        why=(
            "an image, not a page: the logo of a company outside the public directory is for "
            "network members only, and hidden (404) from everyone else"
        ),
    ),
    # --- Meetings --------------------------------------------------------------------------
    "meetings:list": Entry(NETWORK, why=PENDING_WHY),
    "meetings:calendar": Entry(NETWORK, why=PENDING_WHY),
    "meetings:feed": Entry(
        PUBLIC,
        kwargs=lambda w: {"token": w.tokens["feed"]},
        token=True,
        extras=(Extra("bogus token", "anonymous", NOT_FOUND, kwargs={"token": BOGUS}),),
    ),
    "meetings:topics": Entry(NETWORK, why=PENDING_WHY),
    "meetings:topic_vote": Entry(
        everyone(
            to(lambda w, r: reverse("meetings:topics") + f"#topic-{w.proposal.pk}"),
            anonymous=LOGIN,
            pending=FORBIDDEN,
            juror=FORBIDDEN,
            coordinator=FORBIDDEN,
        ),
        kwargs=lambda w: {"pk": w.proposal.pk},
        method="post",
        data={"vote": "yes"},
        why="voting speaks for a company: coordinators without one may only look",
    ),
    "meetings:rsvp": Entry(
        PUBLIC,
        kwargs=lambda w: {"token": w.tokens["rsvp"]},
        token=True,
        extras=(Extra("bogus token", "anonymous", GONE, kwargs={"token": BOGUS}),),
    ),
    "meetings:speaker_answer": Entry(
        PUBLIC,
        kwargs=lambda w: {"token": w.tokens["speaker"]},
        token=True,
        extras=(Extra("bogus token", "anonymous", GONE, kwargs={"token": BOGUS}),),
    ),
    "meetings:feedback": Entry(
        PUBLIC,
        kwargs=lambda w: {"token": w.tokens["feedback"]},
        token=True,
        extras=(Extra("bogus token", "anonymous", GONE, kwargs={"token": BOGUS}),),
    ),
    # The public calendar of public events (title, kind, time, venue and city): for everyone.
    "meetings:public_events": Entry(PUBLIC),
    "meetings:public_ics": Entry(PUBLIC),
    "meetings:public_json": Entry(PUBLIC),
    "meetings:detail": Entry(NETWORK, kwargs=_meeting, why=PENDING_WHY),
    "meetings:ics": Entry(NETWORK, kwargs=_meeting, why=PENDING_WHY),
    "meetings:answer": Entry(
        everyone(
            to(_detail), anonymous=LOGIN, pending=FORBIDDEN, juror=FORBIDDEN, coordinator=FORBIDDEN
        ),
        kwargs=_meeting,
        method="post",
        data={"attending": "yes"},
        why="answering speaks for a company: coordinators without one may only look",
    ),
    "meetings:register_colleague": Entry(
        everyone(
            to(_detail), anonymous=LOGIN, pending=FORBIDDEN, juror=FORBIDDEN, coordinator=FORBIDDEN
        ),
        kwargs=_meeting,
        method="post",
        why="registering speaks for a company: coordinators without one may only look",
    ),
    "meetings:cancel_registration": Entry(
        by_role(
            anonymous=LOGIN,
            other=NOT_FOUND,
            member=to(_detail),
            company_admin=to(_detail),
            pending=FORBIDDEN,
            juror=FORBIDDEN,
            coordinator=FORBIDDEN,
        ),
        kwargs=lambda w: {"slug": w.meeting.slug, "pk": w.registration.pk},
        method="post",
        extras=_confirmation_page(
            by_role(
                anonymous=LOGIN,
                other=NOT_FOUND,
                member=OK,
                company_admin=OK,
                pending=FORBIDDEN,
                juror=FORBIDDEN,
                coordinator=FORBIDDEN,
            )
        ),
    ),
    "meetings:material": Entry(
        NETWORK,
        kwargs=lambda w: {"slug": w.meeting.slug, "pk": w.material.pk},
        why=PENDING_WHY,
    ),
    "meetings:dossier": Entry(
        NETWORK,
        kwargs=lambda w: {"slug": w.dossier_meeting.slug},
        why=PENDING_WHY,
        extras=(
            Extra(
                "a meeting whose dossier is not published",
                "member",
                NOT_FOUND,
                kwargs=lambda w: {"slug": w.past_meeting.slug},
            ),
        ),
    ),
    "meetings:questions": Entry(
        NETWORK,
        kwargs=_meeting,
        extras=(
            Extra(
                "ask a question",
                "other",
                to(_questions_posted),
                method="post",
                data={"text": "Gibt es Förderung?", "show_company": "on"},
            ),
            Extra(
                "ask a question",
                "coordinator",
                FORBIDDEN,
                method="post",
                data={"text": "Gibt es Förderung?"},
            ),
            Extra(
                "ask a question",
                "pending",
                FORBIDDEN,
                method="post",
                data={"text": "Gibt es Förderung?"},
            ),
        ),
        why=PENDING_WHY + "; asking speaks for a company: coordinators without one may only look",
    ),
    "meetings:question_edit": Entry(
        _own_question(OK),
        kwargs=_question,
        extras=(
            Extra(
                "save",
                "member",
                to(_question_anchor),
                method="post",
                data={"text": "Wie lange genau?", "show_company": "on"},
            ),
            Extra("save", "other", NOT_FOUND, method="post", data={"text": "Übernommen"}),
        ),
        why="another company's question does not exist for a user; coordinators may only look",
    ),
    "meetings:question_withdraw": Entry(
        _own_question(to(lambda w, r: reverse("meetings:questions", args=[w.meeting.slug]))),
        kwargs=_question,
        method="post",
        extras=_confirmation_page(_own_question(OK)),
        why="another company's question does not exist for a user; coordinators may only look",
    ),
    # --- Internships -----------------------------------------------------------------------
    "internships:public": Entry(PUBLIC),
    "internships:offers": Entry(INTERNSHIP_COMPANY_PAGE, why=INTERNSHIPS_WHY),
    "internships:offer_create": Entry(INTERNSHIP_COMPANY_PAGE, why=INTERNSHIPS_WHY),
    "internships:offer_edit": Entry(
        _internship_offer(OK),
        kwargs=lambda w: {"pk": w.internship_offer.pk},
        why=INTERNSHIPS_WHY,
    ),
    "internships:offer_withdraw": Entry(
        _internship_offer(to("internships:offers")),
        kwargs=lambda w: {"pk": w.internship_offer.pk},
        method="post",
        extras=_confirmation_page(_internship_offer(OK)),
        why=INTERNSHIPS_WHY
        + "; the world's offer has a pupil placed, so the POST is refused with a message",
    ),
    # --- Cooperation board -----------------------------------------------------------------
    "cooperation:board": Entry(NETWORK, why=PENDING_WHY),
    "cooperation:mine": Entry(COOP_COMPANY, why=COOP_WHY),
    "cooperation:propose": Entry(COOP_COMPANY, why=COOP_WHY),
    "cooperation:detail": Entry(NETWORK, kwargs=_coop_project, why=PENDING_WHY),
    "cooperation:edit": Entry(
        COOP_MANAGER,
        kwargs=_coop_project,
        why="another company sees the project on the board but may not change it (403)",
    ),
    "cooperation:status": Entry(
        everyone(
            to(_coop_detail), anonymous=LOGIN, other=FORBIDDEN, pending=FORBIDDEN, juror=FORBIDDEN
        ),
        kwargs=_coop_project,
        query="status=running",
        method="post",
        extras=_confirmation_page(
            {"member": OK, "company_admin": OK, "coordinator": OK, "other": FORBIDDEN}
        ),
        why="another company sees the project on the board but may not change it (403)",
    ),
    "cooperation:interest": Entry(
        COOP_COMPANY_ACTION,
        kwargs=_coop_project,
        method="post",
        data={"interested": "yes"},
        why=COOP_WHY,
    ),
    "cooperation:message": Entry(
        COOP_MANAGER,
        kwargs=_coop_project,
        why="another company sees the project on the board but may not write for it (403)",
    ),
    "cooperation:book": Entry(
        COOP_COMPANY_ACTION,
        kwargs=_coop_project,
        method="post",
        data={"places": "1"},
        why=COOP_WHY,
    ),
    "cooperation:cancel": Entry(
        by_role(
            anonymous=LOGIN,
            other=NOT_FOUND,
            member=to(_coop_detail),
            company_admin=to(_coop_detail),
            pending=FORBIDDEN,
            juror=FORBIDDEN,
            coordinator=FORBIDDEN,
        ),
        kwargs=_coop_booking,
        query="places=1",
        method="post",
        extras=_confirmation_page(
            {"member": OK, "company_admin": OK, "other": NOT_FOUND, "coordinator": FORBIDDEN}
        ),
        why=COOP_WHY,
    ),
    "cooperation:attendance": Entry(
        COOP_MANAGER,
        kwargs=_coop_booking,
        why="the project's owner and the coordinators record attendance; another company "
        "may not (403)",
    ),
    # --- Newsletter ------------------------------------------------------------------------
    "newsletter:subscribe": Entry(PUBLIC),
    "newsletter:account_lists": Entry(
        everyone(to("accounts:account"), anonymous=LOGIN),
        why="the form on „Mein Konto“ posts here (the lists of the person's own address); "
        "opened as a page it leads there",
    ),
    "newsletter:subscribe_sent": Entry(PUBLIC),
    "newsletter:confirm": Entry(
        PUBLIC,
        kwargs=lambda w: {"token": w.tokens["confirm"]},
        token=True,
        extras=(Extra("bogus token", "anonymous", GONE, kwargs={"token": BOGUS}),),
    ),
    "newsletter:preferences": Entry(
        PUBLIC,
        kwargs=lambda w: {"token": w.tokens["preferences"]},
        token=True,
        extras=(Extra("bogus token", "anonymous", GONE, kwargs={"token": BOGUS}),),
    ),
    "newsletter:unsubscribe": Entry(
        PUBLIC,
        kwargs=lambda w: {"token": w.tokens["unsubscribe"]},
        token=True,
        extras=(Extra("bogus token", "anonymous", GONE, kwargs={"token": BOGUS}),),
    ),
    "newsletter:archive": Entry(PUBLIC),
    "newsletter:archive_issue": Entry(PUBLIC, kwargs=lambda w: {"pk": w.public_issue.pk}),
    "newsletter:members_archive": Entry(NETWORK, why=PENDING_WHY),
    "newsletter:members_archive_issue": Entry(
        NETWORK, kwargs=lambda w: {"pk": w.members_issue.pk}, why=PENDING_WHY
    ),
    "newsletter:bounce_webhook": Entry(
        everyone(UNAUTHORIZED),
        method="post",
        data={"email": "x@example.org", "type": "hard"},
        why="a machine's webhook: its credential is the bearer token, never a session",
        extras=(
            Extra(
                "bogus token",
                "anonymous",
                UNAUTHORIZED,
                headers={"Authorization": "Bearer wrong"},
            ),
            Extra(
                "valid token",
                "anonymous",
                CREATED,
                headers={"Authorization": "Bearer authz-bounce-token"},
                data='{"email": "x@example.org", "type": "hard"}',
            ),
        ),
    ),
    "newsletter:provider_bounce_webhook": Entry(
        everyone(BAD_REQUEST),
        method="post",
        data='{"RecordType": "Delivery", "Recipient": "x@example.org", "MessageID": "m1"}',
        why=(
            "a mail provider's webhook: its credential is the basic auth secret (anymail "
            "answers a missing or wrong one with 400), never a session"
        ),
        extras=(
            Extra(
                "bogus token",
                "anonymous",
                BAD_REQUEST,
                headers={"Authorization": "Basic YXV0aHo6d3Jvbmc="},  # authz:wrong
            ),
            Extra(
                "valid token",
                "anonymous",
                OK,
                # authz:provider-secret
                headers={"Authorization": "Basic YXV0aHo6cHJvdmlkZXItc2VjcmV0"},
            ),
        ),
    ),
    # --- Seal ------------------------------------------------------------------------------
    "seal:home": Entry(PUBLIC),
    "seal:verify": Entry(
        PUBLIC,
        kwargs=lambda w: {"code": w.certificate.verification_code},
        extras=(Extra("bogus token", "anonymous", NOT_FOUND, kwargs={"code": "BOGUS"}),),
    ),
    "seal:badge": Entry(
        PUBLIC,
        kwargs=lambda w: {"code": w.certificate.verification_code},
        extras=(Extra("bogus token", "anonymous", NOT_FOUND, kwargs={"code": "BOGUS"}),),
    ),
    "seal:archive": Entry(PUBLIC),
    "seal:holders_json": Entry(PUBLIC),
    "seal:holders_embed": Entry(PUBLIC),
    "seal:holder": Entry(
        PUBLIC,
        kwargs=lambda w: {"slug": w.company.slug},
        extras=(
            Extra(
                "a company without a public seal page",
                "anonymous",
                NOT_FOUND,
                kwargs=lambda w: {"slug": w.other_company.slug},
            ),
        ),
    ),
    # Each company admin edits the own company's page (no object in the URL); without a
    # current seal the page says that a public page needs one.
    "seal:holder_profile": Entry(
        COMPANY_ADMIN_PAGE,
        why=NO_COMPANY_WHY,
        extras=(
            Extra("saving", "company_admin", to("seal:holder_profile"), method="post"),
            Extra("saving", "member", FORBIDDEN, method="post"),
        ),
    ),
    "seal:application": Entry(COMPANY_ADMIN_PAGE, why=NO_COMPANY_WHY),
    "seal:application_step": Entry(
        by_role(
            anonymous=LOGIN,
            other=to("seal:application"),
            member=FORBIDDEN,
            company_admin=OK,
            pending=to("seal:application"),
            juror=ONBOARDING,
            coordinator=ONBOARDING,
        ),
        kwargs=lambda w: {"category_id": w.category.pk},
        why="the catalogue is the cycle's, not a company's: another company without an "
        "application is sent to start one",
    ),
    "seal:submit": Entry(
        _company_action(to("seal:application")),
        method="post",
        why=NO_COMPANY_WHY + "; the application is submitted already, so the confirmation page "
        "sends its admin back to the overview",
        extras=_confirmation_page(_company_action(to("seal:application"))),
    ),
    "seal:summary_pdf": Entry(_company_action(OK), why=NO_COMPANY_WHY),
    "seal:feedback_pdf": Entry(
        _company_action(OK),
        query=lambda w: f"cycle={w.past_cycle.slug}",
        why=NO_COMPANY_WHY,
    ),
    "seal:certificate_pdf": Entry(
        _company_action(OK),
        query=lambda w: f"cycle={w.past_cycle.slug}",
        why=NO_COMPANY_WHY,
    ),
    "seal:evidence_remove": Entry(
        _company_action(to("seal:application")),
        kwargs=lambda w: {"pk": w.evidence.pk},
        method="post",
        why=NO_COMPANY_WHY,
    ),
    "seal:evidence": Entry(
        by_role(
            anonymous=LOGIN,
            other=NOT_FOUND,
            member=FORBIDDEN,
            company_admin=OK,
            pending=NOT_FOUND,
            juror=OK,
            coordinator=OK,
        ),
        kwargs=lambda w: {"pk": w.evidence.pk},
        why="another juror's application is 404",
        extras=(
            Extra(
                "another juror's application",
                "juror",
                NOT_FOUND,
                kwargs=lambda w: {"pk": w.third_evidence.pk},
            ),
        ),
    ),
    "seal:jury": Entry(JURY),
    "seal:jury_score": Entry(
        JURY,
        kwargs=lambda w: {"pk": w.assignment.pk},
        extras=(
            Extra(
                "another juror's assignment",
                "juror",
                NOT_FOUND,
                kwargs=lambda w: {"pk": w.other_assignment.pk},
            ),
        ),
    ),
    # The confirmation before submitting (tests/seal/test_jury.py); the world's juror has not
    # scored every criterion, so both lead back to the scoring page with the reason.
    "seal:jury_submit": Entry(
        everyone(FORBIDDEN, anonymous=LOGIN, juror=to(_jury_score)),
        kwargs=lambda w: {"pk": w.assignment.pk},
        method="post",
        extras=(
            Extra("confirmation page", "juror", to(_jury_score), method="get"),
            Extra(
                "another juror's assignment",
                "juror",
                NOT_FOUND,
                kwargs=lambda w: {"pk": w.other_assignment.pk},
            ),
        ),
    ),
    "seal:jury_conflict": Entry(
        everyone(FORBIDDEN, anonymous=LOGIN, juror=to(_jury_score)),
        kwargs=lambda w: {"pk": w.assignment.pk},
        method="post",
        extras=(
            Extra(
                "another juror's assignment",
                "juror",
                NOT_FOUND,
                kwargs=lambda w: {"pk": w.other_assignment.pk},
            ),
        ),
    ),
}
