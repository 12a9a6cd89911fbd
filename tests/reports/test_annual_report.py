"""The annual report's figures for a seeded year, compared with what the seed gives by hand.

The seeded year Y is last year, so it is complete whenever the tests run. Every figure below is
counted from the seed in the comments next to it, not from the code.
"""

import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from meetings.models import Meeting, Registration, TopicVote
from members.models import Company, Industry, SizeClass
from newsletter.models import Bounce, Delivery, Issue, MailingList
from reports.selectors import Share, annual_report, report_years
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.factories import (
    FeedbackFactory,
    MeetingFactory,
    RegistrationFactory,
    TopicProposalFactory,
)
from tests.newsletter.factories import (
    BounceFactory,
    DeliveryFactory,
    IssueFactory,
    MemberListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)
from tests.seal.factories import ApplicationFactory, AwardCycleFactory, CertificateFactory

pytestmark = pytest.mark.django_db

Y = timezone.localdate().year - 1


def at(year, month, day, hour=10):
    return timezone.make_aware(datetime.combine(date(year, month, day), time(hour)))


def company(name, size_class, industry, *, member_since, status=Company.Status.ACTIVE, **kw):
    return CompanyFactory(
        name=name,
        size_class=size_class,
        industry=industry,
        member_since=member_since,
        status=status,
        **kw,
    )


