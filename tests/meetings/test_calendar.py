"""The .ics download of one meeting and the personal calendar feed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import CalendarFeed, Meeting
from members.models import Company
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def summer_meeting(**kwargs):
    """18:00 local time in summer (CEST, UTC+2), in 2031 so that it is ahead."""
    starts = datetime(2031, 6, 12, 18, 0, tzinfo=BERLIN)
    return MeetingFactory(
        title="Netzwerktreffen Sommer: KI-Suchmaschinenoptimierung",
        slug="netzwerktreffen-sommer-2031",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2, minutes=30),
        rsvp_deadline=starts - timedelta(days=7),
        **kwargs,
    )


def download(client, meeting):
    response = client.get(reverse("meetings:ics", args=[meeting.slug]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="{meeting.slug}.ics"'
    return Calendar.from_ical(response.content)


def only_event(cal):
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_ics_download_is_a_valid_calendar_entry(client, company_user):
    meeting = summer_meeting()
    client.force_login(company_user)
    event = only_event(download(client, meeting))

    assert str(event["SUMMARY"]) == "Netzwerktreffen Sommer: KI-Suchmaschinenoptimierung"
    start = event.decoded("DTSTART")
    assert start == datetime(2031, 6, 12, 18, 0, tzinfo=BERLIN)
    assert start.astimezone(BERLIN).hour == 18
    assert event.decoded("DTEND").astimezone(BERLIN) == datetime(2031, 6, 12, 20, 30, tzinfo=BERLIN)
    assert "ORGANIZER" not in event
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Zurmaiener Straße 44, 54292 Trier" in str(event["LOCATION"])
    alarms = event.walk("VALARM")
    assert len(alarms) == 1
    assert alarms[0]["TRIGGER"].to_ical() == b"-P1D"


def test_uid_stays_and_sequence_rises_when_the_schedule_changes(client, company_user):
    meeting = summer_meeting()
    client.force_login(company_user)
    before = only_event(download(client, meeting))

    meeting.starts_at = datetime(2031, 6, 12, 17, 0, tzinfo=BERLIN)
    meeting.save()
    assert services.meeting_schedule_changed(meeting=meeting, changed_fields=["starts_at"])
    after = only_event(download(client, meeting))

    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after.decoded("DTSTART").astimezone(BERLIN).hour == 17


def test_cancelled_meeting_comes_as_cancelled(client, company_user):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    client.force_login(company_user)
    event = only_event(download(client, meeting))
    assert str(event["STATUS"]) == "CANCELLED"


def test_draft_meeting_is_not_found(client, company_user):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    client.force_login(company_user)
    response = client.get(reverse("meetings:ics", args=[meeting.slug]))
    assert response.status_code == 404


def test_any_member_may_download_but_anonymous_must_log_in(client, other_company_admin):
    meeting = summer_meeting(host=CompanyFactory(name="Moselblick Pflege GmbH"))
    client.force_login(other_company_admin)  # a user of another company than the host
    assert only_event(download(client, meeting))

    client.logout()
    url = reverse("meetings:ics", args=[meeting.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_user_without_active_company_may_not_download(client):
    meeting = summer_meeting()
    paused = CompanyFactory(status=Company.Status.PAUSED)
    client.force_login(MembershipFactory(company=paused).user)
    assert client.get(reverse("meetings:ics", args=[meeting.slug])).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("meetings:ics", args=[meeting.slug])).status_code == 403


def feed_path_of(user):
    return reverse("meetings:feed", args=[CalendarFeed.objects.get(user=user).token])


def test_feed_is_created_and_works_without_login(client, company_user):
    now = timezone.now()
    MeetingFactory(title="Künftiges Treffen")
    MeetingFactory(title="Abgesagtes Treffen", status=Meeting.Status.CANCELLED)
    MeetingFactory(
        title="Gehaltenes Treffen",
        status=Meeting.Status.HELD,
        starts_at=now - timedelta(days=90),
        ends_at=now - timedelta(days=90) + timedelta(hours=2),
        rsvp_deadline=now - timedelta(days=97),
    )
    MeetingFactory(title="Entwurf", status=Meeting.Status.DRAFT)
    MeetingFactory(
        title="Uraltes Treffen",
        status=Meeting.Status.HELD,
        starts_at=now - timedelta(days=500),
        ends_at=now - timedelta(days=500) + timedelta(hours=2),
        rsvp_deadline=now - timedelta(days=507),
    )
    client.force_login(company_user)
    page = client.get(reverse("meetings:calendar")).content.decode()
    assert "Sie haben noch keine Kalenderadresse." in page

    response = client.post(reverse("meetings:calendar"), {"action": "create"}, follow=True)
    page = response.content.decode()
    assert "Ihr persönliches Kalender-Abo ist eingerichtet." in page
    feed_url = settings.SITE_URL + feed_path_of(company_user)
    assert f'value="{feed_url}"' in page
    assert f'href="webcal://{feed_url.split("://", 1)[1]}"' in page

    client.logout()
    response = client.get(feed_path_of(company_user))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "private" in response["Cache-Control"]
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(events) == {"Künftiges Treffen", "Abgesagtes Treffen", "Gehaltenes Treffen"}
    assert str(events["Abgesagtes Treffen"]["STATUS"]) == "CANCELLED"
    assert str(events["Künftiges Treffen"]["STATUS"]) == "CONFIRMED"


def test_renewing_the_feed_revokes_the_old_address(client, company_user):
    MeetingFactory(title="Künftiges Treffen")
    client.force_login(company_user)
    client.post(reverse("meetings:calendar"), {"action": "create"})
    old_path = feed_path_of(company_user)

    response = client.post(reverse("meetings:calendar"), {"action": "renew"}, follow=True)
    assert "Die alte Adresse funktioniert nicht mehr" in response.content.decode()
    new_path = feed_path_of(company_user)
    assert new_path != old_path
    assert CalendarFeed.objects.filter(user=company_user).count() == 1

    client.logout()
    assert client.get(old_path).status_code == 404
    assert "Künftiges Treffen" in client.get(new_path).content.decode()


def test_switching_the_feed_off(client, company_user):
    client.force_login(company_user)
    client.post(reverse("meetings:calendar"), {"action": "create"})
    path = feed_path_of(company_user)
    response = client.post(reverse("meetings:calendar"), {"action": "delete"}, follow=True)
    assert "Ihr Kalender-Abo ist abgeschaltet." in response.content.decode()
    assert not CalendarFeed.objects.filter(user=company_user).exists()
    assert client.get(path).status_code == 404


def test_unknown_feed_token_is_not_found(client):
    assert client.get(reverse("meetings:feed", args=["gibt-es-nicht"])).status_code == 404


def test_feed_stops_when_the_company_leaves_the_network(client, company, company_user):
    client.force_login(company_user)
    client.post(reverse("meetings:calendar"), {"action": "create"})
    path = feed_path_of(company_user)
    client.logout()
    assert client.get(path).status_code == 200
    company.status = Company.Status.LEFT
    company.save()
    assert client.get(path).status_code == 404


def test_calendar_page_is_for_members_only(client):
    url = reverse("meetings:calendar")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("n", [1, 12])
def test_feed_query_count_is_constant(client, company_user, django_assert_num_queries, n):
    MeetingFactory.create_batch(n)
    feed = CalendarFeed.objects.create(user=company_user, token=CalendarFeed.new_token())
    with django_assert_num_queries(2):  # feed with user, membership and company; meetings
        response = client.get(reverse("meetings:feed", args=[feed.token]))
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == n


@pytest.mark.parametrize("token", ["a\x00b", "../feed", "ä" * 43])
def test_feed_address_that_cannot_be_a_token_is_not_found(client, token):
    # A NUL character would reach PostgreSQL (which refuses it) if the URL took any text.
    from urllib.parse import quote

    from tests.forms.harness import strict_database

    with strict_database():
        response = client.get(f"/meetings/feed/{quote(token, safe='')}.ics")
    assert response.status_code == 404
