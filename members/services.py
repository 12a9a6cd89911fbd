"""Every state change of companies, memberships, join requests and invitations.

Views and the admin call these functions; each validates, saves inside a transaction, writes
one activity log entry (``network_portal.activity``; the actions are named in
``members/activity.py``) and its mails through the outbox, so nothing is half-done and no mail
goes out twice.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import coordinators
from network_portal.activity import erase_personal_data, log_activity
from network_portal.mail import mail_enqueue, mail_users
from network_portal.signing import absolute_url, make_token

from .models import (
    Company,
    CompanyInvitation,
    CompanyMembership,
    ContactPerson,
    ExpertiseOffer,
    JoinRequest,
)
from .newcomers import contacts_arrived
from .permissions import keeps_an_admin
from .selectors import company_admins

INVITATION_PURPOSE = "company-invitation"


def unique_company_slug(name: str) -> str:
    base = slugify(name)[:200] or "unternehmen"
    slug, n = base, 2
    while Company.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _contact_for_user(*, company: Company, user: User, **fields) -> ContactPerson:
    """The user's contact person at ``company``, created or linked by email. A new one of an
    active member company is a newcomer (``members.newcomers``: invited to open meetings)."""
    contact = ContactPerson.objects.filter(company=company, email__iexact=user.email).first()
    is_new = contact is None
    if contact is None:
        contact = ContactPerson(company=company, email=user.email)
    contact.user = user
    contact.first_name = contact.first_name or user.first_name or user.email.split("@")[0]
    contact.last_name = contact.last_name or user.last_name or "–"
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.save()
    if is_new:
        contacts_arrived(contacts=[contact], by_user=user)
    return contact


@transaction.atomic
def contact_save(*, contact: ContactPerson, by_user: User) -> ContactPerson:
    """Add a contact person to a company, or save the changes to one (a company admin on the
    company's page, a coordinator on the company's admin page). A new contact of an active
    member company, or one who now wants invitations, is a newcomer (``members.newcomers``:
    invited to the meetings still open)."""
    before = None
    if contact.pk is not None:
        before = ContactPerson.objects.select_for_update().filter(pk=contact.pk).first()
    if before is None:
        contact.save()
        log_activity(action="members.contact.added", obj=contact, by_user=by_user)
        contacts_arrived(contacts=[contact], by_user=by_user)
        return contact
    changed = [
        field.name
        for field in ContactPerson._meta.concrete_fields
        if getattr(before, field.attname) != getattr(contact, field.attname)
    ]
    if not changed:
        return contact
    contact.save()
    log_activity(
        action="members.contact.changed", obj=contact, by_user=by_user, details={"fields": changed}
    )
    if contact.wants_meeting_invitations and not before.wants_meeting_invitations:
        contacts_arrived(contacts=[contact], by_user=by_user)
    return contact


@transaction.atomic
def company_profile_save(*, company: Company, by_user: User) -> list[str]:
    """A company admin saves the company's profile (the edited, unsaved ``company``); returns
    the names of the fields changed, logged (nothing changed: nothing saved or logged)."""
    before = Company.objects.select_for_update().get(pk=company.pk)
    changed = [
        field.name
        for field in Company._meta.concrete_fields
        if getattr(before, field.attname) != getattr(company, field.attname)
    ]
    if not changed:
        return []
    company.save()
    log_activity(
        action="members.company.profile_changed",
        obj=company,
        by_user=by_user,
        details={"fields": changed},
    )
    return changed


@transaction.atomic
def contact_remove(*, contact: ContactPerson, by_user: User) -> None:
    """Remove a contact person (a company admin on the company's page, a coordinator in the
    admin): logged, and the person's name goes from the log's entries about the entry."""
    contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    log_activity(action="members.contact.removed", obj=contact, by_user=by_user)
    erase_personal_data(objects=[contact])
    contact.delete()


def _require_no_company(user: User) -> None:
    if CompanyMembership.objects.filter(user=user).exists():
        raise ValidationError(_("Your account already belongs to a company."))


@transaction.atomic
def company_register(*, user: User, company: Company, contact_fields: dict) -> Company:
    """A verified user registers a new company; it waits for a coordinator's approval."""
    _require_no_company(user)
    company.slug = unique_company_slug(company.name)
    company.status = Company.Status.PENDING
    company.registered_at = company.status_changed_at = timezone.now()
    company.save()
    CompanyMembership.objects.create(user=user, company=company, role=CompanyMembership.Role.ADMIN)
    _contact_for_user(company=company, user=user, **contact_fields)
    _withdraw_pending_join_requests(user=user)
    log_activity(action="members.company.registered", obj=company, by_user=user)
    context = {"company_name": company.name}
    mail_users(
        users=[user],
        key=f"company:{company.pk}:registered",
        template="members/emails/registration_received",
        context=context,
    )
    mail_users(
        users=coordinators(),
        key=f"company:{company.pk}:to-review",
        template="members/emails/registration_to_review",
        context={
            **context,
            "registered_by": user.get_full_name() or user.email,
            "review_url": absolute_url(reverse("admin:members_company_change", args=[company.pk])),
        },
    )
    return company


