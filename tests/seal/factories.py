"""Factories for the seal; fictional data only."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from members.roles import JURY_GROUP
from seal.models import (
    Answer,
    Application,
    AwardCycle,
    Category,
    Criterion,
    JurorAssignment,
    ScaleLevel,
)
from tests.factories import CompanyFactory, UserFactory


class AwardCycleFactory(factory.django.DjangoModelFactory):
    """A cycle open for applications now, deadline in three weeks."""

    class Meta:
        model = AwardCycle

    name = factory.Sequence(lambda n: str(2027 + 2 * n))
    slug = factory.LazyAttribute(lambda o: o.name)
    criteria_published_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    applications_open_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=21))
    jury_review_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=50))
    decision_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    ceremony_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=70))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    cycle = factory.SubFactory(AwardCycleFactory)
    name = factory.Sequence(lambda n: f"Kategorie {n}")
    position = factory.Sequence(int)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    category = factory.SubFactory(CategoryFactory)
    question = factory.Sequence(lambda n: f"Kriterium {n}: Wie fördern Sie Ihre Beschäftigten?")
    guidance = "Beschreiben Sie konkrete Angebote."
    scale_max = 4
    weight = 1
    position = factory.Sequence(int)

    @factory.post_generation
    def levels(self, create, extracted, **kwargs):
        if create:
            ScaleLevel.objects.bulk_create(
                [
                    ScaleLevel(criterion=self, points=p, description=f"Stufe {p}")
                    for p in range(self.scale_max + 1)
                ]
            )


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    cycle = factory.SubFactory(AwardCycleFactory)
    company = factory.SubFactory(CompanyFactory)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    application = factory.SubFactory(ApplicationFactory)
    criterion = factory.SubFactory(CriterionFactory)
    self_assessment = 3
    explanation = "Wir bieten regelmäßige Weiterbildungen an."


def juror(**kwargs):
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=JURY_GROUP)[0])
    return user


class JurorAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JurorAssignment

    application = factory.SubFactory(ApplicationFactory)
    juror = factory.LazyFunction(juror)
