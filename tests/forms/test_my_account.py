"""Hostile input for the forms of „Mein Konto“: name, language, the own contact entry, the
newsletters, deleting the account (see tests/forms/harness.py)."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from members.models import ContactPerson
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
)
from tests.forms.harness import WORDS, form_data, fuzz, ids_or_junk, received
from tests.mfa import log_in_recently
from tests.newsletter.factories import MemberListFactory, PublicListFactory

OWN_CONTACT_FIELDS = {
    "salutation": st.sampled_from(["ms", "mr", ""]),
    "title": st.sampled_from(["", "Dr."]),
    "first_name": WORDS,
    "last_name": WORDS,
    "function": st.sampled_from(ContactPerson.Function.values),
    "phone": st.sampled_from(["", "0651 123456"]),
    "wants_meeting_invitations": st.sampled_from(["on", ""]),
}


@pytest.fixture
def person(db):
    company = CompanyFactory(name="Moselblick Pflege GmbH")
    CompanyAdminFactory(company=company)
    user = MembershipFactory(company=company).user
    ContactPersonFactory(company=company, user=user, email=user.email)
    return user


def test_name_and_language(probe, person):
    probe.client.force_login(person)

    @fuzz(30)
    @given(
        name=form_data({"first_name": WORDS, "last_name": WORDS}),
        language=form_data({"language": st.sampled_from(["de", "en"])}),
    )
    def run(name, language):
        with probe.example():
            response = probe.submit(reverse("accounts:name"), name)
            user = User.objects.get(pk=person.pk)
            if response.status_code == 302:
                assert user.first_name == " ".join(received(name["first_name"]).split())
            probe.submit(reverse("accounts:language"), language)
            assert User.objects.get(pk=person.pk).language in ("de", "en")

    run()
    probe.stats.require()


def test_own_contact_entry(probe, person):
    other = ContactPersonFactory(email="kollegin@moselblick.example")
    probe.client.force_login(person)

    @fuzz(30)
    @given(data=form_data(OWN_CONTACT_FIELDS))
    def run(data):
        with probe.example():
            response = probe.submit(reverse("members:own_contact"), data)
            contact = ContactPerson.objects.get(user=person)
            assert contact.email == person.email  # the address follows the login only
            if response.status_code == 302:
                assert contact.last_name == " ".join(received(data["last_name"]).split())
            assert ContactPerson.objects.get(pk=other.pk).email == "kollegin@moselblick.example"

    run()
    probe.stats.require()


def test_newsletter_choice(probe, person):
    member_list, public = MemberListFactory(), PublicListFactory()
    probe.client.force_login(person)

    @fuzz(30)
    @given(lists=st.lists(ids_or_junk(member_list.pk, public.pk), max_size=3))
    def run(lists):
        with probe.example():
            probe.submit(reverse("newsletter:account_lists"), {"lists": lists})

    run()
    probe.stats.require(rejected_with_messages=True)


def test_deleting_the_account(probe, person):
    """The only admin is refused with a reason; anyone else's deletion goes through."""
    admin = CompanyAdminFactory(company=CompanyFactory(name="Saarburger Feinmechanik KG")).user

    @fuzz(10)
    @given(who=st.sampled_from(["person", "admin"]), extra=form_data({"confirm": WORDS}))
    def run(who, extra):
        user = person if who == "person" else admin
        log_in_recently(probe.client, user)
        with probe.example():
            probe.submit(reverse("accounts:delete"), extra)
            assert User.objects.filter(pk=admin.pk).exists()

    run()
    probe.stats.require()
