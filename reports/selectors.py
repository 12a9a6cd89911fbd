"""The figures of the engagement list and of the annual report.

They count with the apps' own rules, asked through their selectors: who came to a meeting
(``meetings.selectors.attended_registrations``), who was a member on a day
(``members.selectors.members_on``), which seal was valid (``seal.selectors.
certificates_valid_on``), which address no mail reaches (``newsletter.selectors.
undeliverable_addresses``). Every figure is an aggregate in the database: the engagement list
is one query for a page of companies, the annual report a fixed number of queries, whatever
the size of the network.
"""

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from meetings import selectors as meeting_selectors
from meetings.models import Feedback, Meeting, Registration, TopicProposal, TopicVote
from members import selectors as member_selectors
from members.models import Company, ContactPerson, Industry, SizeClass
from newsletter import selectors as newsletter_selectors
from newsletter.models import Bounce, Delivery, MailingList, Subscription
from seal import selectors as seal_selectors
from seal.models import Application, AwardCycle, Certificate

# The year the network was founded: no report goes further back.
FOUNDED = 2019


# --- Helpers for correlated counts ------------------------------------------------------------


def _count(queryset, *, distinct: str | None = None):
    """The number of rows of ``queryset`` (of distinct values of ``distinct``) as an
    expression, for a query whose rows ``queryset`` refers to with ``OuterRef``."""
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = Func(F(distinct or "pk"), template=template, output_field=IntegerField())
    return Coalesce(Subquery(queryset.order_by().values(n=counted)), 0)


