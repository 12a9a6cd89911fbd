"""The meetings' section of the cockpit: which meetings it shows, and the RSVP deadline in
words."""

from datetime import timedelta

import pytest
from django.utils import timezone

from meetings.cockpit import deadline_text, next_meetings
from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_next_three_published_meetings_that_are_not_over():
    now = timezone.now()
    running = MeetingFactory(
        starts_at=now - timedelta(hours=1), rsvp_deadline=now - timedelta(days=2)
    )
    later = [
        MeetingFactory(
            starts_at=now + timedelta(days=days), rsvp_deadline=now + timedelta(days=days - 7)
        )
        for days in (40, 12, 70)
    ]
    MeetingFactory(status=Meeting.Status.DRAFT, starts_at=now + timedelta(days=5))
    MeetingFactory(status=Meeting.Status.CANCELLED, starts_at=now + timedelta(days=6))
    MeetingFactory(
        starts_at=now - timedelta(days=3), rsvp_deadline=now - timedelta(days=10)
    )  # over
    assert list(next_meetings(now=now)) == [running, later[1], later[0]]


@pytest.mark.parametrize(
    ("deadline", "text", "close"),
    [
        (
            timezone.make_aware(timezone.datetime(2026, 12, 3, 18, 0)),
            "Anmeldeschluss heute (03.12.2026 18:00)",
            True,
        ),
        (
            timezone.make_aware(timezone.datetime(2026, 12, 4, 9, 0)),
            "Noch 1 Tag bis zum Anmeldeschluss (04.12.2026 09:00)",
            True,
        ),
        (
            timezone.make_aware(timezone.datetime(2026, 12, 6, 12, 0)),
            "Noch 3 Tage bis zum Anmeldeschluss (06.12.2026 12:00)",
            True,
        ),
        (
            timezone.make_aware(timezone.datetime(2026, 12, 14, 12, 0)),
            "Noch 11 Tage bis zum Anmeldeschluss (14.12.2026 12:00)",
            False,
        ),
        (
            timezone.make_aware(timezone.datetime(2026, 12, 1, 12, 0)),
            "Anmeldeschluss war am 01.12.2026",
            False,
        ),
    ],
)
def test_the_rsvp_deadline_in_words(deadline, text, close):
    now = timezone.make_aware(timezone.datetime(2026, 12, 3, 10, 0))
    meeting = Meeting(rsvp_deadline=deadline)
    assert deadline_text(meeting, now) == (text, close)
