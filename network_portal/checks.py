"""System checks of the deployment, shown by ``manage.py check --deploy``.

Mail identity: the senders, the unsubscribe address, the coordination office's address (shown
on every page and in every mail) and the links in mails must use a domain the world can reach.
The shipped defaults (``netzwerk@localhost``, ``netzwerk@example.org``, ``http://127.0.0.1:8000``)
and documentation domains would send mail that receiving servers reject or mark as spam, and
links nobody can open.
"""

import ipaddress
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

# Second-level domains reserved for documentation (RFC 2606, RFC 6761).
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
# Top-level domains that never resolve in the public DNS (RFC 2606, RFC 6761).
RESERVED_TLDS = ("example", "test", "invalid", "localhost")

# The settings checked: (id, setting, kind, hint).
MAIL_IDENTITY = (
    ("network_portal.W001", "DEFAULT_FROM_EMAIL", "address", "sender of every mail"),
    (
        "network_portal.W002",
        "NEWSLETTER_FROM_EMAIL",
        "address",
        "sender of newsletter issues, by default DEFAULT_FROM_EMAIL",
    ),
    (
        "network_portal.W003",
        "NEWSLETTER_UNSUBSCRIBE_MAILTO",
        "address",
        "the mailto address of List-Unsubscribe",
    ),
    ("network_portal.W004", "SITE_URL", "url", "base of every link in mails"),
    (
        "network_portal.W005",
        "OFFICE_EMAIL",
        "address",
        "the coordination office's address in the footer of every page and mail",
    ),
)


def domain_problem(host: str) -> str | None:
    """Why ``host`` is not a public domain, or None."""
    host = host.strip().rstrip(".").lower()
    if not host:
        return "has no domain"
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        if address.is_loopback or address.is_unspecified:
            return f"uses the local address {host}"
        return None
    if host == "localhost":
        return "uses 'localhost', the local machine"
    if "." not in host:
        return f"uses {host!r}, a host name without a domain"
    if host.rsplit(".", 1)[1] in RESERVED_TLDS:
        return f"uses {host!r}, under a top-level domain reserved for tests and documentation"
    if any(host == domain or host.endswith(f".{domain}") for domain in EXAMPLE_DOMAINS):
        return f"uses {host!r}, a domain reserved for documentation"
    return None


def _host_of(value: str, kind: str) -> str:
    if kind == "url":
        try:
            return urlsplit(value).hostname or ""
        except ValueError:
            return ""
    address = parseaddr(value)[1]
    return address.rpartition("@")[2] if "@" in address else ""


@register("mail", deploy=True)
def check_mail_identity(app_configs=None, **kwargs):
    warnings = []
    for check_id, name, kind, meaning in MAIL_IDENTITY:
        value = str(getattr(settings, name, "") or "")
        problem = domain_problem(_host_of(value, kind))
        if problem:
            warnings.append(
                Warning(
                    f"{name} ({meaning}) {problem}: {value!r}.",
                    hint=(
                        f"Set {name} to the portal's public address (https://…)."
                        if kind == "url"
                        else f"Set {name} to an address in the network's own mail domain."
                    ),
                    id=check_id,
                )
            )
    return warnings


@register("caches", deploy=True)
def check_shared_cache(app_configs=None, **kwargs):
    """A cache of each process cannot keep the pages' shared content (network_portal.
    cache_versions): the portal works, but computes every page in full."""
    from .cache_versions import is_shared

    if is_shared():
        return []
    return [
        Warning(
            "The cache is kept per process (CACHE_URL is not set): rate limits count per "
            "process and pages keep no shared content.",
            hint="Set CACHE_URL to the Redis the portal uses, e.g. redis://redis:6379/1.",
            id="network_portal.W010",
        )
    ]
