"""„Mein Konto“'s services: a new login address carries the person's entries along, and
deleting the account removes the person's data but leaves the company's."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import User
from meetings import services as meeting_services
from meetings.models import Meeting, Registration
from members.models import Company, CompanyMembership, ContactPerson
from network_portal.activity import entry_details
from network_portal.models import ActivityEntry, OutboxMail
from newsletter.models import ConsentRecord, Subscriber, Subscription
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.newsletter.factories import (
    MemberListFactory,
    PublicListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)
from tests.seal.factories import JurorAssignmentFactory

pytestmark = pytest.mark.django_db

OLD = "anna.becker@moselblick.example"
NEW = "a.becker@moselblick-pflege.example"


@pytest.fixture
def anna():
    """Anna, company admin of Moselblick Pflege GmbH, its contact person, on the member list
    and a public newsletter, registered for the next meeting."""
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    user = UserFactory(email=OLD, first_name="Anna", last_name="Becker")
    CompanyAdminFactory(user=user, company=company)
    contact = ContactPersonFactory(
        company=company, user=user, email=OLD, first_name="Anna", last_name="Becker"
    )
    subscriber = SubscriberFactory(email=OLD, contact=contact, first_name="Anna")
    SubscriptionFactory(subscriber=subscriber, mailing_list=MemberListFactory(name="Mitglieder"))
    SubscriptionFactory(subscriber=subscriber, mailing_list=PublicListFactory(name="Fachkräfte"))
    upcoming = RegistrationFactory(company=company, contact=contact, email=OLD, name="Anna Becker")
    past_meeting = MeetingFactory(
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30, hours=-2),
        rsvp_deadline=timezone.now() - timedelta(days=37),
        status=Meeting.Status.HELD,
    )
    past = RegistrationFactory(
        meeting=past_meeting, company=company, contact=contact, email=OLD, name="Anna Becker"
    )
    return {
        "user": user,
        "company": company,
        "contact": contact,
        "subscriber": subscriber,
        "upcoming": upcoming,
        "past": past,
    }


def switch_login_address(user, new_email):
    """What allauth does before it reports the change: the new, verified address becomes the
    primary one and the user's address."""
    address = EmailAddress.objects.create(user=user, email=new_email, verified=True)
    address.set_as_primary()


def test_new_login_address_moves_contact_newsletter_and_coming_registrations(anna):
    switch_login_address(anna["user"], NEW)

    message = services.login_address_change(user=anna["user"], old_email=OLD, new_email=NEW)

    assert message == (
        "Ihre Kontaktangaben bei Moselblick Pflege GmbH, Ihre Anmeldungen zu den kommenden "
        f"Netzwerktreffen und Ihr Newsletter-Abonnement nutzen jetzt {NEW}."
    )
    anna["contact"].refresh_from_db()
    assert anna["contact"].email == NEW
    subscriber = Subscriber.objects.get(pk=anna["subscriber"].pk)
    assert subscriber.email == NEW
    assert sorted(subscriber.subscriptions.values_list("mailing_list__name", "status")) == [
        ("Fachkräfte", "confirmed"),
        ("Mitglieder", "confirmed"),
    ]
    anna["upcoming"].refresh_from_db()
    anna["past"].refresh_from_db()
    assert anna["upcoming"].email == NEW
    assert anna["past"].email == OLD  # the record of a past meeting stays as it was
    # One entry for the change, naming what followed it; the addresses are personal data.
    entry = ActivityEntry.objects.get()
    assert entry.action == "accounts.user.email_changed"
    assert entry.details == {
        "addresses": [OLD, NEW],
        "updated": ["members", "meetings", "newsletter"],
    }
    assert dict(entry_details(entry))["Nutzen jetzt die neue Adresse"] == (
        "Kontakteinträge, Anmeldungen zu kommenden Treffen, Newsletter-Abonnements"
    )


def test_the_next_invitation_reaches_the_new_address(anna, django_capture_on_commit_callbacks):
    switch_login_address(anna["user"], NEW)
    services.login_address_change(user=anna["user"], old_email=OLD, new_email=NEW)

    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="Netzwerktreffen Herbst")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_publish(meeting=meeting)

    invitations = [m for m in mail.outbox if "Netzwerktreffen Herbst" in m.subject]
    assert [m.to for m in invitations] == [[NEW]]


