"""The demo shows the internships: two offers on the public page, a partner school's stay with
pupils, two of them placed; seeding twice changes nothing."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from internships.models import InternshipOffer, Placement, Pupil, SchoolStay

pytestmark = pytest.mark.django_db


def test_the_demo_has_offers_a_stay_and_placements(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    first = (
        InternshipOffer.objects.count(),
        SchoolStay.objects.count(),
        Pupil.objects.count(),
        Placement.objects.count(),
    )
    call_command("seed_demo")

    assert first == (2, 1, 3, 2)
    assert (
        InternshipOffer.objects.count(),
        SchoolStay.objects.count(),
        Pupil.objects.count(),
        Placement.objects.count(),
    ) == first
    page = client.get(reverse("internships:public")).content.decode()
    assert "Moselblick Pflege GmbH" in page and "Petrisberg Software AG" in page
    assert "Garay" not in page
