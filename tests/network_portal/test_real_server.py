"""Hostile and broken requests against a real gunicorn with production settings.

One gunicorn worker (debug off, its own SQLite database) writes the temporary files of uploads
to a folder of this test, which is also its TMPDIR. Whatever becomes of an upload (stored,
refused for its size, refused by the CSRF check, broken off in the middle), the folder is empty
once the answer has been sent. A form that declares another charset than UTF-8 gets the 400
page, not an empty 500.
"""

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
UPLOAD_MAX_BYTES = 4 * MB
PASSWORD = "geheim-123-trier"  # UserFactory's
BAD_REQUEST_PAGE = "Ungültige Anfrage"

SETUP = """
import json

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0, interactive=False)
call_command("collectstatic", verbosity=0, interactive=False)

from members.forms import CompanyForm
from tests.factories import CompanyAdminFactory, CompanyFactory

company = CompanyFactory(name="Moselblick Pflege GmbH", slug="moselblick-pflege")
admin = CompanyAdminFactory(company=company, user__email="personal@moselblick.example").user
initial = CompanyForm(instance=company).initial
data = {
    name: ("" if value is None else str(value))
    for name, value in initial.items()
    if name != "logo" and value is not False
}
print("RESULT " + json.dumps({"email": admin.email, "company": data}))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """The running gunicorn: its address, its temporary folder and a few ways to talk to it."""

    def __init__(self, port: int, temp_dir: Path, media_dir: Path, login: dict):
        self.port = port
        self.temp_dir = temp_dir
        self.media_dir = media_dir
        self.login = login

    def request(self, method, path, body=b"", headers=None, cookies=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        jar = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            jar.load(header)
        new_cookies = {key: morsel.value for key, morsel in jar.items()}
        return response.status, content.decode("utf-8", "replace"), new_cookies

    def raw(self, data: bytes) -> tuple[int, str]:
        """Send ``data`` as it is, then stop sending (as a client whose upload broke off)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=60) as connection:
            connection.sendall(data)
            connection.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        head = answer.split(b"\r\n", 1)[0].decode()
        return int(head.split()[1]), answer.decode("utf-8", "replace")

    def csrf_cookie(self) -> dict:
        _status, _page, cookies = self.request("GET", "/accounts/login/")
        return {"csrftoken": cookies["csrftoken"]}

    def logged_in(self) -> dict:
        cookies = self.csrf_cookie()
        body = urlencode(
            {
                "login": self.login["email"],
                "password": PASSWORD,
                "csrfmiddlewaretoken": cookies["csrftoken"],
            }
        )
        status, page, new = self.request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
            cookies,
        )
        assert status == 302, page[-2000:]
        return {**cookies, **new}

    def leftovers(self, wait: float = 5.0) -> list[str]:
        """Files in the temporary folder once the answer is out (the worker closes the
        response just after the last byte, so give it a moment)."""
        deadline = time.monotonic() + wait
        while True:
            found = sorted(
                f"{path.name} ({path.stat().st_size} bytes)"
                for path in self.temp_dir.iterdir()
                if path.exists()
            )
            if not found or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


