"""Member lists follow the contact persons of active member companies who want the newsletter."""

import pytest

from members.models import Company, ContactPerson
from newsletter import services
from newsletter.models import ConsentRecord, MailingList, Subscriber, Subscription
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.newsletter.factories import MailingListFactory, SubscriptionFactory

pytestmark = pytest.mark.django_db

HR = ContactPerson.Function.HR


@pytest.fixture
def all_members():
    return MailingListFactory(
        name="Alle Mitglieder", slug="alle-mitglieder", kind=MailingList.Kind.MEMBERS
    )


@pytest.fixture
def hr_list():
    return MailingListFactory(
        name="Personalverantwortliche",
        slug="personal",
        kind=MailingList.Kind.MEMBERS,
        contact_function=HR,
    )


@pytest.fixture
def moselblick():
    return CompanyFactory(name="Moselblick Pflege GmbH", slug="moselblick-pflege")


def confirmed(mailing_list) -> list[str]:
    return sorted(
        mailing_list.subscriptions.filter(status=Subscription.Status.CONFIRMED).values_list(
            "subscriber__email", flat=True
        )
    )


def status_of(email: str, mailing_list) -> str:
    return Subscription.objects.get(subscriber__email=email, mailing_list=mailing_list).status


def test_all_members_list_holds_the_contacts_of_active_companies_who_want_the_newsletter(
    all_members, hr_list, moselblick
):
    ContactPersonFactory(
        company=moselblick,
        email="Personal@Moselblick-Pflege.example",
        function=HR,
        salutation=ContactPerson.Salutation.MS,
        title="Dr.",
        first_name="Petra",
        last_name="Müller",
    )
    ContactPersonFactory(
        company=moselblick,
        email="geschaeftsfuehrung@moselblick-pflege.example",
        function=ContactPerson.Function.MANAGEMENT,
    )
    ContactPersonFactory(
        company=moselblick,
        email="ohne-newsletter@moselblick-pflege.example",
        wants_newsletter=False,
    )
    for status in (Company.Status.PAUSED, Company.Status.LEFT, Company.Status.PENDING):
        ContactPersonFactory(
            company=CompanyFactory(status=status), email=f"personal@{status}.example", function=HR
        )

    services.sync_member_lists()

    assert confirmed(all_members) == [
        "geschaeftsfuehrung@moselblick-pflege.example",
        "personal@moselblick-pflege.example",
    ]
    assert confirmed(hr_list) == ["personal@moselblick-pflege.example"]
    subscriber = Subscriber.objects.get(email="personal@moselblick-pflege.example")
    assert (
        subscriber.salutation,
        subscriber.title,
        subscriber.first_name,
        subscriber.last_name,
        subscriber.contact.company,
    ) == ("ms", "Dr.", "Petra", "Müller", moselblick)
    subscription = subscriber.subscriptions.get(mailing_list=all_members)
    assert subscription.source == "member-contact"
    assert subscription.confirmed_at is not None


def test_sync_leaves_public_lists_alone(all_members, moselblick):
    public = MailingListFactory(name="Newsletter", slug="newsletter")
    reader = SubscriptionFactory(mailing_list=public, subscriber__email="leserin@example.org")
    ContactPersonFactory(company=moselblick, email="kontakt@moselblick-pflege.example")

    services.sync_member_lists()

    assert confirmed(public) == ["leserin@example.org"]
    assert confirmed(all_members) == ["kontakt@moselblick-pflege.example"]
    assert list(reader.subscriber.subscriptions.all()) == [reader]


def test_sync_twice_adds_nothing(all_members, hr_list, moselblick):
    ContactPersonFactory(company=moselblick, function=HR)
    ContactPersonFactory(company=moselblick, function=ContactPerson.Function.TRAINING)
    services.sync_member_lists()
    before = list(Subscription.objects.order_by("pk").values_list("pk", "status", "confirmed_at"))

    services.sync_member_lists()

    assert (
        list(Subscription.objects.order_by("pk").values_list("pk", "status", "confirmed_at"))
        == before
    )
    assert len(before) == 3
    assert Subscriber.objects.count() == 2


def test_a_contact_who_unsubscribed_is_not_resubscribed_by_the_sync(
    all_members, hr_list, moselblick
):
    ContactPersonFactory(
        company=moselblick, email="personal@moselblick-pflege.example", function=HR
    )
    services.sync_member_lists()
    subscriber = Subscriber.objects.get(email="personal@moselblick-pflege.example")

    services.unsubscribe_all(subscriber=subscriber, form="unsubscribe-link")
    services.sync_member_lists()
    services.sync_member_lists()

    assert status_of(subscriber.email, all_members) == Subscription.Status.UNSUBSCRIBED
    assert status_of(subscriber.email, hr_list) == Subscription.Status.UNSUBSCRIBED
    assert list(
        ConsentRecord.objects.filter(subscriber=subscriber).values_list(
            "mailing_list__slug", "action", "form"
        )
    ) == [
        ("alle-mitglieder", "withdrawn", "unsubscribe-link"),
        ("personal", "withdrawn", "unsubscribe-link"),
    ]


def _no_newsletter(contact):
    contact.wants_newsletter = False
    contact.save()


def _pause_company(contact):
    contact.company.status = Company.Status.PAUSED
    contact.company.save()


def _leave_network(contact):
    contact.company.status = Company.Status.LEFT
    contact.company.save()


def _restore(contact):
    contact.wants_newsletter = True
    contact.save()
    contact.company.status = Company.Status.ACTIVE
    contact.company.save()


@pytest.mark.parametrize("stop", [_no_newsletter, _pause_company, _leave_network])
def test_a_contact_who_is_no_longer_eligible_is_ended_and_comes_back_when_eligible_again(
    all_members, hr_list, moselblick, stop
):
    contact = ContactPersonFactory(
        company=moselblick, email="personal@moselblick-pflege.example", function=HR
    )
    services.sync_member_lists()
    assert status_of(contact.email, all_members) == Subscription.Status.CONFIRMED

    stop(contact)
    services.sync_member_lists()

    assert status_of(contact.email, all_members) == Subscription.Status.ENDED
    assert status_of(contact.email, hr_list) == Subscription.Status.ENDED
    assert confirmed(all_members) == []

    _restore(contact)
    services.sync_member_lists()

    assert status_of(contact.email, all_members) == Subscription.Status.CONFIRMED
    assert status_of(contact.email, hr_list) == Subscription.Status.CONFIRMED


def test_a_contact_who_changes_function_leaves_the_function_list_only(
    all_members, hr_list, moselblick
):
    contact = ContactPersonFactory(
        company=moselblick, email="personal@moselblick-pflege.example", function=HR
    )
    services.sync_member_lists()

    contact.function = ContactPerson.Function.TRAINING
    contact.save()
    services.sync_member_lists()

    assert status_of(contact.email, hr_list) == Subscription.Status.ENDED
    assert status_of(contact.email, all_members) == Subscription.Status.CONFIRMED
