"""Benchmark: the coordinators' cockpit (the admin's start page) with a network of 1,000
companies and a year of work.

Seeds its own PostgreSQL database (portal_bench_cockpit, dropped and created anew on every run)
with 1,000 member companies (active, pending, paused, left, rejected) and 2,000 contact persons,
join requests, a year of monthly meetings (nine held, three upcoming, with 60–120 answers each),
a seal cycle of 150 applications with 20 jurors and their scores, a year of newsletter issues
with bounces, and an outbox of 20,000 mails. Then renders the cockpit as a coordinator (group
„Koordination“, second factor passed) through Django's test client in this warm process, with
production settings (debug off, collected static files), and prints the median and p95 of the
server time, the queries per render, and each section's own time.

Needs PostgreSQL (as on the development machines and CI):

    .venv/bin/python bench/cockpit.py [--renders 200]

It uses its own database and removes nothing else. Goal: the cockpit in under 100 ms.
"""

import argparse
import datetime as dt
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_cockpit"
)
COMPANIES, CONTACTS_PER_COMPANY = 1_000, 2
MEETINGS_HELD, MEETINGS_UPCOMING = 9, 3
APPLICATIONS, JURORS = 150, 20
ISSUES, BOUNCES, OUTBOX_MAILS = 24, 600, 20_000
JOIN_REQUESTS = 80


def prepare_database():
    name = DB_URL.rsplit("/", 1)[1]
    for command in (["dropdb", "--if-exists"], ["createdb"]):
        subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=os.environ.copy(), check=True
        )


# --- Seeding ---------------------------------------------------------------------------------


