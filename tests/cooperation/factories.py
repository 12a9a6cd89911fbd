"""Factories for the cooperation board; fictional data only."""

from decimal import Decimal

import factory

from cooperation.models import Booking, Interest, Project
from tests.factories import CompanyFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project of a member company, open, without places."""

    class Meta:
        model = Project

    kind = Project.Kind.FAMILY_JOBS
    title = factory.Sequence(lambda n: f"Jobs für Angehörige {n}")
    description = "Partnerinnen und Partner internationaler Pflegekräfte suchen Arbeit."
    company = factory.SubFactory(CompanyFactory)
    status = Project.Status.OPEN


class LanguageCourseFactory(ProjectFactory):
    """A shared German course with places, open for bookings."""

    kind = Project.Kind.LANGUAGE_COURSE
    title = factory.Sequence(lambda n: f"Deutschkurs B1 {n}")
    description = "Gemeinsamer Deutschkurs für internationale Beschäftigte."
    total_places = 3
    max_places_per_company = 2
    total_cost = Decimal("900.00")
    schedule = "Dienstags 17:00–18:30, 12 Termine"


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest

    project = factory.SubFactory(ProjectFactory)
    company = factory.SubFactory(CompanyFactory)


class BookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Booking

    project = factory.SubFactory(LanguageCourseFactory)
    company = factory.SubFactory(CompanyFactory)
    places = 1
