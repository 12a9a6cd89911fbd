"""Reads of the internships app used by several callers: the public list, a company's own
offers, a stay's placements and who gets which placement list."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from members.models import Company, CompanyMembership, ContactPerson

from .models import Field, InternshipOffer, OfferPeriod, Placement, Pupil, SchoolStay


def public_offers(*, field_code: str = "") -> list[InternshipOffer]:
    """The offers the public page shows: consented, open, of active member companies, with
    their periods still to come (``offer.coming_periods``); offers without one are left out.
    Two queries, whatever the number of offers."""
    today = timezone.localdate()
    offers = (
        InternshipOffer.objects.public()
        .filter(periods__ends_on__gte=today)
        .distinct()
        .select_related("company")
        .prefetch_related(
            Prefetch(
                "periods",
                queryset=OfferPeriod.objects.filter(ends_on__gte=today),
                to_attr="coming_periods",
            )
        )
        .order_by("field", "company__name", "pk")
    )
    if field_code:
        offers = offers.filter(field=field_code)
    return list(offers)


def offers_by_field(offers) -> list[tuple[str, str, list[InternshipOffer]]]:
    """``offers`` grouped by field, in the order of the choices: (code, label, offers)."""
    groups = {code: [] for code in Field.values}
    for offer in offers:
        groups[offer.field].append(offer)
    return [(code, Field(code).label, groups[code]) for code in Field.values if groups[code]]


def company_offers(company: Company) -> list[InternshipOffer]:
    """A company's offers, open ones first, with their periods and the placements sent to the
    company (``offer.sent_placements``, with the pupils and their schools). Three queries."""
    return list(
        InternshipOffer.objects.filter(company=company)
        .select_related("contact")
        .prefetch_related(
            "periods",
            Prefetch(
                "placements",
                queryset=Placement.objects.filter(sent_at__isnull=False).select_related(
                    "pupil__stay__school"
                ),
                to_attr="sent_placements",
            ),
        )
        .order_by("-status", "-created_at", "-pk")
    )


def occupied_at_most(placements, starts_on: date, ends_on: date) -> int:
    """The most of ``placements`` (with their pupils) that run on any one day between
    ``starts_on`` and ``ends_on``: what is left of an offer's places in that time."""
    spans = [
        (max(p.pupil.starts_on, starts_on), min(p.pupil.ends_on, ends_on))
        for p in placements
        if p.pupil.starts_on <= ends_on and p.pupil.ends_on >= starts_on
    ]
    # The number of overlapping spans peaks on a day one of them starts.
    return max(
        (sum(1 for start, end in spans if start <= day <= end) for day, _end in spans),
        default=0,
    )


def free_places(offer: InternshipOffer, starts_on: date, ends_on: date, *, placements) -> int:
    """The places of ``offer`` still free during the whole time ``starts_on``–``ends_on``."""
    return offer.places - occupied_at_most(placements, starts_on, ends_on)


@dataclass
class PupilRow:
    pupil: Pupil
    placement: Placement | None
    # Open offers with a period that covers the pupil's dates and a place left: (offer, free).
    candidates: list = field(default_factory=list)


def stay_overview(stay: SchoolStay) -> list[PupilRow]:
    """The stay's pupils, each with its placement or the offers it can be placed on (open
    offers of active companies whose periods cover its dates and have a place left, the wished
    field first). A fixed number of queries."""
    pupils = list(
        stay.pupils.select_related("placement__offer__company").order_by(
            "last_name", "first_name", "pk"
        )
    )
    if not pupils:
        return []
    first = min(p.starts_on for p in pupils)
    last = max(p.ends_on for p in pupils)
    offers = list(
        InternshipOffer.objects.open()
        .filter(company__status=Company.Status.ACTIVE)
        .filter(periods__starts_on__lte=last, periods__ends_on__gte=first)
        .distinct()
        .select_related("company")
        .prefetch_related(
            "periods",
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("pupil"),
                to_attr="all_placements",
            ),
        )
        .order_by("company__name", "field", "pk")
    )
    rows = []
    for pupil in pupils:
        placement = getattr(pupil, "placement", None)
        row = PupilRow(pupil=pupil, placement=placement)
        if placement is None:
            for offer in offers:
                if not any(p.covers(pupil.starts_on, pupil.ends_on) for p in offer.periods.all()):
                    continue
                free = free_places(
                    offer, pupil.starts_on, pupil.ends_on, placements=offer.all_placements
                )
                if free > 0:
                    row.candidates.append((offer, free))
            row.candidates.sort(key=lambda pair: pair[0].field != pupil.wished_field)
        rows.append(row)
    return rows


@dataclass
class CompanyList:
    """One company's placement list of a stay, and who receives it."""

    company: Company
    placements: list
    recipient: str = ""
    recipient_name: str = ""
    language: str = "de"


def _stay_placements(stay: SchoolStay):
    return Placement.objects.filter(pupil__stay=stay).select_related("offer__company")


def stay_placement_lists(stay: SchoolStay) -> list[CompanyList]:
    """The stay's placements per active member company (by company name), each with the
    address its list goes to: the contact person (with an active login, if any) of the
    company's first placed offer, else its first active company admin. Companies that are no
    longer active members get no list (the pupils' names are not theirs to see any more):
    :func:`stay_left_out_companies`. A fixed number of queries."""
    placements = list(
        _stay_placements(stay)
        .filter(offer__company__status=Company.Status.ACTIVE)
        .select_related("pupil", "offer__contact__user")
        .order_by("offer__company__name", "pupil__last_name", "pupil__first_name", "pk")
    )
    lists: dict[int, CompanyList] = {}
    for placement in placements:
        company = placement.offer.company
        entry = lists.setdefault(company.pk, CompanyList(company=company, placements=[]))
        entry.placements.append(placement)
    admins = {
        m.company_id: m.user
        for m in CompanyMembership.objects.filter(
            company_id__in=lists, role=CompanyMembership.Role.ADMIN, user__is_active=True
        )
        .select_related("user")
        .order_by("-pk")
    }
    for entry in lists.values():
        contact = _first_contact(entry.placements)
        if contact is not None and (contact.user is None or contact.user.is_active):
            entry.recipient, entry.recipient_name = contact.email, contact.full_name
            if contact.user is not None:
                entry.language = contact.user.language
        elif entry.company.pk in admins:
            user = admins[entry.company.pk]
            entry.recipient, entry.recipient_name = user.email, user.get_full_name()
            entry.language = user.language
    return list(lists.values())


def stay_left_out_companies(stay: SchoolStay) -> list[Company]:
    """Companies with pupils of the stay placed on their offers that are no longer active
    members: they get no placement list. One query."""
    companies = {
        p.offer.company.pk: p.offer.company
        for p in _stay_placements(stay).exclude(offer__company__status=Company.Status.ACTIVE)
    }
    return sorted(companies.values(), key=lambda company: company.name)


def _first_contact(placements) -> ContactPerson | None:
    offers = sorted({p.offer.pk: p.offer for p in placements}.values(), key=lambda o: o.pk)
    return next((o.contact for o in offers if o.contact is not None), None)


def placed_pupils_count(stay: SchoolStay) -> int:
    return Placement.objects.filter(pupil__stay=stay).count()
