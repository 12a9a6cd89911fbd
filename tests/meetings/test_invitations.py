"""Publishing, changing and cancelling a meeting: who gets which mail, and only once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from meetings import services
from meetings.models import Meeting
from network_portal.models import OutboxMail
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def publish(meeting, capture):
    with capture(execute=True):
        services.meeting_publish(meeting=meeting)
    meeting.refresh_from_db()


def test_publishing_invites_each_eligible_contact_exactly_once(
    network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, host=network["moselblick"])
    publish(meeting, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.email for c in network["invited"])
    invitation = next(m for m in mail.outbox if m.to == ["anna@moselblick.example"])
    assert invitation.subject.startswith("[Attraktive Unternehmen Trier] Einladung: ")
    assert "Ich nehme teil: http" in invitation.body
    assert "Ich nehme nicht teil: http" in invitation.body
    (filename, content, mimetype) = invitation.attachments[0]
    assert filename == f"{meeting.slug}.ics" and mimetype.startswith("text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == meeting.title

    # Writing the invitations again (a retry) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        services.write_meeting_mails(meeting=meeting, kind="invitation")
    assert len(mail.outbox) == 3
    assert (
        OutboxMail.objects.filter(key__startswith=f"meeting:{meeting.pk}:invitation:").count() == 3
    )


def test_publishing_twice_is_refused(network, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    publish(meeting, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        services.meeting_publish(meeting=meeting)
    assert refused.value.messages == ["Nur ein Entwurf kann veröffentlicht werden."]
    assert len(mail.outbox) == 3


def test_changing_date_sends_one_update_to_everyone_invited(
    network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    publish(meeting, django_capture_on_commit_callbacks)
    colleague = RegistrationFactory(
        meeting=meeting,
        company=network["moselblick"],
        email="kollegin@moselblick.example",
        name="Lea Kaspari",
    )
    mail.outbox.clear()

    meeting.starts_at += timedelta(days=1)
    meeting.ends_at += timedelta(days=1)
    meeting.save()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.meeting_schedule_changed(meeting=meeting, changed_fields=["starts_at"])
    assert changed
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([c.email for c in network["invited"]] + [colleague.email])
    assert all(
        m.subject.startswith("[Attraktive Unternehmen Trier] Geändert: ") for m in mail.outbox
    )
    ics = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert int(ics["SEQUENCE"]) == 1

    # Writing the update again (a retry) sends no second one.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.write_meeting_mails(meeting=meeting, kind="update")
    assert mail.outbox == []


def test_saving_without_schedule_change_mails_nobody(network, django_capture_on_commit_callbacks):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.meeting_schedule_changed(meeting=meeting, changed_fields=["description"])
    assert not changed and mail.outbox == []
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_cancelling_sends_a_notice_with_cancelled_calendar_entry(
    network, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting)
    assert len(mail.outbox) == 3
    assert mail.outbox[0].subject.startswith("[Attraktive Unternehmen Trier] Abgesagt: ")
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert str(event["STATUS"]) == "CANCELLED"
    assert int(event["SEQUENCE"]) == 1


def test_cancelling_a_draft_mails_nobody(network, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting)
    assert mail.outbox == []
