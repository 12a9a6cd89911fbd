"""A meeting's title says what it is about: pages and mails say "Netzwerktreffen" themselves,
so a title starting with the word would print it twice ("Netzwerktreffen „Netzwerktreffen: …“").
"""

import pytest
from django.core import mail

from demo.meetings import MEETINGS
from meetings import services
from meetings.models import Meeting
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory
from tests.meetings.test_admin import change_url, meeting_form

pytestmark = pytest.mark.django_db


def test_the_form_asks_to_leave_out_netzwerktreffen(coordinator_client):
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title="Weiterbildung")

    response = coordinator_client.post(
        change_url(meeting), meeting_form(meeting, title="Netzwerktreffen: Weiterbildung")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [
        "Bitte lassen Sie „Netzwerktreffen“ am Anfang weg: Seiten und E-Mails setzen das Wort "
        "selbst davor („Einladung zum Netzwerktreffen …“)."
    ]
    meeting.refresh_from_db()
    assert meeting.title == "Weiterbildung"


def test_the_demo_meetings_say_netzwerktreffen_once(django_capture_on_commit_callbacks):
    titles = [title for _slug, title, *_rest in MEETINGS]
    assert not [title for title in titles if title.lower().startswith("netzwerktreffen")]
    company = CompanyFactory()
    ContactPersonFactory(company=company, email="anna@moselblick.example")
    meeting = MeetingFactory(status=Meeting.Status.DRAFT, title=titles[1], host=company)

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=meeting)

    (invitation,) = mail.outbox
    assert f"Netzwerktreffen „{titles[1]}“" in invitation.body
    assert invitation.body.count("Netzwerktreffen") == 1
