"""Liveness probe of the web container: does gunicorn answer HTTP on port 8000?

Sends GET /healthz with a Host header Django accepts (the first DJANGO_ALLOWED_HOSTS entry) and
X-Forwarded-Proto: https, so neither ALLOWED_HOSTS nor SECURE_SSL_REDIRECT get in the way.
Any answer below 500 counts as alive. /healthz answers from the process alone (liveness);
database, broker, worker, beat and mail are /readyz's business (docs/deployment.md).
"""

import http.client
import os
import sys


def probe_host() -> str:
    for entry in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(","):
        host = entry.strip().lstrip(".")
        if host and "*" not in host:
            return host
    return "localhost"


def main() -> int:
    connection = http.client.HTTPConnection("127.0.0.1", 8000, timeout=5)
    try:
        connection.request(
            "GET", "/healthz", headers={"Host": probe_host(), "X-Forwarded-Proto": "https"}
        )
        status = connection.getresponse().status
    except OSError as exc:
        print(f"web not reachable: {exc}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    return 0 if status < 500 else 1


if __name__ == "__main__":
    sys.exit(main())
