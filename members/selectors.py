"""Reads about companies and contacts used by more than one caller (members and the feature
apps): who acts for a company, and who gets the network's mail."""

from accounts.models import User

from .models import Company, CompanyMembership, ContactPerson


def company_admins(company: Company):
    """The active logins with the company admin role: who hears about the company's business."""
    return User.objects.filter(
        membership__company=company, membership__role=CompanyMembership.Role.ADMIN, is_active=True
    ).order_by("pk")


def eligible_contacts(
    *,
    wants_meeting_invitations: bool | None = None,
    wants_newsletter: bool | None = None,
    function: str = "",
):
    """Contact persons of active member companies, narrowed by their wishes (a flag left at
    None does not filter) and by their position (``function``, empty for every position)."""
    contacts = ContactPerson.objects.filter(company__in=Company.objects.active())
    if wants_meeting_invitations is not None:
        contacts = contacts.filter(wants_meeting_invitations=wants_meeting_invitations)
    if wants_newsletter is not None:
        contacts = contacts.filter(wants_newsletter=wants_newsletter)
    if function:
        contacts = contacts.filter(function=function)
    return contacts
