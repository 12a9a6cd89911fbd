"""Feedback after a meeting through the signed link from the feedback mail."""

import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import signing
from django.utils import timezone

from meetings import services
from meetings.models import Feedback, Meeting
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_registration():
    starts = timezone.now() - timedelta(days=3)
    meeting = MeetingFactory(
        title="Netzwerktreffen: Weiterbildung und Bindung",
        status=Meeting.Status.HELD,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
    )
    return RegistrationFactory(meeting=meeting, name="Jana Beispiel")


def path_of(registration):
    return services.feedback_url(registration).removeprefix(settings.SITE_URL)


def test_feedback_through_the_link(client, past_registration):
    path = path_of(past_registration)
    assert path.startswith("/meetings/feedback/")
    html = client.get(path).content.decode()
    assert "Netzwerktreffen: Weiterbildung und Bindung" in html
    assert 'name="rating"' in html

    response = client.post(path, {"rating": "4", "comment": "Sehr praxisnah."})
    assert response.status_code == 200
    assert "Vielen Dank für Ihre Rückmeldung!" in response.content.decode()
    feedback = Feedback.objects.get()
    assert feedback.registration == past_registration
    assert feedback.meeting == past_registration.meeting
    assert (feedback.rating, feedback.comment) == (4, "Sehr praxisnah.")


def test_feedback_can_be_changed_and_stays_one_row(client, past_registration):
    path = path_of(past_registration)
    client.post(path, {"rating": "2", "comment": "Zu lang."})
    html = client.get(path).content.decode()
    assert "Sie haben bereits eine Rückmeldung gegeben." in html
    assert re.search(r'name="rating" value="2"[^>]*\bchecked', html)
    assert not re.search(r'name="rating" value="[1345]"[^>]*\bchecked', html)
    assert "Zu lang." in html

    client.post(path, {"rating": "5", "comment": "Beim zweiten Nachdenken: sehr gut."})
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment) == (5, "Beim zweiten Nachdenken: sehr gut.")


@pytest.mark.parametrize("rating", ["6", "0"])
def test_rating_must_be_between_1_and_5(client, past_registration, rating):
    response = client.post(path_of(past_registration), {"rating": rating, "comment": ""})
    assert response.status_code == 200
    assert (
        f"Bitte eine gültige Auswahl treffen. {rating} ist keine gültige Auswahl."
        in response.content.decode()
    )
    assert not Feedback.objects.exists()


def test_no_feedback_before_the_meeting_is_over(client):
    registration = RegistrationFactory(meeting=MeetingFactory())
    path = path_of(registration)
    html = client.get(path).content.decode()
    assert "Das Treffen hat noch nicht stattgefunden." in html
    assert 'name="rating"' not in html

    response = client.post(path, {"rating": "5"})
    assert response.status_code == 409
    assert not Feedback.objects.exists()


def test_tampered_token_is_gone(client, past_registration):
    path = path_of(past_registration)
    token = path.split("/")[-2]
    tampered = path.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    for response in (client.get(tampered), client.post(tampered, {"rating": "5"})):
        assert response.status_code == 410
        assert "Dieser Feedback-Link ist ungültig." in response.content.decode()
    assert not Feedback.objects.exists()


def test_token_of_another_purpose_is_refused(client, past_registration):
    token = services.rsvp_token(
        meeting=past_registration.meeting, attending=True, registration=past_registration
    )
    response = client.get(f"/meetings/feedback/{token}/")
    assert response.status_code == 410
    assert "Dieser Feedback-Link ist ungültig." in response.content.decode()


def test_expired_token_is_gone(client, past_registration, monkeypatch):
    sixty_one_days_ago = time.time() - 61 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(signing.time, "time", lambda: sixty_one_days_ago)
        path = path_of(past_registration)
    response = client.get(path)
    assert response.status_code == 410
    assert "Dieser Feedback-Link ist abgelaufen." in response.content.decode()


def test_link_for_a_cancelled_meeting_is_gone(client, past_registration):
    Meeting.objects.filter(pk=past_registration.meeting_id).update(status=Meeting.Status.CANCELLED)
    assert client.get(path_of(past_registration)).status_code == 410