def _change_status(*, company: Company, allowed_from: set, to: str) -> dict:
    """Set the new status; returns the details of the log entry (old → new status)."""
    if company.status not in allowed_from:
        raise ValidationError(
            _("“%(company)s” has the status “%(status)s”; this change is not possible.")
            % {"company": company.name, "status": company.get_status_display()}
        )
    details = {"status": [company.status, to]}
    company.status = to
    company.status_changed_at = timezone.now()
    return details


@transaction.atomic
def company_approve(*, company: Company, by_user: User) -> None:
    company = Company.objects.select_for_update().get(pk=company.pk)
    details = _change_status(
        company=company, allowed_from={Company.Status.PENDING}, to=Company.Status.ACTIVE
    )
    company.member_since = company.member_since or timezone.localdate()
    company.save(update_fields=["status", "status_changed_at", "member_since"])
    log_activity(action="members.company.approved", obj=company, by_user=by_user, details=details)
    contacts_arrived(contacts=company.contacts.all(), by_user=by_user)
    mail_users(
        users=company_admins(company),
        key=f"company:{company.pk}:approved",
        template="members/emails/company_approved",
        context={
            "company_name": company.name,
            "profile_url": absolute_url(reverse("members:company")),
        },
    )


@transaction.atomic
def company_reject(*, company: Company, by_user: User, reason: str = "") -> None:
    company = Company.objects.select_for_update().get(pk=company.pk)
    details = _change_status(
        company=company, allowed_from={Company.Status.PENDING}, to=Company.Status.REJECTED
    )
    company.save(update_fields=["status", "status_changed_at"])
    if reason.strip():
        details["reason"] = reason.strip()
    log_activity(action="members.company.rejected", obj=company, by_user=by_user, details=details)
    mail_users(
        users=company_admins(company),
        key=f"company:{company.pk}:rejected",
        template="members/emails/company_rejected",
        context={"company_name": company.name, "reason": reason},
    )


@transaction.atomic
def company_pause(*, company: Company, by_user: User) -> None:
    company = Company.objects.select_for_update().get(pk=company.pk)
    details = _change_status(
        company=company, allowed_from={Company.Status.ACTIVE}, to=Company.Status.PAUSED
    )
    company.save(update_fields=["status", "status_changed_at"])
    log_activity(action="members.company.paused", obj=company, by_user=by_user, details=details)


@transaction.atomic
def company_mark_left(*, company: Company, by_user: User) -> None:
    company = Company.objects.select_for_update().get(pk=company.pk)
    details = _change_status(
        company=company,
        allowed_from={Company.Status.ACTIVE, Company.Status.PAUSED},
        to=Company.Status.LEFT,
    )
    company.left_on = timezone.localdate()
    company.save(update_fields=["status", "status_changed_at", "left_on"])
    log_activity(action="members.company.left", obj=company, by_user=by_user, details=details)


@transaction.atomic
def company_reactivate(*, company: Company, by_user: User) -> None:
    company = Company.objects.select_for_update().get(pk=company.pk)
    details = _change_status(
        company=company,
        allowed_from={Company.Status.PAUSED, Company.Status.LEFT},
        to=Company.Status.ACTIVE,
    )
    company.member_since = company.member_since or timezone.localdate()
    company.left_on = None  # a member again, without a break (member_since stays)
    company.save(update_fields=["status", "status_changed_at", "member_since", "left_on"])
    log_activity(
        action="members.company.reactivated", obj=company, by_user=by_user, details=details
    )
    contacts_arrived(contacts=company.contacts.all(), by_user=by_user)


@transaction.atomic
def join_request_create(*, user: User, company: Company, message: str = "") -> JoinRequest:
    """A verified user without company asks to act for an existing active company."""
    _require_no_company(user)
    if not company.is_active_member:
        raise ValidationError(_("Nobody can join this company at the moment."))
    if JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING).exists():
        raise ValidationError(_("You already have an open join request."))
    join_request = JoinRequest.objects.create(user=user, company=company, message=message)
    log_activity(action="members.join_request.created", obj=join_request, by_user=user)
    deciders = list(company_admins(company)) or list(coordinators())
    mail_users(
        users=deciders,
        key=f"join-request:{join_request.pk}:received",
        template="members/emails/join_request_received",
        context={
            "company_name": company.name,
            "requester_name": user.get_full_name() or user.email,
            "requester_email": user.email,
            "message": message,
            "decide_url": absolute_url(reverse("members:company")),
        },
    )
    return join_request


