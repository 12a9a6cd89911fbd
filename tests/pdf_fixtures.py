"""Fixtures for tests of PDF rendering: templates and static files of a test's own, and a local
web server that records whether WeasyPrint tried to fetch anything from it."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@pytest.fixture
def template_dir(tmp_path, settings):
    """A template folder of its own, searched before the project's."""
    folder = tmp_path / "templates"
    folder.mkdir()
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [folder, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return folder


@pytest.fixture
def static_dir(tmp_path, settings):
    """A static folder of its own (with ``pdf/``), found before the project's."""
    folder = tmp_path / "static"
    (folder / "pdf").mkdir(parents=True)
    settings.STATICFILES_DIRS = [folder, *settings.STATICFILES_DIRS]
    return folder


@pytest.fixture
def trap_server():
    """A local web server that records every request and would inject "HTTP-LEAK" text."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            hits.append(self.path)
            body = b'body::after { content: "HTTP-LEAK"; }'
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()
