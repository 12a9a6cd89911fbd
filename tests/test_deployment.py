"""Deployment: the compose stack, the Dockerfile, and the production settings.

The compose tests only read files (no Docker engine needed). The settings tests run
manage.py in subprocesses with production environment variables, so the test settings
of this suite (network_portal.test_settings) do not leak into what they check.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
DOCKERIGNORE = REPO_ROOT / ".dockerignore"
APP_SERVICES = ("web", "worker", "beat")
ALLOWED_HOST = "portal.example.org"
# Real-looking mail identity: documentation domains such as example.org are flagged by
# `check --deploy` (network_portal.W001-W005).
MAIL_IDENTITY = {
    "DEFAULT_FROM_EMAIL": "Netzwerk Attraktive Unternehmen Trier <netzwerk@aut-trier.de>",
    "NEWSLETTER_UNSUBSCRIBE_MAILTO": "abmelden@aut-trier.de",
    "SITE_URL": "https://portal.aut-trier.de",
    "OFFICE_EMAIL": "netzwerk@aut-trier.de",
}


# --- docker-compose.yml ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def command_of(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def environment_of(service: dict) -> dict:
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: str(value) for key, value in environment.items()}


def published_container_ports(service: dict) -> set[int]:
    """Container-side ports of ``ports`` (short or long syntax) and ``expose``."""
    ports = set()
    for entry in service.get("ports", []):
        if isinstance(entry, dict):
            ports.add(int(entry["target"]))
        else:
            ports.add(int(str(entry).rsplit(":", 1)[-1].split("/")[0]))
    ports.update(int(str(entry).split("/")[0]) for entry in service.get("expose", []))
    return ports


def test_compose_has_all_services(compose):
    assert {"postgres", "redis", "web", "worker", "beat", "mailpit"} <= set(compose["services"])


def test_compose_backing_services(compose):
    services = compose["services"]
    postgres = services["postgres"]
    assert postgres["image"].startswith("postgres:16")
    assert postgres.get("volumes"), "the database needs a named volume"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert services["redis"]["image"].startswith("redis:7")
    assert "healthcheck" in services["redis"]

    mailpit = services["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit")
    assert {1025, 8025} <= published_container_ports(mailpit)


def test_compose_web_runs_migrations_then_gunicorn(compose):
    web = compose["services"]["web"]
    command = command_of(web)
    assert "gunicorn network_portal.wsgi:application" in command
    assert "--bind 0.0.0.0:8000" in command
    migrate = command.index("manage.py migrate")
    collectstatic = command.index("manage.py collectstatic --noinput")
    assert migrate < collectstatic < command.index("gunicorn")
    assert 8000 in published_container_ports(web)
    for backing in ("postgres", "redis"):
        assert web["depends_on"][backing]["condition"] == "service_healthy"


def test_compose_worker_and_beat(compose):
    services = compose["services"]
    assert re.search(r"\bcelery -A network_portal worker\b", command_of(services["worker"]))
    beat = command_of(services["beat"])
    assert re.search(r"\bcelery -A network_portal beat\b", beat)
    # django_celery_beat's DatabaseScheduler that records beat's heartbeat for /readyz.
    assert "--scheduler network_portal.beat:HeartbeatScheduler" in beat
    demo = (REPO_ROOT / "scripts" / "run-demo.sh").read_text(encoding="utf-8")
    assert "beat --loglevel=INFO --scheduler network_portal.beat:HeartbeatScheduler" in demo


def test_compose_healthchecks(compose):
    """web: liveness (restarting web mends no database; worker and beat wait for web to be
    healthy, so readiness, which needs them, would never come). worker and beat: their own."""
    services = compose["services"]
    web = " ".join(services["web"]["healthcheck"]["test"])
    assert "/app/docker/healthcheck.py" in web and "readyz" not in web
    probe = (REPO_ROOT / "docker" / "healthcheck.py").read_text(encoding="utf-8")
    assert '"/healthz"' in probe
    worker = " ".join(services["worker"]["healthcheck"]["test"])
    assert "inspect ping" in worker and "celery@$$HOSTNAME" in worker
    beat = " ".join(services["beat"]["healthcheck"]["test"])
    assert "manage.py heartbeat_check beat" in beat


def test_compose_app_services_share_image_and_backends(compose):
    services = compose["services"]
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in APP_SERVICES}
    images = {services[name].get("image") for name in APP_SERVICES}
    assert len(builds) == 1 and builds != {"null"}, "web, worker and beat need the same build"
    assert len(images) == 1

    environments = [environment_of(services[name]) for name in APP_SERVICES]
    for name, environment in zip(APP_SERVICES, environments, strict=True):
        assert environment == environments[0], f"{name} has a different environment"
        database = urlsplit(environment["DATABASE_URL"])
        assert database.scheme in {"postgres", "postgresql"}
        assert database.hostname == "postgres"
        assert urlsplit(environment["CELERY_BROKER_URL"]).scheme == "redis"
        assert urlsplit(environment["CELERY_BROKER_URL"]).hostname == "redis"
        assert environment["DJANGO_DEBUG"] == "0"
        # A required variable: compose refuses to start without it instead of using a default.
        assert environment["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")


def test_compose_environment_names_are_read_by_settings(compose):
    """A typo in a variable name would silently fall back to the settings default."""
    settings_source = (REPO_ROOT / "network_portal" / "settings.py").read_text(encoding="utf-8")
    environment = environment_of(compose["services"]["web"])
    unknown = [
        name
        for name in environment
        if name != "DJANGO_SETTINGS_MODULE" and f'"{name}"' not in settings_source
    ]
    assert not unknown, f"settings.py reads no variable named {unknown}"


def test_compose_web_healthcheck_script_exists(compose):
    test = compose["services"]["web"]["healthcheck"]["test"]
    script = next(part for part in test if part.startswith("/app/"))
    assert (REPO_ROOT / script.removeprefix("/app/")).is_file()


# --- Dockerfile ------------------------------------------------------------------------------


def test_dockerfile_installs_project_and_runs_unprivileged():
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim", dockerfile, re.MULTILINE)
    assert "pip install -c constraints.txt ." in dockerfile
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-dejavu"):
        assert package in dockerfile
    assert "DJANGO_SETTINGS_MODULE=network_portal.settings" in dockerfile
    # The source tree is the code that runs (templates/, static/ and locale/ are not packaged).
    assert re.search(r"^COPY \. \.$", dockerfile, re.MULTILINE)
    assert "PYTHONPATH=/app" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}


def test_dockerignore_keeps_what_the_image_needs():
    patterns = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in (
        "templates",
        "static",
        "manage.py",
        "pyproject.toml",
        "constraints.txt",
        "network_portal",
        "docker",
        "README.md",
        "locale",
    ):
        assert needed not in patterns, f".dockerignore excludes {needed}"


# --- production settings ---------------------------------------------------------------------


def production_env(**overrides: str) -> dict[str, str]:
    """The current environment without DJANGO_* switches, plus production values."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="network_portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS=ALLOWED_HOST,
        # As docker-compose sets it: the cache all processes share (checked, not connected).
        CACHE_URL="redis://127.0.0.1:6379/1",
        **MAIL_IDENTITY,
    )
    env.update(overrides)
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_check_deploy_warns_about_a_cache_of_each_process():
    env = production_env()
    del env["CACHE_URL"]
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "network_portal.W010" in result.stdout + result.stderr


