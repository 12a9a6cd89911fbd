"""Benchmark: the portal under load (gunicorn on PostgreSQL, driven by wrk), and certificate PDFs.

Seeds a realistic volume (the demo plus fictional companies up to 100 companies, 400 contact
persons, 20 meetings with answers, 60 seal applications), starts gunicorn with production
settings (DEBUG off, collected static files) and drives each page with wrk: the bare health
view (/healthz, the ceiling), the start page, the meetings list and a meeting detail as a
logged-in company user, and the seal page. Prints requests per second, p95 latency and each
page's throughput as a share of the ceiling measured in the same run; any response that is not
a 200 fails the run. Then renders certificate PDFs in this (warm) process and prints median and
p95, with WeasyPrint's own time for comparison (the rest is the child process that gives
rendering its time limit).

Needs PostgreSQL and Redis (as on the development machines and CI) and wrk, which it installs
from Debian (apt-get) when it is missing:

    .venv/bin/python bench/load.py [--duration 15] [--connections 8] [--threads 2] [--workers N]

It uses its own database (portal_bench_load, dropped and created anew on every run) and its own
Redis database, and removes nothing else.
"""

import argparse
import datetime as dt
import http.cookiejar
import io
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench_load"
)
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/6")
# The shared content's cache, as in production; the benchmark empties this database first.
CACHE = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
LUA = Path(__file__).with_name("report.lua")

