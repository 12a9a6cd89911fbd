"""In the browser, on a laptop and on a phone: a coordinator logs in with the second factor,
finds on the admin's start page what needs attention, with counts that match the data, and
follows each counter to the list of exactly those objects (each meeting to its participant
overview, with the same figures)."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.roles import COORDINATOR_GROUP
from tests.cockpit_world import build_cockpit_world, meeting_figures
from tests.factories import UserFactory
from tests.mfa import browser_log_in, enroll_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123-trier"
WIDTHS = {"laptop": (1440, 900), "phone": (390, 844)}


def expected_counters(world) -> dict[str, list[str]]:
    """Counter label -> what the list behind it shows of each object it counts."""
    jurors = sorted(world.outstanding, key=lambda user: (user.last_name, user.first_name))
    return {
        "Unternehmen warten auf Freigabe": [c.name for c in world.pending_companies],
        "Beitrittsanfragen warten seit mehr als einer Woche": [
            str(r.user) for r in world.waiting_join_requests
        ],
        "Eingereichte Bewerbungen ohne Jurorin oder Juror": [
            a.company.name for a in world.applications_without_jurors
        ],
        **{
            f"Bewertungen ausstehend bei {user.first_name} {user.last_name}": [
                a.company.name for a in world.outstanding[user]
            ]
            for user in jurors
        },
        "Entscheidungen bereit zum Versand": [a.company.name for a in world.ready_to_send],
        "Ausgaben zum Versand eingeplant": [i.subject for i in world.scheduled_issues],
        "Ausgaben im Versand": [i.subject for i in world.sending_issues],
        "Harte Unzustellbarkeiten der letzten 30 Tage": [
            b.email for b in world.recent_hard_bounces
        ],
        "E-Mails, die nicht zugestellt werden konnten": [m.to for m in world.failed_mails],
    }


@pytest.mark.parametrize("screen", list(WIDTHS))
def test_coordinator_follows_each_counter_to_exactly_its_objects(page, screen):
    width, height = WIDTHS[screen]
    page.set_viewport_size({"width": width, "height": height})
    coordinator = UserFactory(email="koordination@example.org", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    secret = enroll_totp(coordinator)
    world = build_cockpit_world(size=1)
    expected = expected_counters(world)

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/$"))
    browser_log_in(page, coordinator.email, PASSWORD, totp_secret=secret)
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Was ansteht")).to_be_visible()
    expect(page.locator(".cockpit-summary")).to_have_text(
        re.compile(r"\d+ Punkte warten auf Sie\.")
    )

    counters = page.locator("li.cockpit-counter")
    labels = [text.strip() for text in counters.locator(".cockpit-label").all_inner_texts()]
    shown = [label for label in labels if label in expected]
    assert shown == list(expected)

    for label, objects in expected.items():
        page.goto("/admin/")
        counter = counters.filter(has=page.locator(".cockpit-label", has_text=label))
        expect(counter.locator(".cockpit-count")).to_have_text(str(len(objects)))
        counter.get_by_role("link").click()
        rows = page.locator("#result_list tbody tr")
        expect(rows).to_have_count(len(objects))
        for text in objects:
            expect(rows.filter(has_text=text)).to_have_count(1)

    for meeting in world.meetings:
        page.goto("/admin/")
        item = page.locator(f"#cockpit-meeting-{meeting.pk}")
        expect(item.get_by_role("heading", name=meeting.title)).to_be_visible()
        figures = meeting_figures(meeting)
        for name, value in figures.items():
            expect(item.locator(f'[data-figure="{name}"]')).to_have_text(value)
        expect(item.locator(".cockpit-deadline")).to_contain_text("bis zum Anmeldeschluss")
        item.get_by_role("link", name="Teilnehmerübersicht").click()
        expect(page).to_have_url(
            re.compile(rf"/admin/meetings/meeting/{meeting.pk}/participants/$")
        )
        expect(page.locator("#total-seated")).to_have_text(figures["seated"].split()[0])
        expect(page.locator("#companies-yes")).to_have_text(figures["companies-yes"])
        expect(page.locator("#companies-no")).to_have_text(figures["companies-no"])
        expect(page.locator("#companies-no-answer")).to_have_text(figures["companies-no-answer"])
        expect(page.locator("#total-waitlisted")).to_have_text(figures["waitlisted"])
