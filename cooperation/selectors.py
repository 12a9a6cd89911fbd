"""Reads of the cooperation board used by views, services and the admin: places, the
waitlist, the interested companies and who a message reaches."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from members.models import Company, CompanyMembership, ContactPerson

from .models import Booking, Interest, Project


def _sum_of_bookings(field: str):
    rows = (
        Booking.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _interest_count():
    rows = (
        Interest.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def projects_with_figures(*, company: Company | None = None):
    """Projects with ``booked`` (places), ``waiting`` (places on the waitlist),
    ``interest_count`` and, for ``company``, ``is_interested``."""
    queryset = Project.objects.select_related("company").annotate(
        booked=_sum_of_bookings("places"),
        waiting=_sum_of_bookings("waiting_places"),
        interest_count=_interest_count(),
    )
    if company is not None:
        queryset = queryset.annotate(
            is_interested=Exists(Interest.objects.filter(project=OuterRef("pk"), company=company))
        )
    else:
        queryset = queryset.annotate(is_interested=Value(False))
    return queryset


def board(*, company: Company | None = None, kind: str = "", status: str = ""):
    """The board: running and open projects first, then those in planning, completed last."""
    queryset = projects_with_figures(company=company)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    rank = Case(
        When(status__in=[Project.Status.OPEN, Project.Status.RUNNING], then=Value(0)),
        When(status=Project.Status.PLANNING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.order_by(rank, "-created_at", "-pk")


def my_projects(*, company: Company):
    """The company's cooperations: projects it owns, is interested in or has places on."""
    return (
        projects_with_figures(company=company)
        .filter(
            Q(company=company)
            | Q(pk__in=Interest.objects.filter(company=company).values("project"))
            | Q(
                pk__in=Booking.objects.filter(company=company)
                .filter(Q(places__gt=0) | Q(waiting_places__gt=0))
                .values("project")
            )
        )
        .order_by("-created_at", "-pk")
    )


def booked_places(project: Project) -> int:
    return project.bookings.aggregate(n=Coalesce(Sum("places"), 0))["n"]


def free_places(project: Project) -> int:
    """Places nobody has booked (0 for a project without places)."""
    if not project.has_places:
        return 0
    return max(project.total_places - booked_places(project), 0)


def waitlist_position(booking: Booking) -> int | None:
    """The booking's place in the waitlist's order (1: next to move up), None off it."""
    if not booking.waiting_places:
        return None
    ahead = (
        Booking.objects.waiting()
        .filter(project_id=booking.project_id)
        .filter(
            Q(waitlisted_at__lt=booking.waitlisted_at)
            | Q(waitlisted_at=booking.waitlisted_at, pk__lt=booking.pk)
        )
        .count()
    )
    return ahead + 1


def company_booking(project: Project, company: Company | None) -> Booking | None:
    """The company's booking with places booked or waiting, if any."""
    if company is None:
        return None
    return (
        Booking.objects.filter(project=project, company=company)
        .filter(Q(places__gt=0) | Q(waiting_places__gt=0))
        .prefetch_related("participants")
        .first()
    )


def bookings_of(project: Project):
    """The active bookings of a project with their participants: booked first, in the order
    they came, then the waitlist in its order."""
    return (
        project.bookings.filter(Q(places__gt=0) | Q(waiting_places__gt=0))
        .select_related("company")
        .prefetch_related("participants")
        .order_by(F("waitlisted_at").asc(nulls_first=True), "created_at", "pk")
    )


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    company_id: int


def message_recipients(project: Project) -> list[Recipient]:
    """Who a message to the interested companies reaches: the portal users of each interested
    active company and its contact persons, each address once."""
    companies = Company.objects.active().filter(cooperation_interests__project=project)
    found: dict[str, Recipient] = {}
    memberships = (
        CompanyMembership.objects.filter(company__in=companies, user__is_active=True)
        .select_related("user")
        .order_by("company_id", "pk")
    )
    for membership in memberships:
        user = membership.user
        found.setdefault(
            user.email.lower(),
            Recipient(user.email, user.get_full_name(), user.language, membership.company_id),
        )
    contacts = (
        ContactPerson.objects.filter(company__in=companies)
        .select_related("user")
        .order_by("company_id", "pk")
    )
    for contact in contacts:
        language = contact.user.language if contact.user_id else settings.LANGUAGE_CODE
        found.setdefault(
            contact.email.lower(),
            Recipient(contact.email, contact.letter_name, language, contact.company_id),
        )
    return list(found.values())


def company_users(company: Company):
    """The portal users of a company (who hear about its bookings)."""
    return (
        get_user_model().objects.filter(membership__company=company, is_active=True).order_by("pk")
    )
