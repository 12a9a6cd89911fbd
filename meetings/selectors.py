"""Reads used by more than one caller."""

from collections import Counter
from datetime import timedelta
from statistics import mean

from django.core.paginator import InvalidPage, Paginator
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from members.models import Company, ExpertiseOffer
from members.selectors import eligible_contacts
from network_portal.cache_versions import cached

from .models import Meeting, Registration, SpeakerRequest

# --- Who is invited: the guest list (``Meeting.invited_companies``) or every member company --


def invited_q(meeting: Meeting, company_ref: str = "company_id") -> Q:
    """A filter for rows of the companies invited to ``meeting`` (``company_ref`` names the
    company's id on the rows: ``"company_id"`` for contacts, ``"pk"`` for companies): those on
    its guest list, or every company when it has none. No query of its own."""
    guests = Meeting.invited_companies.through.objects.filter(meeting_id=meeting.pk)
    return Q(~Exists(guests)) | Q(Exists(guests.filter(company_id=OuterRef(company_ref))))


def company_is_invited(meeting: Meeting, company: Company | None) -> bool:
    """Whether ``company`` is invited to ``meeting`` (on its guest list, or it has none).
    One query."""
    if company is None:
        return False
    return Company.objects.filter(invited_q(meeting, "pk"), pk=company.pk).exists()


def invited_companies(meeting: Meeting):
    """The active member companies invited to ``meeting``."""
    return Company.objects.active().filter(invited_q(meeting, "pk"))


def companies_dropped_by_guest_list(*, meeting: Meeting, guests) -> list[Company]:
    """The active member companies that lose their invitation to ``meeting`` when ``guests``
    are put on its guest list: none if it has one already (those on it stay), else every
    company but ``guests``; none for a draft (nobody was invited yet). Each with
    ``registered``: how many of its people are registered or waiting (they keep their places).
    Two queries."""
    if meeting.status == Meeting.Status.DRAFT or meeting.invited_companies.exists():
        return []
    answering = Q(
        registrations__meeting=meeting,
        registrations__status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
    )
    return list(
        Company.objects.active()
        .exclude(pk__in=[company.pk for company in guests])
        .annotate(registered=Count("registrations", filter=answering))
        .order_by("name")
    )


def next_published_meeting(*, members: bool = True) -> Meeting | None:
    """The next published meeting that has not started yet, with its host. For visitors
    (``members`` False) only a network meeting or an event in the public calendar: an event
    by invitation that is not public (the seal ceremony) is not announced to them."""
    meetings = Meeting.objects.filter(
        status=Meeting.Status.PUBLISHED, starts_at__gte=timezone.now()
    )
    if not members:
        meetings = meetings.filter(Q(kind=Meeting.Kind.NETWORK_MEETING) | Q(is_public=True))
    return meetings.select_related("host").order_by("starts_at").first()


def next_published_meeting_cached(*, members: bool = True) -> Meeting | None:
    """:func:`next_published_meeting` from the cache (one entry for members, one for
    visitors), until a meeting or a company changes or the meeting starts."""
    from .apps import MEETINGS_TOPIC

    return cached(
        "meetings.next.members" if members else "meetings.next.visitors",
        lambda: next_published_meeting(members=members),
        topics=[MEETINGS_TOPIC],
        valid_until=lambda meeting: meeting.starts_at if meeting else None,
    )


PAST_MEETINGS_PER_PAGE = 10


