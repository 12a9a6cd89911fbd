"""Benchmark: the admin's heavy pages at today's data and at ten times today's data.

For each scale (1: 100 companies, 400 contact persons, 20 meetings, 60 seal applications, 400
newsletter subscribers; 10: ten times that) it seeds its own PostgreSQL database
(portal_bench_admin, dropped and created anew for every scale, in a child process) and renders,
as a coordinator (group „Koordination“, second factor passed) through Django's test client in a
warm process with production settings (debug off, collected static files):

- the participant overview of the meeting with the most answers (meetings admin),
- the seal ranking of the cycle (all size classes),
- the changelists of companies, contact persons, meetings, seal applications and newsletter
  subscribers.

It prints each page's in-process CPU time per render (median and p95, `time.process_time`),
its wall time (median, database included) and its queries per render, for each scale side by
side. Goal: each page under 100 ms of CPU at ten times the data, and its queries the same at
both scales.

    .venv/bin/python bench/admin_pages.py [--renders 30] [--scales 1,10]

Needs PostgreSQL and Redis (as on the development machines and CI); removes nothing but its own
database and its own Redis database (BENCH_CACHE_URL, default database 8).
"""

import argparse
import datetime as dt
import json
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
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_admin"
)
# Today's data (scale 1); the bench multiplies each by the scale.
COMPANIES, CONTACTS_PER_COMPANY, MEETINGS, APPLICATIONS, SUBSCRIBERS = 100, 4, 20, 60, 400
JURORS = 12
GOAL_MS = 100


def prepare_database():
    name = DB_URL.rsplit("/", 1)[1]
    for command in (["dropdb", "--if-exists"], ["createdb"]):
        subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=os.environ.copy(), check=True
        )


# --- Seeding ---------------------------------------------------------------------------------


