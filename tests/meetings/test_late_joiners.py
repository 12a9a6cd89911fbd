"""Late joiners: contact persons of a company approved after a meeting was published, and
contacts added to an active company, are invited while the meeting is open for answers, each
once; not to meetings that are closed, over, cancelled or still drafts."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from members import services as member_services
from members.models import Company, ContactPerson
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyAdminFactory, CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.mfa import login_with_second_factor

pytestmark = pytest.mark.django_db


def invitations(meeting) -> list[str]:
    """The addresses with an invitation to ``meeting`` in the outbox, sorted."""
    return sorted(
        OutboxMail.objects.filter(key__startswith=f"meeting:{meeting.pk}:invitation:").values_list(
            "to", flat=True
        )
    )


@pytest.fixture
def published(django_capture_on_commit_callbacks):
    """A published meeting, its invitations written to the network of that day."""
    ContactPersonFactory(
        company=CompanyFactory(name="Schreinerei Olewig"), email="j@olewig.example"
    )
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="Fachkräfte halten")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_publish(meeting=meeting)
    assert invitations(meeting) == ["j@olewig.example"]
    return meeting


@pytest.fixture
def pending():
    """A company that registered after the publication and waits for approval."""
    company = CompanyFactory(name="Moselblick Pflege GmbH", status=Company.Status.PENDING)
    ContactPersonFactory(company=company, email="anna@moselblick.example")
    ContactPersonFactory(company=company, email="lukas@moselblick.example")
    ContactPersonFactory(
        company=company, email="ohne@moselblick.example", wants_meeting_invitations=False
    )
    return company


def test_contacts_of_a_company_approved_later_are_invited_once(published, pending, coordinator):
    member_services.company_approve(company=pending, by_user=coordinator)

    assert invitations(published) == [
        "anna@moselblick.example",
        "j@olewig.example",
        "lukas@moselblick.example",
    ]
    mail = OutboxMail.objects.get(to="anna@moselblick.example")
    assert mail.key.startswith(f"meeting:{published.pk}:invitation:contact:")
    assert "Fachkräfte halten" in mail.subject
    assert mail.attachments[0]["filename"].endswith(".ics")
    entry = ActivityEntry.objects.get(action="meetings.meeting.newcomers_invited")
    assert (entry.object_id, entry.actor, entry.details) == (
        str(published.pk),
        coordinator,
        {"recipients": 2},
    )

    # Approving again is refused; pausing and reactivating invites nobody a second time.
    with pytest.raises(ValidationError):
        member_services.company_approve(company=pending, by_user=coordinator)
    member_services.company_pause(company=pending, by_user=coordinator)
    member_services.company_reactivate(company=pending, by_user=coordinator)
    assert len(invitations(published)) == 3
    assert ActivityEntry.objects.filter(action="meetings.meeting.newcomers_invited").count() == 1


@pytest.mark.parametrize(
    "closed",
    [
        {"rsvp_deadline": timezone.now() - timedelta(hours=1)},
        {"status": Meeting.Status.CANCELLED},
        {"status": Meeting.Status.DRAFT},
        {"status": Meeting.Status.HELD},
    ],
    ids=["deadline-passed", "cancelled", "draft", "held"],
)
def test_no_invitation_to_a_meeting_not_open_for_answers(pending, coordinator, closed):
    starts_at = timezone.now() - timedelta(days=1) if "status" in closed else None
    if closed.get("status") == Meeting.Status.HELD:
        meeting = MeetingFactory(
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            rsvp_deadline=starts_at - timedelta(days=3),
            **closed,
        )
    else:
        meeting = MeetingFactory(**closed)
    member_services.company_approve(company=pending, by_user=coordinator)
    assert invitations(meeting) == []
    assert not ActivityEntry.objects.filter(action="meetings.meeting.newcomers_invited").exists()


def test_a_contact_added_by_the_company_is_invited_once(published, client):
    company = CompanyFactory(name="Saarburger Feinmechanik KG")
    admin = CompanyAdminFactory(company=company).user
    client.force_login(admin)
    data = {
        "salutation": "ms",
        "first_name": "Lea",
        "last_name": "Kaspari",
        "function": ContactPerson._meta.get_field("function").choices[0][0],
        "email": "lea@saarburger.example",
        "phone": "",
        "wants_meeting_invitations": "on",
    }
    response = client.post(reverse("members:contact_add"), data)
    assert response.status_code == 302
    contact = ContactPerson.objects.get(email="lea@saarburger.example")
    assert "lea@saarburger.example" in invitations(published)
    assert ActivityEntry.objects.filter(action="members.contact.added").count() == 1

    # Saving the contact again, or adding the same address twice, invites nobody again.
    data["phone"] = "0651 4711"
    client.post(reverse("members:contact_edit", args=[contact.pk]), data)
    client.post(reverse("members:contact_add"), data)  # refused: the address is there already
    assert invitations(published).count("lea@saarburger.example") == 1
    assert ContactPerson.objects.filter(email="lea@saarburger.example").count() == 1


def test_a_contact_who_switches_invitations_on_is_invited(published, coordinator):
    contact = ContactPersonFactory(email="spaet@olewig.example", wants_meeting_invitations=False)
    assert "spaet@olewig.example" not in invitations(published)  # made after publishing

    contact.wants_meeting_invitations = True
    member_services.contact_save(contact=contact, by_user=coordinator)
    assert "spaet@olewig.example" in invitations(published)


def test_a_contact_added_by_a_coordinator_in_the_admin_is_invited(published, client, coordinator):
    company = CompanyFactory(name="Porta Logistik GmbH")
    login_with_second_factor(client, coordinator)
    url = reverse("admin:members_company_change", args=[company.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "name": company.name,
            "slug": company.slug,
            "contacts-TOTAL_FORMS": "1",
            "contacts-INITIAL_FORMS": "0",
            "contacts-MIN_NUM_FORMS": "0",
            "contacts-MAX_NUM_FORMS": "1000",
            "contacts-0-salutation": "mr",
            "contacts-0-first_name": "Tim",
            "contacts-0-last_name": "Becker",
            "contacts-0-function": ContactPerson._meta.get_field("function").choices[0][0],
            "contacts-0-email": "tim@porta.example",
            "contacts-0-wants_meeting_invitations": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "_save": "Sichern",
        }
    )
    data.pop("logo", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "tim@porta.example" in invitations(published)


def test_someone_who_answered_already_gets_no_invitation(published, pending, coordinator):
    RegistrationFactory(meeting=published, company=pending, email="Anna@Moselblick.example")
    member_services.company_approve(company=pending, by_user=coordinator)
    assert "anna@moselblick.example" not in invitations(published)
    assert "lukas@moselblick.example" in invitations(published)


def test_members_imported_from_a_csv_file_are_invited(published, coordinator):
    from members.csv_io import import_member_csv, parse_member_csv
    from tests.members.test_csv_import import GOOD_ROWS, HEADER

    preview = parse_member_csv("\r\n".join([HEADER, *GOOD_ROWS]))
    import_member_csv(preview, by_user=coordinator)

    # Anna wants invitations; Ben does not; Clara's company is paused.
    assert invitations(published) == ["anna.bauer@example.org", "j@olewig.example"]


def test_a_contact_added_on_the_contacts_admin_page_is_invited(published, client, coordinator):
    company = CompanyFactory(name="Trierer Datenwerk GmbH")
    login_with_second_factor(client, coordinator)

    response = client.post(
        reverse("admin:members_contactperson_add"),
        {
            "company": company.pk,
            "salutation": "",
            "title": "",
            "first_name": "Lea",
            "last_name": "Franzen",
            "function": ContactPerson.Function.MANAGEMENT,
            "email": "lea@datenwerk.example",
            "phone": "",
            "wants_meeting_invitations": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert invitations(published) == ["j@olewig.example", "lea@datenwerk.example"]
    assert ActivityEntry.objects.filter(action="members.contact.added").count() == 1


def test_someone_who_asks_for_invitations_again_is_invited(published):
    contact = ContactPersonFactory(
        company=CompanyFactory(), email="wieder@dabei.example", wants_meeting_invitations=False
    )
    user = CompanyAdminFactory(company=contact.company, user__email=contact.email).user
    ContactPerson.objects.filter(pk=contact.pk).update(user=user)
    contact.refresh_from_db()
    assert "wieder@dabei.example" not in invitations(published)

    member_services.own_contact_update(
        contact=contact, by_user=user, data={"wants_meeting_invitations": True}
    )

    assert "wieder@dabei.example" in invitations(published)
