"""Template filters of „Mein Konto“."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()

_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def describe_user_agent(user_agent: str) -> str:
    """The browser and system named in a User-Agent header (“Firefox on Windows”)."""
    browser = next((name for key, name in _BROWSERS if key in user_agent), "")
    system = next((name for key, name in _SYSTEMS if key in user_agent), "")
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("Unknown browser")


@register.filter
def device(user_agent: str) -> str:
    """A session's browser and system, as a person recognises them."""
    return describe_user_agent(user_agent or "")
