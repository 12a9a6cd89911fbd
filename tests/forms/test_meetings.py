"""Hostile input on the meeting forms: answers, colleagues, topics, feedback, calendar feed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from meetings import services
from meetings.models import CalendarFeed, Feedback, Meeting, Registration, TopicProposal, TopicVote
from tests.factories import ContactPersonFactory
from tests.forms.harness import (
    EMAIL,
    OPTIONAL_WORDS,
    WORDS,
    around,
    form_data,
    fuzz,
    ids_or_junk,
    path_segment,
    received,
    url_with,
)
from tests.meetings.factories import MeetingFactory, RegistrationFactory, TopicProposalFactory

# What the sign-up form lets through as a name: up to 100 characters, no NUL.
SIGNUP_NAME = st.one_of(
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=100).filter(
        str.strip
    ),
    st.just("M" * 100),
)


@pytest.fixture
def meeting(company):
    return MeetingFactory(slug="herbsttreffen", capacity=3, per_company_limit=2)


@pytest.fixture
def other_company(other_company_admin):
    return other_company_admin.membership.company


def slugs(meeting):
    return st.one_of(st.just(meeting.slug), st.from_regex(r"\A[a-z0-9-]{1,30}\Z"))


def test_own_answer(probe, company_user, meeting):
    probe.client.force_login(company_user)

    @fuzz(30)
    @given(
        first=SIGNUP_NAME,
        last=SIGNUP_NAME,
        slug=slugs(meeting),
        data=form_data({"attending": st.sampled_from(["yes", "no"])}),
    )
    def run(first, last, slug, data):
        with probe.example():
            User.objects.filter(pk=company_user.pk).update(first_name=first, last_name=last)
            response = probe.submit(reverse("meetings:answer", args=[slug]), data)
            if response.status_code == 302 and slug == meeting.slug:
                registration = Registration.objects.get(email=company_user.email)
                assert registration.is_attending == (data.get("attending") == "yes")

    run()
    probe.stats.require()


def test_colleague_registration(probe, company_user, company, other_company, meeting):
    own = ContactPersonFactory(company=company, email="kollegin@moselblick.example")
    # The longest name the contact form allows.
    long_named = ContactPersonFactory(
        company=company, title="D" * 50, first_name="V" * 100, last_name="N" * 100
    )
    foreign = ContactPersonFactory(company=other_company, email="fremd@saarburg.example")
    probe.client.force_login(company_user)

    @fuzz(40)
    @given(
        slug=slugs(meeting),
        data=form_data(
            {
                "contact": st.one_of(st.just(""), ids_or_junk(own.pk, long_named.pk, foreign.pk)),
                "name": WORDS,
                "email": st.one_of(EMAIL, st.just(foreign.email)),
            }
        ),
    )
    def run(slug, data):
        with probe.example():
            probe.submit(reverse("meetings:register_colleague", args=[slug]), data)
            registrations = Registration.objects.filter(meeting=meeting)
            assert registrations.filter(company=company).count() <= meeting.per_company_limit
            assert not registrations.filter(email__iexact=foreign.email).exists()

    run()
    probe.stats.require()


def test_registration_cancel(probe, company_user, company, other_company, meeting):
    own = RegistrationFactory(meeting=meeting, company=company)
    foreign = RegistrationFactory(meeting=meeting, company=other_company)
    probe.client.force_login(company_user)

    @fuzz(25)
    @given(segment=ids_or_junk(own.pk, foreign.pk), extra=form_data({}))
    def run(segment, extra):
        with probe.example():
            probe.submit(url_with("meetings:cancel_registration", segment, meeting.slug), extra)
            foreign.refresh_from_db()
            assert foreign.status == Registration.Status.CONFIRMED

    run()
    probe.stats.require()


def test_topic_proposal(probe, company_user):
    probe.client.force_login(company_user)
    url = reverse("meetings:topics")

    @fuzz(30)
    @given(data=form_data({"title": WORDS, "description": OPTIONAL_WORDS}))
    def run(data):
        with probe.example():
            response = probe.submit(url, data)
            if response.status_code == 302:
                assert TopicProposal.objects.get().title == received(data["title"]).strip()

    run()
    probe.stats.require()


def test_topic_vote(probe, company_user, meeting):
    open_topic = TopicProposalFactory()
    scheduled = TopicProposalFactory(scheduled_meeting=meeting)
    probe.client.force_login(company_user)

    @fuzz(30)
    @given(
        segment=ids_or_junk(open_topic.pk, scheduled.pk),
        data=form_data(
            {"vote": st.sampled_from(["yes", "no"]), "page": st.sampled_from(["1", "2"])}
        ),
    )
    def run(segment, data):
        with probe.example():
            probe.submit(url_with("meetings:topic_vote", segment), data)
            assert not TopicVote.objects.filter(proposal=scheduled).exists()

    run()
    probe.stats.require()


def test_calendar_feed_actions(probe, company_user):
    probe.client.force_login(company_user)
    url = reverse("meetings:calendar")

    @fuzz(20)
    @given(data=form_data({"action": st.sampled_from(["create", "renew", "delete"])}))
    def run(data):
        with probe.example():
            probe.submit(url, data)

    run()
    probe.stats.require()


def test_calendar_feed_token(probe, company_user):
    feed = services.calendar_feed_renew(user=company_user)

    @fuzz(25)
    @given(token=st.one_of(st.just(feed.token), path_segment()))
    def run(token):
        with probe.example():
            response = probe.submit(url_with("meetings:feed", token), method="get")
            assert (response.status_code == 200) == (token == feed.token)

    run()
    probe.stats.require(rejected_with_messages=False)
    assert CalendarFeed.objects.count() == 1


def test_one_click_answer(probe, company, meeting):
    contact = ContactPersonFactory(
        company=company, title="D" * 50, first_name="V" * 100, last_name="N" * 100
    )
    registration = RegistrationFactory(meeting=meeting, company=company)
    good = [
        services.rsvp_token(meeting=meeting, attending=True, contact=contact),
        services.rsvp_token(meeting=meeting, attending=False, contact=contact),
        services.rsvp_token(meeting=meeting, attending=True, registration=registration),
        services.rsvp_token(meeting=meeting, attending=False, registration=registration),
    ]

    @fuzz(40)
    @given(token=around(good), method=st.sampled_from(["get", "post"]), extra=form_data({}))
    def run(token, method, extra):
        with probe.example():
            probe.submit(url_with("meetings:rsvp", token), extra, method=method)

    run()
    probe.stats.require()


def test_feedback(probe, company):
    starts = timezone.now() - timedelta(days=3)
    past = MeetingFactory(
        status=Meeting.Status.HELD,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
    )
    attended = RegistrationFactory(meeting=past, company=company)
    declined = RegistrationFactory(
        meeting=past, company=company, status=Registration.Status.DECLINED
    )
    good = [
        services.feedback_url(r).removeprefix(settings.SITE_URL).split("/")[-2]
        for r in (attended, declined)
    ]

    @fuzz(40)
    @given(
        token=around(good),
        data=form_data({"rating": st.sampled_from(["1", "3", "5"]), "comment": OPTIONAL_WORDS}),
    )
    def run(token, data):
        with probe.example():
            response = probe.submit(url_with("meetings:feedback", token), data)
            feedback = Feedback.objects.first()
            if feedback is not None:
                assert response.status_code == 200
                assert (feedback.registration, str(feedback.rating)) == (
                    attended,
                    received(data["rating"]),
                )

    run()
    probe.stats.require()