COMPANIES, CONTACTS, MEETINGS, APPLICATIONS = 100, 400, 20, 60
USER_EMAIL = "bench@bench.example"
USER_PASSWORD = secrets.token_urlsafe(16)
PDF_RENDERS = 30


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        print("Installing wrk (apt-get install wrk) …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True)
    return shutil.which("wrk")


def prepare_database():
    name = DB_URL.rsplit("/", 1)[1]
    for command in (["dropdb", "--if-exists"], ["createdb"]):
        subprocess.run([*command, "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=os.environ.copy(),
        check=True,
    )


# --- Seeding ---------------------------------------------------------------------------------

NOUNS = {
    "crafts": "Haustechnik",
    "construction": "Bau",
    "manufacturing": "Präzisionsteile",
    "trade": "Handel",
    "hospitality": "Gastronomie",
    "health": "Pflegedienst",
    "social": "Kinderbetreuung",
    "it": "Software",
    "services": "Gebäudeservice",
    "finance": "Finanzberatung",
    "logistics": "Logistik",
}


def seed() -> dict:
    """The demo, topped up with fictional data to the volume above; returns what the run needs."""
    from allauth.account.models import EmailAddress
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.text import slugify

    from accounts.models import User
    from demo.members import FIRST_NAMES, FUNCTIONS, LAST_NAMES
    from meetings.models import AgendaItem, Meeting, Registration
    from members.models import (
        Company,
        CompanyMembership,
        ContactPerson,
        LegalForm,
        SizeClass,
    )
    from seal.models import Answer, Application, AwardCycle, Certificate, Criterion

    rng = random.Random(2019)
    call_command("seed_demo", force=True, stdout=io.StringIO())
    today = timezone.localdate()

    # Companies and contact persons.
    forms = [LegalForm.GMBH, LegalForm.GMBH, LegalForm.KG, LegalForm.EK, LegalForm.GMBH_CO_KG]
    sizes = [SizeClass.SMALL, SizeClass.SMALL, SizeClass.MEDIUM, SizeClass.MEDIUM, SizeClass.LARGE]
    new_companies = []
    for i in range(COMPANIES - Company.objects.count()):
        industry = rng.choice(list(NOUNS))
        form = rng.choice(forms)
        name = f"{rng.choice(LAST_NAMES)} {NOUNS[industry]} {i + 1} {form.label}"
        new_companies.append(
            Company(
                name=name,
                slug=slugify(name),
                legal_form=form,
                industry=industry,
                size_class=rng.choice(sizes),
                street=f"Hauptstraße {i + 1}",
                postcode=str(54290 + i % 7),
                city="Trier",
                status=Company.Status.ACTIVE,
                directory_consent=i % 3 != 0,
                website=f"https://{slugify(name)}.example",
                member_since=dt.date(2019 + i % 6, 1 + i % 12, 1),
            )
        )
    Company.objects.bulk_create(new_companies)
    new_companies = list(Company.objects.filter(slug__in=[c.slug for c in new_companies]))
    contacts = []
    for n in range(CONTACTS - ContactPerson.objects.count()):
        company = new_companies[n % len(new_companies)]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        contacts.append(
            ContactPerson(
                company=company,
                salutation=ContactPerson.Salutation.MS if n % 2 else ContactPerson.Salutation.MR,
                first_name=first,
                last_name=last,
                function=FUNCTIONS[n % len(FUNCTIONS)],
                email=f"{slugify(first)}.{slugify(last)}.{n}@{company.slug}.example",
                wants_meeting_invitations=n % 5 != 0,
                wants_newsletter=n % 4 != 0,
            )
        )
    ContactPerson.objects.bulk_create(contacts)

    # The logged-in company user: admin of a company that holds a certificate and has
    # registered for the next meeting (not staff, so no second factor is asked).
    company = new_companies[0]
    user = User.objects.create_user(
        email=USER_EMAIL, password=USER_PASSWORD, first_name="Greta", last_name="Benkert"
    )
    EmailAddress.objects.create(user=user, email=USER_EMAIL, verified=True, primary=True)
    CompanyMembership.objects.create(user=user, company=company, role=CompanyMembership.Role.ADMIN)

    # Meetings: past ones held every quarter, upcoming ones published, each with an agenda and
    # the answers of 25–40 companies (seated up to the capacity, then the waitlist).
    active = list(Company.objects.filter(status=Company.Status.ACTIVE).prefetch_related("contacts"))
    new_meetings = []
    missing = MEETINGS - Meeting.objects.count()
    for k in range(missing):
        upcoming = k < 3
        days = 45 + 90 * k if upcoming else -90 * (k - 2)
        starts = timezone.make_aware(
            dt.datetime.combine(today + dt.timedelta(days=days), dt.time(16))
        )
        host = rng.choice(active)
        new_meetings.append(
            Meeting.objects.create(
                title=f"Netzwerktreffen {starts:%B %Y}",
                slug=f"netzwerktreffen-{starts:%Y-%m-%d}",
                topic=rng.choice(
                    [
                        "Weiterbildung und Mitarbeiterbindung",
                        "Internationale Fachkräfte gewinnen",
                        "Ausbildung im Verbund",
                        "Gesundheit im Betrieb",
                    ]
                ),
                description="Mitgliedsunternehmen berichten aus der Praxis.",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                rsvp_deadline=starts - dt.timedelta(days=7),
                host=host,
                venue_name=host.name,
                venue_street=host.street,
                venue_postcode=host.postcode,
                venue_city=host.city,
                room="Konferenzraum",
                capacity=40,
                per_company_limit=3,
                status=Meeting.Status.PUBLISHED if upcoming else Meeting.Status.HELD,
                published_at=starts - dt.timedelta(days=60),
            )
        )
    for meeting in new_meetings:
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, starts_at=dt.time(16, 0), title="Begrüßung"),
                AgendaItem(
                    meeting=meeting,
                    starts_at=dt.time(16, 15),
                    title="Bericht aus der Praxis",
                    speaker_contact=meeting.host.contacts.first(),
                ),
                AgendaItem(
                    meeting=meeting,
                    starts_at=dt.time(17, 0),
                    title="Fördermöglichkeiten",
                    speaker_name="Expertin der Agentur für Arbeit",
                ),
            ]
        )
    detail = Meeting.objects.upcoming().filter(status=Meeting.Status.PUBLISHED).first()
    registrations = []
    for meeting in [*new_meetings, detail]:
        taken = {r.email for r in meeting.registrations.all()}
        seated = meeting.registrations.filter(status=Registration.Status.CONFIRMED).count()
        answering = rng.sample(active, rng.randint(25, 40))
        if meeting == detail:
            answering = [company, *[c for c in answering if c != company]]
        for c in answering:
            for contact in list(c.contacts.all())[: rng.choice([1, 1, 2])]:
                if contact.email in taken:
                    continue
                taken.add(contact.email)
                if rng.random() < 0.15:
                    status = Registration.Status.DECLINED
                elif seated < meeting.capacity:
                    status, seated = Registration.Status.CONFIRMED, seated + 1
                else:
                    status = Registration.Status.WAITLISTED
                registrations.append(
                    Registration(
                        meeting=meeting,
                        company=c,
                        contact=contact,
                        name=f"{contact.first_name} {contact.last_name}",
                        email=contact.email,
                        status=status,
                        waitlisted_at=meeting.published_at
                        if status == Registration.Status.WAITLISTED
                        else None,
                        checked_in_at=meeting.starts_at
                        if status == Registration.Status.CONFIRMED
                        and meeting.status == Meeting.Status.HELD
                        else None,
                    )
                )
    registrations.append(
        Registration(
            meeting=detail,
            company=company,
            name="Greta Benkert",
            email=USER_EMAIL,
            status=Registration.Status.CONFIRMED,
            registered_by=user,
        )
    )
    Registration.objects.bulk_create(registrations)

    # Seal: the past cycle (demo: 2025) topped up to 20 applications, 14 of them awarded with
    # certificates; the open cycle gets the rest, two thirds submitted, with answers.
    past, current = AwardCycle.objects.order_by("deadline")[:2]
    applicants = [company, *[c for c in new_companies[1:] if not c.seal_applications.exists()]]
    criteria = {
        cycle.pk: list(Criterion.objects.filter(category__cycle=cycle)) for cycle in (past, current)
    }
    awarded = past.applications.filter(decision=Application.Decision.AWARDED).count()
    answers, certificates = [], []
    for n in range(APPLICATIONS - Application.objects.count()):
        applicant = applicants[n]
        if past.applications.count() < 20:
            submitted = timezone.make_aware(dt.datetime(2025, 3, 1 + n % 28, 10))
            decided = timezone.make_aware(dt.datetime(2025, 5, 2, 10))
            won = awarded < 14
            awarded += won
            application = Application.objects.create(
                cycle=past,
                company=applicant,
                started_by=user if applicant == company else None,
                submitted_at=submitted,
                decision=Application.Decision.AWARDED if won else Application.Decision.NOT_AWARDED,
                decided_at=decided,
                decision_sent_at=decided,
            )
            if won:
                certificates.append(
                    Certificate(
                        application=application,
                        issued_on=dt.date(2025, 5, 22),
                        valid_until=dt.date(2029, 5, 22),
                    )
                )
        else:
            application = Application.objects.create(
                cycle=current,
                company=applicant,
                submitted_at=timezone.now() - dt.timedelta(days=n % 20) if n % 3 else None,
            )
        answers += [
            Answer(
                application=application,
                criterion=criterion,
                self_assessment=rng.randint(1, criterion.scale_max),
                explanation="Wir bieten allen Beschäftigten feste Angebote und prüfen sie "
                "jährlich gemeinsam mit dem Team. " * 3,
            )
            for criterion in criteria[application.cycle_id]
        ]
    Answer.objects.bulk_create(answers)
    Certificate.objects.bulk_create(certificates)

    return {
        "meeting": detail,
        "certificate": Certificate.objects.get(application__company=company),
        "volume": (
            f"{Company.objects.count()} companies, {ContactPerson.objects.count()} contact "
            f"persons, {Meeting.objects.count()} meetings with "
            f"{Registration.objects.count()} answers, "
            f"{Application.objects.count()} seal applications "
            f"({Certificate.objects.count()} certificates)"
        ),
    }