def test_check_deploy_passes_with_production_env():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output


def test_check_deploy_flags_the_default_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "security.W009" in output


def test_check_deploy_flags_the_shipped_mail_identity():
    env = production_env()
    for name in MAIL_IDENTITY:
        del env[name]
    result = run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert (
        "(network_portal.W001) DEFAULT_FROM_EMAIL (sender of every mail) uses 'localhost', the "
        "local machine: 'Netzwerk Attraktive Unternehmen Trier <netzwerk@localhost>'."
    ) in output
    assert "(network_portal.W002) NEWSLETTER_FROM_EMAIL" in output
    assert "(network_portal.W003) NEWSLETTER_UNSUBSCRIBE_MAILTO" in output
    assert "(network_portal.W005) OFFICE_EMAIL" in output
    assert (
        "(network_portal.W004) SITE_URL (base of every link in mails) uses the local address "
        "127.0.0.1: 'http://127.0.0.1:8000'."
    ) in output
    assert "HINT: Set DEFAULT_FROM_EMAIL to an address in the network's own mail domain." in output


def mail_identity_warnings(settings) -> dict[str, str]:
    from django.core.checks import run_checks

    return {
        warning.id: warning.msg
        for warning in run_checks(include_deployment_checks=True, tags=["mail"])
    }


