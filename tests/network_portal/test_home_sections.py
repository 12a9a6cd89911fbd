"""The start page shows what each app registers (network_portal.home), the plumbing imports
none of the apps, and the page's queries do not grow with the data."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from members.models import Company
from network_portal import home
from tests.factories import CompanyFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory

BERLIN = ZoneInfo("Europe/Berlin")


def test_members_and_meetings_register_their_start_page_sections():
    assert [section.name for section in home.home_sections()] == ["members", "meetings"]


def test_sections_are_merged_in_order_and_may_not_set_the_same_name(monkeypatch):
    monkeypatch.setattr(home, "_sections", {})
    calls = []

    def second(request):
        calls.append("second")
        return {"b": 2}

    def first(request):
        calls.append("first")
        return {"a": 1}

    home.register_home_section("second", second, order=20)
    home.register_home_section("first", first, order=10)
    assert home.home_context(None) == {"a": 1, "b": 2}
    assert calls == ["first", "second"]

    home.register_home_section("first", lambda request: {"a": 3}, order=10)  # replaces
    assert home.home_context(None) == {"a": 3, "b": 2}

    home.register_home_section("third", lambda request: {"b": 4}, order=30)
    with pytest.raises(ImproperlyConfigured, match="'second' and 'third' both set 'b'"):
        home.home_context(None)


@pytest.mark.django_db
def test_start_page_shows_the_next_published_meeting_and_links_members_to_it(client):
    host = CompanyFactory(name="Petrisberg Software AG")
    starts = datetime(2031, 6, 12, 18, 0, tzinfo=BERLIN)
    MeetingFactory(
        title="Sommertreffen 2031",
        slug="sommertreffen-2031",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
        host=host,
        venue_name="Petrisberg Forum",
        venue_city="Trier",
        topic="Fachkräfte finden",
    )
    MeetingFactory(title="Später", starts_at=starts + timedelta(days=90))
    MeetingFactory(
        title="Entwurf", starts_at=starts - timedelta(days=1), status=Meeting.Status.DRAFT
    )
    MeetingFactory(title="Vorbei", starts_at=timezone.now() - timedelta(days=1))

    html = client.get("/").content.decode()
    assert "Nächstes Netzwerktreffen" in html
    assert "Sommertreffen 2031" in html
    assert (
        "Donnerstag, 12. Juni 2031, 18:00 · Petrisberg Forum, Trier "
        "(Gastgeber: Petrisberg Software AG)"
    ) in html
    assert "Fachkräfte finden" in html
    assert "Später" not in html and "Entwurf" not in html and "Vorbei" not in html
    detail = reverse("meetings:detail", args=["sommertreffen-2031"])
    assert detail not in html

    client.force_login(MembershipFactory(company=host).user)
    assert detail in client.get("/").content.decode()


@pytest.mark.django_db
def test_start_page_without_an_upcoming_meeting_has_no_meeting_section(client):
    MeetingFactory(title="Entwurf", status=Meeting.Status.DRAFT)
    html = client.get("/").content.decode()
    assert "Nächstes Netzwerktreffen" not in html
    assert "Derzeit ist 1 Unternehmen Mitglied." in html  # the draft's host


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("companies", "count_line"),
    [
        (1, "Derzeit ist 1 Unternehmen Mitglied."),
        (12, "Derzeit sind 12 Unternehmen Mitglied."),
    ],
)
def test_start_page_queries_stay_the_same_however_many_companies_and_meetings(
    client, django_assert_num_queries, companies, count_line
):
    hosts = CompanyFactory.create_batch(companies)
    CompanyFactory(status=Company.Status.PENDING)
    for host in hosts:
        MeetingFactory(host=host)
    # The member count and the next meeting with its host.
    with django_assert_num_queries(2):
        html = client.get("/").content.decode()
    assert count_line in html
    assert "Nächstes Netzwerktreffen" in html
