"""Many people answering at the same moment for the last seat: nobody is overbooked."""

import threading

import pytest
from django.db import connection, connections

from meetings import services
from meetings.models import Registration
from tests.factories import CompanyFactory
from tests.meetings.factories import MeetingFactory
from tests.utils import skip_or_fail

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 8


def test_concurrent_answers_for_the_last_seat_seat_exactly_one():
    if connection.vendor != "postgresql":
        skip_or_fail("the race needs PostgreSQL's row locks (DATABASE_URL=postgres://…)")
    meeting = MeetingFactory(capacity=3, per_company_limit=RACERS)
    early = CompanyFactory()
    for n in range(2):
        services.rsvp_answer(
            meeting=meeting,
            company=early,
            name=f"Früh {n}",
            email=f"frueh{n}@example.org",
            attending=True,
        )
    companies = [CompanyFactory() for _ in range(RACERS)]
    start = threading.Barrier(RACERS)
    errors = []

    def racer(n):
        try:
            start.wait()
            services.rsvp_answer(
                meeting=meeting,
                company=companies[n],
                name=f"Schnell {n}",
                email=f"schnell{n}@example.org",
                attending=True,
            )
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    racers = Registration.objects.filter(email__startswith="schnell")
    assert racers.filter(status="confirmed").count() == 1
    assert racers.filter(status="waitlisted").count() == RACERS - 1
    assert meeting.registrations.seated().count() == meeting.capacity
