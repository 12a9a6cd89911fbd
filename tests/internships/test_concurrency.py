"""Two coordinators placing pupils on an offer's last place at the same moment: the offer's
row lock lets exactly one through, the others get the German reason."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from internships import services
from tests.factories import CoordinatorFactory
from tests.internships.factories import InternshipOfferFactory, PupilFactory, SchoolStayFactory
from tests.utils import skip_or_fail

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 6


def test_concurrent_placements_for_the_last_place_take_exactly_one():
    if connection.vendor != "postgresql":
        skip_or_fail("the race needs PostgreSQL's row locks (DATABASE_URL=postgres://…)")
    offer = InternshipOfferFactory(places=2)
    stay = SchoolStayFactory()
    coordinator = CoordinatorFactory()
    services.placement_create(pupil=PupilFactory(stay=stay), offer=offer, by_user=coordinator)
    pupils = PupilFactory.create_batch(RACERS, stay=stay)
    start = threading.Barrier(RACERS)
    refused, errors = [], []

    def racer(n):
        try:
            start.wait()
            services.placement_create(pupil=pupils[n], offer=offer, by_user=coordinator)
        except ValidationError as error:
            refused.append(error.messages[0])
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
    assert offer.placements.count() == 2
    assert len(refused) == RACERS - 1
    assert all(message.startswith("Alle 2 Plätze") for message in refused)