# --- The server ------------------------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer of its own here (e.g. to the login page)


def login(base: str) -> str:
    """Log in through the login form, as a person would; returns the session cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    opener.open(
        urllib.request.Request(  # noqa: S310 - our own http://127.0.0.1 server
            f"{base}/accounts/login/",
            data=urlencode(
                {"csrfmiddlewaretoken": token, "login": USER_EMAIL, "password": USER_PASSWORD}
            ).encode(),
            headers={"Referer": f"{base}/accounts/login/"},
        )
    ).read()
    from django.conf import settings

    name = settings.SESSION_COOKIE_NAME
    session = {cookie.name: cookie.value for cookie in jar}.get(name)
    if not session:
        raise SystemExit("Login failed: no session cookie")
    return f"{name}={session}"


def get(url: str, cookie: str | None = None) -> tuple[int, str, bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    headers = {"Cookie": cookie} if cookie else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http://127.0.0.1
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), b""


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "network_portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        try:
            if get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def wrk(wrk_path: str, url: str, args, cookie: str | None, duration: int) -> dict:
    command = [
        wrk_path,
        f"--threads={args.threads}",
        f"--connections={args.connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={LUA}",
        "--header=Accept-Language: de-DE,de;q=0.9",
    ]
    if cookie:
        command.append(f"--header=Cookie: {cookie}")
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    figures = {key: int(value) for key, value in re.findall(r"(\w+)=(-?\d+)", line)}
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


# --- Certificate PDFs ------------------------------------------------------------------------


def redis_connections() -> int:
    """Connections the Redis server has accepted so far (all clients)."""
    import redis

    return redis.Redis.from_url(CACHE).info("stats")["total_connections_received"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(function, times: int) -> list[float]:
    function()  # warm-up
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        function()
        durations.append((time.perf_counter() - started) * 1000)
    return durations


def measure_pdfs(certificate, base: str, cookie: str) -> list[str]:
    import logging

    from django.template.loader import render_to_string
    from weasyprint import HTML

    from network_portal import pdf
    from seal import documents

    logging.getLogger("weasyprint").setLevel(logging.WARNING)  # one INFO line per step
    portal = timed(lambda: documents.certificate_pdf(certificate), PDF_RENDERS)
    # The same (tagged) document straight through WeasyPrint in this process, without the
    # time limit.
    html = render_to_string("seal/pdf/certificate.html", documents.certificate_context(certificate))
    plain = timed(
        lambda: HTML(
            string=html, base_url=pdf.base_url(), url_fetcher=pdf.static_only_fetcher()
        ).write_pdf(pdf_variant=pdf.TAGGED_VARIANT),
        PDF_RENDERS,
    )

    def download():
        status, content_type, body = get(f"{base}/seal/application/certificate.pdf", cookie)
        if status != 200 or content_type != "application/pdf" or not body.startswith(b"%PDF-"):
            raise SystemExit(f"certificate download: {status} {content_type}")

    http_ = timed(download, 20)

    def line(label, values):
        return (
            f"{label:<44} median {statistics.median(values):6.0f} ms"
            f"   p95 {percentile(values, 0.95):6.0f} ms   ({len(values)} PDFs)"
        )

    return [
        line("certificate_pdf() (WeasyPrint in a child)", portal),
        line("WeasyPrint in-process, same HTML, no limit", plain),
        line("download via gunicorn (one at a time)", http_),
    ]


def in_process(pages: list, clients: dict, rounds: int) -> dict:
    """Each page's CPU time in this process (Django's test client, the same settings as
    gunicorn), median over ``rounds`` interleaved rounds, and its queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch(path, who):
        client = clients[who] if who else clients[None]
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code} in process, not 200")
        return response

    for _ in range(3):  # warm: templates, translations, the cache
        for _, path, who in pages:
            fetch(path, who)
    times = {path: [] for _, path, _ in pages}
    for _ in range(rounds):
        for _, path, who in pages:
            started = time.process_time()
            fetch(path, who)
            times[path].append((time.process_time() - started) * 1000)
    result = {}
    for _, path, who in pages:
        with CaptureQueriesContext(connection) as queries:
            fetch(path, who)
        result[path] = {
            "cpu_ms": statistics.median(times[path]),
            "queries": len(queries.captured_queries),
        }
    return result


