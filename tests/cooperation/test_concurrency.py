"""Companies booking the last places of a language course at the same moment: the project row
is locked, so nobody is overbooked and the rest waits in order."""

import threading

import pytest
from django.db import connection, connections

from cooperation import services
from cooperation.models import Booking
from tests.cooperation.factories import LanguageCourseFactory
from tests.factories import CompanyFactory
from tests.utils import skip_or_fail

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 6


def test_concurrent_bookings_never_overbook_the_course():
    if connection.vendor != "postgresql":
        skip_or_fail("the race needs PostgreSQL's row locks (DATABASE_URL=postgres://…)")
    course = LanguageCourseFactory(total_places=3, max_places_per_company=2)
    early = CompanyFactory()
    services.booking_book(project=course, company=early, places=1, by_user=None)
    companies = [CompanyFactory() for _ in range(RACERS)]
    start = threading.Barrier(RACERS)
    errors = []

    def racer(n):
        try:
            start.wait()
            services.booking_book(project=course, company=companies[n], places=2, by_user=None)
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
    bookings = Booking.objects.filter(company__in=companies)
    assert sum(booking.places for booking in bookings) == 2  # 3 places, 1 booked before
    assert sum(booking.places + booking.waiting_places for booking in bookings) == 2 * RACERS
    # One racer got both free places; everyone else waits with both places, one after another.
    assert sorted(booking.places for booking in bookings) == [0] * (RACERS - 1) + [2]
    waiting = list(Booking.objects.waiting().filter(project=course))
    assert len(waiting) == RACERS - 1
    assert len({booking.waitlisted_at for booking in waiting}) == RACERS - 1
