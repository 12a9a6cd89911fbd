"""The cockpit's registry (network_portal.cockpit): apps register sections, the admin's start
page evaluates those the user may see."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from network_portal import cockpit
from network_portal.cockpit import (
    ATTENTION,
    Counter,
    cockpit_for,
    cockpit_sections,
    register_cockpit_section,
)


class Staff:
    """A user with the permissions given, no more."""

    is_authenticated = True

    def __init__(self, *perms):
        self.perms = set(perms)

    def has_perm(self, perm):
        return perm in self.perms


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch):
    monkeypatch.setattr(cockpit, "_sections", {})


def request_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def counters(*counts, level=ATTENTION):
    return lambda request: [
        Counter(label=f"Zähler {n}", count=count, url=f"/admin/liste/{n}/", level=level)
        for n, count in enumerate(counts)
    ]


def test_a_section_shows_counters_or_a_page():
    with pytest.raises(ImproperlyConfigured, match="neither counters nor a page"):
        register_cockpit_section("leer", title="Leer", order=1)
    with pytest.raises(ImproperlyConfigured, match="context but no template"):
        register_cockpit_section(
            "halb", title="Halb", order=1, counters=counters(1), context=lambda r: {}
        )


def test_sections_come_in_their_order_and_a_name_registered_again_replaces_it():
    register_cockpit_section("b", title="B", order=20, counters=counters(1))
    register_cockpit_section("a", title="A", order=20, counters=counters(1))
    register_cockpit_section("c", title="C alt", order=5, counters=counters(1))
    register_cockpit_section("c", title="C", order=30, counters=counters(1))
    assert [(s.name, s.title) for s in cockpit_sections()] == [("a", "A"), ("b", "B"), ("c", "C")]


def test_counters_without_a_count_are_not_shown_and_attention_adds_up():
    register_cockpit_section("arbeit", title="Arbeit", order=1, counters=counters(3, 0, 2))
    register_cockpit_section(
        "stand", title="Stand", order=2, counters=counters(5, level=cockpit.INFO)
    )
    register_cockpit_section("ruhe", title="Ruhe", order=3, counters=counters(0, 0))
    work, state, calm = cockpit_for(request_for(Staff()))
    assert [c.label for c in work["shown"]] == ["Zähler 0", "Zähler 2"]
    assert len(work["counters"]) == 3
    assert work["attention"] == 5 and not work["is_empty"]
    assert state["attention"] == 0 and [c.count for c in state["shown"]] == [5]
    assert calm["shown"] == [] and calm["is_empty"]


def test_a_section_is_left_out_without_its_permission_or_any_of_its_lists():
    register_cockpit_section(
        "treffen",
        title="Treffen",
        order=1,
        counters=counters(1),
        permission="meetings.view_meeting",
    )
    register_cockpit_section("keine", title="Keine Listen", order=2, counters=lambda request: [])
    register_cockpit_section("offen", title="Offen", order=3, counters=counters(1))
    assert [e["section"].name for e in cockpit_for(request_for(Staff()))] == ["offen"]
    assert [
        e["section"].name for e in cockpit_for(request_for(Staff("meetings.view_meeting")))
    ] == ["treffen", "offen"]


def test_a_page_is_rendered_with_its_context_and_the_section(settings, tmp_path):
    (tmp_path / "abschnitt.html").write_text("<p>{{ section.title }}: {{ jahr }}</p>")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
            "OPTIONS": {"context_processors": []},
        }
    ]
    register_cockpit_section(
        "bericht",
        title="Jahresbericht",
        order=1,
        template="abschnitt.html",
        context=lambda request: {"jahr": 2026},
    )
    (entry,) = cockpit_for(request_for(Staff()))
    assert entry["html"] == "<p>Jahresbericht: 2026</p>"
    assert entry["context"] == {"jahr": 2026}
    assert not entry["is_empty"]
