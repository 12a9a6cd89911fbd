"""A meeting that is over: it says it took place, offers no answer box and no calendar entry,
and shows what is left of it for the company (who came, the materials, the feedback)."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from meetings.models import Feedback, Material, Meeting, Registration
from tests.factories import ContactPersonFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.seal.factories import TINY_PDF

pytestmark = pytest.mark.django_db


def past_meeting(**kwargs):
    starts = timezone.now().replace(microsecond=0) - timedelta(days=kwargs.pop("days_ago", 10))
    return MeetingFactory(
        title="Netzwerktreffen Frühjahr: Sprachkurse im Verbund",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
        status=kwargs.pop("status", Meeting.Status.HELD),
        **kwargs,
    )


def detail(client, meeting) -> str:
    response = client.get(reverse("meetings:detail", args=[meeting.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_past_meeting_says_it_took_place_without_answer_box_or_calendar_entry(
    client, company_user
):
    meeting = past_meeting()
    client.force_login(company_user)

    html = detail(client, meeting)

    date = f"{timezone.localtime(meeting.starts_at):%-d}."
    assert "Dieses Netzwerktreffen fand am " + date in html
    assert reverse("meetings:ics", args=[meeting.slug]) not in html
    assert "In den Kalender eintragen" not in html
    assert "Ihre Anmeldung" not in html  # the box: nobody from the company came
    assert "Niemand aus Ihrem Unternehmen" not in html
    assert "Ich nehme teil" not in html and "Anmeldeschluss" not in html
    assert "Plätze frei" not in html
    assert "Das Programm folgt" not in html


def test_a_published_meeting_that_is_over_is_past_too(client, company_user):
    meeting = past_meeting(status=Meeting.Status.PUBLISHED)
    client.force_login(company_user)

    html = detail(client, meeting)

    assert "Dieses Netzwerktreffen fand am" in html
    assert "Plätze frei" not in html and "Ihre Anmeldung" not in html


def test_who_came_from_the_company_and_the_feedback_link(client, company_user, company):
    meeting = past_meeting()
    contact = ContactPersonFactory(company=company, email=company_user.email)
    mine = RegistrationFactory(
        meeting=meeting,
        company=company,
        name="Jonas Becker",
        email=company_user.email,
        contact=contact,
    )
    RegistrationFactory(meeting=meeting, company=company, name="Lea Kaspari")
    RegistrationFactory(
        meeting=meeting,
        company=company,
        name="Abgesagt Person",
        status=Registration.Status.DECLINED,
    )
    RegistrationFactory(meeting=meeting, name="Andere Firma Person")
    client.force_login(company_user)

    html = detail(client, meeting)

    box = html[html.index('id="past-participation"') :]
    assert "Ihr Unternehmen bei diesem Treffen" in box
    assert "Jonas Becker" in box and "Lea Kaspari" in box
    assert "Abgesagt Person" not in html and "Andere Firma Person" not in html
    feedback = box.split('href="', 1)[1].split('"', 1)[0]
    assert feedback.startswith("/meetings/feedback/")
    assert "Rückmeldung zum Treffen geben" in box
    form = client.get(feedback).content.decode()
    assert 'name="rating"' in form

    Feedback.objects.create(registration=mine, meeting=meeting, rating=5)
    assert "Ihre Rückmeldung ändern" in detail(client, meeting)


def test_no_feedback_link_for_who_did_not_come_or_long_after(client, company_user, company):
    meeting = past_meeting()
    RegistrationFactory(meeting=meeting, company=company, name="Lea Kaspari")
    client.force_login(company_user)
    html = detail(client, meeting)
    assert "Lea Kaspari" in html and "/meetings/feedback/" not in html

    old = past_meeting(days_ago=400)
    RegistrationFactory(meeting=old, company=company, email=company_user.email)
    assert "/meetings/feedback/" not in detail(client, old)


def test_the_materials_of_a_past_meeting_are_linked(client, company_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    meeting = past_meeting()
    material = Material(meeting=meeting, title="Folien Sprachkurse", content_type="application/pdf")
    material.file.save("folien.pdf", ContentFile(TINY_PDF))
    client.force_login(company_user)

    html = detail(client, meeting)

    assert "Die Unterlagen finden Sie weiter unten." in html
    link = reverse("meetings:material", args=[meeting.slug, material.pk])
    assert link in html and client.get(link).status_code == 200


def test_an_upcoming_meeting_keeps_its_answer_box_and_calendar_entry(client, company_user):
    meeting = MeetingFactory()
    client.force_login(company_user)

    html = detail(client, meeting)

    assert "fand am" not in html
    assert reverse("meetings:ics", args=[meeting.slug]) in html
    assert "Ihre Anmeldung" in html and "Ich nehme teil" in html


@pytest.mark.parametrize("n", [1, 12])
def test_past_meeting_query_count_is_constant(
    client, company_user, company, django_assert_num_queries, n
):
    meeting = past_meeting()
    RegistrationFactory(meeting=meeting, company=company, email=company_user.email)
    for i in range(n):
        RegistrationFactory(meeting=meeting, company=company, name=f"Person {i}")
    client.force_login(company_user)
    client.get("/")  # what a login leaves to the first page is done

    # Session, user with company account and company, meeting with its host, agenda,
    # materials, the company's registrations, who came (checked in? then the seated),
    # feedback given.
    with django_assert_num_queries(9):
        html = detail(client, meeting)

    assert html.count("<li>Person ") == n
