"""Hostile input on the company forms: registration, joining, profile, contacts, colleagues."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from members import services
from members.models import (
    Company,
    CompanyInvitation,
    CompanyMembership,
    ContactPerson,
    Industry,
    JoinRequest,
    LegalForm,
    SizeClass,
)
from tests.factories import (
    CompanyFactory,
    ContactPersonFactory,
    MembershipFactory,
    UserFactory,
)
from tests.forms.harness import (
    EMAIL,
    OPTIONAL_WORDS,
    PNG,
    WORDS,
    FileSpec,
    around,
    form_data,
    fuzz,
    ids_or_junk,
    quote,
    received,
    url_with,
)

COMPANY_FIELDS = {
    "name": WORDS.map(lambda words: f"{words} GmbH"),
    "legal_form": st.sampled_from(LegalForm.values),
    "industry": st.sampled_from(Industry.values),
    "size_class": st.sampled_from(SizeClass.values),
    "street": WORDS,
    "postcode": st.from_regex(r"\A54[0-9]{3}\Z"),
    "city": WORDS,
    "website": st.sampled_from(["", "https://moselblick.example", "moselblick.example/jobs"]),
    "logo": st.sampled_from(["", FileSpec("logo.png", PNG, "image/png")]),
    "description": OPTIONAL_WORDS,
    "directory_consent": st.sampled_from(["on", ""]),
}
CONTACT_FIELDS = {
    "salutation": st.sampled_from(["ms", "mr", ""]),
    "title": st.sampled_from(["", "Dr.", "Prof. Dr."]),
    "function": st.sampled_from(ContactPerson.Function.values),
    "phone": st.sampled_from(["", "0651 123456", "+49 651 98765-0"]),
}
PERSON_FIELDS = {
    **CONTACT_FIELDS,
    "first_name": WORDS,
    "last_name": WORDS,
    "email": EMAIL,
    "wants_meeting_invitations": st.sampled_from(["on", ""]),
    "wants_newsletter": st.sampled_from(["on", ""]),
}


@pytest.fixture
def newcomer(db):
    """A verified user without a company."""
    return UserFactory(email="neu@moselblick.example")


@pytest.fixture
def other_company(other_company_admin):
    return other_company_admin.membership.company


def test_company_registration(probe, newcomer):
    probe.client.force_login(newcomer)
    url = reverse("members:register")

    @fuzz(30)
    @given(data=form_data({**COMPANY_FIELDS, **CONTACT_FIELDS}))
    def run(data):
        with probe.example():
            response = probe.submit(url, data)
            if response.status_code == 302:
                company = Company.objects.get()
                assert company.status == Company.Status.PENDING
                assert company.name == " ".join(received(data["name"]).split())
                assert CompanyMembership.objects.get(user=newcomer).is_admin

    run()
    probe.stats.require()


def test_join_request(probe, newcomer, company):
    pending = CompanyFactory(status=Company.Status.PENDING)
    unlisted = CompanyFactory(directory_consent=False)
    probe.client.force_login(newcomer)
    url = reverse("members:join")
    # The company is named: its exact name (any case), a pending company's, or anything else.
    names = around([company.name, company.name.upper(), unlisted.name, pending.name])

    @fuzz(30)
    @given(data=form_data({"company": names, "message": OPTIONAL_WORDS}))
    def run(data):
        with probe.example():
            response = probe.submit(url, data)
            if response.status_code == 302:
                assert JoinRequest.objects.get(user=newcomer).company in (company, unlisted)

    run()
    probe.stats.require()


def test_join_request_withdrawal(probe, newcomer, company):
    own = JoinRequest.objects.create(user=newcomer, company=company)
    others = JoinRequest.objects.create(user=UserFactory(), company=company)
    probe.client.force_login(newcomer)

    @fuzz(25)
    @given(segment=ids_or_junk(own.pk, others.pk))
    def run(segment):
        with probe.example():
            probe.submit(url_with("members:join_withdraw", segment))
            assert JoinRequest.objects.filter(pk=others.pk).exists()

    run()
    probe.stats.require()


def test_company_profile_edit(probe, company_admin, company, other_company):
    probe.client.force_login(company_admin)
    url = reverse("members:company_edit")
    original = Company.objects.values().get(pk=company.pk)

    @fuzz(30)
    @given(data=form_data(COMPANY_FIELDS))
    def run(data):
        with probe.example():
            response = probe.submit(url, data)
            if response.status_code == 302:
                company.refresh_from_db()
                assert company.name == " ".join(received(data["name"]).split())
                # Fields outside the form stay as they were, whatever was posted.
                assert (company.status, company.slug) == (original["status"], original["slug"])
            assert Company.objects.values().get(pk=other_company.pk)["name"] == other_company.name

    run()
    probe.stats.require()


def test_contact_person_add_and_edit(probe, company_admin, company, other_company):
    own = ContactPersonFactory(company=company, email="kontakt@moselblick.example")
    foreign = ContactPersonFactory(company=other_company, email="kontakt@saarburg.example")
    probe.client.force_login(company_admin)

    @fuzz(40)
    @given(
        target=st.one_of(st.just(None), ids_or_junk(own.pk, foreign.pk)),
        data=form_data(PERSON_FIELDS),
    )
    def run(target, data):
        url = (
            reverse("members:contact_add")
            if target is None
            else url_with("members:contact_edit", target)
        )
        with probe.example():
            response = probe.submit(url, data)
            if response.status_code == 302:
                saved = ContactPerson.objects.filter(company=company).order_by("-pk").first()
                if target is not None:
                    saved = ContactPerson.objects.get(pk=own.pk)
                assert saved.email == received(data["email"]).strip()
            foreign.refresh_from_db()
            assert foreign.email == "kontakt@saarburg.example"

    run()
    probe.stats.require()


def test_contact_person_delete(probe, company_admin, company, other_company):
    own = ContactPersonFactory(company=company)
    foreign = ContactPersonFactory(company=other_company)
    probe.client.force_login(company_admin)

    @fuzz(25)
    @given(segment=ids_or_junk(own.pk, foreign.pk))
    def run(segment):
        with probe.example():
            probe.submit(url_with("members:contact_delete", segment))
            assert ContactPerson.objects.filter(pk=foreign.pk).exists()

    run()
    probe.stats.require()


def test_colleague_invitation(probe, company_admin, company, other_company_admin):
    probe.client.force_login(company_admin)
    url = reverse("members:invitation_add")
    taken = other_company_admin.email

    @fuzz(40)
    @given(data=form_data({"email": st.one_of(EMAIL, st.just(taken))}))
    def run(data):
        with probe.example():
            response = probe.submit(url, data)
            if response.status_code == 302:
                assert (
                    CompanyInvitation.objects.get(company=company).email
                    == received(data["email"]).strip()
                )

    run()
    probe.stats.require()


def test_company_admin_decisions_on_ids(probe, company_admin, company, other_company):
    """Withdraw an invitation, decide a join request, change roles: with any id at all."""
    own_invitation = CompanyInvitation.objects.create(
        company=company, email="kollegin@moselblick.example", expires_at=timezone.now()
    )
    own_invitation.expires_at = timezone.now() + timezone.timedelta(days=3)
    own_invitation.save()
    foreign_invitation = CompanyInvitation.objects.create(
        company=other_company,
        email="kollege@saarburg.example",
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    own_request = JoinRequest.objects.create(user=UserFactory(), company=company)
    foreign_request = JoinRequest.objects.create(user=UserFactory(), company=other_company)
    colleague = MembershipFactory(company=company)
    foreign_member = MembershipFactory(company=other_company)
    own_admin = company_admin.membership
    probe.client.force_login(company_admin)
    ids = [
        own_invitation.pk,
        foreign_invitation.pk,
        own_request.pk,
        foreign_request.pk,
        colleague.pk,
        foreign_member.pk,
        own_admin.pk,
    ]
    foreign_state = [
        (CompanyInvitation, foreign_invitation.pk),
        (JoinRequest, foreign_request.pk),
        (CompanyMembership, foreign_member.pk),
    ]

    @fuzz(40)
    @given(
        action=st.sampled_from(
            [
                ("members:invitation_revoke",),
                ("members:join_request_decide", "accept"),
                ("members:join_request_decide", "decline"),
                ("members:membership_change", "make-admin"),
                ("members:membership_change", "make-member"),
                ("members:membership_remove",),
                ("members:membership_change", "x"),
            ]
        ),
        segment=ids_or_junk(*ids),
        extra=form_data({}, extra=True),
    )
    def run(action, segment, extra):
        name, *rest = action
        sentinel = 987654321
        if rest:
            try:
                url = reverse(name, args=[sentinel, rest[0]])
            except Exception:
                url = reverse(name, args=[sentinel, "make-admin"]).replace("make-admin", rest[0])
        else:
            url = reverse(name, args=[sentinel])
        url = url.replace(str(sentinel), quote(segment))
        before = [list(model.objects.filter(pk=pk).values()) for model, pk in foreign_state]
        with probe.example():
            probe.submit(url, extra)
            after = [list(model.objects.filter(pk=pk).values()) for model, pk in foreign_state]
            assert after == before, "another company's data changed"

    run()
    probe.stats.require()


def test_invitation_accept(probe, newcomer, company):
    invitation = CompanyInvitation.objects.create(
        company=company,
        email=newcomer.email,
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    for_someone_else = CompanyInvitation.objects.create(
        company=company,
        email="jemand@moselblick.example",
        expires_at=timezone.now() + timezone.timedelta(days=3),
    )
    good = services.invitation_token(invitation)
    tokens = around([good, services.invitation_token(for_someone_else)])
    probe.client.force_login(newcomer)

    @fuzz(40)
    @given(token=tokens, method=st.sampled_from(["get", "post"]), extra=form_data({}))
    def run(token, method, extra):
        url = url_with("members:invitation_accept", token)
        with probe.example():
            response = probe.submit(url, extra, method=method)
            if CompanyMembership.objects.filter(user=newcomer).exists():
                assert token == good and method == "post", response

    run()
    probe.stats.require()


@pytest.mark.parametrize("name", ["members:public_directory", "members:directory"])
def test_directory_filters(probe, company_user, name):
    probe.client.force_login(company_user)
    url = reverse(name)

    @fuzz(25)
    @given(
        data=form_data(
            {
                "q": OPTIONAL_WORDS,
                "industry": st.sampled_from(["", *Industry.values]),
                "size_class": st.sampled_from(["", *SizeClass.values]),
                "page": st.sampled_from(["1", "2", ""]),
            },
            extra=True,
        )
    )
    def run(data):
        data = {key: value for key, value in data.items() if not isinstance(value, FileSpec)}
        with probe.example():
            probe.submit(url, data, method="get")

    run()
    probe.stats.require(rejected_with_messages=False)


def test_forms_refuse_the_wrong_people(probe, company, company_user, newcomer):
    """Admin forms for a plain colleague, company forms for someone without a company, and
    everything for a visitor who is not logged in: refused in words, nothing changed."""
    urls = [
        reverse("members:company_edit"),
        reverse("members:contact_add"),
        reverse("members:invitation_add"),
        reverse("members:register"),
        reverse("members:join"),
        reverse("meetings:topics"),
        reverse("meetings:calendar"),
        reverse("seal:application"),
        reverse("seal:submit"),
    ]
    people = {"colleague": company_user, "newcomer": newcomer, "visitor": None}

    @fuzz(30)
    @given(
        url=st.sampled_from(urls),
        who=st.sampled_from(sorted(people)),
        data=form_data({"name": WORDS, "email": EMAIL, "title": WORDS}),
    )
    def run(url, who, data):
        with probe.example():
            if people[who] is not None:
                probe.client.force_login(people[who])
            probe.submit(url, data)

    run()
    probe.stats.require()
