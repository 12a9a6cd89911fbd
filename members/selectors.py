"""Reads about companies and contacts used by more than one caller (members and the feature
apps): who acts for a company, and who gets the network's mail."""

from datetime import date

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce, Lower, TruncDate

from accounts.models import User

from .models import Company, CompanyMembership, ContactPerson, ExpertiseOffer


def company_admins(company: Company):
    """The active logins with the company admin role: who hears about the company's business."""
    return User.objects.filter(
        membership__company=company, membership__role=CompanyMembership.Role.ADMIN, is_active=True
    ).order_by("pk")


def company_admins_of(companies) -> dict[int, list]:
    """:func:`company_admins` of each of ``companies`` (or their ids) in one query: company id
    → its admins (a company without any is missing)."""
    admins: dict[int, list] = {}
    users = User.objects.filter(
        membership__company__in=companies,
        membership__role=CompanyMembership.Role.ADMIN,
        is_active=True,
    ).annotate(admin_of=F("membership__company"))
    for user in users.order_by("pk"):
        admins.setdefault(user.admin_of, []).append(user)
    return admins


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


# --- Membership over time (the annual report) ------------------------------------------------

# The statuses of a company that has been admitted (pending and rejected ones never were).
ADMITTED = [Company.Status.ACTIVE, Company.Status.PAUSED, Company.Status.LEFT]


def members_on(day: date) -> QuerySet[Company]:
    """The companies that were members at the end of ``day``: admitted on or before it
    (``member_since``; a company recorded without that date, e.g. from an imported list, counts
    from its registration in the portal) and not left by then. Paused memberships count: they
    have not left. A company that left without a known day (imported as such) counts nowhere."""
    return (
        Company.objects.filter(status__in=ADMITTED)
        .alias(joined_on=Coalesce("member_since", TruncDate("registered_at")))
        .filter(joined_on__lte=day)
        .filter(
            Q(status__in=[Company.Status.ACTIVE, Company.Status.PAUSED])
            | Q(status=Company.Status.LEFT, left_on__gt=day)
        )
    )


def joined_between(start: date, end: date) -> QuerySet[Company]:
    """Companies admitted from ``start`` to ``end`` (both included), by the day
    :func:`members_on` counts them from, so that members at the start + joined − left =
    members at the end (that day is annotated as ``joined_on``). A reactivated company keeps
    its first day, so it joins once; a company that left without a known day counts nowhere,
    here neither."""
    return (
        Company.objects.filter(status__in=ADMITTED)
        .exclude(status=Company.Status.LEFT, left_on__isnull=True)
        .annotate(joined_on=Coalesce("member_since", TruncDate("registered_at")))
        .filter(joined_on__range=(start, end))
    )


def left_between(start: date, end: date) -> QuerySet[Company]:
    """Companies marked as having left from ``start`` to ``end`` (both included) that have not
    been reactivated since."""
    return Company.objects.filter(status=Company.Status.LEFT, left_on__range=(start, end))


def reachable_contacts(*, undeliverable_addresses: QuerySet | None = None) -> QuerySet:
    """Contact persons who want invitations or the newsletter, without those whose address is
    one of ``undeliverable_addresses`` (a query of lower-case addresses, such as the
    newsletter's hard bounces)."""
    contacts = ContactPerson.objects.filter(
        Q(wants_meeting_invitations=True) | Q(wants_newsletter=True)
    )
    if undeliverable_addresses is not None:
        contacts = contacts.alias(address=Lower("email")).exclude(
            address__in=undeliverable_addresses
        )
    return contacts


def company_expertise_offers(company: Company):
    """What ``company`` offers to share, newest first, with topics and contact: a fixed number
    of queries however many offers and topics."""
    return (
        ExpertiseOffer.objects.filter(company=company)
        .select_related("contact")
        .prefetch_related("topics")
        .order_by("kind", "-created_at", "-pk")
    )