@transaction.atomic
def join_request_decide(*, join_request: JoinRequest, accept: bool, by_user: User) -> None:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    user = join_request.user
    if accept:
        _require_no_company(user)
        CompanyMembership.objects.create(
            user=user, company=join_request.company, role=CompanyMembership.Role.MEMBER
        )
        _contact_for_user(company=join_request.company, user=user)
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = by_user
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    log_activity(
        action=f"members.join_request.{join_request.status}", obj=join_request, by_user=by_user
    )
    mail_users(
        users=[user],
        key=f"join-request:{join_request.pk}:decided",
        template="members/emails/join_request_decided",
        context={
            "company_name": join_request.company.name,
            "accepted": accept,
            "next_url": absolute_url(
                reverse("members:company") if accept else reverse("members:onboarding")
            ),
        },
    )


def _withdraw_pending_join_requests(*, user: User) -> None:
    """A user who now belongs to a company (registered their own, accepted an invitation) no
    longer asks to join another: their open requests end, each logged as withdrawn by them."""
    for join_request in JoinRequest.objects.filter(user=user, status=JoinRequest.Status.PENDING):
        log_activity(action="members.join_request.withdrawn", obj=join_request, by_user=user)
        join_request.delete()


@transaction.atomic
def join_request_withdraw(*, join_request: JoinRequest, by_user: User) -> None:
    if join_request.user_id != by_user.pk or join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request can no longer be withdrawn."))
    log_activity(action="members.join_request.withdrawn", obj=join_request, by_user=by_user)
    join_request.delete()


def invitation_token(invitation: CompanyInvitation) -> str:
    return make_token(
        purpose=INVITATION_PURPOSE, payload={"i": invitation.pk, "e": invitation.email.lower()}
    )


def invitation_max_age_seconds() -> int:
    return settings.INVITATION_MAX_AGE_DAYS * 24 * 3600