def seed(rng: random.Random, scale: int) -> dict:
    """The network at ``scale`` times today's size; returns the coordinator and the pages."""
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.utils import timezone
    from django.utils.text import slugify

    from accounts.models import User
    from accounts.roles import COORDINATOR_GROUP, JURY_GROUP
    from demo.members import FIRST_NAMES, FUNCTIONS, LAST_NAMES
    from demo.seal import CATALOGUE
    from meetings.models import Meeting, Registration
    from members.models import Company, ContactPerson, Industry, LegalForm, SizeClass
    from newsletter.models import MailingList, Subscriber, Subscription
    from seal.models import (
        Application,
        AwardCycle,
        Category,
        Criterion,
        JurorAssignment,
        ScaleLevel,
        Score,
    )

    now = timezone.now()
    today = timezone.localdate()
    statuses = (
        [Company.Status.ACTIVE] * 90
        + [Company.Status.PENDING] * 4
        + [Company.Status.PAUSED] * 3
        + [Company.Status.LEFT] * 2
        + [Company.Status.REJECTED]
    )
    Company.objects.bulk_create(
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
            for n, industry in enumerate(
                rng.choice(list(Industry)) for _ in range(COMPANIES * scale)
            )
        ]
    )
    companies = list(Company.objects.order_by("pk"))
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
        ],
        batch_size=2000,
    )

    jurors = User.objects.bulk_create(
        [
            User(email=f"juror{n}@bench.example", first_name="Jo", last_name=f"Juror {n}")
            for n in range(JURORS)
        ]
    )
    Group.objects.get(name=JURY_GROUP).user_set.add(*jurors)
    coordinator = User.objects.create_user(
        email="koordination@bench.example",
        password=secrets.token_urlsafe(16),
        first_name="Klara",
        last_name="Koordinatorin",
        is_staff=True,
    )
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))

    # Monthly meetings over the years, the last three upcoming; 60–120 answers each.
    count = MEETINGS * scale
    meetings = []
    for k in range(count):
        starts = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=30 * (k - count + 3) + 20), dt.time(16))
        )
        host = rng.choice(active)
        meetings.append(
            Meeting(
                title=f"Fachkräfte {k + 1}",
                slug=f"netzwerktreffen-{k + 1}",
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
        for company in rng.sample(active, min(len(active), rng.randint(60, 120))):
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
    Registration.objects.bulk_create(registrations, batch_size=2000)
    upcoming = [m for m in meetings if m.status == Meeting.Status.PUBLISHED]
    participants_meeting = upcoming[0]

    # The seal: one cycle in jury review with the demo catalogue; three jurors per submitted
    # application, all scored; a few decided already.
    cycle = AwardCycle.objects.create(
        name="Bench",
        slug="bench",
        criteria_published_on=today - dt.timedelta(days=120),
        applications_open_at=now - dt.timedelta(days=90),
        deadline=now - dt.timedelta(days=10),
        jury_review_until=today + dt.timedelta(days=20),
        decision_on=today + dt.timedelta(days=30),
        ceremony_on=today + dt.timedelta(days=40),
        award_threshold=Decimal("60.00"),
    )
    criteria = []
    for position, (name, questions) in enumerate(CATALOGUE, start=1):
        category = Category.objects.create(cycle=cycle, name=name, position=position)
        for number, (question, guidance, weight, evidence, levels) in enumerate(questions, 1):
            criterion = Criterion.objects.create(
                category=category,
                question=question,
                guidance=guidance,
                scale_max=len(levels) - 1,
                weight=weight,
                evidence_required=evidence,
                position=number,
            )
            ScaleLevel.objects.bulk_create(
                [
                    ScaleLevel(criterion=criterion, points=p, description=text)
                    for p, text in enumerate(levels)
                ]
            )
            criteria.append(criterion)
    applications = Application.objects.bulk_create(
        [
            Application(
                cycle=cycle,
                company=company,
                submitted_at=now - dt.timedelta(days=20) if n % 30 else None,
                decision=Application.Decision.AWARDED if n % 30 and n % 9 == 0 else "",
                decided_at=now if n % 30 and n % 9 == 0 else None,
                decision_sent_at=now if n % 30 and n % 27 == 0 else None,
            )
            for n, company in enumerate(rng.sample(active, APPLICATIONS * scale))
        ]
    )
    assignments = JurorAssignment.objects.bulk_create(
        [
            JurorAssignment(application=application, juror=juror, submitted_at=now)
            for application in applications
            if application.submitted_at
            for juror in rng.sample(jurors, 3)
        ],
        batch_size=2000,
    )
    Score.objects.bulk_create(
        [
            Score(assignment=assignment, criterion=criterion, points=rng.randint(0, 4))
            for assignment in assignments
            for criterion in criteria
        ],
        batch_size=5000,
    )

    # The newsletter: a public list with its subscribers, most confirmed.
    public = MailingList.objects.create(
        name="Newsletter", slug="newsletter", kind=MailingList.Kind.PUBLIC
    )
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"leser{n}@bench.example",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                suppressed_at=now if n % 50 == 0 else None,
            )
            for n in range(SUBSCRIBERS * scale)
        ],
        batch_size=2000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber=subscriber,
                mailing_list=public,
                status=Subscription.Status.CONFIRMED
                if n % 10
                else Subscription.Status.UNSUBSCRIBED,
                source="bench",
                confirmed_at=now,
            )
            for n, subscriber in enumerate(subscribers)
        ],
        batch_size=2000,
    )

    pages = {
        "participant overview": f"/admin/meetings/meeting/{participants_meeting.pk}/participants/",
        "seal ranking": f"/admin/seal/awardcycle/{cycle.pk}/ranking/",
        "companies": "/admin/members/company/",
        "contact persons": "/admin/members/contactperson/",
        "meetings": "/admin/meetings/meeting/",
        "applications": "/admin/seal/application/",
        "subscribers": "/admin/newsletter/subscriber/",
    }
    data = (
        f"{len(companies)} companies, {len(contacts)} contact persons, {len(meetings)} meetings "
        f"with {len(registrations)} answers, {len(applications)} applications, "
        f"{len(subscribers)} subscribers"
    )
    return {"coordinator": coordinator, "pages": pages, "data": data}