def seed(rng: random.Random) -> dict:
    """The network described in the module; returns the coordinator and what was made."""
    from django.contrib.auth.models import Group
    from django.utils import timezone
    from django.utils.text import slugify

    from accounts.models import User
    from accounts.roles import COORDINATOR_GROUP, JURY_GROUP
    from demo.members import FIRST_NAMES, FUNCTIONS, LAST_NAMES
    from meetings.models import Meeting, Registration
    from members.models import Company, ContactPerson, Industry, JoinRequest, LegalForm, SizeClass
    from network_portal.models import OutboxMail
    from newsletter.models import Bounce, Issue
    from seal.models import Application, AwardCycle, JurorAssignment

    now = timezone.now()
    today = timezone.localdate()

    # Companies: mostly active; some awaiting approval, paused, left or rejected.
    statuses = (
        [Company.Status.ACTIVE] * 90
        + [Company.Status.PENDING] * 4
        + [Company.Status.PAUSED] * 3
        + [Company.Status.LEFT] * 2
        + [Company.Status.REJECTED]
    )
    companies = Company.objects.bulk_create(
        [
            Company(
                name=f"{rng.choice(LAST_NAMES)} {industry.label} {n + 1} GmbH",
                slug=f"{slugify(industry.label)}-{n + 1}",
                legal_form=LegalForm.GMBH,
                industry=industry,
                size_class=rng.choice(SizeClass.values),
                street=f"Hauptstraße {n + 1}",
                postcode=str(54290 + n % 7),
                city="Trier",
                status=statuses[n % len(statuses)],
                member_since=dt.date(2019 + n % 7, 1 + n % 12, 1),
                directory_consent=n % 3 != 0,
            )
            for n, industry in enumerate(rng.choice(list(Industry)) for _ in range(COMPANIES))
        ]
    )
    companies = list(Company.objects.order_by("pk"))  # with their keys
    active = [c for c in companies if c.status == Company.Status.ACTIVE]
    contacts = ContactPerson.objects.bulk_create(
        [
            ContactPerson(
                company=company,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                function=FUNCTIONS[k % len(FUNCTIONS)],
                email=f"kontakt{k}@{company.slug}.example",
            )
            for company in companies
            for k in range(CONTACTS_PER_COMPANY)
        ]
    )

    # Users: people asking to join a company, the jurors, and the coordinator.
    users = User.objects.bulk_create(
        [
            User(email=f"person{n}@bench.example", first_name="Anna", last_name=f"Person {n}")
            for n in range(JOIN_REQUESTS + JURORS)
        ]
    )
    requests = JoinRequest.objects.bulk_create(
        [
            JoinRequest(
                user=user,
                company=rng.choice(active),
                status=JoinRequest.Status.PENDING if n % 2 else JoinRequest.Status.ACCEPTED,
            )
            for n, user in enumerate(users[:JOIN_REQUESTS])
        ]
    )
    for n, request in enumerate(requests):  # auto_now_add: dated afterwards
        JoinRequest.objects.filter(pk=request.pk).update(created_at=now - dt.timedelta(days=n % 20))
    jurors = users[JOIN_REQUESTS:]
    Group.objects.get(name=JURY_GROUP).user_set.add(*jurors)
    coordinator = User.objects.create_user(
        email="koordination@bench.example",
        password=secrets.token_urlsafe(16),
        first_name="Klara",
        last_name="Koordinatorin",
        is_staff=True,
    )
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))

    # A year of monthly meetings: nine held, three upcoming, with answers.
    meetings = []
    for k in range(MEETINGS_HELD + MEETINGS_UPCOMING):
        starts = timezone.make_aware(
            dt.datetime.combine(
                today + dt.timedelta(days=30 * (k - MEETINGS_HELD) + 20), dt.time(16)
            )
        )
        host = rng.choice(active)
        meetings.append(
            Meeting(
                title=f"Netzwerktreffen {starts:%m/%Y}",
                slug=f"netzwerktreffen-{starts:%Y-%m-%d}",
                topic="Fachkräfte gewinnen und halten",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                rsvp_deadline=starts - dt.timedelta(days=7),
                host=host,
                venue_name=host.name,
                venue_street=host.street,
                venue_postcode=host.postcode,
                capacity=60,
                status=Meeting.Status.HELD if starts < now else Meeting.Status.PUBLISHED,
                published_at=starts - dt.timedelta(days=45),
            )
        )
    meetings = Meeting.objects.bulk_create(meetings)
    contacts_of = {}
    for contact in contacts:
        contacts_of.setdefault(contact.company_id, []).append(contact)
    registrations = []
    for meeting in meetings:
        seated = 0
        for company in rng.sample(active, rng.randint(60, 120)):
            contact = contacts_of[company.pk][0]
            if rng.random() < 0.2:
                status = Registration.Status.DECLINED
            elif seated < meeting.capacity:
                status, seated = Registration.Status.CONFIRMED, seated + 1
            else:
                status = Registration.Status.WAITLISTED
            registrations.append(
                Registration(
                    meeting=meeting,
                    company=company,
                    contact=contact,
                    name=f"{contact.first_name} {contact.last_name}",
                    email=contact.email,
                    status=status,
                    waitlisted_at=meeting.published_at
                    if status == Registration.Status.WAITLISTED
                    else None,
                )
            )
    Registration.objects.bulk_create(registrations)

    # The seal: one cycle; most applications submitted, most with three jurors, some scored,
    # some decided (a few of those not sent yet).
    cycle = AwardCycle.objects.create(
        name="Bench",
        slug="bench",
        criteria_published_on=today - dt.timedelta(days=120),
        applications_open_at=now - dt.timedelta(days=90),
        deadline=now - dt.timedelta(days=10),
        jury_review_until=today + dt.timedelta(days=20),
        decision_on=today + dt.timedelta(days=30),
        ceremony_on=today + dt.timedelta(days=40),
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                cycle=cycle,
                company=company,
                submitted_at=now - dt.timedelta(days=20) if n % 5 else None,
                decision=Application.Decision.AWARDED if n % 5 and n % 7 == 0 else "",
                decided_at=now if n % 5 and n % 7 == 0 else None,
                decision_sent_at=now if n % 5 and n % 14 == 0 else None,
            )
            for n, company in enumerate(rng.sample(active, APPLICATIONS))
        ]
    )
    assignments = []
    for n, application in enumerate(applications):
        if application.submitted_at is None or n % 11 == 0:
            continue
        for juror in rng.sample(jurors, 3):
            assignments.append(
                JurorAssignment(
                    application=application,
                    juror=juror,
                    submitted_at=now if rng.random() < 0.6 else None,
                )
            )
    JurorAssignment.objects.bulk_create(assignments)

    # The newsletter: a year of sent issues, two scheduled, one being sent; bounces.
    Issue.objects.bulk_create(
        [
            Issue(
                subject=f"Netzwerk-News {n + 1}",
                body="## Neuigkeiten\n\nAus dem Netzwerk.",
                status=Issue.Status.SENT,
                sent_at=now - dt.timedelta(days=15 * n),
                sending_started_at=now - dt.timedelta(days=15 * n),
            )
            for n in range(ISSUES)
        ]
        + [
            Issue(subject="Einladung Sommerfest", body="Text", status=Issue.Status.SCHEDULED),
            Issue(subject="Jahresrückblick", body="Text", status=Issue.Status.SCHEDULED),
            Issue(subject="Netzwerk-News aktuell", body="Text", status=Issue.Status.SENDING),
        ]
    )
    bounces = Bounce.objects.bulk_create(
        [
            Bounce(
                email=f"unzustellbar{n}@bench.example",
                kind=Bounce.Kind.HARD if n % 5 < 2 else Bounce.Kind.SOFT,
                source="webhook",
            )
            for n in range(BOUNCES)
        ]
    )
    for offset in range(365):  # auto_now_add: spread over the year afterwards
        Bounce.objects.filter(pk__in=[b.pk for b in bounces[offset::365]]).update(
            received_at=now - dt.timedelta(days=offset)
        )

    # The outbox: a year of mails, a few of them failed.
    OutboxMail.objects.bulk_create(
        [
            OutboxMail(
                key=f"bench:{n}",
                to=f"empfang{n}@bench.example",
                from_email="netzwerk@bench.example",
                subject="Einladung zum Netzwerktreffen",
                body_text="Guten Tag",
                language="de",
                status=OutboxMail.Status.FAILED if n % 400 == 0 else OutboxMail.Status.SENT,
                sent_at=None if n % 400 == 0 else now,
            )
            for n in range(OUTBOX_MAILS)
        ],
        batch_size=2000,
    )
    return {
        "coordinator": coordinator,
        "companies": len(companies),
        "contacts": len(contacts),
        "meetings": len(meetings),
        "registrations": len(registrations),
        "applications": len(applications),
        "assignments": len(assignments),
        "join_requests": len(requests),
        "bounces": len(bounces),
    }


