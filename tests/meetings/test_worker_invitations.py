"""A real Celery worker on Redis delivers the invitations of a published meeting to a local
SMTP server: exactly one mail per eligible contact."""

import time

import pytest

from meetings import services
from meetings.models import Meeting
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory
from tests.services import celery_worker, wait_until
from tests.smtp_sink import SMTPSink

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_worker_delivers_one_invitation_per_eligible_contact(real_broker):
    eligible = []
    for n in range(6):
        company = CompanyFactory(name=f"Moselbetrieb {n}", slug=f"moselbetrieb-{n}")
        eligible += [
            ContactPersonFactory(company=company, email=f"a{n}@moselbetrieb.example"),
            ContactPersonFactory(company=company, email=f"b{n}@moselbetrieb.example"),
        ]
        ContactPersonFactory(
            company=company, email=f"nein{n}@moselbetrieb.example", wants_meeting_invitations=False
        )
    ContactPersonFactory(company=CompanyFactory(status="left"), email="weg@example.org")
    meeting = MeetingFactory(status=Meeting.Status.DRAFT)

    with SMTPSink() as sink, celery_worker(email_url=sink.url, queue=real_broker) as worker:
        services.meeting_publish(meeting=meeting)  # commits; the task goes to Redis
        delivered = wait_until(lambda: len(sink.recipients()) >= len(eligible))
        # The same fan-out task delivered twice by the broker sends nothing more.
        from meetings.tasks import send_meeting_mails

        send_meeting_mails.delay(meeting_id=meeting.pk, kind="invitation")
        time.sleep(3)
        got = sink.recipients()
        log = worker.log()
    assert delivered, log
    assert sorted(got) == sorted(c.email for c in eligible)
    subjects = {str(message["Subject"]).strip() for _, message in sink.handler.messages}
    assert len(subjects) == 1 and subjects.pop().startswith("[Attraktive Unternehmen Trier] ")