def created(obj, moment):
    """Set an ``auto_now_add`` time afterwards."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=moment)


def meeting(title, starts_at, *, status=Meeting.Status.HELD, host=None):
    return MeetingFactory(
        title=title,
        starts_at=starts_at,
        ends_at=starts_at.replace(hour=starts_at.hour + 2),
        rsvp_deadline=starts_at.replace(day=1),
        status=status,
        host=host,
        capacity=30,
    )


def register(meeting_, company_, status=Registration.Status.CONFIRMED, *, checked_in=False):
    return RegistrationFactory(
        meeting=meeting_,
        company=company_,
        status=status,
        checked_in_at=meeting_.starts_at if checked_in else None,
    )


@pytest.fixture
def seed():
    """The network in year Y (the letters are the companies' short names in the comments)."""
    small, medium, large = SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.LARGE
    s = {}
    # --- Members ---------------------------------------------------------------------------
    # member on 31.12.Y-1: A, B, D, E, J (5: small A B, medium E J, large D)
    # joined in Y: C (May), F (November); left in Y: D (September)
    # member on 31.12.Y: A, B, C, E, F, J (6: small A B F, medium C E J, large none)
    s["A"] = company(
        "Moselblick Pflege GmbH", small, Industry.HEALTH, member_since=date(Y - 3, 3, 2)
    )
    s["B"] = company("Schreinerei Olewig", small, Industry.CRAFTS, member_since=date(Y - 2, 6, 1))
    s["C"] = company("Trierer Datenwerk GmbH", medium, Industry.IT, member_since=date(Y, 5, 10))
    s["D"] = company(
        "Porta Logistik KG",
        large,
        Industry.LOGISTICS,
        member_since=date(Y - 1, 2, 1),
        status=Company.Status.LEFT,
        left_on=date(Y, 9, 30),
    )
    # Paused: still a member.
    s["E"] = company(
        "Saarburger Feinmechanik KG",
        medium,
        Industry.MANUFACTURING,
        member_since=date(Y - 1, 4, 1),
        status=Company.Status.PAUSED,
    )
    s["F"] = company("Konzer Landbäckerei", small, Industry.CRAFTS, member_since=date(Y, 11, 2))
    # Left before Y: a member in neither year end.
    s["G"] = company(
        "Ruwer Bau GmbH",
        medium,
        Industry.CONSTRUCTION,
        member_since=date(Y - 4, 1, 1),
        status=Company.Status.LEFT,
        left_on=date(Y - 1, 6, 1),
    )
    # Awaiting approval, and joined only after Y: never counted.
    company(
        "Zewener Kita gGmbH",
        small,
        Industry.SOCIAL,
        member_since=None,
        status=Company.Status.PENDING,
    )
    company("Olewiger Weinhaus", small, Industry.HOSPITALITY, member_since=date(Y + 1, 1, 15))
    # Imported without a day of joining, registered in Y-1: a member since then, never a join.
    s["J"] = company(
        "Pfalzeler Dienste GmbH",
        medium,
        Industry.SERVICES,
        member_since=None,
        registered_at=at(Y - 1, 8, 1),
    )

    # --- Meetings --------------------------------------------------------------------------
    # M1 (March, held, with check-in): seated A, A, B, D; checked in A, A, B; B also said no;
    #    E on the waitlist. Registrations 4, waitlist 1, no 1, participants 3 (the check-ins),
    #    companies A, B; feedback 5 and 4.
    m1 = meeting("Frühjahrstreffen", at(Y, 3, 12), host=s["A"])
    a1 = register(m1, s["A"], checked_in=True)
    a2 = register(m1, s["A"], checked_in=True)
    register(m1, s["B"], checked_in=True)
    register(m1, s["B"], Registration.Status.DECLINED)
    register(m1, s["D"])  # seated, did not come
    register(m1, s["E"], Registration.Status.WAITLISTED)
    FeedbackFactory(registration=a1, rating=5)
    FeedbackFactory(registration=a2, rating=4)
    # M2 (July, published, nobody checked in): seated C, C, E -> participants 3, companies C, E;
    #    A cancelled (a no). Feedback 3.
    m2 = meeting("Sommertreffen", at(Y, 7, 3), status=Meeting.Status.PUBLISHED, host=s["B"])
    c1 = register(m2, s["C"])
    register(m2, s["C"])
    register(m2, s["E"])
    register(m2, s["A"], Registration.Status.CANCELLED)
    FeedbackFactory(registration=c1, rating=3)
    # Cancelled (counted as such), a draft, and a meeting of Y-1: none in the tables.
    m3 = meeting("Herbsttreffen", at(Y, 10, 20), status=Meeting.Status.CANCELLED)
    register(m3, s["B"])
    meeting("Entwurf", at(Y, 11, 5), status=Meeting.Status.DRAFT)
    register(meeting("Wintertreffen", at(Y - 1, 12, 4)), s["A"], checked_in=True)
    # Totals: held 2, registrations 7, participants 6, check-ins 3, companies A B C E (4);
    # all four are members at the end: 4 of 6 = 67 %; small A B of A B F, medium C E of C E J.
    # Feedback: (5 + 4 + 3) / 3 = 4.0 from 3 ratings; M1 4.5 (2), M2 3.0 (1).

    # --- Topics ----------------------------------------------------------------------------
    # P1 (February, by A, taken into M2): 3 votes in Y. P2 (August, by B): 1 vote in Y, 1 in
    # Y+1. P3 (Y-1, by C, taken into M1). Proposed 2, of them taken into a meeting 1 (P1);
    # taken into Y's meetings 2 (P1, P3); votes in Y 4. Most votes: P1 (3), P2 (2).
    voters = [MembershipFactory(company=s["A"]).user for _ in range(3)]
    p1 = TopicProposalFactory(title="Ausbildung im Verbund", company=s["A"], scheduled_meeting=m2)
    p2 = TopicProposalFactory(title="Wohnraum für Fachkräfte", company=s["B"])
    p3 = TopicProposalFactory(title="KI im Recruiting", company=s["C"], scheduled_meeting=m1)
    created(p1, at(Y, 2, 1))
    created(p2, at(Y, 8, 1))
    created(p3, at(Y - 1, 11, 1))
    for voter in voters:
        created(TopicVote.objects.create(proposal=p1, user=voter), at(Y, 2, 2))
    created(TopicVote.objects.create(proposal=p2, user=voters[0]), at(Y, 8, 2))
    created(TopicVote.objects.create(proposal=p2, user=voters[1]), at(Y + 1, 1, 2))

    # --- Seal ------------------------------------------------------------------------------
    # Cycle Y (ceremony 22 May Y): A submitted and awarded (certificate from the ceremony),
    # B submitted, not awarded, E a draft. Older certificates: D's (Y-2, valid until Y+2),
    # E's (Y-2, revoked in Y), B's (Y-4, expired in Y).
    # Submitted in Y: small 2 (A, B). Awarded in Y: small 1 (A). Valid on 31.12.Y: small 1
    # (A), large 1 (D; it has left, the seal is still its own).
    cycle = AwardCycleFactory(
        name=str(Y),
        applications_open_at=at(Y, 1, 10),
        deadline=at(Y, 3, 31),
        ceremony_on=date(Y, 5, 22),
    )
    old_cycle = AwardCycleFactory(
        name=str(Y - 2),
        applications_open_at=at(Y - 2, 1, 10),
        deadline=at(Y - 2, 3, 31),
        ceremony_on=date(Y - 2, 5, 20),
    )
    older_cycle = AwardCycleFactory(
        name=str(Y - 4),
        applications_open_at=at(Y - 4, 1, 10),
        deadline=at(Y - 4, 3, 31),
        ceremony_on=date(Y - 4, 5, 20),
    )

    def certificate(cycle_, company_, issued, valid_until, **kw):
        return CertificateFactory(
            application__cycle=cycle_,
            application__company=company_,
            application__submitted_at=at(issued.year, 3, 1),
            issued_on=issued,
            valid_until=valid_until,
            **kw,
        )

    certificate(cycle, s["A"], date(Y, 5, 22), date(Y + 4, 5, 22))
    ApplicationFactory(
        cycle=cycle, company=s["B"], submitted_at=at(Y, 3, 15), decision="not_awarded"
    )
    ApplicationFactory(cycle=cycle, company=s["E"])
    certificate(old_cycle, s["D"], date(Y - 2, 5, 20), date(Y + 2, 5, 20))
    certificate(old_cycle, s["E"], date(Y - 2, 5, 20), date(Y + 2, 5, 20), revoked_at=at(Y, 6, 1))
    certificate(older_cycle, s["B"], date(Y - 4, 5, 20), date(Y, 5, 20))

    # --- Newsletter ------------------------------------------------------------------------
    # N1 (April): sent to A's and C's contacts and an outside reader, one failed.
    # N2 (September): sent to A's contact again and to D's. A draft and an issue of Y-1 don't
    # count. Issues 2, deliveries 5, addresses 4 (A, C, outside, D); member companies at the
    # end reached: A, C (2 of 6 = 33 %). By a meeting or the newsletter: A B C E (4 of 6).
    a_contact = ContactPersonFactory(company=s["A"], email="Personal@Moselblick.example")
    c_contact = ContactPersonFactory(company=s["C"], email="info@datenwerk.example")
    d_contact = ContactPersonFactory(company=s["D"], email="hr@porta-logistik.example")
    a_reader = SubscriberFactory(email="personal@moselblick.example")
    c_reader = SubscriberFactory(email=c_contact.email)
    d_reader = SubscriberFactory(email=d_contact.email)
    outside = SubscriberFactory(email="leserin@example.org")
    failed = SubscriberFactory(email="alt@example.org")
    sent = Delivery.Status.SENT

    def issue(subject, started, status=Issue.Status.SENT):
        return IssueFactory(subject=subject, status=status, sending_started_at=started)

    n1 = issue("Frühjahr im Netzwerk", at(Y, 4, 1))
    n2 = issue("Herbstausgabe", at(Y, 9, 1))
    for subscriber in (a_reader, c_reader, outside):
        DeliveryFactory(issue=n1, subscriber=subscriber, status=sent)
    DeliveryFactory(issue=n1, subscriber=failed, status=Delivery.Status.FAILED)
    for subscriber in (a_reader, d_reader):
        DeliveryFactory(issue=n2, subscriber=subscriber, status=sent)
    IssueFactory(subject="Entwurf")
    DeliveryFactory(issue=issue("Vorjahr", at(Y - 1, 12, 1)), subscriber=outside, status=sent)
    assert a_contact.company == s["A"]
    # Bounces in Y: 1 hard, 1 soft (and 1 hard of Y-1).
    for kind, moment in (
        (Bounce.Kind.HARD, at(Y, 5, 1)),
        (Bounce.Kind.SOFT, at(Y, 6, 1)),
        (Bounce.Kind.HARD, at(Y - 1, 6, 1)),
    ):
        Bounce.objects.filter(pk=BounceFactory(kind=kind).pk).update(received_at=moment)
    # New subscriptions to public lists confirmed in Y: 2 (one of Y-1, one to a member list).
    for confirmed in (at(Y, 2, 1), at(Y, 10, 1), at(Y - 1, 10, 1)):
        SubscriptionFactory(confirmed_at=confirmed)
    SubscriptionFactory(mailing_list=MemberListFactory(), confirmed_at=at(Y, 3, 1))
    assert MailingList.objects.filter(kind=MailingList.Kind.PUBLIC).exists()
    return s


def report():
    return annual_report(Y, now=at(Y + 1, 2, 1))


def test_members(seed):
    members = report().members

    assert (members.at_start, members.at_end) == (5, 6)
    by_size = {row.key: (row.at_start, row.joined, row.left, row.at_end) for row in members.by_size}
    assert by_size == {
        SizeClass.SMALL: (2, 1, 0, 3),
        SizeClass.MEDIUM: (2, 1, 0, 3),
        SizeClass.LARGE: (1, 0, 1, 0),
    }
    assert members.totals == {"at_start": 5, "joined": 2, "left": 1, "at_end": 6}
    assert [row["name"] for row in members.joined] == [
        "Trierer Datenwerk GmbH",
        "Konzer Landbäckerei",
    ]
    assert [(row["name"], row["left_on"]) for row in members.left] == [
        ("Porta Logistik KG", date(Y, 9, 30))
    ]
    industries = dict(members.by_industry)
    assert industries == {
        str(Industry.CRAFTS.label): 2,
        str(Industry.HEALTH.label): 1,
        str(Industry.IT.label): 1,
        str(Industry.MANUFACTURING.label): 1,
        str(Industry.SERVICES.label): 1,
    }
    assert members.by_industry[0] == (str(Industry.CRAFTS.label), 2)  # most first
    per_month = {
        index + 1: (joined, left) for index, (_m, joined, left) in enumerate(members.per_month)
    }
    assert per_month[5] == (1, 0) and per_month[11] == (1, 0) and per_month[9] == (0, 1)
    assert sum(joined for joined, _left in per_month.values()) == 2
    assert sum(left for _joined, left in per_month.values()) == 1


def test_meetings(seed):
    meetings = report().meetings

    rows = [
        (
            row.title,
            row.registered,
            row.waitlisted,
            row.declined,
            row.attended,
            row.checked_in,
            row.companies,
            row.feedback_count,
            row.feedback_average,
        )
        for row in meetings.rows
    ]
    assert rows == [
        ("Frühjahrstreffen", 4, 1, 1, 3, 3, 2, 2, Decimal("4.5")),
        ("Sommertreffen", 3, 0, 1, 3, 0, 2, 1, Decimal("3.0")),
    ]
    assert (meetings.held, meetings.upcoming, meetings.cancelled) == (2, 0, 1)
    assert (meetings.registered, meetings.attended, meetings.checked_in) == (7, 6, 3)
    assert meetings.companies == {seed[key].pk for key in "ABCE"}
    assert meetings.companies_reached == Share(4, 6)
    assert meetings.companies_reached.percent == 67
    reached = {row.key: (row.reached, row.members) for row in meetings.reached_by_size}
    assert reached == {SizeClass.SMALL: (2, 3), SizeClass.MEDIUM: (2, 3), SizeClass.LARGE: (0, 0)}
    assert (meetings.feedback_count, meetings.feedback_average) == (3, Decimal("4.0"))
    assert meetings.attended_per_meeting == Decimal("3.0")


def test_topics(seed):
    topics = report().topics

    assert (topics.proposed, topics.proposed_scheduled, topics.scheduled, topics.votes) == (
        2,
        1,
        2,
        4,
    )
    assert topics.top == [
        {"title": "Ausbildung im Verbund", "votes": 3, "meeting": "Sommertreffen"},
        {"title": "Wohnraum für Fachkräfte", "votes": 2, "meeting": ""},
    ]


def test_seal(seed):
    seal = report().seal

    by_size = {row.key: (row.applications, row.awards, row.valid) for row in seal.by_size}
    assert by_size == {
        SizeClass.SMALL: (2, 1, 1),
        SizeClass.MEDIUM: (0, 0, 0),
        SizeClass.LARGE: (0, 0, 1),
    }
    assert seal.totals == {"applications": 2, "awards": 1, "valid": 2}
    assert seal.ceremonies == [{"name": str(Y), "ceremony_on": date(Y, 5, 22)}]


def test_newsletter_and_reach(seed):
    full = report()
    newsletter = full.newsletter

    assert [(row["subject"], row["sent_on"], row["delivered"]) for row in newsletter.issues] == [
        ("Frühjahr im Netzwerk", date(Y, 4, 1), 3),
        ("Herbstausgabe", date(Y, 9, 1), 2),
    ]
    assert (newsletter.delivered, newsletter.addresses) == (5, 4)
    assert newsletter.companies == {seed["A"].pk, seed["C"].pk}
    assert newsletter.companies_reached == Share(2, 6)
    assert (newsletter.hard_bounces, newsletter.soft_bounces) == (1, 1)
    assert newsletter.new_public_subscriptions == 2
    assert full.companies_reached == Share(4, 6)


def test_key_figures(seed):
    figures = [value for _label, value in report().key_figures]

    # members at the end, new members, meetings held, participants, companies at meetings,
    # issues, seals awarded, valid seals
    assert figures == [6, 2, 2, 6, 4, 2, 1, 2]


def test_the_running_year_counts_up_to_today(seed):
    """On 1 August of Y: D has not left yet, F has not joined, M2 is over, the seal of the
    ceremony in May is valid."""
    running = annual_report(Y, now=at(Y, 8, 1))

    assert running.period.is_running and running.period.cutoff == date(Y, 8, 1)
    assert running.members.at_end == 5 + 1  # A B D E J, and C (May)
    assert [row["name"] for row in running.members.joined] == ["Trierer Datenwerk GmbH"]
    assert running.members.left == []
    assert running.newsletter.issues[0]["subject"] == "Frühjahr im Netzwerk"
    assert len(running.newsletter.issues) == 1


def test_a_meeting_still_to_come_has_no_participants(seed):
    """In the running year, a published meeting after today shows its registrations only."""
    upcoming = meeting("Adventstreffen", at(Y, 12, 1), status=Meeting.Status.PUBLISHED)
    register(upcoming, seed["A"])

    running = annual_report(Y, now=at(Y, 11, 20))

    last = running.meetings.rows[-1]
    assert (last.title, last.is_over, last.registered, last.attended, last.companies) == (
        "Adventstreffen",
        False,
        1,
        None,
        None,
    )
    assert (running.meetings.held, running.meetings.upcoming) == (2, 1)
    assert running.meetings.attended == 6


def test_report_years_go_back_to_the_first_member(seed):
    years = report_years()

    assert years[0] == timezone.localdate().year
    assert years[-1] == Y - 4  # G, a member since Y-4


def test_a_company_that_left_and_came_back_is_a_member_without_a_break(seed, coordinator):
    from members import services

    services.company_reactivate(company=seed["D"], by_user=coordinator)
    seed["D"].refresh_from_db()

    assert seed["D"].left_on is None
    again = report().members
    assert (again.at_start, again.at_end, len(again.left)) == (5, 7, 0)


def test_the_member_figures_balance_for_imported_companies(seed):
    small, crafts = SizeClass.SMALL, Industry.CRAFTS
    # Imported as having left, without the day: counts nowhere.
    company(
        "Alte Liste GmbH", small, crafts, member_since=date(Y, 4, 1), status=Company.Status.LEFT
    )
    # Imported without a member-since day: a member from its registration in the portal.
    late = company("Ohne Datum KG", small, crafts, member_since=None)
    Company.objects.filter(pk=late.pk).update(registered_at=at(Y, 6, 1))

    totals = report().members.totals

    assert totals == {"at_start": 5, "joined": 3, "left": 1, "at_end": 7}
    assert totals["at_start"] + totals["joined"] - totals["left"] == totals["at_end"]


def test_marking_a_company_as_left_records_the_day(coordinator):
    from members import services

    moselblick = CompanyFactory()
    services.company_mark_left(company=moselblick, by_user=coordinator)
    moselblick.refresh_from_db()

    assert moselblick.left_on == timezone.localdate()


def test_the_report_needs_the_same_queries_for_a_bigger_network(seed, django_assert_num_queries):
    with django_assert_num_queries(REPORT_QUERIES):
        report()

    more = [CompanyFactory(member_since=date(Y, 6, 1)) for _ in range(6)]
    big = meeting("Großes Treffen", at(Y, 6, 20), host=more[0])
    for member in more:
        register(big, member, checked_in=True)
        TopicProposalFactory(company=member)
        ContactPersonFactory(company=member)
        ApplicationFactory(company=member, submitted_at=at(Y, 2, 1))
    n3 = IssueFactory(status=Issue.Status.SENT, sending_started_at=at(Y, 6, 1))
    for _ in range(5):
        DeliveryFactory(issue=n3, status=Delivery.Status.SENT)
    UserFactory()

    with django_assert_num_queries(REPORT_QUERIES):
        bigger = report()
    assert bigger.meetings.held == 3 and bigger.members.at_end == 12


# members 4, meetings 6, topics 3, seal 4, newsletter 5
REPORT_QUERIES = 22


# --- The downloads ----------------------------------------------------------------------------

PDF_URL = reverse("admin:reports_annual_report_pdf")
XLSX_URL = reverse("admin:reports_annual_report_xlsx")


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_pdf_shows_the_year_s_figures(seed, coordinator_client):
    response = coordinator_client.get(PDF_URL, {"year": Y})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="jahresbericht-{Y}.pdf"'
    pages = pdf_text(response.content)
    title, rest = pages[0], " ".join(pages[1:])
    assert f"Jahresbericht {Y}" in title
    assert "Netzwerk „Attraktive Unternehmen Trier“" in title
    assert f"Zeitraum: 1. Januar bis 31. Dezember {Y}" in title
    # Page numbers from the second page on.
    assert f"Seite 2 von {len(pages)}" in pages[1]
    assert "Seite 1 von" not in title
    # The members' table (small: 2, 1, 0, 3), the new members, the meetings with their
    # figures, the topics, the seal and the newsletter.
    assert "Trierer Datenwerk GmbH" in rest and "Konzer Landbäckerei" in rest
    assert "Frühjahrstreffen" in rest and "Sommertreffen" in rest
    assert "Herbsttreffen" not in rest  # cancelled
    assert "Ausbildung im Verbund" in rest
    assert "Frühjahr im Netzwerk" in rest
    assert "4,5" in rest and "4,0" in rest  # the ratings, in German
    assert "Was die Zahlen bedeuten" in rest


def test_the_pdf_draws_its_charts_on_the_server(seed):
    from reports.documents import charts

    drawn = charts(report())

    assert set(drawn) == {"attendance", "size_classes", "industries", "joins"}
    attendance = str(drawn["attendance"])
    assert attendance.startswith("<svg") and "<title" in attendance
    assert "Frühjahrstreffen"[:10] in attendance and "Teilnehmende" in attendance
    assert "<script" not in "".join(str(chart) for chart in drawn.values())


def test_the_workbook_holds_the_year_s_figures(seed, coordinator_client):
    response = coordinator_client.get(XLSX_URL, {"year": Y})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == f'attachment; filename="jahresbericht-{Y}.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Überblick",
        "Mitglieder",
        "Netzwerktreffen",
        "Themen",
        "Siegel",
        "Newsletter",
        "Erläuterungen",
    ]
    overview = {
        row[0]: row[1:]
        for row in workbook["Überblick"].iter_rows(values_only=True)
        if row[0] is not None
    }
    assert overview["Mitgliedsunternehmen am Jahresanfang"][0] == 5
    assert overview["Mitgliedsunternehmen am Ende des Zeitraums"][0] == 6
    assert overview["Teilnehmende"][0] == 6
    assert overview["Mitgliedsunternehmen bei Treffen"][:2] == (4, pytest.approx(4 / 6))
    assert overview["Verliehene Siegel"][0] == 1
    assert overview["Newsletter-Ausgaben"][0] == 2
    assert overview["Durchschnittliche Bewertung (1–5)"][0] == pytest.approx(4.0)
    meetings = list(workbook["Netzwerktreffen"].iter_rows(values_only=True))
    march = next(row for row in meetings if row[1] == "Frühjahrstreffen")
    assert march[0] == datetime(Y, 3, 12, 10, 0)
    assert march[5:13] == (4, 1, 1, 3, 3, 2, 2, 4.5)
    members = list(workbook["Mitglieder"].iter_rows(values_only=True))
    assert (
        "Porta Logistik KG",
        str(SizeClass.LARGE.label),
        str(Industry.LOGISTICS.label),
        datetime(Y, 9, 30),
    ) in [row[:4] for row in members]


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook(seed, coordinator_client):
    # Company users write company names and topic titles; the coordinator opens the file.
    Company.objects.filter(pk=seed["A"].pk).update(name='=HYPERLINK("http://evil.example","Klick")')
    created(TopicProposalFactory(title="=1+2", company=seed["B"]), at(Y, 4, 1))

    response = coordinator_client.get(XLSX_URL, {"year": Y})

    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = {cell.value for cell in cells}
    assert '=HYPERLINK("http://evil.example","Klick")' in texts
    assert "=1+2" in texts


def test_a_year_without_figures_is_refused_with_a_message(seed, coordinator_client):
    response = coordinator_client.get(PDF_URL, {"year": Y - 5})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    # The first member (G) joined in Y-4.
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Bitte wählen Sie ein Jahr von {Y - 4} bis {Y + 1}."
    ]


def test_before_the_first_member_there_is_only_this_year(coordinator_client):
    response = coordinator_client.get(XLSX_URL, {"year": "letztes"})

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Bitte wählen Sie das Jahr {Y + 1}."
    ]


@pytest.mark.parametrize("url", [PDF_URL, XLSX_URL])
def test_only_coordinators_get_the_report(client, url):
    response = client.get(url, {"year": Y})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    client.force_login(CompanyAdminFactory().user)
    assert client.get(url, {"year": Y}).status_code == 403


def test_the_cockpit_offers_the_report_of_a_chosen_year(seed, coordinator_client):
    response = coordinator_client.get(reverse("admin:index"))

    content = response.content.decode()
    assert '<select name="year" id="report-year">' in content
    assert f'<option value="{Y}"' in content
    assert f'formaction="{PDF_URL}"' in content and f'formaction="{XLSX_URL}"' in content
    assert reverse("admin:reports_engagement_changelist") in content