@transaction.atomic
def invitation_create(*, company: Company, email: str, invited_by: User) -> CompanyInvitation:
    email = email.strip()
    if CompanyMembership.objects.filter(user__email__iexact=email).exists():
        raise ValidationError(_("This address already belongs to a company account."))
    # A fresh invitation replaces an open older one, so only the newest link works.
    CompanyInvitation.objects.filter(
        company=company, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = CompanyInvitation.objects.create(
        company=company,
        email=email,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    log_activity(action="members.invitation.created", obj=invitation, by_user=invited_by)
    mail_enqueue(
        key=f"invitation:{invitation.pk}",
        to=email,
        template="members/emails/invitation",
        context={
            "company_name": company.name,
            "inviter_name": invited_by.get_full_name() or invited_by.email,
            "accept_url": absolute_url(
                reverse("members:invitation_accept", args=[invitation_token(invitation)])
            ),
            "expires_at": invitation.expires_at,
        },
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: CompanyInvitation, by_user: User) -> None:
    if not invitation.is_open:
        raise ValidationError(_("This invitation is no longer open."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    log_activity(action="members.invitation.revoked", obj=invitation, by_user=by_user)


@transaction.atomic
def invitation_accept(*, invitation: CompanyInvitation, user: User) -> CompanyMembership:
    """The invited colleague, logged in with the invited and verified address, joins."""
    invitation = CompanyInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if not invitation.is_open:
        raise ValidationError(_("This invitation has expired or has been withdrawn."))
    if not EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists():
        raise ValidationError(
            _("This invitation is for %(email)s. Please log in with this confirmed address.")
            % {"email": invitation.email}
        )
    _require_no_company(user)
    membership = CompanyMembership.objects.create(
        user=user, company=invitation.company, role=CompanyMembership.Role.MEMBER
    )
    _contact_for_user(company=invitation.company, user=user)
    _withdraw_pending_join_requests(user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log_activity(action="members.invitation.accepted", obj=invitation, by_user=user)
    return membership


@transaction.atomic
def membership_add(*, company: Company, user: User, role: str, by_user: User) -> CompanyMembership:
    """A coordinator gives a person access to a company (in the company's admin page)."""
    _require_no_company(user)
    membership = CompanyMembership.objects.create(company=company, user=user, role=role)
    log_activity(
        action="members.membership.added",
        obj=membership,
        by_user=by_user,
        details={"role": role},
    )
    return membership


@transaction.atomic
def membership_set_role(*, membership: CompanyMembership, role: str, by_user: User) -> None:
    membership = CompanyMembership.objects.select_for_update().get(pk=membership.pk)
    if role == membership.role:
        return
    if role != CompanyMembership.Role.ADMIN and membership.is_admin:
        _require_other_admin(membership)
    details = {"role": [membership.role, role]}
    membership.role = role
    membership.save(update_fields=["role"])
    log_activity(
        action="members.membership.role_changed", obj=membership, by_user=by_user, details=details
    )


@transaction.atomic
def membership_remove(*, membership: CompanyMembership, by_user: User) -> None:
    membership = CompanyMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_admin:
        _require_other_admin(membership)
    ContactPerson.objects.filter(user=membership.user).update(user=None)
    log_activity(
        action="members.membership.removed",
        obj=membership,
        by_user=by_user,
        details={"role": membership.role},
    )
    membership.delete()


def _require_other_admin(membership: CompanyMembership) -> None:
    """``members.permissions.keeps_an_admin``, on the company's admins locked: two admins who
    take each other's role at the same moment do not leave the company without one."""
    admins = CompanyMembership.objects.select_for_update().filter(
        company_id=membership.company_id, role=CompanyMembership.Role.ADMIN
    )
    if not keeps_an_admin(membership, admin_count=len(admins)):
        raise ValidationError(_("A company needs at least one company admin."))


# --- The person's own entry („Mein Konto“; the rest of members' part is members/account.py) --


def own_contact(user: User) -> ContactPerson | None:
    """The contact entry linked to the person's login, with its company."""
    return ContactPerson.objects.select_related("company").filter(user=user).first()


@transaction.atomic
def own_contact_update(*, contact: ContactPerson, by_user: User, data: dict) -> list[str]:
    """The person edits their own contact entry; returns the names of the fields changed."""
    if contact.user_id != by_user.pk:
        raise ValidationError(_("You can only change your own contact entry here."))
    contact = ContactPerson.objects.select_for_update().get(pk=contact.pk)
    changed = [name for name, value in data.items() if getattr(contact, name) != value]
    if not changed:
        return []
    was_invited = contact.wants_meeting_invitations
    for name in changed:
        setattr(contact, name, data[name])
    contact.full_clean(validate_unique=False)
    contact.save(update_fields=changed)
    log_activity(
        action="members.contact.updated_by_self",
        obj=contact,
        by_user=by_user,
        details={"fields": changed},
    )
    if contact.wants_meeting_invitations and not was_invited:
        contacts_arrived(contacts=[contact], by_user=by_user)  # invited to the open meetings
    return changed


# --- What a company offers to share (issue 16) ------------------------------------------------


def _require_offering_company(company: Company) -> None:
    if not company.is_active_member:
        raise ValidationError(_("Only active member companies can offer to share their expertise."))


@transaction.atomic
def expertise_offer_save(*, offer: ExpertiseOffer, topics, by_user: User) -> list[str]:
    """A user of an active member company adds an offer (a report from practice, its premises
    for a meeting) or saves the changes to one: ``offer`` unsaved with its company, ``topics``
    the coordinators' tags it is about. Returns the names of the fields changed (all for a new
    offer), logged; nothing changed: nothing saved or logged."""
    _require_offering_company(offer.company)
    if offer.contact_id and offer.contact.company_id != offer.company_id:
        raise ValidationError(_("Please choose a contact person of your own company."))
    if offer.kind != ExpertiseOffer.Kind.HOST:
        offer.room, offer.seats = "", None
    topics = sorted(topics, key=lambda topic: topic.pk)
    if offer.pk is None:
        offer.created_by = by_user
        offer.save()
        offer.topics.set(topics)
        log_activity(
            action="members.expertise_offer.added",
            obj=offer,
            by_user=by_user,
            details={"kind": offer.kind, "topics": [topic.name for topic in topics]},
        )
        return ["kind", "topics", "description", "contact", "room", "seats"]
    before = ExpertiseOffer.objects.select_for_update().get(pk=offer.pk, company=offer.company)
    changed = [
        name
        for name in ("kind", "description", "contact_id", "room", "seats")
        if getattr(before, name) != getattr(offer, name)
    ]
    changed = [name.removesuffix("_id") for name in changed]
    if {topic.pk for topic in before.topics.all()} != {topic.pk for topic in topics}:
        changed.append("topics")
    if not changed:
        return []
    offer.save()
    offer.topics.set(topics)
    log_activity(
        action="members.expertise_offer.changed",
        obj=offer,
        by_user=by_user,
        details={"fields": changed, "topics": [topic.name for topic in topics]},
    )
    return changed


@transaction.atomic
def expertise_offer_delete(*, offer: ExpertiseOffer, by_user: User) -> None:
    """A user of the company (or a coordinator in the admin) removes an offer; requests to speak
    made from it stay, without the link to it."""
    offer = ExpertiseOffer.objects.select_for_update().get(pk=offer.pk)
    log_activity(
        action="members.expertise_offer.deleted",
        obj=offer,
        by_user=by_user,
        details={"kind": offer.kind},
    )
    offer.delete()
