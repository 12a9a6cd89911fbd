"""The newsletter is opt-in (GDPR): no way a contact person comes about subscribes them unasked."""

import re

import pytest
from django.urls import reverse

from members import services
from members.models import CompanyInvitation, ContactPerson, JoinRequest
from members.selectors import eligible_contacts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPANY = {
    "name": "Moselblick Physiotherapie GmbH",
    "legal_form": "gmbh",
    "industry": "health",
    "size_class": "small",
    "street": "Zurmaiener Straße 4",
    "postcode": "54292",
    "city": "Trier",
    "salutation": "ms",
    "function": "management",
}


def checkbox(html: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    assert match, f"no field {name}"
    return match.group(0)


def newsletter_readers():
    return list(eligible_contacts(wants_newsletter=True).values_list("email", flat=True))


def test_registering_a_company_offers_the_newsletter_unticked(client):
    user = UserFactory(email="anna@physio-moselblick.example")
    client.force_login(user)
    form = client.get(reverse("members:register")).content.decode()
    assert "Newsletter des Netzwerks an mich senden" in form
    assert "checked" not in checkbox(form, "wants_newsletter")

    client.post(reverse("members:register"), COMPANY)
    contact = ContactPerson.objects.get(user=user)
    assert not contact.wants_newsletter


def test_who_ticks_it_at_registration_gets_it(client):
    user = UserFactory(email="anna@physio-moselblick.example")
    client.force_login(user)
    client.post(reverse("members:register"), {**COMPANY, "wants_newsletter": "on"})
    assert ContactPerson.objects.get(user=user).wants_newsletter


def test_a_new_contact_person_starts_without_the_newsletter(client, company, company_admin):
    client.force_login(company_admin)
    form = client.get(reverse("members:contact_add")).content.decode()
    assert "checked" not in checkbox(form, "wants_newsletter")
    assert "Nur mit Einwilligung der Person" in form
    # The meeting invitations stay ticked: they are what the network is about.
    assert "checked" in checkbox(form, "wants_meeting_invitations")


def test_joining_or_accepting_an_invitation_subscribes_nobody(company, company_admin):
    newcomer = UserFactory(email="jonas@moselblick.example")
    join_request = JoinRequest.objects.create(user=newcomer, company=company)
    services.join_request_decide(join_request=join_request, accept=True, by_user=company_admin)

    invited = UserFactory(email="lea@moselblick.example")
    invitation = services.invitation_create(
        company=company, email=invited.email, invited_by=company_admin
    )
    services.invitation_accept(
        invitation=CompanyInvitation.objects.get(pk=invitation.pk), user=invited
    )

    contacts = ContactPerson.objects.filter(user__in=[newcomer, invited])
    assert contacts.count() == 2
    assert not any(contact.wants_newsletter for contact in contacts)
    assert newsletter_readers() == []