def urlencode(data: dict) -> bytes:
    from urllib.parse import urlencode as encode

    return encode(data).encode()


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (file_name, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def png(padding: int = 0) -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 40), "teal").save(buffer, format="PNG")
    return buffer.getvalue() + b"\x00" * padding


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("gunicorn")
    temp_dir = folder / "tmp"
    temp_dir.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="network_portal.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain http on the loopback, as behind a TLS-terminating proxy without its headers.
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(folder / "static"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        CELERY_BROKER_URL="memory://",
        CACHE_URL="locmemcache://",
        EMAIL_URL="memorymail://",
        UPLOAD_MAX_BYTES=str(UPLOAD_MAX_BYTES),
        UPLOAD_TEMP_DIR=str(temp_dir),
        TMPDIR=str(temp_dir),
    )
    setup = subprocess.run(
        [sys.executable, "-c", SETUP],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = [line for line in setup.stdout.splitlines() if line.startswith("RESULT ")]
    assert setup.returncode == 0 and lines, setup.stdout + setup.stderr
    login = json.loads(lines[-1].removeprefix("RESULT "))
    for leftover in temp_dir.iterdir():  # whatever migrate or collectstatic left
        leftover.unlink()

    port = free_port()
    log = folder / "gunicorn.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "network_portal.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=1",
                "--timeout=30",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        server = Server(port, temp_dir, folder / "media", login)
        deadline = time.monotonic() + 60
        while True:
            try:
                if server.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # No request failed inside the server (Django logs a 500 so, gunicorn an exception).
    output = log.read_text()
    assert "Internal Server Error" not in output, output[-5000:]
    assert "Error handling request" not in output, output[-5000:]


# --- No temporary file outlives its request ------------------------------------------------------


@pytest.fixture(autouse=True)
def _nothing_left_from_before(request):
    """Each test judges its own requests: whatever an earlier one left (a failure of its
    own) is removed first."""
    if "server" in request.fixturenames:
        for path in request.getfixturevalue("server").temp_dir.iterdir():
            path.unlink()


def test_an_accepted_upload_leaves_no_temporary_file(server):
    cookies = server.logged_in()
    # A file beside the logo makes the request too large to be held in memory: both go to
    # temporary files; the logo is then stored, the other file ignored by the form.
    body, content_type = multipart(
        {**server.login["company"], "csrfmiddlewaretoken": cookies["csrftoken"]},
        {"logo": ("logo.png", png()), "anlage": ("anlage.pdf", b"%PDF-1.4\n" + bytes(3 * MB))},
    )
    status, page, _ = server.request(
        "POST", "/members/company/edit/", body, {"Content-Type": content_type}, cookies
    )

    assert status == 302, page[-3000:]
    stored = list((server.media_dir).rglob("*.png"))
    assert len(stored) == 1
    assert server.leftovers() == []


def test_a_file_too_large_leaves_no_temporary_file(server):
    cookies = server.logged_in()
    body, content_type = multipart(
        {**server.login["company"], "csrfmiddlewaretoken": cookies["csrftoken"]},
        {"logo": ("logo.png", png(padding=UPLOAD_MAX_BYTES + MB))},
    )
    status, page, _ = server.request(
        "POST", "/members/company/edit/", body, {"Content-Type": content_type}, cookies
    )

    assert status == 200
    assert server.leftovers() == []
    assert "Die Datei ist zu groß (höchstens 2,0\xa0MB)." in page


@pytest.mark.parametrize("size", [3 * MB, UPLOAD_MAX_BYTES + MB], ids=["large", "too large"])
def test_an_upload_refused_by_the_csrf_check_leaves_no_temporary_file(server, size):
    # An anonymous client with a cookie of its own making but no matching token: Django reads
    # the body (looking for the token) before it refuses the request.
    body, content_type = multipart(
        {"email": "jemand@example.org"}, {"datei": ("gross.pdf", b"%PDF-1.4\n" + bytes(size))}
    )
    status, page, _ = server.request(
        "POST",
        "/newsletter/subscribe/",
        body,
        {"Content-Type": content_type},
        {"csrftoken": secrets.token_hex(16)},
    )

    assert status == 403
    assert server.leftovers() == []
    assert "Das Formular konnte nicht gesendet werden" in page


def broken_off(server, cookies: dict, *, sent: int) -> bytes:
    """A logo upload whose Content-Length promises the whole file, cut off after ``sent``
    bytes of it."""
    body, content_type = multipart(
        {**server.login["company"], "csrfmiddlewaretoken": cookies["csrftoken"]},
        {"logo": ("logo.png", png(padding=3 * MB))},
    )
    cut = body.index(b"\x89PNG") + sent
    head = (
        f"POST /members/company/edit/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    return head + body[:cut]


def test_an_upload_broken_off_leaves_no_temporary_file(server):
    cookies = server.logged_in()

    status, _answer = server.raw(broken_off(server, cookies, sent=2 * MB))

    # Django drops a file that did not end; the fields before it were whole.
    assert status < 500
    assert server.leftovers() == []


def test_a_multipart_body_without_its_end_leaves_no_temporary_file(server):
    cookies = server.logged_in()
    body, content_type = multipart(
        {**server.login["company"], "csrfmiddlewaretoken": cookies["csrftoken"]},
        {"logo": ("logo.png", png(padding=3 * MB))},
    )
    body = body[: body.rindex(b"\r\n--")]  # no closing boundary, Content-Length matches
    status, page, _ = server.request(
        "POST", "/members/company/edit/", body, {"Content-Type": content_type}, cookies
    )

    assert status < 500, page[-2000:]
    assert server.leftovers() == []


# --- Malformed requests get the 400 page --------------------------------------------------------


@pytest.mark.parametrize("path", ["/newsletter/subscribe/", "/accounts/login/"])
def test_a_form_in_latin_1_gets_the_400_page(server, path):
    cookies = server.csrf_cookie()
    body = f"csrfmiddlewaretoken={cookies['csrftoken']}&email=m%FCller@example.org".encode()

    status, page, _ = server.request(
        "POST",
        path,
        body,
        {"Content-Type": "application/x-www-form-urlencoded; charset=latin-1"},
        cookies,
    )

    assert status == 400
    assert BAD_REQUEST_PAGE in page


@pytest.mark.parametrize(
    "content_type",
    [
        "multipart/form-data",  # no boundary
        'multipart/form-data; boundary=""',
        "multipart/form-data; boundary=" + "x" * 300,
    ],
)
def test_a_multipart_body_with_a_bad_boundary_gets_the_400_page(server, content_type):
    cookies = server.csrf_cookie()
    status, page, _ = server.request(
        "POST", "/newsletter/subscribe/", b"--x\r\n\r\n", {"Content-Type": content_type}, cookies
    )
    assert status == 400
    assert BAD_REQUEST_PAGE in page


@pytest.mark.parametrize("length", ["zwölf", "-1", "1" * 40])
def test_absurd_content_lengths_are_refused_with_400(server, length):
    token = server.csrf_cookie()["csrftoken"]
    status, _answer = server.raw(
        (
            "POST /newsletter/subscribe/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Cookie: csrftoken={token}\r\nContent-Length: {length}\r\n"
            f"Connection: close\r\n\r\ncsrfmiddlewaretoken={token}&email=a"
        ).encode("latin-1")
    )
    assert status == 400