BAD_MAIL_IDENTITY = [
    ("network_portal.W001", "DEFAULT_FROM_EMAIL", "Netzwerk <netzwerk@localhost>", "the local"),
    ("network_portal.W001", "DEFAULT_FROM_EMAIL", "netzwerk@127.0.0.1", "local address"),
    ("network_portal.W001", "DEFAULT_FROM_EMAIL", "netzwerk@mailserver", "without a domain"),
    ("network_portal.W001", "DEFAULT_FROM_EMAIL", "netzwerk@example.com", "documentation"),
    ("network_portal.W001", "DEFAULT_FROM_EMAIL", "netzwerk@Mail.Example.ORG", "documentation"),
    ("network_portal.W001", "DEFAULT_FROM_EMAIL", "Netzwerk Trier", "has no domain"),
    ("network_portal.W002", "NEWSLETTER_FROM_EMAIL", "news@trier.example", "reserved"),
    ("network_portal.W002", "NEWSLETTER_FROM_EMAIL", "news@example.net", "documentation"),
    ("network_portal.W003", "NEWSLETTER_UNSUBSCRIBE_MAILTO", "abmelden@portal.test", "reserved"),
    ("network_portal.W003", "NEWSLETTER_UNSUBSCRIBE_MAILTO", "abmelden@x.invalid", "reserved"),
    ("network_portal.W004", "SITE_URL", "http://localhost:8000", "the local machine"),
    ("network_portal.W004", "SITE_URL", "http://[::1]:8000", "local address"),
    ("network_portal.W004", "SITE_URL", "https://portal.localhost", "reserved"),
    ("network_portal.W004", "SITE_URL", "https://intranet", "without a domain"),
    ("network_portal.W004", "SITE_URL", "https://portal.example.org", "documentation"),
]


@pytest.fixture
def real_mail_identity(settings):
    for name, value in MAIL_IDENTITY.items():
        setattr(settings, name, value)
    settings.NEWSLETTER_FROM_EMAIL = "Newsletter <newsletter@aut-trier.de>"
    return settings


def test_no_mail_identity_warning_for_real_domains(real_mail_identity):
    assert mail_identity_warnings(real_mail_identity) == {}


@pytest.mark.parametrize(("check_id", "name", "value", "why"), BAD_MAIL_IDENTITY)
def test_mail_identity_warning_for_local_and_example_domains(
    real_mail_identity, check_id, name, value, why
):
    setattr(real_mail_identity, name, value)
    warnings = mail_identity_warnings(real_mail_identity)
    assert list(warnings) == [check_id]
    assert warnings[check_id].startswith(f"{name} (")
    assert why in warnings[check_id] and repr(value) in warnings[check_id]


HEADERS_SCRIPT = """
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0, interactive=False)
call_command("collectstatic", verbosity=0, interactive=False)

from allauth.account.models import EmailAddress
from django.test import Client

from accounts.models import User

HTTPS = {"secure": True, "HTTP_HOST": "portal.example.org", "HTTP_X_FORWARDED_PROTO": "https"}


def answer(response):
    cookies = {
        name: {"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
               "samesite": morsel["samesite"]}
        for name, morsel in response.cookies.items()
    }
    return {"status": response.status_code, "headers": dict(response.headers), "cookies": cookies}


user = User.objects.create_user(email="personal@example.org", password="geheim-123-trier")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

client = Client()
results = {"home": answer(client.get("/", **HTTPS))}
results["login_page"] = answer(client.get("/accounts/login/", **HTTPS))
results["login"] = answer(client.post(
    "/accounts/login/", {"login": user.email, "password": "geheim-123-trier"}, **HTTPS
))
results["personal"] = answer(client.get("/members/welcome/", **HTTPS))
print("RESULT " + json.dumps(results))
"""


@pytest.fixture(scope="module")
def production_responses(tmp_path_factory):
    """Responses of the production settings: the start page, the login, a personal page."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = production_env(
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        CELERY_BROKER_URL="memory://",
        CACHE_URL="locmemcache://",
        EMAIL_URL="memorymail://",
    )
    result = run_python(["-c", HEADERS_SCRIPT], env)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
    assert result.returncode == 0 and lines, result.stdout + result.stderr
    answers = json.loads(lines[-1].removeprefix("RESULT "))
    for response in answers.values():
        response["headers"] = {key.lower(): value for key, value in response["headers"].items()}
    return answers


@pytest.mark.parametrize("page", ["home", "login_page", "personal"])
def test_security_headers_of_html_pages_in_production(production_responses, page):
    response = production_responses[page]
    assert response["status"] == 200
    headers = response["headers"]
    assert headers["content-type"].startswith("text/html")

    hsts = re.search(r"max-age=(\d+)", headers["strict-transport-security"])
    assert hsts and int(hsts.group(1)) >= 31536000
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"

    csp = headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp


def test_cookies_are_secure_httponly_and_samesite_in_production(production_responses):
    csrf = production_responses["login_page"]["cookies"]["csrftoken"]
    login = production_responses["login"]
    assert login["status"] == 302
    session = login["cookies"]["sessionid"]
    for cookie in (csrf, session):
        assert cookie == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_personal_pages_are_not_stored_but_public_pages_may_be(production_responses):
    personal = production_responses["personal"]["headers"]["cache-control"]
    assert "no-store" in personal and "private" in personal
    assert "no-store" not in production_responses["home"]["headers"].get("cache-control", "")