def past_meetings_html(page_number: str) -> str | None:
    """The meetings list's past meetings, one page (10, newest first) with the page links, as
    HTML; None for a page that does not exist. The same for every member: kept in the cache
    until a meeting or a company (a host's name) changes, or a meeting ends and joins them.
    Two queries when computed: the count and the page, without seat counts or joins."""
    from .apps import MEETINGS_TOPIC

    def compute():
        paginator = Paginator(
            Meeting.objects.past().only(
                "slug", "title", "starts_at", "topic", "dossier_published_at"
            ),
            PAST_MEETINGS_PER_PAGE,
        )
        try:
            page = paginator.page("last" if page_number == "last" else int(page_number))
        except (ValueError, InvalidPage):
            return None
        return render_to_string(
            "meetings/includes/past_meetings.html",
            {
                "past_meetings": page.object_list,
                "page_obj": page,
                "paginator": paginator,
                "is_paginated": page.has_other_pages(),
            },
        )

    def next_to_end(html):
        return (
            Meeting.objects.visible()
            .filter(ends_at__gte=timezone.now())
            .order_by("ends_at")
            .values_list("ends_at", flat=True)
            .first()
        )

    html = cached(
        "meetings.past",
        compute,
        topics=[MEETINGS_TOPIC],
        parts=[page_number],
        valid_until=next_to_end,
    )
    return None if html is None else mark_safe(html)  # noqa: S308 - our own template


def upcoming_meetings_html(company: Company | None) -> str:
    """The meetings list's upcoming meetings with their free seats and, for ``company``, how
    many of its people hold a place, as HTML. The same for everyone of a company: kept in the
    cache until a meeting, a registration or a company changes, or a listed meeting ends."""
    from .apps import MEETINGS_TOPIC, SEATS_TOPIC

    ends = []

    def compute():
        meetings = with_seat_counts(Meeting.objects.upcoming(), company)
        meetings = list(with_invitation(meetings, company))
        for meeting in meetings:
            meeting.free_seats = free_seats(meeting)
        ends.extend(meeting.ends_at for meeting in meetings)
        return render_to_string(
            "meetings/includes/upcoming_meetings.html", {"upcoming_meetings": meetings}
        )

    html = cached(
        "meetings.upcoming",
        compute,
        topics=[MEETINGS_TOPIC, SEATS_TOPIC],
        parts=[company.pk if company else None],
        valid_until=lambda html: min(ends, default=None),
    )
    return mark_safe(html)  # noqa: S308 - our own template


# The "answers by company" table of the participant overview shows this many companies a page.
COMPANIES_PER_PAGE = 50


def company_answer_totals(meeting: Meeting) -> dict:
    """How many active companies said yes (someone seated or waiting), only no (declined or
    cancelled) or nothing to ``meeting``: ``companies_yes``, ``companies_no``,
    ``companies_no_answer``. One query whatever the numbers."""
    answers = Registration.objects.filter(meeting=meeting, company=OuterRef("pk"))
    yes = Q(
        Exists(
            answers.filter(
                status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED]
            )
        )
    )
    no = Q(
        Exists(
            answers.filter(status__in=[Registration.Status.DECLINED, Registration.Status.CANCELLED])
        )
    )
    return invited_companies(meeting).aggregate(
        companies_yes=Count("pk", filter=yes),
        companies_no=Count("pk", filter=no & ~yes),
        companies_no_answer=Count("pk", filter=~yes & ~no),
    )


def company_answers_page(registrations, totals: dict, page_number=None, *, companies=None):
    """One page of the active companies by name, each with its registrations for ``meeting``
    by status (``confirmed``, ``waitlisted``, ``declined``, ``cancelled``; no answer at all is
    all 0) and its ``answer`` ("yes", "no", "none"). ``registrations``: all of the meeting's;
    ``totals``: :func:`company_answer_totals` (they give the number of companies);
    ``companies``: the companies listed (the invited ones), else every active one. One query."""
    counts = Counter((r.company_id, r.status) for r in registrations)
    paginator = Paginator(
        (Company.objects.active() if companies is None else companies)
        .order_by("name", "pk")
        .values("pk", "name"),
        COMPANIES_PER_PAGE,
    )
    paginator.count = sum(totals.values())  # known: no count query
    page = paginator.get_page(page_number)
    rows = []
    for company in page.object_list:
        row = {**company, **{s: counts[company["pk"], s] for s in Registration.Status.values}}
        if row["confirmed"] or row["waitlisted"]:
            row["answer"] = "yes"
        elif row["declined"] or row["cancelled"]:
            row["answer"] = "no"
        else:
            row["answer"] = "none"
        rows.append(row)
    page.object_list = rows
    return page