# --- Measuring -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(coordinator, renders: int) -> dict:
    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from network_portal.cockpit import cockpit_for, cockpit_sections
    from tests.mfa import login_with_second_factor

    client = Client()
    login_with_second_factor(client, coordinator)
    for _ in range(10):  # warm: templates, translations, the session's first write
        response = client.get("/admin/")
        assert response.status_code == 200, response.status_code
    times = []
    for _ in range(renders):
        start = time.perf_counter()
        response = client.get("/admin/")
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/admin/").content

    # Each section on its own (its counters and page), with the request of a render.
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    request.user.has_perm("members.view_company")  # the permissions' two queries, once
    sections = {}
    for section in cockpit_sections():
        only = {section.name: section}
        import network_portal.cockpit as cockpit

        saved, cockpit._sections = cockpit._sections, only
        try:
            runs = []
            for _ in range(max(20, renders // 5)):
                start = time.perf_counter()
                cockpit_for(request)
                runs.append((time.perf_counter() - start) * 1000)
        finally:
            cockpit._sections = saved
        sections[section.name] = statistics.median(runs)
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "min": min(times),
        "queries": len(queries.captured_queries),
        "bytes": len(html),
        "sections": sections,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=200)
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    static_root = tempfile.mkdtemp(prefix="portal-bench-static-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="network_portal.settings",
        DATABASE_URL=DB_URL,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_LOG_LEVEL="WARNING",
        EMAIL_URL="consolemail://",
        CELERY_BROKER_URL="memory://",
    )
    try:
        print("Database and data …", flush=True)
        prepare_database()
        import django

        django.setup()
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's templates and mail, not a test database
        started = time.perf_counter()
        seeded = seed(random.Random(2019))
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
        result = measure(seeded["coordinator"], args.renders)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "unknown CPU",
    )
    print()
    print(f"date        {dt.date.today():%Y-%m-%d}")
    print(f"machine     {os.cpu_count()} cores ({cpu})")
    print(f"load avg    {load_before:.2f} before the run")
    print(
        f"data        {seeded['companies']} companies, {seeded['contacts']} contact persons, "
        f"{seeded['join_requests']} join requests,\n"
        f"            {seeded['meetings']} meetings with {seeded['registrations']} answers, "
        f"{seeded['applications']} seal applications with {seeded['assignments']} jury "
        f"assignments,\n"
        f"            {ISSUES + 3} issues, {seeded['bounces']} bounces, {OUTBOX_MAILS} outbox mails"
    )
    print()
    print(
        f"cockpit /admin/ (test client, warm process, debug off), {args.renders} renders: "
        f"median {result['median']:.1f} ms   p95 {result['p95']:.1f} ms   "
        f"min {result['min']:.1f} ms   (goal: under 100 ms)"
    )
    size = result["bytes"] / 1024
    print(f"            {result['queries']} queries per render, {size:.0f} kB of HTML")
    print(
        "sections    "
        + "   ".join(f"{name} {ms:.1f} ms" for name, ms in result["sections"].items())
    )
    if result["median"] >= 100:
        raise SystemExit("the cockpit is slower than the goal of 100 ms")


if __name__ == "__main__":
    main()