def scale_volume(scale: int) -> None:
    global COMPANIES, CONTACTS, MEETINGS, APPLICATIONS
    COMPANIES, CONTACTS, MEETINGS, APPLICATIONS = (
        100 * scale,
        400 * scale,
        20 * scale,
        60 * scale,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=30, help="in-process rounds per page")
    parser.add_argument("--scale", type=int, default=1, help="times the data (1 or 10)")
    parser.add_argument("--pdf", action="store_true", help="also time certificate PDFs")
    parser.add_argument(
        "--newsletter",
        type=int,
        default=0,
        metavar="N",
        help="also run bench/newsletter_send.py with N mails (its ratio to smtplib)",
    )
    args = parser.parse_args()
    scale_volume(args.scale)

    load_before = os.getloadavg()
    wrk_path = ensure_wrk()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    static_root = tempfile.mkdtemp(prefix="portal-bench-static-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="network_portal.settings",
        DATABASE_URL=DB_URL,
        CELERY_BROKER_URL=BROKER,
        CACHE_URL=CACHE,
        BENCH_VIEWS="1",  # the bare view (bench/urls.py)
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=base,
        # Plain http on 127.0.0.1: no redirect to https, cookies without the Secure flag.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_LOG_LEVEL="WARNING",
        EMAIL_URL="consolemail://",
    )
    print("Database, demo data and top-up …", flush=True)
    prepare_database()
    import django

    django.setup()
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.test import Client

    from accounts.models import User
    from accounts.roles import COORDINATOR_GROUP
    from tests.mfa import login_with_second_factor

    cache.clear()  # the benchmark's own Redis database: nothing of an earlier run
    seeded = seed()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=os.environ.copy(),
        check=True,
    )
    coordinator = User.objects.create_user(
        email="koordination@bench.example",
        password=secrets.token_urlsafe(16),
        first_name="Klara",
        last_name="Koordinatorin",
        is_staff=True,
    )
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    clients = {None: Client(HTTP_HOST="127.0.0.1")}
    clients["company"] = Client(HTTP_HOST="127.0.0.1")
    clients["company"].force_login(User.objects.get(email=USER_EMAIL))
    clients["coordinator"] = Client(HTTP_HOST="127.0.0.1")
    login_with_second_factor(clients["coordinator"], coordinator)
    from django.conf import settings

    cookies = {
        who: f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        for who, client in clients.items()
        if who
    }

    meeting = seeded["meeting"]
    pages = [
        ("bare logged-in view", "/bench/bare/", "company"),
        ("health view", "/healthz", None),
        ("start page", "/", "company"),
        ("meetings list", "/meetings/", "company"),
        ("meeting detail", f"/meetings/{meeting.slug}/", "company"),
        ("seal page", "/seal/", "company"),
        ("members directory", "/members/", "company"),
        ("cockpit /admin/", "/admin/", "coordinator"),
    ]
    print(f"in process, {args.rounds} rounds …", flush=True)
    local = in_process(pages, clients, args.rounds)
    print(f"gunicorn with {args.workers} workers on {base} …", flush=True)
    server = start_gunicorn(port, args.workers)
    try:
        results = []
        for label, path, who in pages:
            url = base + path
            cookie = cookies.get(who)
            status, content_type, body = get(url, cookie)
            if status != 200:
                raise SystemExit(f"{path} answered {status}, not 200")
            if path == f"/meetings/{meeting.slug}/" and b"Greta Benkert" not in body:
                raise SystemExit(f"{path} does not show the own registration")
            print(f"  {label} …", flush=True)
            wrk(wrk_path, url, args, cookie, args.warmup)
            connections_before = redis_connections()
            figures = wrk(wrk_path, url, args, cookie, args.duration)
            # Less the one this count itself opens.
            figures["redis_connections"] = redis_connections() - connections_before - 1
            if figures["not_200"] or figures["socket_errors"] or figures["timeouts"]:
                raise SystemExit(
                    f"{path}: {figures['not_200']} responses not 200 (first: "
                    f"{figures['first_bad_status']}), {figures['socket_errors']} socket errors, "
                    f"{figures['timeouts']} timeouts"
                )
            results.append((label, path, figures))
        pdf_lines = (
            measure_pdfs(seeded["certificate"], base, cookies["company"]) if args.pdf else []
        )
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(static_root, ignore_errors=True)

    bare = results[0][2]["rps"]
    health = results[1][2]["rps"]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    print()
    print(f"date        {dt.date.today():%Y-%m-%d}")
    print(f"machine     {os.cpu_count()} cores ({cpu}); wrk, gunicorn and PostgreSQL share them")
    print("load avg    {:.2f} {:.2f} {:.2f} (1, 5, 15 min) before the run".format(*load_before))
    print(f"data        {seeded['volume']} (scale {args.scale})")
    print(
        f"load        gunicorn {args.workers} sync workers, wrk {args.threads} threads, "
        f"{args.connections} connections, {args.duration} s per page; cache {CACHE}"
    )
    print()
    print(
        f"{'page':<22} {'CPU ms':>7} {'queries':>7} {'req/s':>8} {'p95 ms':>7} "
        f"{'÷bare':>6} {'÷healthz':>8}"
    )
    failed = []
    for label, path, figures in results:
        p95 = figures["p95_us"] / 1000
        ratio = figures["rps"] / bare
        print(
            f"{label:<22} {local[path]['cpu_ms']:7.1f} {local[path]['queries']:7d} "
            f"{figures['rps']:8.1f} {p95:7.1f} {ratio:6.2f} {figures['rps'] / health:8.2f}"
        )
        if path not in ("/bench/bare/", "/healthz") and (ratio < 0.5 or p95 >= 50):
            failed.append(label)
    health_figures = results[1][2]
    print(
        f"/healthz    {health_figures['redis_connections']} Redis connections opened during its "
        f"{health_figures['requests']} requests (the server's total_connections_received)"
    )
    print()
    print("goal        each page ≥ 0.50 of the bare logged-in view, p95 < 50 ms (issue 17)")
    print("missed      " + (", ".join(failed) if failed else "none"))
    if pdf_lines:
        print()
        print("certificate PDF (warm process)")
        for line in pdf_lines:
            print(f"  {line}")
    # The newsletter's ratio to plain smtplib: bench/newsletter_send.py (its own database and
    # queue); run here on request so that one command gives every figure of issue 17.
    if args.newsletter:
        print()
        print("newsletter (bench/newsletter_send.py)")
        output = subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "newsletter_send.py"),
                "--count",
                str(args.newsletter),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        # Its report ends its standard output (the worker's warnings go to standard error).
        for line in output.stdout.strip().splitlines()[-6:]:
            print(f"  {line}")
        if output.returncode:
            print(f"  failed ({output.returncode}): {output.stderr.strip()[-500:]}")


if __name__ == "__main__":
    main()
