"""members' part of a person's own account (see ``accounts.account_parts``): their company and
their entry as its contact person on „Mein Konto“; the entry follows a new login address and a
new name, and goes with the account.

The functions that change data here run inside the transaction of the account's service
(``accounts.services.login_address_change``, ``account_delete``, …), which writes the one
activity log entry of the change; the person's own edits of their entry go through
``members.services.own_contact_update``.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import login_addresses
from network_portal.activity import erase_personal_data

from . import services
from .models import Company, CompanyMembership, ContactPerson, JoinRequest
from .permissions import membership_of


def section(request):
    """„Mein Konto“: the company the person acts for, and their contact entry (None: neither)."""
    membership = membership_of(request.user, with_company=True)
    contact = services.own_contact(request.user)
    if membership is None and contact is None:
        return None
    return {"membership": membership, "contact": contact, "title": _("Your company")}


def _contacts_at_address(user, email: str):
    """The person's contact entries that use ``email``: the one linked to the login, and the
    unlinked ones of their company with that address (the same person, entered by hand)."""
    membership = CompanyMembership.objects.filter(user=user).first()
    linked = Q(user=user)
    if membership is not None:
        linked |= Q(company_id=membership.company_id, user__isnull=True)
    return ContactPerson.objects.filter(linked, email__iexact=email)


def address_change_refusal(user, new_email: str, old_email: str | None = None) -> str | None:
    """Why the person's contact entries with their login address (``old_email``, by default
    the current one) cannot take ``new_email``: another entry of the same company has it
    already. Else None."""
    entries = list(_contacts_at_address(user, old_email or user.email).select_related("company"))
    for contact in entries:
        taken = (
            ContactPerson.objects.filter(company_id=contact.company_id, email__iexact=new_email)
            .exclude(pk__in=[c.pk for c in entries])
            .exists()
        )
        if taken:
            return _(
                "%(company)s already has another contact entry with the address %(email)s. "
                "Please ask a company admin of %(company)s to remove that entry on the page "
                "“My company” first; then add the address again."
            ) % {"company": contact.company.name, "email": new_email}
    return None


def address_changed(user, old_email: str, new_email: str) -> list[str]:
    """The person's contact entries with the old address take the new one (invitations and
    the member lists follow them). Returns what now uses it, as phrases for the message."""
    reason = address_change_refusal(user, new_email, old_email=old_email)
    if reason:
        raise ValidationError(reason)
    contacts = list(
        _contacts_at_address(user, old_email)
        .select_for_update(of=("self",))
        .select_related("company")
        .order_by("pk")
    )
    companies = []
    for contact in contacts:
        contact.email = new_email
        contact.save(update_fields=["email"])
        if contact.company.name not in companies:
            companies.append(contact.company.name)
    return [
        _("your contact details at %(company)s") % {"company": company} for company in companies
    ]


def profile_changed(user) -> None:
    """The person changed their name: the contact entry linked to the login follows."""
    if user.first_name and user.last_name:
        ContactPerson.objects.filter(user=user).update(
            first_name=user.first_name[:100], last_name=user.last_name[:100]
        )


def _membership(user) -> CompanyMembership | None:
    return CompanyMembership.objects.select_related("company").filter(user=user).first()


def deletion_refusal(user) -> str | None:
    """The only company admin of an approved company hands the role over first: a company
    without an admin could not manage its entry any more (the rule of
    ``members.permissions.keeps_an_admin``)."""
    membership = _membership(user)
    if membership is None or not membership.is_admin:
        return None
    company = membership.company
    if company.status not in (Company.Status.ACTIVE, Company.Status.PAUSED):
        return None
    others = CompanyMembership.objects.filter(company=company).exclude(pk=membership.pk)
    if others.filter(role=CompanyMembership.Role.ADMIN).exists():
        return None
    if others.exists():
        return _(
            "You are the only company admin of %(company)s. Please first make a colleague "
            "company admin on the page “My company”; then you can delete your account."
        ) % {"company": company.name}
    return _(
        "You are the only person with access to %(company)s. Please first invite a colleague "
        "on the page “My company” and make them company admin, or tell the coordination "
        "team if %(company)s wants to leave the network."
    ) % {"company": company.name}


def deletion_notes(user) -> list[str]:
    membership = _membership(user)
    notes = []
    contact = services.own_contact(user)
    if contact is not None:
        notes.append(
            _(
                "Your entry as a contact person of %(company)s is deleted: you receive no more "
                "invitations from the network there."
            )
            % {"company": contact.company.name}
        )
    if membership is not None and _registration_withdrawn_with(membership):
        notes.append(
            _(
                "%(company)s has not been approved yet and nobody else has access to it: its "
                "registration is withdrawn and its entry deleted."
            )
            % {"company": membership.company.name}
        )
    elif membership is not None:
        notes.append(
            _(
                "Your access to %(company)s ends. What belongs to the company stays with it: "
                "its profile, its other contact persons, its registrations for meetings and its "
                "seal applications."
            )
            % {"company": membership.company.name}
        )
    return notes


def delete(user) -> None:
    """The person's contact entries go, and so does their access to the company; the
    activity log's entries about them keep what happened without the personal data."""
    addresses = login_addresses(user)
    membership = CompanyMembership.objects.select_for_update().filter(user=user).first()
    linked = Q(user=user)
    if membership is not None:
        linked |= Q(company_id=membership.company_id, user__isnull=True)
    contacts = list(
        ContactPerson.objects.select_for_update()
        .filter(linked)
        .alias(address=Lower("email"))
        .filter(Q(user=user) | Q(address__in=addresses))
        .order_by("pk")
    )
    join_requests = list(JoinRequest.objects.filter(user=user))
    erase_personal_data(objects=[*contacts, *join_requests, *([membership] if membership else [])])
    ContactPerson.objects.filter(pk__in=[c.pk for c in contacts]).delete()
    JoinRequest.objects.filter(user=user).delete()
    if membership is not None:
        withdrawn = _registration_withdrawn_with(membership)
        membership.delete()
        if withdrawn:
            # Nobody could manage the registration any more, nor be told of the decision.
            Company.objects.filter(pk=membership.company_id).delete()


def _registration_withdrawn_with(membership: CompanyMembership) -> bool:
    """Whether deleting this access withdraws its company's registration: the company still
    waits for approval and nobody else has access to it."""
    return (
        membership.company.status == Company.Status.PENDING
        and not CompanyMembership.objects.filter(company_id=membership.company_id)
        .exclude(pk=membership.pk)
        .exists()
    )


def register() -> None:
    from accounts.account_parts import register_account_part

    register_account_part(
        "members",
        order=10,
        label=gettext_lazy("Contact entries"),
        template="members/account_section.html",
        context=section,
        address_change_refusal=address_change_refusal,
        address_changed=address_changed,
        profile_changed=profile_changed,
        deletion_refusal=deletion_refusal,
        deletion_notes=deletion_notes,
        delete=delete,
    )