# --- Measuring -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(coordinator, pages: dict, renders: int) -> dict:
    """Each page in turn, interleaved over ``renders`` rounds (so load from elsewhere on the
    machine falls on all pages alike)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.mfa import login_with_second_factor

    client = Client()
    login_with_second_factor(client, coordinator)
    results = {}
    for name, url in pages.items():
        for _ in range(3):  # warm: templates, translations, the session's first write
            response = client.get(url)
            assert response.status_code == 200, (name, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        results[name] = {
            "cpu": [],
            "wall": [],
            "queries": len(queries.captured_queries),
            "kb": len(response.content) / 1024,
        }
    for _ in range(renders):
        for name, url in pages.items():
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            results[name]["cpu"].append((time.process_time() - cpu) * 1000)
            results[name]["wall"].append((time.perf_counter() - wall) * 1000)
            assert response.status_code == 200
    return {
        name: {
            "cpu_median": statistics.median(r["cpu"]),
            "cpu_p95": percentile(r["cpu"], 0.95),
            "wall_median": statistics.median(r["wall"]),
            "queries": r["queries"],
            "kb": r["kb"],
        }
        for name, r in results.items()
    }


def environment(static_root: str) -> None:
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
        # As in production: the cache all processes share (the ranking's figures are kept
        # there until a score, an assignment or an application changes).
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8"),
    )


def run_scale(scale: int, renders: int) -> dict:
    """One scale in this process: its database, its data, its figures."""
    static_root = tempfile.mkdtemp(prefix="portal-bench-static-")
    environment(static_root)
    try:
        prepare_database()
        import django

        django.setup()
        if os.environ.get("BENCH_TEMPLATE_SIGNALS"):
            # As bench/cockpit.py measures: the test framework's template instrumentation on
            # (each rendered template copies its context for the test client; about a quarter
            # more CPU on the changelists). Off by default: production renders without it.
            from django.test.utils import setup_test_environment

            setup_test_environment()
        from django.core.cache import cache

        cache.clear()  # the benchmark's own Redis database: nothing of an earlier run
        started = time.perf_counter()
        seeded = seed(random.Random(2019), scale)
        print(f"scale {scale}: seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        return {
            "data": seeded["data"],
            "pages": measure(seeded["coordinator"], seeded["pages"], renders),
        }
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--scales", default="1,10")
    parser.add_argument(
        "--template-signals",
        action="store_true",
        help="render with the test framework's template instrumentation (as bench/cockpit.py)",
    )
    parser.add_argument("--child-scale", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_scale:
        print(json.dumps(run_scale(args.child_scale, args.renders)))
        return

    if args.template_signals:
        os.environ["BENCH_TEMPLATE_SIGNALS"] = "1"
    load_before = os.getloadavg()[0]
    scales = [int(s) for s in args.scales.split(",")]
    figures = {}
    for scale in scales:  # each in a fresh process and database
        print(f"scale {scale}: database and data …", flush=True)
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child-scale",
                str(scale),
                "--renders",
                str(args.renders),
            ],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        figures[scale] = json.loads(out.strip().splitlines()[-1])

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
    for scale in scales:
        print(f"data {scale:>2}×   {figures[scale]['data']}")
    print(
        f"\nadmin pages (test client, warm process, debug off, {args.renders} renders each"
        f"{', template signals on' if args.template_signals else ''}): "
        "CPU ms median / p95, wall ms median, queries"
    )
    header = f"{'page':<22}" + "".join(
        f"{f'{scale}×: cpu med/p95  wall  q':>34}" for scale in scales
    )
    print(header)
    slow = []
    for name in figures[scales[0]]["pages"]:
        line = f"{name:<22}"
        for scale in scales:
            r = figures[scale]["pages"][name]
            line += (
                f"{r['cpu_median']:>14.1f} /{r['cpu_p95']:>6.1f} {r['wall_median']:>7.1f}"
                f" {r['queries']:>4}"
            )
        print(line)
        top = figures[scales[-1]]["pages"][name]
        if top["cpu_median"] >= GOAL_MS:
            slow.append(name)
    queries = {
        name: {figures[s]["pages"][name]["queries"] for s in scales}
        for name in figures[scales[0]]["pages"]
    }
    growing = [name for name, counts in queries.items() if len(counts) > 1]
    print(f"\ngoal: under {GOAL_MS} ms of CPU at {scales[-1]}×, the same queries at every scale")
    if growing:
        print("queries differ between scales: " + ", ".join(growing))
    if slow:
        raise SystemExit("slower than the goal: " + ", ".join(slow))


if __name__ == "__main__":
    main()