def test_subscriptions_join_those_the_new_address_already_had(anna):
    public = Subscription.objects.get(
        subscriber=anna["subscriber"], mailing_list__name="Fachkräfte"
    )
    theirs = SubscriberFactory(email=NEW)
    SubscriptionFactory(
        subscriber=theirs,
        mailing_list=public.mailing_list,
        status=Subscription.Status.UNSUBSCRIBED,
    )
    evening = SubscriptionFactory(subscriber=theirs, mailing_list=PublicListFactory(name="Abend"))
    switch_login_address(anna["user"], NEW)

    services.login_address_change(user=anna["user"], old_email=OLD, new_email=NEW)

    assert not Subscriber.objects.filter(email=OLD).exists()
    statuses = dict(
        Subscription.objects.filter(subscriber=theirs).values_list("mailing_list__name", "status")
    )
    # The old address's confirmed subscription is the stronger wish; the other lists join.
    assert statuses == {"Fachkräfte": "confirmed", "Mitglieder": "confirmed", "Abend": "confirmed"}
    assert evening.subscriber_id == theirs.pk
    assert ConsentRecord.objects.filter(subscriber__email=OLD).count() == 0


def test_an_address_taken_by_a_colleague_entry_is_refused_and_nothing_changes(anna):
    ContactPersonFactory(company=anna["company"], email=NEW, first_name="Zweiter Eintrag")
    entries_before = ActivityEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.login_address_change(user=anna["user"], old_email=OLD, new_email=NEW)

    assert refused.value.messages == [
        f"Moselblick Pflege GmbH hat bereits einen anderen Kontakteintrag mit der Adresse {NEW}. "
        "Bitten Sie einen Unternehmens-Admin von Moselblick Pflege GmbH, diesen Eintrag zuerst "
        "auf der Seite „Mein Unternehmen“ zu entfernen; fügen Sie die Adresse danach erneut hinzu."
    ]
    anna["contact"].refresh_from_db()
    anna["subscriber"].refresh_from_db()
    anna["upcoming"].refresh_from_db()
    assert (anna["contact"].email, anna["subscriber"].email, anna["upcoming"].email) == (OLD,) * 3
    assert ActivityEntry.objects.count() == entries_before


def test_a_new_name_and_language_reach_the_contact_entry_and_the_newsletter(anna):
    services.user_name_change(user=anna["user"], first_name="Anna-Lena", last_name="Becker-Roth")
    services.user_language_set(user=anna["user"], language="en")

    anna["contact"].refresh_from_db()
    anna["subscriber"].refresh_from_db()
    assert (anna["contact"].first_name, anna["contact"].last_name) == ("Anna-Lena", "Becker-Roth")
    assert (anna["subscriber"].first_name, anna["subscriber"].language) == ("Anna-Lena", "en")
    entry = ActivityEntry.objects.get(action="accounts.user.language_changed")
    assert entry.details == {"language": ["de", "en"]}


def test_deleting_removes_the_login_and_the_persons_data_but_not_the_companys(anna):
    colleague = MembershipFactory(company=anna["company"])
    member_user = colleague.user
    contact = ContactPersonFactory(
        company=anna["company"], user=member_user, email=member_user.email
    )
    subscriber = SubscriberFactory(email=member_user.email, contact=contact)
    SubscriptionFactory(subscriber=subscriber)
    registration = RegistrationFactory(
        company=anna["company"], contact=contact, email=member_user.email
    )
    services.user_name_change(user=member_user, first_name="Jonas", last_name="Weber")

    services.account_delete(user=member_user)

    assert not User.objects.filter(pk=member_user.pk).exists()
    assert not CompanyMembership.objects.filter(pk=colleague.pk).exists()
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    assert not Subscriber.objects.filter(email=member_user.email).exists()
    # The company keeps what is its own: its profile, its other people, its registrations.
    assert Company.objects.filter(pk=anna["company"].pk).exists()
    assert ContactPerson.objects.filter(pk=anna["contact"].pk).exists()
    assert Registration.objects.filter(pk=registration.pk).exists()
    # The log keeps what happened, without the person's name.
    entries = ActivityEntry.objects.filter(action__startswith="accounts.user.")
    assert {e.action for e in entries} == {"accounts.user.name_changed", "accounts.user.deleted"}
    assert all(e.actor_label == "" and e.object_label == "" for e in entries)
    assert not ActivityEntry.objects.filter(actor_label__contains="Weber").exists()
    assert not ActivityEntry.objects.filter(object_label__contains="Weber").exists()


