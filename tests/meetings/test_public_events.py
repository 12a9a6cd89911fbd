"""The public calendar of public events: the page, the iCalendar and the JSON feed show the
published public events ahead and of the last weeks, title, kind, time, venue and city only."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

PAGE = "/meetings/public/"
ICS = "/meetings/public.ics"
JSON = "/meetings/public.json"


def days_ago(days, **kwargs):
    starts = timezone.now() - timedelta(days=days)
    return {
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "rsvp_deadline": starts - timedelta(days=7),
        **kwargs,
    }


@pytest.fixture
def events(db):
    """A public reception ahead (with a registration: nobody's name may show), a public
    ceremony held a month ago; and what must not show: a public draft, a public cancelled
    event, a public event of last year, a network meeting not public."""
    reception = MeetingFactory(
        kind=Meeting.Kind.RECEPTION,
        title="Weihnachtsempfang 2026",
        is_public=True,
        venue_name="Kurfürstliches Palais",
        room="Festsaal",
        capacity=120,
    )
    RegistrationFactory(meeting=reception, name="Anna Neumann", email="anna@moselblick.example")
    ceremony = MeetingFactory(
        kind=Meeting.Kind.CEREMONY,
        title="Verleihung des Siegels 2026",
        is_public=True,
        status=Meeting.Status.HELD,
        **days_ago(30),
    )
    MeetingFactory(title="Entwurf Empfang", is_public=True, status=Meeting.Status.DRAFT)
    MeetingFactory(title="Abgesagter Empfang", is_public=True, status=Meeting.Status.CANCELLED)
    MeetingFactory(title="Empfang 2025", is_public=True, **days_ago(200))
    MeetingFactory(title="Netzwerktreffen nur für Mitglieder")
    return {"reception": reception, "ceremony": ceremony}


HIDDEN = ("Entwurf Empfang", "Abgesagter Empfang", "Empfang 2025", "nur für Mitglieder")


def test_the_urls_are_the_documented_ones():
    assert reverse("meetings:public_events") == PAGE
    assert reverse("meetings:public_ics") == ICS
    assert reverse("meetings:public_json") == JSON


def test_the_page_lists_the_public_events_for_everyone_and_links_both_feeds(client, events):
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Öffentliche Veranstaltungen</h1>" in page
    assert "Weihnachtsempfang 2026" in page and "Verleihung des Siegels 2026" in page
    assert page.index("Kommende Veranstaltungen") < page.index("Weihnachtsempfang 2026")
    assert page.index("Vergangene Veranstaltungen") < page.index("Verleihung des Siegels 2026")
    assert "Kurfürstliches Palais, Trier" in page
    assert 'id="event-' + events["reception"].slug + '"' in page
    for title in HIDDEN:
        assert title not in page
    assert "Anna Neumann" not in page and "Festsaal" not in page
    assert f'href="{ICS}"' in page and f'href="{JSON}"' in page
    assert "webcal://" in page


def test_the_page_says_when_nothing_is_announced(client):
    page = client.get(PAGE).content.decode()
    assert "Zurzeit sind keine öffentlichen Veranstaltungen angekündigt." in page


def test_the_ical_feed_parses_and_holds_only_the_public_events(client, events):
    response = client.get(ICS)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=900"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == (
        "Öffentliche Veranstaltungen Attraktive Unternehmen Trier"
    )
    entries = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    assert set(entries) == {"Weihnachtsempfang 2026", "Verleihung des Siegels 2026"}
    reception = entries["Weihnachtsempfang 2026"]
    assert str(reception["LOCATION"]) == "Kurfürstliches Palais, Trier"
    assert str(reception["URL"]).endswith(f"{PAGE}#event-{events['reception'].slug}")
    assert reception["DTSTART"].dt == events["reception"].starts_at
    assert str(reception["UID"]).startswith(f"meeting-{events['reception'].calendar_uid}@")
    assert "Weihnachtsempfang" in reception["CATEGORIES"].to_ical().decode()
    text = response.content.decode()
    assert "Anna Neumann" not in text and "Festsaal" not in text and "ORGANIZER" not in text


def test_the_json_feed_has_its_shape_for_other_websites(client, events):
    response = client.get(JSON)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=900"
    data = json.loads(response.content)
    assert data["network"] == "Attraktive Unternehmen Trier"
    assert data["ical_url"].endswith(ICS)
    ceremony, reception = data["events"]  # by start: the ceremony was a month ago
    assert reception == {
        "title": "Weihnachtsempfang 2026",
        "kind": "reception",
        "kind_label": "Weihnachtsempfang",
        "start": timezone.localtime(events["reception"].starts_at).isoformat(),
        "end": timezone.localtime(events["reception"].ends_at).isoformat(),
        "venue": {"name": "Kurfürstliches Palais", "city": "Trier"},
        "url": reception["url"],
    }
    assert reception["url"].endswith(f"{PAGE}#event-{events['reception'].slug}")
    assert ceremony["kind"] == "ceremony" and ceremony["kind_label"] == "Siegelverleihung"
    assert "Anna" not in response.content.decode() and "capacity" not in data["events"][0]


def test_a_logged_in_member_sees_the_same(client, events):
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory().user)
    assert "Weihnachtsempfang 2026" in client.get(PAGE).content.decode()


@pytest.mark.parametrize("n", [1, 15])
def test_the_page_and_feeds_run_a_constant_number_of_queries(client, django_assert_num_queries, n):
    for i in range(n):
        meeting = MeetingFactory(kind=Meeting.Kind.WORKSHOP, title=f"Workshop {i}", is_public=True)
        RegistrationFactory(meeting=meeting)
        MeetingFactory(title=f"Intern {i}")
    for url in (PAGE, ICS, JSON):
        with django_assert_num_queries(1):  # the public events, nothing per event
            response = client.get(url)
        assert response.status_code == 200
        assert "Workshop 0" in response.content.decode()


def test_the_topic_stays_among_members(client):
    MeetingFactory(
        kind=Meeting.Kind.RECEPTION,
        title="Weihnachtsempfang 2026",
        topic="Interne Sparrunde bei der Mitgliedsfirma",
        is_public=True,
    )
    for url in (PAGE, ICS, JSON):
        text = client.get(url).content.decode()
        assert "Weihnachtsempfang 2026" in text
        assert "Sparrunde" not in text, url
