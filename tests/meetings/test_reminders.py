"""Reminders by beat: once per person and kind, even when the task runs twice."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from meetings import tasks
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def run_beat_at(moment):
    """Beat's task at ``moment``; the mails it writes are sent after its commit."""
    with (
        mock.patch("django.utils.timezone.now", return_value=moment),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        return tasks.send_reminders()


def test_participants_are_reminded_7_and_1_days_before_once_each():
    meeting = MeetingFactory(reminder_days=[7, 1])
    seated = RegistrationFactory(meeting=meeting, email="anna@moselblick.example")
    RegistrationFactory(meeting=meeting, status="declined", email="nein@example.org")
    RegistrationFactory(meeting=meeting, status="waitlisted", email="warte@example.org")

    assert run_beat_at(meeting.starts_at - timedelta(days=8)) == 0
    seven_days = meeting.starts_at - timedelta(days=7) + timedelta(hours=1)
    run_beat_at(seven_days)
    run_beat_at(seven_days + timedelta(minutes=15))  # the beat task again
    assert [m.to for m in mail.outbox] == [[seated.email]]
    assert mail.outbox[0].subject == f"[Attraktive Unternehmen Trier] In 7 Tagen: {meeting.title}"

    one_day = meeting.starts_at - timedelta(hours=20)
    run_beat_at(one_day)
    run_beat_at(one_day)
    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == f"[Attraktive Unternehmen Trier] Morgen: {meeting.title}"


def test_late_registration_gets_no_late_7_day_reminder():
    meeting = MeetingFactory(reminder_days=[7, 1])
    RegistrationFactory(meeting=meeting)
    run_beat_at(meeting.starts_at - timedelta(days=3))
    assert mail.outbox == []


def test_companies_without_any_answer_are_reminded_before_the_deadline():
    meeting = MeetingFactory()
    answered = CompanyFactory()
    RegistrationFactory(meeting=meeting, company=answered, status="declined")
    ContactPersonFactory(company=answered, email="hat@geantwortet.example")
    silent = ContactPersonFactory(email="still@example.org")
    ContactPersonFactory(
        company=silent.company, email="ohne@example.org", wants_meeting_invitations=False
    )

    before_deadline = meeting.rsvp_deadline - timedelta(days=2)
    run_beat_at(before_deadline)
    run_beat_at(before_deadline + timedelta(hours=1))
    assert [m.to for m in mail.outbox] == [[silent.email]]
    assert "Bitte antworten Sie bis" in mail.outbox[0].subject
    assert "Ich nehme teil: http" in mail.outbox[0].body


def test_no_reminders_for_cancelled_or_past_meetings():
    cancelled = MeetingFactory(status="cancelled")
    RegistrationFactory(meeting=cancelled)
    run_beat_at(cancelled.starts_at - timedelta(hours=20))
    assert mail.outbox == []
    assert timezone.now() < cancelled.starts_at
