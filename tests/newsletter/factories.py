"""Factories for the newsletter; fictional data only."""

import factory
from django.utils import timezone

from newsletter.models import Bounce, Delivery, Issue, MailingList, Subscriber, Subscription


class MailingListFactory(factory.django.DjangoModelFactory):
    """A public list anyone can join on the website."""

    class Meta:
        model = MailingList
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Fachkräfte-Newsletter {n}")
    slug = factory.Sequence(lambda n: f"fachkraefte-{n}")
    description = "Neuigkeiten aus dem Netzwerk, Termine und Änderungen im Recht."
    kind = MailingList.Kind.PUBLIC


PublicListFactory = MailingListFactory


class MemberListFactory(MailingListFactory):
    name = factory.Sequence(lambda n: f"Alle Mitglieder {n}")
    slug = factory.Sequence(lambda n: f"alle-mitglieder-{n}")
    kind = MailingList.Kind.MEMBERS


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"leser{n}@moselblick.example")
    salutation = Subscriber.Salutation.MS
    first_name = "Petra"
    last_name = factory.Sequence(lambda n: f"Kettern{n}")
    language = "de"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription (made through the public form)."""

    class Meta:
        model = Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    mailing_list = factory.SubFactory(MailingListFactory)
    status = Subscription.Status.CONFIRMED
    source = "public-signup"
    confirmed_at = factory.LazyFunction(timezone.now)


class IssueFactory(factory.django.DjangoModelFactory):
    """A draft; pass ``lists=[...]`` to target lists."""

    class Meta:
        model = Issue
        skip_postgeneration_save = True

    subject = factory.Sequence(lambda n: f"Netzwerk-News {n}: Fachkräfte gewinnen")
    preheader = "Neues aus dem Netzwerk"
    body = (
        "## Neuigkeiten\n\n"
        "Das nächste **Netzwerktreffen** findet bei der Moselblick Pflege GmbH statt."
    )
    is_public = True

    @factory.post_generation
    def lists(self, create, extracted, **kwargs):
        if create and extracted:
            self.lists.set(extracted)


class SentIssueFactory(IssueFactory):
    status = Issue.Status.SENT
    sent_at = factory.LazyFunction(timezone.now)
    sending_started_at = factory.LazyFunction(timezone.now)


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    issue = factory.SubFactory(IssueFactory)
    subscriber = factory.SubFactory(SubscriberFactory)
    email = factory.LazyAttribute(lambda o: o.subscriber.email if o.subscriber else "")
    status = Delivery.Status.PENDING


class BounceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bounce

    email = factory.Sequence(lambda n: f"unzustellbar{n}@moselblick.example")
    kind = Bounce.Kind.HARD
    diagnostic = "550 5.1.1 user unknown"
    source = "webhook"