def participant_overview(meeting: Meeting, *, companies_page=None) -> dict:
    """Everything the coordinators' participant overview shows (and its CSV and PDF lists), in
    four queries whatever the numbers: the people by status, the companies' answers counted,
    one page of them (``companies_page``, the number asked for), the feedback."""
    registrations = list(
        meeting.registrations.select_related("company").order_by("company__name", "name", "pk")
    )
    by_status = {status: [] for status in Registration.Status.values}
    for registration in registrations:
        by_status[registration.status].append(registration)
    waitlist = sorted(
        by_status[Registration.Status.WAITLISTED],
        key=lambda r: (r.waitlisted_at or r.created_at, r.pk),
    )
    company_totals = company_answer_totals(meeting)
    page = company_answers_page(
        registrations, company_totals, companies_page, companies=invited_companies(meeting)
    )

    feedback = list(meeting.feedback.order_by("-created_at"))
    seated = by_status[Registration.Status.CONFIRMED]
    return {
        "companies": page.object_list,
        "companies_page": page,
        **company_totals,
        "seated": seated,
        "waitlist": waitlist,
        "declined": by_status[Registration.Status.DECLINED],
        "cancelled": by_status[Registration.Status.CANCELLED],
        "free_seats": free_seats(meeting, seated=len(seated)),
        "checked_in": sum(1 for r in seated if r.checked_in_at),
        "feedback_count": len(feedback),
        "feedback_average": mean(f.rating for f in feedback) if feedback else None,
        "feedback_comments": [f for f in feedback if f.comment.strip()],
    }


# --- Check-in at the door --------------------------------------------------------------------


def check_in_counts(meeting: Meeting) -> dict:
    """``checked_in`` of ``expected`` (everyone seated, walk-ins included), in one query."""
    return meeting.registrations.seated().aggregate(
        expected=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )


def check_in_list(meeting: Meeting, *, search: str = "") -> list[Registration]:
    """Everyone seated, by name, with their company; ``search``: only those whose name or
    company contains each of its words. One query."""
    registrations = meeting.registrations.seated().select_related("company")
    for word in search.split():
        registrations = registrations.filter(
            Q(name__icontains=word)
            | Q(company__name__icontains=word)
            | Q(company_name__icontains=word)
        )
    return list(registrations.order_by("name", "pk"))


# --- Seats ----------------------------------------------------------------------------------


def with_seat_counts(queryset, company=None):
    """Meetings with their host, ``seated`` (confirmed registrations) and, for ``company``,
    ``own_registrations`` (its people seated or waiting), in the list's one query."""
    queryset = queryset.select_related("host").annotate(
        seated=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
    )
    if company is not None:
        queryset = queryset.annotate(
            own_registrations=Count(
                "registrations",
                filter=Q(registrations__company=company)
                & Q(
                    registrations__status__in=[
                        Registration.Status.CONFIRMED,
                        Registration.Status.WAITLISTED,
                    ]
                ),
            )
        )
    return queryset


def with_invitation(queryset, company=None):
    """Meetings with ``by_invitation`` (they have a guest list) and, for ``company``,
    ``company_invited`` (it is on the list, or there is none), in the same query."""
    guests = Meeting.invited_companies.through.objects.filter(meeting_id=OuterRef("pk"))
    queryset = queryset.annotate(by_invitation=Exists(guests))
    if company is not None:
        queryset = queryset.annotate(
            company_invited=ExpressionWrapper(
                ~Exists(guests) | Exists(guests.filter(company_id=company.pk)),
                output_field=BooleanField(),
            )
        )
    return queryset


