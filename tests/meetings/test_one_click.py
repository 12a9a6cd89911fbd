"""Signed "Ich nehme teil" / "Ich nehme nicht teil" links from the invitation mail."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from meetings import selectors, services
from meetings.models import Registration
from tests.factories import ContactPersonFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(django_capture_on_commit_callbacks):
    contact = ContactPersonFactory(
        email="anna@moselblick.example", first_name="Anna", last_name="Schmitt", title="Dr."
    )
    meeting = MeetingFactory(status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish(meeting=meeting)
    meeting.refresh_from_db()
    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == [contact.email]
    return {
        "meeting": meeting,
        "contact": contact,
        "yes": links_after(invitation_mail, "Ich nehme teil: "),
        "no": links_after(invitation_mail, "Ich nehme nicht teil: "),
    }


def links_after(mail_message, label):
    line = next(line for line in mail_message.body.splitlines() if line.startswith(label))
    return line.removeprefix(label).strip()


def test_yes_link_works_without_login_and_confirms(client, invitation):
    page = client.get(invitation["yes"])
    assert page.status_code == 200
    assert '<button type="submit" class="btn btn-primary">Zusage bestätigen</button>' in (
        page.content.decode()
    )
    assert not Registration.objects.exists()  # a link scanner's GET changes nothing

    response = client.post(invitation["yes"])
    html = response.content.decode()
    assert "Vielen Dank, Sie sind angemeldet." in html
    assert "Ich nehme doch nicht teil" in html  # the way to change the answer
    registration = Registration.objects.get()
    assert (registration.email, registration.status, registration.contact) == (
        "anna@moselblick.example",
        "confirmed",
        invitation["contact"],
    )
    assert registration.name == "Dr. Anna Schmitt"


def test_opening_a_link_shows_the_meeting_and_leaves_the_answer_as_it_was(client, invitation):
    client.post(invitation["yes"])
    page = client.get(invitation["no"])
    html = page.content.decode()
    meeting = invitation["meeting"]
    assert "<h1>Absage bestätigen</h1>" in html
    assert meeting.title in html and meeting.venue_name in html
    assert "Dr. Anna Schmitt" in html
    assert (
        '<dt class="col-sm-4">Ihre bisherige Antwort</dt><dd class="col-sm-8">Zusage</dd>' in html
    )
    assert '<button type="submit" class="btn btn-primary">Absage bestätigen</button>' in html
    assert "data-auto-submit" not in html  # no script answers for the person
    assert Registration.objects.get().status == "confirmed"


def test_no_link_records_a_decline_and_frees_the_seat(client, invitation):
    client.post(invitation["yes"])
    client.post(invitation["no"])
    assert Registration.objects.get().status == "declined"
    assert selectors.free_seats(invitation["meeting"]) == invitation["meeting"].capacity


def test_link_cannot_be_altered_for_another_person_or_meeting(client, invitation):
    other_meeting = MeetingFactory()
    other_contact = ContactPersonFactory()
    payload = signing.loads(
        invitation["yes"].rstrip("/").rsplit("/", 1)[-1], salt="network_portal.link.meeting-rsvp"
    )
    forged = [
        signing.dumps({**payload, "m": other_meeting.pk}, salt="wrong-salt", compress=True),
        signing.dumps({**payload, "c": other_contact.pk}, compress=True),
        invitation["yes"].rstrip("/").rsplit("/", 1)[-1][:-4] + "AAAA",
    ]
    for token in forged:
        response = client.post(reverse("meetings:rsvp", args=[token]))
        assert response.status_code == 410
        assert "Dieser Link ist ungültig." in response.content.decode()
    assert not Registration.objects.exists()


def test_link_expires_after_the_meeting(client, invitation):
    meeting = invitation["meeting"]
    later = meeting.ends_at + timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.post(invitation["yes"])
    assert response.status_code == 410
    assert "Dieses Treffen ist vorbei; der Link ist abgelaufen." in response.content.decode()
    assert not Registration.objects.exists()


def test_link_after_the_rsvp_deadline_explains_instead_of_changing(client, invitation):
    meeting = invitation["meeting"]
    meeting.rsvp_deadline = timezone.now() - timedelta(minutes=1)
    meeting.save()
    response = client.post(invitation["yes"])
    assert response.status_code == 409
    assert "Der Anmeldeschluss ist vorbei." in response.content.decode()


def test_yes_link_of_a_company_that_left_no_longer_registers(client, invitation):
    company = invitation["contact"].company
    company.status = "left"
    company.save()
    response = client.post(invitation["yes"])
    assert response.status_code == 410
    assert "Das Unternehmen ist kein aktives Mitglied." in response.content.decode()
    assert not Registration.objects.exists()


def test_contact_with_the_longest_name_can_answer(client):
    # Title, first and last name at their limits make 252 characters; a registration's name
    # column takes 200 (PostgreSQL refuses more).
    contact = ContactPersonFactory(title="D" * 50, first_name="V" * 100, last_name="N" * 100)
    meeting = MeetingFactory()
    url = reverse(
        "meetings:rsvp",
        args=[services.rsvp_token(meeting=meeting, attending=True, contact=contact)],
    )
    response = client.post(url)
    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.name == contact.full_name[:200]
    assert registration.status == Registration.Status.CONFIRMED
