"""The admin's start page is the coordinators' to-do list: each counter counts what the data
holds, and its link opens the list of exactly those objects; the page costs the same number of
queries whatever the size of the network; an empty cockpit says so."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.roles import COORDINATOR_GROUP
from network_portal import cockpit
from tests.cockpit_world import build_cockpit_world, meeting_figures
from tests.factories import UserFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db

# The sections of the apps tested here (a section registered by another app is left out, so
# this page's query count is that of these).
SECTIONS = ("members", "seal", "newsletter", "outbox", "meetings")


@pytest.fixture
def only_these_sections(monkeypatch):
    monkeypatch.setattr(
        cockpit,
        "_sections",
        {name: section for name, section in cockpit._sections.items() if name in SECTIONS},
    )


@pytest.fixture
def coordinator():
    user = UserFactory(email="koordination@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    return user


class CockpitPage(HTMLParser):
    """The cockpit's sections (id -> title), its counters (section, label, count, link) and
    the figures of its meetings (meeting id -> figure -> text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, str] = {}
        self.counters: list[dict] = []
        self.meetings: dict[str, dict[str, str]] = {}
        self.empty: list[str] = []
        self._section = self._counter = self._meeting = self._figure = None
        self._take = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "section" and "cockpit-section" in classes:
            self._section = attrs["id"].removeprefix("cockpit-")
            self.sections[self._section] = ""
        elif tag == "h3" and self._section:
            self._take = "title"
        elif tag == "li" and "cockpit-counter" in classes:
            self._counter = {"section": self._section, "label": "", "count": ""}
            self.counters.append(self._counter)
        elif tag == "a" and self._counter is not None and "url" not in self._counter:
            self._counter["url"] = attrs["href"]
        elif tag == "span" and self._counter is not None and classes:
            self._take = {"cockpit-count": "count", "cockpit-label": "label"}.get(classes[0])
        elif tag == "li" and "cockpit-item" in classes:
            self._meeting = attrs["id"].removeprefix("cockpit-meeting-")
            self.meetings[self._meeting] = {}
        elif tag == "a" and self._meeting and "cockpit-item-link" in classes:
            self.meetings[self._meeting]["url"] = attrs["href"]
        elif tag == "dd" and self._meeting:
            self._figure = attrs["data-figure"]
            self._take = "figure"
        elif tag == "p" and "cockpit-empty" in classes:
            self._take = "empty"

    def handle_endtag(self, tag):
        if tag == "li":
            self._counter = None
        if tag in ("span", "h3", "dd", "p"):
            self._take = None

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text or self._take is None:
            return
        if self._take == "title":
            self.sections[self._section] += text
        elif self._take == "figure":
            self.meetings[self._meeting][self._figure] = text
        elif self._take == "empty":
            self.empty.append(self._section)
        else:
            self._counter[self._take] += text


def cockpit_page(client) -> CockpitPage:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    page = CockpitPage()
    page.feed(response.content.decode())
    return page


def listed(client, url) -> set[int]:
    """The primary keys the admin list at ``url`` shows (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200, url
    changelist = response.context["cl"]
    return set(changelist.queryset.values_list("pk", flat=True))


def pks(objects) -> set[int]:
    return {obj.pk for obj in objects}


def test_each_counter_counts_the_data_and_links_to_exactly_those_objects(
    coordinator_client, only_these_sections
):
    world = build_cockpit_world(size=2)
    page = cockpit_page(coordinator_client)

    assert list(page.sections.items()) == [
        ("members", "Mitglieder"),
        ("seal", "Siegel „Mein Top Job Trier“"),
        ("newsletter", "Verteiler"),
        ("outbox", "Ausgehende E-Mails"),
        ("meetings", "Die nächsten Netzwerktreffen"),
    ]
    slow_jurors = sorted(world.outstanding, key=lambda user: (user.last_name, user.first_name))
    expected = {
        "Unternehmen warten auf Freigabe": world.pending_companies,
        "Beitrittsanfragen warten seit mehr als einer Woche": world.waiting_join_requests,
        "Eingereichte Bewerbungen ohne Jurorin oder Juror": world.applications_without_jurors,
        **{
            f"Bewertungen ausstehend bei {user.first_name} {user.last_name}": world.outstanding[
                user
            ]
            for user in slow_jurors
        },
        "Entscheidungen bereit zum Versand": world.ready_to_send,
        "Ausgaben zum Versand eingeplant": world.scheduled_issues,
        "Ausgaben im Versand": world.sending_issues,
        "Harte Unzustellbarkeiten der letzten 30 Tage": world.recent_hard_bounces,
        "E-Mails, die nicht zugestellt werden konnten": world.failed_mails,
    }
    shown = {counter["label"]: counter for counter in page.counters}
    assert list(shown) == list(expected)
    for label, objects in expected.items():
        counter = shown[label]
        assert counter["count"] == str(len(objects)), label
        assert listed(coordinator_client, counter["url"]) == pks(objects), label

    # The next three published meetings, each with the participant overview's figures.
    assert list(page.meetings) == [str(meeting.pk) for meeting in world.meetings]
    for meeting in world.meetings:
        figures = page.meetings[str(meeting.pk)]
        assert figures.pop("url") == reverse(
            "admin:meetings_meeting_participants", args=[meeting.pk]
        )
        assert figures == meeting_figures(meeting)
    assert meeting_figures(world.meetings[0]) == {
        "seated": "4 von 4",
        "companies-yes": "2",
        "companies-no": "2",
        "companies-no-answer": str(meeting_figures(world.meetings[0])["companies-no-answer"]),
        "waitlisted": "1",
    }


def test_the_cockpit_costs_the_same_queries_at_any_size(
    coordinator_client, only_these_sections, django_assert_num_queries
):
    build_cockpit_world(size=1)
    cockpit_page(coordinator_client)  # the session's first request settles its own writes
    with django_assert_num_queries(13):
        cockpit_page(coordinator_client)
    build_cockpit_world(size=6)
    with django_assert_num_queries(13):
        page = cockpit_page(coordinator_client)
    assert len([c for c in page.counters if c["label"].startswith("Bewertungen")]) == 7


def test_an_empty_cockpit_says_there_is_nothing_to_do(coordinator_client, only_these_sections):
    response = coordinator_client.get(reverse("admin:index"))
    page = CockpitPage()
    page.feed(response.content.decode())
    assert page.counters == []
    assert page.empty == ["members", "seal", "newsletter", "outbox"]
    text = response.content.decode()
    assert "Zurzeit nichts zu tun: Es wartet nichts auf Sie." in text
    assert "Es ist kein kommendes Netzwerktreffen veröffentlicht." in text
    assert text.count("Nichts zu tun.") == 4


def test_a_section_needs_the_permission_for_its_lists(client, only_these_sections):
    """Staff who may see member companies only get that counter, and no other section."""
    build_cockpit_world(size=1)
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_company"))
    login_with_second_factor(client, staff)
    page = cockpit_page(client)
    assert list(page.sections) == ["members"]
    assert [(c["label"], c["count"]) for c in page.counters] == [
        ("Unternehmen warten auf Freigabe", "2")
    ]