def free_seats(meeting: Meeting, *, seated: int | None = None) -> int:
    """Seats nobody holds yet (never below 0). ``seated`` is the number of seated people when
    the caller has it; else the ``seated`` annotation of :func:`with_seat_counts` is read when
    the meeting has it, else they are counted (the services do so under the row lock)."""
    if seated is None:
        seated = getattr(meeting, "seated", None)
    if seated is None:
        seated = meeting.registrations.seated().count()
    return max(meeting.capacity - seated, 0)


def company_places_left(meeting: Meeting, company: Company, *, holding: int | None = None) -> int:
    """How many more people ``company`` may register (seated or waiting count against its
    limit). ``holding`` is its number of such registrations when the caller has them."""
    if holding is None:
        holding = meeting.registrations.holding_a_place().filter(company=company).count()
    return max(meeting.per_company_limit - holding, 0)


def waitlist_position(registration: Registration | None) -> int | None:
    """1 for the first on the waitlist; None for a registration that is not waiting."""
    if registration is None or registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.waiting()
        .filter(meeting_id=registration.meeting_id)
        .filter(
            Q(waitlisted_at__lt=registration.waitlisted_at)
            | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def attendees(meeting: Meeting):
    """Who came: the checked-in registrations, or every seated one if nobody was checked in."""
    checked_in = meeting.registrations.filter(checked_in_at__isnull=False)
    return checked_in if checked_in.exists() else meeting.registrations.seated()


# --- Engagement and the annual report --------------------------------------------------------

# Meetings that take place (or took place): published or held, neither drafts nor cancelled.
TAKING_PLACE = [Meeting.Status.PUBLISHED, Meeting.Status.HELD]


def meetings_taking_place():
    return Meeting.objects.filter(status__in=TAKING_PLACE)


def answers():
    """Every answer (yes, no, waitlist, cancelled) to a meeting that takes place."""
    return Registration.objects.filter(meeting__status__in=TAKING_PLACE)


def attended_registrations(*, now=None):
    """Who came, over all meetings that are over: the rule of :func:`attendees` (checked in,
    or seated at a meeting where nobody was checked in), as one query to count from."""
    now = now or timezone.now()
    check_ins_at_meeting = Registration.objects.filter(
        meeting=OuterRef("meeting"), checked_in_at__isnull=False
    )
    return answers().filter(
        Q(checked_in_at__isnull=False)
        | Q(status=Registration.Status.CONFIRMED) & ~Exists(check_ins_at_meeting),
        meeting__ends_at__lt=now,
    )


# --- Who has not answered (the participant page's reminders) ---------------------------------


def non_responders(meeting: Meeting):
    """The people invited to ``meeting`` (contact persons of active member companies who want
    invitations) without an answer of their own: no registration under their contact entry or
    their address. By company and name, with the company; one query."""
    answers = meeting.registrations.all()
    return (
        eligible_contacts(wants_meeting_invitations=True)
        .filter(invited_q(meeting))
        .exclude(pk__in=answers.filter(contact__isnull=False).values("contact_id"))
        .alias(address=Lower("email"))
        .exclude(address__in=answers.annotate(address=Lower("email")).values("address"))
        .select_related("company")
        .order_by("company__name", "last_name", "first_name", "pk")
    )


# --- The dossier after a meeting ("Nachlese") ------------------------------------------------


def answered_questions(meeting: Meeting):
    """The questions to the experts of ``meeting`` that have an answer, as the dossier shows
    them: in the order they were asked, with the asking company (shown only where the asker
    allowed it, ``show_company``) and the expert asked. One query."""
    return (
        meeting.questions.filter(answered_at__isnull=False)
        .exclude(answer="")
        .select_related("company", "expert")
        .order_by("created_at", "pk")
    )


def published_dossiers():
    """The meetings whose dossier members can read: published, of a meeting that took place."""
    return Meeting.objects.filter(
        status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
        dossier_published_at__isnull=False,
    )


def dossier_of(meeting: Meeting) -> dict:
    """What the dossier page shows besides the meeting: its ``agenda`` with the speakers, its
    ``materials`` and the ``questions`` answered. Three queries whatever the numbers."""
    return {
        "agenda": list(meeting.agenda_items.select_related("speaker_contact__company")),
        "materials": list(meeting.materials.all()),
        "questions": list(answered_questions(meeting)),
    }


class DossierRecipient:
    """Someone who gets the dossier's mail: a contact person (``contact``), or a colleague
    registered by address or a walk-in with an address (``registration``) who came; whether
    they (``attended``) and their company (``company_attended``) were at the meeting."""

    def __init__(self, *, email, name, attended, company_attended, contact=None, registration=None):
        self.email, self.name = email, name
        self.contact, self.registration = contact, registration
        self.attended, self.company_attended = attended, company_attended

    @property
    def company_id(self):
        if self.contact is not None:
            return self.contact.company_id
        return self.registration.company_id

    @property
    def key(self) -> str:
        """The outbox key's end: per contact person, else per registration."""
        if self.contact is not None:
            return f"contact:{self.contact.pk}"
        return f"registration:{self.registration.pk}"


def dossier_recipients(meeting: Meeting) -> list[DossierRecipient]:
    """Who gets the mail of ``meeting``'s dossier: the contact persons who want meeting mails
    (``wants_meeting_invitations``) of every active member company (of the guest companies
    only when the event is by invitation), those who came and those who did not, and every
    attendee without contact entry who has an address (a colleague registered by address, a
    walk-in); each
    address once. Three queries."""
    came = list(attendees(meeting).select_related("company").order_by("pk"))
    companies = {r.company_id for r in came if r.company_id}
    contacts = {r.contact_id for r in came if r.contact_id}
    addresses = {r.email.lower() for r in came if r.email}
    recipients, seen = [], set()
    for contact in (
        eligible_contacts(wants_meeting_invitations=True)
        .filter(invited_q(meeting))
        .select_related("company", "user")
        .order_by("pk")
    ):
        address = contact.email.lower()
        if address in seen:
            continue
        seen.add(address)
        recipients.append(
            DossierRecipient(
                email=contact.email,
                name=contact.letter_name,
                contact=contact,
                attended=contact.pk in contacts or address in addresses,
                company_attended=contact.company_id in companies,
            )
        )
    for registration in came:
        address = registration.email.strip().lower()
        # A contact person's own choice (no meeting mails) stands; the others who came get it.
        if registration.contact_id or not address or address in seen:
            continue
        # The dossier page is for members: a guest of a company that is none gets no link.
        if registration.company is None or not registration.company.is_active_member:
            continue
        seen.add(address)
        recipients.append(
            DossierRecipient(
                email=registration.email,
                name=registration.name,
                registration=registration,
                attended=True,
                company_attended=True,
            )
        )
    return recipients


def dossier_reach(meeting: Meeting) -> dict:
    """What publishing ``meeting``'s dossier sends, for its confirmation page: ``mails`` (one
    per recipient of :func:`dossier_recipients`), ``companies`` (their member companies) and
    ``companies_absent`` (of these, the companies nobody came from)."""
    recipients = dossier_recipients(meeting)
    companies = {r.company_id for r in recipients if r.company_id}
    absent = {r.company_id for r in recipients if r.company_id and not r.company_attended}
    return {"mails": len(recipients), "companies": len(companies), "companies_absent": len(absent)}


# --- Questions to the experts ----------------------------------------------------------------


def meeting_questions(meeting: Meeting) -> list:
    """Every question to the experts of ``meeting``, in the order they were asked, with the
    addressee and the asking company. One query."""
    return list(meeting.questions.select_related("expert", "company").order_by("created_at", "pk"))


def questions_to_send(meeting: Meeting, expert):
    """The questions ``expert`` has not received yet: those to them not sent, and those to all
    experts that have not gone out yet or went out to another expert after ``expert``'s last
    mail (a question to all keeps the moment it first went out)."""
    to_all = Q(expert__isnull=True)
    if expert.questions_sent_at is not None:
        to_all &= Q(sent_at__isnull=True) | Q(sent_at__gt=expert.questions_sent_at)
    return meeting.questions.filter(Q(expert=expert, sent_at__isnull=True) | to_all).order_by(
        "created_at", "pk"
    )


def _not_received(question, expert) -> bool:
    """:func:`questions_to_send` for one question already read."""
    if question.expert_id == expert.pk:
        return question.sent_at is None
    if question.expert_id is not None:
        return False
    last = expert.questions_sent_at
    return last is None or question.sent_at is None or question.sent_at > last


def question_groups(meeting: Meeting) -> list[dict]:
    """The coordinators' view of ``meeting``'s questions: one group per expert (their own
    questions, how many they have not received yet, counting those to all experts) and one of
    the questions to all experts (``expert`` None). Two queries."""
    questions = meeting_questions(meeting)
    groups = []
    for expert in meeting.experts.all():
        groups.append(
            {
                "expert": expert,
                "questions": [q for q in questions if q.expert_id == expert.pk],
                "pending": sum(1 for q in questions if _not_received(q, expert)),
            }
        )
    groups.append(
        {"expert": None, "questions": [q for q in questions if q.expert_id is None], "pending": 0}
    )
    return groups


# --- Speakers and hosts from the member companies (issue 16) ---------------------------------


def matching_offers(*, topics, meeting: Meeting | None = None) -> dict:
    """What the active member companies offered for a meeting or a topic wish about ``topics``
    (expertise topics): ``reports``, the offers to report on at least one of them (each with
    ``matched``, the topics it shares), and ``hosts``, every offer to host a meeting (each with
    ``matched`` too), largest room first. With ``meeting``, each offer carries ``asked``: the
    request to speak its contact already has for that meeting (open or accepted), or None.
    Five queries whatever the numbers."""
    topic_ids = {topic.pk for topic in topics}
    active = ExpertiseOffer.objects.filter(company__status=Company.Status.ACTIVE).select_related(
        "company", "contact"
    )
    reports = list(
        active.filter(kind=ExpertiseOffer.Kind.REPORT, topics__in=topic_ids or [0])
        .distinct()
        .prefetch_related("topics")
        .order_by("company__name", "pk")
    )
    hosts = list(
        active.filter(kind=ExpertiseOffer.Kind.HOST)
        .prefetch_related("topics")
        .order_by("-seats", "company__name", "pk")
    )
    asked = {}
    if meeting is not None:
        requests = SpeakerRequest.objects.filter(
            meeting=meeting,
            status__in=[SpeakerRequest.Status.PENDING, SpeakerRequest.Status.ACCEPTED],
        )
        asked = {request.contact_id: request for request in requests}
    for offer in (*reports, *hosts):
        offer.matched = [topic for topic in offer.topics.all() if topic.pk in topic_ids]
        offer.asked = asked.get(offer.contact_id)
    return {"reports": reports, "hosts": hosts}


# --- The public calendar of public events -------------------------------------------------

# The public calendar shows what is ahead and what ended in the last 90 days.
PUBLIC_PAST_DAYS = 90
# What the public calendar reads of an event: nothing for members only.
PUBLIC_FIELDS = (
    "slug",
    "kind",
    "title",
    "topic",
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_city",
    "calendar_uid",
    "sequence",
)


def public_events(*, now=None) -> list[Meeting]:
    """The events in the public calendar: marked public, published or held (neither drafts nor
    cancelled ones), from those that ended in the last :data:`PUBLIC_PAST_DAYS` days on, by
    start. Only :data:`PUBLIC_FIELDS`; one query."""
    now = now or timezone.now()
    return list(
        Meeting.objects.filter(
            is_public=True,
            status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
            ends_at__gte=now - timedelta(days=PUBLIC_PAST_DAYS),
        )
        .only(*PUBLIC_FIELDS)
        .order_by("starts_at", "pk")
    )
