"""Factories for the seal; fictional data only."""

from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.roles import JURY_GROUP
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

    class Params:
        # The application deadline has passed: the jury scores, the coordinators decide;
        # nothing is public yet (the ceremony is ahead).
        scoring = factory.Trait(
            applications_open_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )
        # The award ceremony took place five days ago: the cycle's results are public.
        awarded = factory.Trait(
            criteria_published_on=factory.LazyFunction(
                lambda: timezone.localdate() - timedelta(days=240)
            ),
            applications_open_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=200)),
            deadline=factory.LazyFunction(lambda: timezone.now() - timedelta(days=120)),
            jury_review_until=factory.LazyFunction(
                lambda: timezone.localdate() - timedelta(days=90)
            ),
            decision_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60)),
            ceremony_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5)),
        )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    cycle = factory.SubFactory(AwardCycleFactory)
    name = factory.Sequence(lambda n: f"Kategorie {n}")
    position = factory.Sequence(int)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion
        skip_postgeneration_save = True

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


# --- Jury and scoring (appended for the jury pages) -------------------------------------------


class SubmittedApplicationFactory(ApplicationFactory):
    """An application the company has submitted, ready for the jury."""

    submitted_at = factory.LazyFunction(timezone.now)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "seal.Evidence"

    answer = factory.SubFactory(AnswerFactory)
    file = factory.django.FileField(filename="evidence.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "Weiterbildungsplan 2027.pdf"
    content_type = "application/pdf"
    size = 15


class ScoreFactory(factory.django.DjangoModelFactory):
    """A score written directly (services.score_save checks the rules; use it where they
    matter)."""

    class Meta:
        model = "seal.Score"

    assignment = factory.SubFactory(JurorAssignmentFactory)
    criterion = factory.SubFactory(CriterionFactory)
    points = 2
    comment = ""


# --- Added for the application and public pages --------------------------------------------

# The smallest PDF a reader accepts (pypdf opens it).
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def tiny_png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#8c1c2b").save(buffer, format="PNG")
    return buffer.getvalue()


class CertificateFactory(factory.django.DjangoModelFactory):
    """An awarded application whose decision has been sent, with a valid certificate of a
    published cycle (its ceremony was five days ago)."""

    class Meta:
        model = "seal.Certificate"

    application = factory.SubFactory(
        ApplicationFactory,
        # Awarded at the ceremony five days ago: public (pass a cycle of your own otherwise).
        cycle=factory.SubFactory(AwardCycleFactory, awarded=True),
        submitted_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=140)),
        decision=Application.Decision.AWARDED,
        decided_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=5)),
        decision_sent_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=5)),
    )
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    valid_until = factory.LazyAttribute(lambda o: o.issued_on + timedelta(days=4 * 365))


# --- Added for the admin, ranking and decisions --------------------------------------------


def submitted_scores(application, juror_user, points: dict, *, submitted: bool = True):
    """``juror_user``'s scores on ``application`` ({criterion: points}), written directly."""
    assignment = JurorAssignmentFactory(
        application=application,
        juror=juror_user,
        submitted_at=timezone.now() if submitted else None,
    )
    for criterion, value in points.items():
        ScoreFactory(assignment=assignment, criterion=criterion, points=value)
    return assignment


def ranking_example():
    """A cycle with two categories and three scored applications, computed by hand.

    Category A: a1 (weight 2), a2 (weight 1); category B: b1 (weight 1); all on 0–4.
    Two jurors have submitted; a third has scored Porta Digital without submitting (ignored).

    ===========================  ======  ======  ======  =======  =======  =====
    company (size class)         a1      a2      b1      A        B        total
    ===========================  ======  ======  ======  =======  =======  =====
    Porta Digital (small)        4, 4    3, 1 ⚑  4, 3    83.33    87.50    84.38
    Moselblick Pflege (medium)   3, 3    4, 4    2, 3    83.33    62.50    78.13
    Klinikverbund (large)        2, 3    2, 2    1, 1    58.33    25.00    50.00
    ===========================  ======  ======  ======  =======  =======  =====

    A = (2·mean(a1) + mean(a2)) / 12, B = mean(b1) / 4, total = (2·a1 + a2 + b1) / 16.
    """
    from members.models import SizeClass
    from tests.factories import CompanyFactory

    cycle = AwardCycleFactory(name="2029", slug="2029", scoring=True)
    category_a = CategoryFactory(cycle=cycle, name="Aus- und Weiterbildung", position=1)
    category_b = CategoryFactory(cycle=cycle, name="Gesundheit", position=2)
    a1 = CriterionFactory(category=category_a, question="Weiterbildungsplan", weight=2, position=1)
    a2 = CriterionFactory(category=category_a, question="Ausbildung", weight=1, position=2)
    b1 = CriterionFactory(category=category_b, question="Gesundheitsangebote", position=1)
    companies = {
        "porta": CompanyFactory(name="Porta Digital Werkstatt UG", size_class=SizeClass.SMALL),
        "moselblick": CompanyFactory(name="Moselblick Pflege GmbH", size_class=SizeClass.MEDIUM),
        "klinik": CompanyFactory(
            name="Klinikverbund Trierer Land gGmbH", size_class=SizeClass.LARGE
        ),
    }
    points = {
        "porta": [(4, 3, 4), (4, 1, 3)],
        "moselblick": [(3, 4, 2), (3, 4, 3)],
        "klinik": [(2, 2, 1), (3, 2, 1)],
    }
    jurors = [juror(last_name="Juror"), juror(last_name="Jurorin")]
    applications = {}
    for key, company in companies.items():
        application = SubmittedApplicationFactory(cycle=cycle, company=company)
        for criterion in (a1, a2, b1):
            AnswerFactory(application=application, criterion=criterion)
        for juror_user, values in zip(jurors, points[key], strict=True):
            submitted_scores(application, juror_user, dict(zip((a1, a2, b1), values, strict=True)))
        applications[key] = application
    submitted_scores(applications["porta"], juror(), {a1: 0, a2: 0, b1: 0}, submitted=False)
    return {
        "cycle": cycle,
        "categories": (category_a, category_b),
        "criteria": (a1, a2, b1),
        "companies": companies,
        "applications": applications,
        "jurors": jurors,
    }