def test_deleting_gives_up_coming_places_and_keeps_past_attendance_without_the_person(anna):
    CompanyAdminFactory(company=anna["company"])  # so Anna may go
    meeting = anna["upcoming"].meeting
    Meeting.objects.filter(pk=meeting.pk).update(capacity=1)
    waiting = RegistrationFactory(
        meeting=meeting,
        name="Jonas Weber",
        status=Registration.Status.WAITLISTED,
        waitlisted_at=timezone.now(),
    )
    notes = services.account_deletion_notes(user=anna["user"])
    assert (
        "Ihre Anmeldung zu 1 kommenden Netzwerktreffen wird storniert; ein Platz geht an die "
        "nächste Person auf der Warteliste." in notes
    )

    services.account_delete(user=anna["user"])

    upcoming, past = (Registration.objects.get(pk=anna[key].pk) for key in ("upcoming", "past"))
    assert upcoming.status == Registration.Status.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.CONFIRMED
    # The company's attendance stays counted, the person is gone from it.
    assert past.status == Registration.Status.CONFIRMED and past.company == anna["company"]
    assert {(r.name, r.email, r.contact_id) for r in (upcoming, past)} == {
        ("(Konto gelöscht)", "", None)
    }
    assert not ActivityEntry.objects.filter(object_label__contains="Anna Becker").exists()


def test_the_only_admin_of_an_approved_company_must_hand_over_first(anna):
    with pytest.raises(ValidationError) as refused:
        services.account_delete(user=anna["user"])

    assert refused.value.messages == [
        "Außer Ihnen hat niemand Zugang zu Moselblick Pflege GmbH. Bitte laden Sie zuerst auf "
        "der Seite „Mein Unternehmen“ eine Kollegin oder einen Kollegen ein und machen Sie sie "
        "oder ihn zum Unternehmens-Admin – oder sagen Sie dem Koordinationsteam Bescheid, wenn "
        "Moselblick Pflege GmbH das Netzwerk verlassen möchte."
    ]
    MembershipFactory(company=anna["company"])
    assert services.account_deletion_refusals(user=anna["user"]) == [
        "Außer Ihnen gibt es bei Moselblick Pflege GmbH keinen Unternehmens-Admin. Bitte machen "
        "Sie zuerst auf der Seite „Mein Unternehmen“ eine Kollegin oder einen Kollegen zum "
        "Unternehmens-Admin; danach können Sie Ihr Konto löschen."
    ]
    assert User.objects.filter(pk=anna["user"].pk).exists()
    assert ContactPerson.objects.filter(pk=anna["contact"].pk).exists()


def test_a_second_admin_lets_the_first_go(anna):
    CompanyAdminFactory(company=anna["company"])
    services.account_delete(user=anna["user"])
    assert not User.objects.filter(pk=anna["user"].pk).exists()


def test_the_only_person_of_a_company_awaiting_approval_withdraws_its_registration(anna):
    Company.objects.filter(pk=anna["company"].pk).update(status=Company.Status.PENDING)
    assert (
        "Moselblick Pflege GmbH ist noch nicht freigegeben und niemand sonst hat Zugang: Die "
        "Registrierung wird zurückgezogen und der Eintrag gelöscht."
    ) in services.account_deletion_notes(user=anna["user"])

    services.account_delete(user=anna["user"])

    assert not User.objects.filter(pk=anna["user"].pk).exists()
    assert not Company.objects.filter(pk=anna["company"].pk).exists()


def test_nothing_is_half_deleted_when_records_still_need_the_account(anna):
    """Someone who scored applications (and has since left the jury) is still named in the
    award's records: the deletion stops before anything is gone."""
    assignment = JurorAssignmentFactory()
    former_juror = assignment.juror
    former_juror.groups.clear()
    contact = ContactPersonFactory(
        company=anna["company"], user=former_juror, email=former_juror.email
    )
    MembershipFactory(user=former_juror, company=anna["company"])
    entries_before = ActivityEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.account_delete(user=former_juror)

    assert refused.value.messages == [
        "Ihr Konto wird noch in Unterlagen des Netzwerks genannt. Bitte wenden Sie sich an das "
        "Koordinationsteam, um es entfernen zu lassen."
    ]
    assert User.objects.filter(pk=former_juror.pk).exists()
    assert ContactPerson.objects.filter(pk=contact.pk).exists()
    assert CompanyMembership.objects.filter(user=former_juror).exists()
    assert ActivityEntry.objects.count() == entries_before


