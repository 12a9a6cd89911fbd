"""No English word in the admin's headings and labels, for a coordinator and for a superuser.

Every registered model's list, add page and change page (for an object of the matrix's world,
tests/authz/world.py), each app's page and the start page are rendered; the words people read
as labels are collected (title, headings, breadcrumbs, the side bar, column heads, field labels,
filter titles and choices, actions, buttons, the paginator) and searched for known English words
the libraries leave untranslated. Data (the cells of a list, read-only values, help texts,
choices of a select other than the actions) is left out, so a company's name cannot fail it.
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.authz.world import build_world
from tests.mfa import login_with_second_factor

# Whole words, case-sensitive, as they appear in the admin when a catalogue lacks them. German
# words that are spelt the same (Name, Status, Filter, Website, Newsletter, Logo, Start) are
# not on the list.
ENGLISH = [
    "Add",
    "Change",
    "Delete",
    "View",
    "Save",
    "Search",
    "History",
    "Home",
    "Select",
    "Recent actions",
    "My actions",
    "Flat Page",
    "Flat Pages",
    "flat page",
    "Authenticator",
    "Authenticators",
    "authenticator",
    "MFA",
    "Content type",
    "content type",
    "Created at",
    "created at",
    "Last used at",
    "last used at",
    "Type",
    "type",
    "User",
    "Users",
    "Data",
    "Issue",
    "Subscriber",
    "Task Name",
    "Periodic Tasks",
    "Crontab translation",
    "Human readable",
    "Raw passwords",
    "After you",
    "Position",
    "Outgoing",
    "Members",
    "System administration",
    "What needs attention",
    "Nothing to do",
]
ENGLISH_WORD = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])")

# Text inside these is data or explanation, not a label.
DATA = {"script", "style", "textarea", "td", "pre", "code"}
DATA_CLASSES = {"help", "readonly", "timezonewarning"}


class LabelText(HTMLParser):
    """The text of a page people read as labels (see the module)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.texts: list[str] = []

    def _in_data(self) -> bool:
        for tag, attrs in self.stack:
            if tag in DATA or DATA_CLASSES & set((attrs.get("class") or "").split()):
                return True
            if tag == "select" and attrs.get("name") != "action":
                return True
        return False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in ("submit", "button") and not self._in_data():
            self.texts.append(attrs.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if data.strip() and not self._in_data():
            self.texts.append(" ".join(data.split()))


def english_in(html: str) -> set[str]:
    parser = LabelText()
    parser.feed(html)
    return {
        f"{match.group(1)!r} in {text!r}"
        for text in parser.texts
        for match in ENGLISH_WORD.finditer(text)
    }


def admin_pages(client) -> list[str]:
    """The start page, each app's page and every model's list, add page and change page the
    user may open (a page the admin refuses them is not theirs to read)."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        urls.append(reverse("admin:app_list", args=[opts.app_label]))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))
    return list(dict.fromkeys(urls))


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("role", ["coordinator", "superuser"])
def test_no_english_label_in_the_admin(world, role):
    client = Client()
    login_with_second_factor(client, world.superuser if role == "superuser" else world.users[role])
    found, rendered = {}, 0
    for url in admin_pages(client):
        response = client.get(url, follow=True)  # a page may hand over to another
        if response.status_code in (403, 404):  # not theirs (an app page without their lists)
            continue
        assert response.status_code == 200, url
        rendered += 1
        words = english_in(response.content.decode())
        if words:
            found[url] = sorted(words)
    assert rendered > 60
    assert found == {}


def test_the_seal_catalogues_order_is_headed_reihenfolge(world):
    """The position of a category or criterion is its place in the order, not the job title
    of a contact person (both were "Position", translated "Funktion")."""
    client = Client()
    login_with_second_factor(client, world.superuser)
    cycle_page = client.get(reverse("admin:seal_awardcycle_change", args=[world.cycle.pk]))
    category_page = client.get(reverse("admin:seal_category_change", args=[world.category.pk]))
    for page in (cycle_page, category_page):
        headings = LabelText()
        headings.feed(page.content.decode())
        assert "Reihenfolge" in headings.texts
        assert "Funktion" not in headings.texts