def _latest(queryset, field_name: str, *, order_by: str):
    return Subquery(queryset.order_by(order_by, "-pk").values(field_name)[:1])


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment ``months`` calendar months earlier (31 March minus one month is the last
    day of February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


# --- Engagement per company -------------------------------------------------------------------


def quiet_since(now: datetime | None = None) -> datetime:
    """A company that has not come to a meeting since this moment is quiet."""
    return months_before(now or timezone.now(), settings.ENGAGEMENT_QUIET_MONTHS)


def with_engagement(companies, *, now: datetime | None = None):
    """``companies`` (a query of member companies) with their engagement, each figure one
    expression of the same query:

    - ``meetings_attended``: meetings the company came to (someone checked in; at a meeting
      without check-in, someone seated); ``last_attended``: when the last of them began;
    - ``meetings_answered``: meetings it answered (yes, no or waitlist, of meetings that take
      place);
    - ``topics_proposed``: its topic proposals; ``topic_votes``: votes of its people;
    - ``seal_valid_until``: the end of its longest valid seal today, or None;
      ``seal_cycle``, ``seal_state``: its latest application's cycle and state (a key of
      ``seal.selectors.APPLICATION_STATES``);
    - ``contact_count``: its contact persons; ``reachable_contacts``: those who want invitations
      or the newsletter and whose address has no hard bounce; ``bounces``: bounces (hard and
      soft) reported for its contacts' addresses;
    - ``quiet``: no meeting for ``ENGAGEMENT_QUIET_MONTHS`` months (or never), or no
      reachable contact.
    """
    now = now or timezone.now()
    company = OuterRef("pk")
    attended = meeting_selectors.attended_registrations(now=now).filter(company=company)
    latest_application = Application.objects.filter(company=company)
    contact_addresses = ContactPerson.objects.filter(company=OuterRef(OuterRef("pk"))).values(
        address=Lower("email")
    )
    reachable = member_selectors.reachable_contacts(
        undeliverable_addresses=newsletter_selectors.undeliverable_addresses()
    )
    return companies.annotate(
        meetings_attended=_count(attended, distinct="meeting"),
        last_attended=_latest(attended, "meeting__starts_at", order_by="-meeting__starts_at"),
        meetings_answered=_count(
            meeting_selectors.answers().filter(company=company), distinct="meeting"
        ),
        topics_proposed=_count(TopicProposal.objects.filter(company=company)),
        topic_votes=_count(TopicVote.objects.filter(user__membership__company=company)),
        seal_valid_until=_latest(
            seal_selectors.certificates_valid_on(timezone.localdate(now)).filter(
                application__company=company
            ),
            "valid_until",
            order_by="-valid_until",
        ),
        seal_cycle=_latest(
            latest_application, "cycle__name", order_by="-cycle__applications_open_at"
        ),
        seal_state=_latest(
            latest_application.annotate(state=seal_selectors.application_state()),
            "state",
            order_by="-cycle__applications_open_at",
        ),
        contact_count=_count(ContactPerson.objects.filter(company=company)),
        reachable_contacts=_count(reachable.filter(company=company)),
        bounces=_count(Bounce.objects.filter(email__in=contact_addresses)),
    ).annotate(
        quiet=Case(
            When(
                Q(last_attended__isnull=True)
                | Q(last_attended__lt=quiet_since(now))
                | Q(reachable_contacts=0),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def quiet_companies(*, now: datetime | None = None):
    """The active member companies that are quiet, by the rule of :func:`with_engagement`'s
    ``quiet``, written as two EXISTS tests: the cockpit counts them on every visit, without
    working out every company's engagement."""
    now = now or timezone.now()
    company = OuterRef("pk")
    came_lately = meeting_selectors.attended_registrations(now=now).filter(
        company=company, meeting__starts_at__gte=quiet_since(now)
    )
    reachable = member_selectors.reachable_contacts(
        undeliverable_addresses=newsletter_selectors.undeliverable_addresses()
    ).filter(company=company)
    return Company.objects.active().filter(~Exists(came_lately) | ~Exists(reachable))


def engagement_list(*, now: datetime | None = None):
    """The engagement of every active member company (the coordinators' list)."""
    return with_engagement(Company.objects.active(), now=now)


def quiet_reasons(company, *, now: datetime | None = None) -> list[str]:
    """Why a company (a row of :func:`with_engagement`) is quiet, as the list says it; empty if
    it is not."""
    reasons = []
    if company.last_attended is None:
        reasons.append(str(_("not at any meeting yet")))
    elif company.last_attended < quiet_since(now):
        months = months_between(company.last_attended, now or timezone.now())
        reasons.append(
            ngettext(
                "last at a meeting %(n)d month ago",
                "last at a meeting %(n)d months ago",
                months,
            )
            % {"n": months}
        )
    if company.reachable_contacts == 0:
        reasons.append(str(_("no contact person we can reach")))
    return reasons


def months_between(earlier: datetime, later: datetime) -> int:
    """Whole calendar months from ``earlier`` to ``later``."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def seal_state_label(company) -> str:
    """The company's latest application as "2025: awarded", or ""."""
    if not company.seal_cycle:
        return ""
    state = seal_selectors.APPLICATION_STATES.get(company.seal_state, "")
    return f"{company.seal_cycle}: {state}"


# --- The annual report ----------------------------------------------------------------------


def report_years(*, today: date | None = None) -> list[int]:
    """The years a report can be made for, newest first: from the first member's year (the
    network's founding year at the earliest) to the current year."""
    today = today or timezone.localdate()
    first = Company.objects.filter(status__in=member_selectors.ADMITTED).aggregate(
        first=Min(Coalesce("member_since", TruncDate("registered_at")))
    )["first"]
    first_year = max(first.year if first else today.year, FOUNDED)
    return list(range(today.year, min(first_year, today.year) - 1, -1))


def default_report_year(*, today: date | None = None) -> int:
    """In the first quarter the report is made for the year just ended, after it for the
    running year."""
    today = today or timezone.localdate()
    return today.year - 1 if today.month <= 3 else today.year


@dataclass(frozen=True)
class Period:
    """A calendar year, counted up to ``cutoff``: its last day, or today in the running year."""

    year: int
    start: date
    end: date
    cutoff: date

    @classmethod
    def of(cls, year: int, *, today: date | None = None) -> "Period":
        today = today or timezone.localdate()
        start, end = date(year, 1, 1), date(year, 12, 31)
        return cls(year=year, start=start, end=end, cutoff=min(end, today))

    @property
    def is_running(self) -> bool:
        return self.cutoff < self.end

    @property
    def before(self) -> date:
        """The last day before the period (31 December of the year before)."""
        return self.start - timedelta(days=1)

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def ends_at(self) -> datetime:
        """The moment after the period (the start of the day after the cutoff)."""
        return timezone.make_aware(datetime.combine(self.cutoff + timedelta(days=1), time.min))

    def moments(self, prefix: str) -> dict:
        """Filter arguments: ``<prefix>`` (a date-time field) within the period."""
        return {f"{prefix}__gte": self.starts_at, f"{prefix}__lt": self.ends_at}

    def whole_year(self, prefix: str) -> dict:
        """Filter arguments: ``<prefix>`` (a date-time field) within the calendar year, also
        after the cutoff (the meetings still to come in the running year)."""
        next_year = timezone.make_aware(datetime.combine(date(self.year + 1, 1, 1), time.min))
        return {f"{prefix}__gte": self.starts_at, f"{prefix}__lt": next_year}

    def days(self, prefix: str) -> dict:
        """Filter arguments: ``<prefix>`` (a date field) within the period."""
        return {f"{prefix}__range": (self.start, self.cutoff)}


@dataclass(frozen=True)
class Share:
    """``part`` of ``whole`` with its percentage (None of nothing)."""

    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        if not self.whole:
            return None
        return int((Decimal(self.part) * 100 / self.whole).quantize(0, rounding=ROUND_HALF_UP))


@dataclass
class SizeClassRow:
    key: str
    label: str
    values: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(name) from None


def _size_rows(**columns: Counter) -> list[SizeClassRow]:
    """One row per INQA size class (and none other), with a value per column."""
    return [
        SizeClassRow(
            key=key,
            label=str(label),
            values={name: counts.get(key, 0) for name, counts in columns.items()},
        )
        for key, label in SizeClass.choices
    ]


def _size_totals(rows: list[SizeClassRow]) -> dict:
    return {name: sum(row.values[name] for row in rows) for name in rows[0].values}


def _rating(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class MembersFigures:
    members_at_end: dict[int, str]  # company id -> size class
    at_start: int
    at_end: int
    by_size: list[SizeClassRow]  # at_start, joined, left, at_end
    totals: dict
    by_industry: list[tuple[str, int]]  # members at the end, most first
    joined: list[dict]  # name, size_class, industry, member_since
    left: list[dict]  # name, size_class, industry, left_on
    per_month: list[tuple[str, int, int]]  # month, joined, left


@dataclass
class MeetingRow:
    starts_at: datetime
    title: str
    topic: str
    host: str
    capacity: int
    registered: int  # seated (Zusagen)
    waitlisted: int
    declined: int  # no, or cancelled
    is_over: bool
    attended: int | None  # None: not held yet
    checked_in: int
    companies: int | None  # companies that came
    feedback_count: int
    feedback_average: Decimal | None


@dataclass
class MeetingFigures:
    rows: list[MeetingRow]
    held: int
    upcoming: int
    registered: int
    attended: int
    checked_in: int
    companies: set[int]  # every company that came to one of the meetings
    companies_reached: Share  # the members at the end that came to one
    reached_by_size: list[SizeClassRow]  # reached, members
    feedback_count: int
    feedback_average: Decimal | None
    cancelled: int

    @property
    def attended_per_meeting(self) -> Decimal | None:
        if not self.held:
            return None
        return _rating(Decimal(self.attended) / self.held)


@dataclass
class TopicFigures:
    proposed: int
    proposed_scheduled: int  # of those proposed in the year: taken into a meeting
    scheduled: int  # proposals taken into the year's meetings
    votes: int
    top: list[dict]  # title, votes, meeting


@dataclass
class SealFigures:
    by_size: list[SizeClassRow]  # applications, awards, valid
    totals: dict
    ceremonies: list[dict]  # name, ceremony_on


@dataclass
class NewsletterFigures:
    issues: list[dict]  # sent_on, subject, delivered
    delivered: int
    addresses: int
    companies: set[int]  # members at the end whose contact persons got an issue
    companies_reached: Share
    hard_bounces: int
    soft_bounces: int
    new_public_subscriptions: int


@dataclass
class AnnualReport:
    period: Period
    made_on: date
    members: MembersFigures
    meetings: MeetingFigures
    topics: TopicFigures
    seal: SealFigures
    newsletter: NewsletterFigures
    companies_reached: Share  # by a meeting or the newsletter, of the members at the end

    @property
    def key_figures(self) -> list[tuple[str, object]]:
        """The figures of the first page, (label, value)."""
        m, mt, s, n = self.members, self.meetings, self.seal, self.newsletter
        return [
            (_("Member companies at the end of the period"), m.at_end),
            (_("New members"), len(m.joined)),
            (_("Network meetings held"), mt.held),
            (_("Participants at meetings"), mt.attended),
            (_("Companies at meetings"), len(mt.companies)),
            (_("Newsletter issues"), len(n.issues)),
            (_("Seals awarded"), s.totals["awards"]),
            (_("Valid seals at the end of the period"), s.totals["valid"]),
        ]


def _members(period: Period) -> MembersFigures:
    at_start = Counter(
        dict(
            member_selectors.members_on(period.before)
            .values_list("size_class")
            .annotate(n=Count("pk"))
            .values_list("size_class", "n")
        )
    )
    members_at_end = list(
        member_selectors.members_on(period.cutoff).values_list("pk", "size_class", "industry")
    )
    at_end = Counter(size_class for _pk, size_class, _industry in members_at_end)
    by_industry = Counter(industry for _pk, _size_class, industry in members_at_end)
    joined = list(
        member_selectors.joined_between(period.start, period.cutoff)
        .order_by("joined_on", "name")
        .values("name", "size_class", "industry", "joined_on")
    )
    for row in joined:  # the day counted from: member_since, or the registration if unknown
        row["member_since"] = row.pop("joined_on")
    left = list(
        member_selectors.left_between(period.start, period.cutoff)
        .order_by("left_on", "name")
        .values("name", "size_class", "industry", "left_on")
    )
    industries = dict(Industry.choices)
    for row in joined + left:
        row["size_class_label"] = str(dict(SizeClass.choices).get(row["size_class"], ""))
        row["industry_label"] = str(industries.get(row["industry"], ""))
    by_size = _size_rows(
        at_start=at_start,
        joined=Counter(row["size_class"] for row in joined),
        left=Counter(row["size_class"] for row in left),
        at_end=at_end,
    )
    joined_months = Counter(row["member_since"].month for row in joined)
    left_months = Counter(row["left_on"].month for row in left)
    return MembersFigures(
        members_at_end={pk: size_class for pk, size_class, _industry in members_at_end},
        at_start=sum(at_start.values()),
        at_end=sum(at_end.values()),
        by_size=by_size,
        totals=_size_totals(by_size),
        by_industry=sorted(
            ((str(industries.get(key, key)), n) for key, n in by_industry.items()),
            key=lambda item: (-item[1], item[0]),
        ),
        joined=joined,
        left=left,
        per_month=[
            (str(MONTHS_3[month]).capitalize(), joined_months[month], left_months[month])
            for month in range(1, 13)
        ],
    )


def _meetings(period: Period, *, now: datetime, members: MembersFigures) -> MeetingFigures:
    of_period = meeting_selectors.meetings_taking_place().filter(**period.whole_year("starts_at"))
    status = "registrations__status"
    meetings = list(
        of_period.select_related("host")
        .annotate(
            registered=Count("registrations", filter=Q(**{status: Registration.Status.CONFIRMED})),
            waitlisted=Count("registrations", filter=Q(**{status: Registration.Status.WAITLISTED})),
            declined=Count(
                "registrations",
                filter=Q(
                    **{
                        f"{status}__in": [
                            Registration.Status.DECLINED,
                            Registration.Status.CANCELLED,
                        ]
                    }
                ),
            ),
            checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
        .order_by("starts_at", "pk")
    )
    attended_in_period = meeting_selectors.attended_registrations(now=now).filter(
        meeting__in=of_period
    )
    attendance = {
        row["meeting"]: row
        for row in attended_in_period.values("meeting").annotate(
            people=Count("pk"), companies=Count("company", distinct=True)
        )
    }
    feedback_of_period = Feedback.objects.filter(meeting__in=of_period)
    feedback = {
        row["meeting"]: row
        for row in feedback_of_period.values("meeting").annotate(
            n=Count("pk"), average=Avg("rating")
        )
    }
    feedback_total = feedback_of_period.aggregate(n=Count("pk"), average=Avg("rating"))
    came = set(attended_in_period.values_list("company", flat=True).distinct().order_by())
    members_came = came & set(members.members_at_end)
    cancelled = Meeting.objects.filter(
        status=Meeting.Status.CANCELLED, **period.whole_year("starts_at")
    ).count()
    rows = []
    for meeting in meetings:
        is_over = meeting.ends_at < now
        seen = attendance.get(meeting.pk, {})
        given = feedback.get(meeting.pk, {})
        rows.append(
            MeetingRow(
                starts_at=timezone.localtime(meeting.starts_at),
                title=meeting.title,
                topic=meeting.topic,
                host=meeting.host.name if meeting.host else meeting.venue_name,
                capacity=meeting.capacity,
                registered=meeting.registered,
                waitlisted=meeting.waitlisted,
                declined=meeting.declined,
                is_over=is_over,
                attended=seen.get("people", 0) if is_over else None,
                checked_in=meeting.checked_in,
                companies=seen.get("companies", 0) if is_over else None,
                feedback_count=given.get("n", 0),
                feedback_average=_rating(given.get("average")),
            )
        )
    held = [row for row in rows if row.is_over]
    size_of = members.members_at_end
    return MeetingFigures(
        rows=rows,
        held=len(held),
        upcoming=len(rows) - len(held),
        registered=sum(row.registered for row in rows),
        attended=sum(row.attended for row in held),
        checked_in=sum(row.checked_in for row in rows),
        companies=came,
        companies_reached=Share(len(members_came), members.at_end),
        reached_by_size=_size_rows(
            reached=Counter(size_of[pk] for pk in members_came),
            members=Counter(size_of.values()),
        ),
        feedback_count=feedback_total["n"],
        feedback_average=_rating(feedback_total["average"]),
        cancelled=cancelled,
    )


def _topics(period: Period) -> TopicFigures:
    in_period = Q(**period.moments("created_at"))
    scheduled_in_period = Q(
        scheduled_meeting__in=meeting_selectors.meetings_taking_place().filter(
            **period.whole_year("starts_at")
        )
    )
    counts = TopicProposal.objects.aggregate(
        proposed=Count("pk", filter=in_period),
        proposed_scheduled=Count("pk", filter=in_period & Q(scheduled_meeting__isnull=False)),
        scheduled=Count("pk", filter=scheduled_in_period),
    )
    votes = TopicVote.objects.filter(**period.moments("created_at")).count()
    top = list(
        TopicProposal.objects.filter(in_period)
        .annotate(votes_count=Count("votes"))
        .order_by("-votes_count", "created_at", "pk")
        .values("title", "votes_count", "scheduled_meeting__title")[:5]
    )
    return TopicFigures(
        proposed=counts["proposed"],
        proposed_scheduled=counts["proposed_scheduled"],
        scheduled=counts["scheduled"],
        votes=votes,
        top=[
            {
                "title": row["title"],
                "votes": row["votes_count"],
                "meeting": row["scheduled_meeting__title"] or "",
            }
            for row in top
        ],
    )


def _by_size_class(queryset, size_class_path: str, *, distinct: str = "pk") -> Counter:
    return Counter(
        dict(
            queryset.values_list(size_class_path)
            .annotate(n=Count(distinct, distinct=True))
            .values_list(size_class_path, "n")
            .order_by()
        )
    )


def _seal(period: Period) -> SealFigures:
    company_size = "company__size_class"
    applications = _by_size_class(
        seal_selectors.submitted_applications().filter(**period.moments("submitted_at")),
        company_size,
    )
    awards = _by_size_class(
        Certificate.objects.filter(**period.days("issued_on")),
        f"application__{company_size}",
    )
    valid = _by_size_class(
        seal_selectors.certificates_valid_on(period.cutoff),
        f"application__{company_size}",
        distinct="application__company",
    )
    by_size = _size_rows(applications=applications, awards=awards, valid=valid)
    ceremonies = list(
        AwardCycle.objects.filter(**period.days("ceremony_on"))
        .order_by("ceremony_on")
        .values("name", "ceremony_on")
    )
    return SealFigures(by_size=by_size, totals=_size_totals(by_size), ceremonies=ceremonies)


def _newsletter(period: Period, *, members: MembersFigures) -> NewsletterFigures:
    issues = newsletter_selectors.issues_sent().filter(**period.moments("went_out_at"))
    sent = Q(deliveries__status=Delivery.Status.SENT)
    issue_rows = [
        {
            "sent_on": timezone.localtime(row["went_out_at"]).date(),
            "subject": row["subject"],
            "delivered": row["delivered"],
        }
        for row in issues.annotate(delivered=Count("deliveries", filter=sent))
        .order_by("went_out_at", "pk")
        .values("went_out_at", "subject", "delivered")
    ]
    addresses = (
        newsletter_selectors.sent_deliveries()
        .filter(issue__in=issues)
        .exclude(email="")
        .values("email")
    )
    address_count = addresses.distinct().count()
    companies = set(
        ContactPerson.objects.alias(address=Lower("email"))
        .filter(address__in=addresses)
        .values_list("company", flat=True)
        .distinct()
        .order_by()
    ) & set(members.members_at_end)
    bounces = Counter(
        dict(
            Bounce.objects.filter(**period.moments("received_at"))
            .values_list("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
            .order_by()
        )
    )
    new_public = Subscription.objects.filter(
        mailing_list__kind=MailingList.Kind.PUBLIC, **period.moments("confirmed_at")
    ).count()
    return NewsletterFigures(
        issues=issue_rows,
        delivered=sum(row["delivered"] for row in issue_rows),
        addresses=address_count,
        companies=companies,
        companies_reached=Share(len(companies), members.at_end),
        hard_bounces=bounces[Bounce.Kind.HARD],
        soft_bounces=bounces[Bounce.Kind.SOFT],
        new_public_subscriptions=new_public,
    )


def annual_report(year: int, *, now: datetime | None = None) -> AnnualReport:
    """Every figure of the annual report for ``year`` (up to today in the running year)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    period = Period.of(year, today=today)
    members = _members(period)
    meetings = _meetings(period, now=now, members=members)
    newsletter = _newsletter(period, members=members)
    reached = (meetings.companies & set(members.members_at_end)) | newsletter.companies
    return AnnualReport(
        period=period,
        made_on=today,
        members=members,
        meetings=meetings,
        topics=_topics(period),
        seal=_seal(period),
        newsletter=newsletter,
        companies_reached=Share(len(reached), members.at_end),
    )