def test_coordinators_and_jurors_are_removed_by_the_coordination(coordinator):
    with pytest.raises(ValidationError):
        services.account_delete(user=coordinator)
    assignment = JurorAssignmentFactory()
    assert services.account_deletion_refusals(user=assignment.juror) == [
        "Sie gehören zur Jury des Siegels: Ihre Bewertungen gehören zu den Unterlagen der "
        "Verleihung. Bitte wenden Sie sich an das Koordinationsteam, um Ihr Konto entfernen zu "
        "lassen."
    ]


def test_a_coordinator_deletes_an_account_in_the_admin_through_the_same_service(
    anna, coordinator_client, coordinator
):
    CompanyAdminFactory(company=anna["company"])
    url = reverse("admin:accounts_user_delete", args=[anna["user"].pk])

    response = coordinator_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not User.objects.filter(pk=anna["user"].pk).exists()
    assert not ContactPerson.objects.filter(pk=anna["contact"].pk).exists()
    deleted = ActivityEntry.objects.get(action="accounts.user.deleted")
    assert (deleted.actor, deleted.object_label) == (coordinator, "")
    assert not ActivityEntry.objects.filter(object_label__contains="Anna Becker").exists()


def test_an_account_the_award_records_still_name_is_not_deleted_in_the_admin(
    coordinator_client,
):
    former_juror = JurorAssignmentFactory().juror
    url = reverse("admin:accounts_user_delete", args=[former_juror.pk])

    response = coordinator_client.post(url, {"post": "yes"})

    assert response.status_code == 200  # Django's page names the protected records
    assert "Kann Benutzer/in nicht löschen" in response.content.decode()
    assert User.objects.filter(pk=former_juror.pk).exists()
    assert not ActivityEntry.objects.filter(action="accounts.user.deleted").exists()


def test_a_new_address_is_a_fresh_start_for_a_suppressed_subscriber(anna):
    Subscriber.objects.filter(pk=anna["subscriber"].pk).update(
        suppressed_at=timezone.now(), suppression_reason="550 mailbox unavailable"
    )
    switch_login_address(anna["user"], NEW)

    services.login_address_change(user=anna["user"], old_email=OLD, new_email=NEW)

    subscriber = Subscriber.objects.get(pk=anna["subscriber"].pk)
    assert (subscriber.email, subscriber.suppressed_at) == (NEW, None)


def test_deleting_touches_no_data_of_an_address_added_but_never_confirmed(anna):
    CompanyAdminFactory(company=anna["company"])  # so Anna may go
    victim = "chefin@andere-firma.example"
    EmailAddress.objects.create(user=anna["user"], email=victim, verified=False)
    theirs = SubscriberFactory(email=victim)
    their_place = RegistrationFactory(email=victim, name="Petra Andere")

    services.account_delete(user=anna["user"])

    assert Subscriber.objects.filter(pk=theirs.pk).exists()
    their_place.refresh_from_db()
    assert (their_place.name, their_place.email) == ("Petra Andere", victim)
    assert their_place.status == Registration.Status.CONFIRMED


def test_deleting_moves_nobody_up_the_waitlist_of_a_cancelled_meeting(anna):
    CompanyAdminFactory(company=anna["company"])
    meeting = anna["upcoming"].meeting
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED, capacity=1)
    waiting = RegistrationFactory(
        meeting=meeting, status=Registration.Status.WAITLISTED, waitlisted_at=timezone.now()
    )
    assert not any(
        "storniert" in note for note in services.account_deletion_notes(user=anna["user"])
    )

    services.account_delete(user=anna["user"])

    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.WAITLISTED
    assert not [m for m in mail.outbox if waiting.email in m.to]


def test_deleting_removes_the_copies_of_the_persons_mails(anna, django_capture_on_commit_callbacks):
    CompanyAdminFactory(company=anna["company"])
    other = RegistrationFactory(
        meeting=anna["upcoming"].meeting, email="kollege@moselblick.example"
    )
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_cancel(meeting=anna["upcoming"].meeting, note="Krank")
    assert OutboxMail.objects.filter(to=OLD).exists()
    assert OutboxMail.objects.filter(to=other.email).exists()

    services.account_delete(user=anna["user"])

    assert not OutboxMail.objects.filter(to__iexact=OLD).exists()
    assert OutboxMail.objects.filter(to=other.email).exists()
