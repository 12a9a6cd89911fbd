"""Factories for meetings; fictional data only."""

from datetime import datetime, timedelta

import factory
from django.utils import timezone

from meetings.models import (
    ExpertGuest,
    ExpertQuestion,
    Feedback,
    Meeting,
    Registration,
    TopicProposal,
)
from tests.factories import CompanyFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    """A published meeting in four weeks, RSVP deadline a week before."""

    class Meta:
        model = Meeting

    title = factory.Sequence(lambda n: f"Netzwerktreffen {n}: Fachkräfte halten")
    slug = factory.Sequence(lambda n: f"netzwerktreffen-{n}")
    topic = "Weiterbildung und Mitarbeiterbindung"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=28)).replace(
            hour=16, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=2))
    rsvp_deadline = factory.LazyAttribute(lambda o: o.starts_at - timedelta(days=7))
    host = factory.SubFactory(CompanyFactory)
    venue_name = "Moselblick Pflege GmbH"
    venue_street = "Zurmaiener Straße 44"
    venue_postcode = "54292"
    venue_city = "Trier"
    room = "Seminarraum 2"
    capacity = 40
    per_company_limit = 3
    status = Meeting.Status.PUBLISHED

    class Params:
        # The day of the meeting: it began half an hour ago (the door is open).
        today = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))
        )


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    company = factory.SubFactory(CompanyFactory)
    name = factory.Faker("name", locale="de_DE")
    email = factory.Sequence(lambda n: f"teilnehmer{n}@example.org")
    status = Registration.Status.CONFIRMED


class TopicProposalFactory(factory.django.DjangoModelFactory):
    """A topic wish without votes (``services.topic_propose`` adds the proposer's vote)."""

    class Meta:
        model = TopicProposal

    title = factory.Sequence(lambda n: f"Themenwunsch {n}: Ausbildung im Verbund")
    description = "Wie kleine Betriebe gemeinsam ausbilden können."
    company = factory.SubFactory(CompanyFactory)


class FeedbackFactory(factory.django.DjangoModelFactory):
    """Feedback of a seated participant; the meeting is the registration's."""

    class Meta:
        model = Feedback

    registration = factory.SubFactory(RegistrationFactory)
    meeting = factory.SelfAttribute("registration.meeting")
    rating = 4
    comment = ""


class ExpertGuestFactory(factory.django.DjangoModelFactory):
    """An external expert at a meeting."""

    class Meta:
        model = ExpertGuest

    meeting = factory.SubFactory(MeetingFactory, collects_questions=True)
    name = factory.Sequence(lambda n: f"Petra Fachfrau {n}")
    organisation = "Ausländerbehörde Trier"
    email = factory.Sequence(lambda n: f"fachperson{n}@trier.example")


class ExpertQuestionFactory(factory.django.DjangoModelFactory):
    """A member company's question to one expert of the meeting (``expert=None``: to all)."""

    class Meta:
        model = ExpertQuestion

    meeting = factory.SubFactory(MeetingFactory, collects_questions=True)
    expert = None
    company = factory.SubFactory(CompanyFactory)
    text = factory.Sequence(lambda n: f"Frage {n}: Wie lange dauert die Vorabzustimmung?")
    show_company = True


def meeting_form_post(values: dict) -> dict:
    """What the meeting's admin form posts for the field ``values``: dates and times split in
    two, no new agenda items or materials, saved with „Sichern“ (unless ``values`` says
    otherwise)."""
    data = {}
    for name, value in values.items():
        if isinstance(value, datetime):
            local = timezone.localtime(value)
            data[f"{name}_0"] = local.date().isoformat()
            data[f"{name}_1"] = local.strftime("%H:%M:%S")
        else:
            data[name] = "" if value is None else value
    for prefix in ("agenda_items", "materials", "experts"):
        data.setdefault(f"{prefix}-TOTAL_FORMS", "0")
        data.setdefault(f"{prefix}-INITIAL_FORMS", "0")
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    data.setdefault("_save", "Sichern")
    return data
