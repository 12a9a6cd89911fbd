"""Factories of the internships app: offers with one period, partner schools, stays, pupils."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from internships.models import (
    Field,
    InternshipOffer,
    OfferPeriod,
    PartnerSchool,
    Placement,
    Pupil,
    SchoolStay,
)
from tests.factories import CompanyFactory, ContactPersonFactory


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


class InternshipOfferFactory(factory.django.DjangoModelFactory):
    """An open offer with one period (days 30 to 90 from today) unless ``periods=[...]``."""

    class Meta:
        model = InternshipOffer
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    field = Field.CARE
    places = 2
    description = "Mitarbeit in der Tagespflege."
    contact = factory.LazyAttribute(lambda o: ContactPersonFactory(company=o.company))
    public_consent = True

    @factory.post_generation
    def periods(self, create, extracted, **kwargs):
        if not create:
            return
        for starts_on, ends_on in extracted if extracted is not None else [(30, 90)]:
            OfferPeriod.objects.create(
                offer=self,
                starts_on=in_days(starts_on) if isinstance(starts_on, int) else starts_on,
                ends_on=in_days(ends_on) if isinstance(ends_on, int) else ends_on,
            )


class PartnerSchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerSchool

    name = "Deutsche Schule Bilbao"
    city = "Bilbao"
    country = "Spanien"
    contact_name = "Marta Etxeberria"
    contact_email = "praktikum@dsbilbao.example"


class SchoolStayFactory(factory.django.DjangoModelFactory):
    """Three weeks from day 40."""

    class Meta:
        model = SchoolStay

    school = factory.SubFactory(PartnerSchoolFactory)
    starts_on = factory.LazyFunction(lambda: in_days(40))
    ends_on = factory.LazyFunction(lambda: in_days(60))


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    stay = factory.SubFactory(SchoolStayFactory)
    first_name = factory.Sequence(lambda n: f"Ane{n}")
    last_name = "Garay"
    starts_on = factory.LazyAttribute(lambda o: o.stay.starts_on)
    ends_on = factory.LazyAttribute(lambda o: o.stay.ends_on)
    wished_field = Field.CARE


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    pupil = factory.SubFactory(PupilFactory)
    offer = factory.SubFactory(InternshipOfferFactory)
