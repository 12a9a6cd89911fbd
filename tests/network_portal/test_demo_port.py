"""`make demo` on another port: PORT moves the web server, and links in mails follow it.

The settings are imported in a fresh process with the variables set, as the demo's processes
read them. `scripts/run-demo.sh` and `make demo` run for real, with a stand-in virtualenv whose
`python` and `celery` only record how they were called (the real ones would migrate, seed and
serve for minutes).
"""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SHOW_SETTINGS = textwrap.dedent(
    """
    import django, json
    django.setup()
    from django.conf import settings
    from django.urls import reverse
    from network_portal.mail import render_mail
    from network_portal.signing import absolute_url
    # A mail without an editable standard text: rendering it needs no database.
    subject, text, html = render_mail(
        template="members/emails/join_request_decided",
        context={
            "company_name": "Firma",
            "accepted": True,
            "next_url": absolute_url(reverse("members:company")),
        },
        language="de",
    )
    print(json.dumps({
        "SITE_URL": settings.SITE_URL,
        "EMAIL_BACKEND": settings.EMAIL_BACKEND,
        "EMAIL_FILE_PATH": settings.EMAIL_FILE_PATH,
        "text": text,
        "html": html,
    }))
    """
)


def clean_env(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A developer's environment with nothing of the portal's set but ``variables``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "EMAIL_", "SITE_URL", "PORT"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="network_portal.settings",
        DJANGO_VAR_DIR=str(tmp_path / "var"),
        **variables,
    )
    return env


def demo_settings(tmp_path: Path, **variables: str) -> dict:
    import json

    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=ROOT,
        env=clean_env(tmp_path, **variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_links_in_mails_follow_port(tmp_path):
    shown = demo_settings(tmp_path, PORT="8001")
    assert shown["SITE_URL"] == "http://127.0.0.1:8001"
    assert "http://127.0.0.1:8001/members/company/" in shown["text"]
    assert 'href="http://127.0.0.1:8001/impressum/"' in shown["html"]
    assert ":8000" not in shown["text"] + shown["html"]


def test_without_port_links_point_to_8000_and_site_url_wins_over_port(tmp_path):
    assert demo_settings(tmp_path)["SITE_URL"] == "http://127.0.0.1:8000"
    shown = demo_settings(tmp_path, PORT="8001", SITE_URL="https://portal.example.org/")
    assert shown["SITE_URL"] == "https://portal.example.org"
    assert "https://portal.example.org/members/company/" in shown["text"]


def test_the_default_mail_setting_writes_one_file_per_mail_to_var_mail(tmp_path):
    shown = demo_settings(tmp_path)
    assert shown["EMAIL_BACKEND"] == "network_portal.mail_files.EmailBackend"
    assert shown["EMAIL_FILE_PATH"] == str(tmp_path / "var" / "mail")
    # filemail:///<path>: a path relative to the checkout.
    shown = demo_settings(tmp_path, EMAIL_URL="filemail:///mails-elsewhere")
    assert shown["EMAIL_BACKEND"] == "network_portal.mail_files.EmailBackend"
    assert shown["EMAIL_FILE_PATH"] == str(ROOT / "mails-elsewhere")


# --- scripts/run-demo.sh and `make demo` ----------------------------------------------------

RECORDER = """#!/usr/bin/env bash
echo "$(basename "$0") PORT=${PORT:-} DEBUG=${DJANGO_DEBUG:-} $*" >> "$DEMO_CALLS"
"""


@pytest.fixture
def stand_in_venv(tmp_path):
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    # The stand-in runserver returns once worker and beat have recorded their start (they start
    # in the background; the script's end stops them).
    wait_for_celery = (
        'if [[ "$*" == *runserver* ]]; then for _ in $(seq 100); do '
        '[[ $(grep -c "^celery" "$DEMO_CALLS") -ge 2 ]] && break; sleep 0.1; done; fi\n'
    )
    for name, tail in (("python", wait_for_celery), ("celery", "exec sleep 30\n")):
        script = venv / "bin" / name
        script.write_text(RECORDER + tail)
        script.chmod(0o755)
    (venv / ".installed").touch()  # the Makefile's "installed" mark: nothing to install
    return venv


def run_demo(command: list[str], tmp_path: Path, **variables: str):
    """Run the demo's command to its end (the stand-in runserver returns at once); returns
    the banner it printed and the recorded calls."""
    calls = tmp_path / "calls.log"
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=clean_env(tmp_path, DEMO_CALLS=str(calls), **variables),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        # The script ends by stopping its whole process group (worker and beat with it).
        start_new_session=True,
    )
    return result.stdout, calls.read_text().splitlines()


def test_run_demo_serves_on_port_and_tells_where_the_mailbox_is(tmp_path, stand_in_venv):
    banner, calls = run_demo(
        ["scripts/run-demo.sh"], tmp_path, PORT="8001", VENV=str(stand_in_venv)
    )
    assert "python PORT=8001 DEBUG=1 manage.py runserver 127.0.0.1:8001" in calls
    # Worker and beat render the mails: they see the port too.
    for process in ("worker", "beat"):
        assert any(
            call.startswith(f"celery PORT=8001 DEBUG=1 -A network_portal {process}")
            for call in calls
        ), calls
    assert "Portal:  http://127.0.0.1:8001/" in banner
    mail_dir = tmp_path / "var" / "mail"
    assert (
        f"Mails:   http://127.0.0.1:8001/dev/mails/  (one .eml file per mail in {mail_dir}/)"
        in (banner)
    )


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_make_demo_takes_the_port(tmp_path, stand_in_venv, how):
    command = ["make", "--no-print-directory", "demo", f"VENV={stand_in_venv}"]
    if how == "argument":
        _banner, calls = run_demo([*command, "PORT=8002"], tmp_path)
    else:
        _banner, calls = run_demo(command, tmp_path, PORT="8002")
    assert "python PORT=8002 DEBUG=1 manage.py runserver 127.0.0.1:8002" in calls


def test_make_demo_serves_on_8000_by_default(tmp_path, stand_in_venv):
    banner, calls = run_demo(["make", "demo", f"VENV={stand_in_venv}"], tmp_path)
    assert "python PORT=8000 DEBUG=1 manage.py runserver 127.0.0.1:8000" in calls
    assert "Mails:   http://127.0.0.1:8000/dev/mails/" in banner
