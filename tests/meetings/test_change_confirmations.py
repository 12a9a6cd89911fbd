"""Changing, cancelling and publishing meetings in the admin pass a confirmation page that says
how many people get which mail; the update and the cancellation carry the coordinator's note.
Opening a page (or the first save of a change) sends nothing and changes nothing."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from meetings.models import Meeting
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.meetings.test_admin import CHANGELIST, change_url, meeting_form, recipients
from tests.mfa import login_with_second_factor
from tests.utils import messages_of

pytestmark = pytest.mark.django_db

NOTE = "Der Raum wird renoviert – wir treffen uns nebenan."


def cancel_url(meeting):
    return reverse("admin:meetings_meeting_cancel", args=[meeting.pk])


def page_count(html: str, pattern: str) -> int:
    """The number a confirmation page states in the sentence matching ``pattern``."""
    return int(re.search(pattern, html).group(1))


def nothing_happened():
    assert mail.outbox == []
    assert OutboxMail.objects.count() == 0


@pytest.fixture
def invited_meeting(network):
    """A published meeting; besides the three invited contacts, a registered guest."""
    meeting = MeetingFactory(host=network["moselblick"], title="Fachkräfte halten")
    RegistrationFactory(
        meeting=meeting, company=network["olewig"], email="gast@olewig.example", name="Eva Gast"
    )
    return meeting


# --- An update of a published meeting ---------------------------------------------------------


def test_a_new_date_is_confirmed_before_it_is_saved_and_the_update_carries_the_note(
    coordinator_client, invited_meeting, django_capture_on_commit_callbacks
):
    meeting = invited_meeting
    old_start = meeting.starts_at
    later = old_start + timedelta(days=1)
    form = meeting_form(meeting, starts_at=later, ends_at=later + timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(change_url(meeting), form)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Änderungen speichern und eine Aktualisierung senden?" in html
    count = page_count(html, r"(\d+) Eingeladene erhalten eine Aktualisierung per E-Mail")
    assert count == 4  # three contacts and the guest
    assert "Speichern und 4 Aktualisierungen senden" in html
    assert "Beginn" in html and "→" in html  # what changes, old → new
    # Nothing saved, nothing written, nothing sent.
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (old_start, 0)
    assert not ActivityEntry.objects.filter(action="meetings.meeting.rescheduled").exists()
    nothing_happened()

    # The page posts the form again, confirmed, with the note.
    hidden = dict(page.context["hidden"])
    assert hidden["_update_confirmed"] == "1" and "csrfmiddlewaretoken" not in hidden
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(change_url(meeting), {**hidden, "note": NOTE})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (later, 1)
    assert len(mail.outbox) == OutboxMail.objects.count() == count
    assert "gast@olewig.example" in recipients()
    for message in mail.outbox:
        assert NOTE in message.body
        assert NOTE in message.alternatives[0][0]
    entry = ActivityEntry.objects.get(action="meetings.meeting.rescheduled")
    assert entry.details["note"] == NOTE and entry.details["recipients"] == count


def test_an_update_without_a_note_is_fine_and_a_change_without_update_needs_no_confirmation(
    coordinator_client, invited_meeting, django_capture_on_commit_callbacks
):
    meeting = invited_meeting
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            change_url(meeting), meeting_form(meeting, description="Mit Imbiss.")
        )
    assert response.status_code == 302  # saved at once: no mail goes out
    nothing_happened()

    later = meeting.starts_at + timedelta(hours=1)
    form = meeting_form(meeting, starts_at=later, ends_at=later + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            change_url(meeting), {**form, "_update_confirmed": "1", "note": ""}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 4
    assert "Der Raum" not in mail.outbox[0].body


def test_an_invalid_form_shows_its_errors_before_any_confirmation(coordinator_client):
    meeting = MeetingFactory()
    response = coordinator_client.post(
        change_url(meeting),
        meeting_form(meeting, ends_at=meeting.starts_at - timedelta(hours=1)),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_at"]
    assert "hidden" not in response.context
    nothing_happened()


# --- Cancelling one meeting -------------------------------------------------------------------


def test_cancelling_a_meeting_is_confirmed_first_and_the_notice_carries_the_note(
    coordinator_client, invited_meeting, django_capture_on_commit_callbacks
):
    meeting = invited_meeting
    change_page = coordinator_client.get(change_url(meeting)).content.decode()
    assert f'href="{cancel_url(meeting)}"' in change_page  # a link, not a POST

    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.get(cancel_url(meeting))
    html = page.content.decode()
    assert page.status_code == 200
    assert "„Fachkräfte halten“ absagen?" in html
    count = page_count(html, r"(\d+) Eingeladene erhalten die Absage per E-Mail")
    assert count == 4
    assert "Treffen absagen und 4 Personen benachrichtigen" in html
    assert f'href="{change_url(meeting)}"' in html  # the way back
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    nothing_happened()

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(cancel_url(meeting), {"note": NOTE}, follow=True)

    assert "„Fachkräfte halten“ ist abgesagt; alle Eingeladenen werden benachrichtigt." in (
        response.content.decode()
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert len(mail.outbox) == OutboxMail.objects.count() == count
    for message in mail.outbox:
        assert NOTE in message.body and NOTE in message.alternatives[0][0]
    entry = ActivityEntry.objects.get(action="meetings.meeting.cancelled")
    assert entry.details["note"] == NOTE and entry.details["recipients"] == count


def test_cancelling_a_draft_mails_nobody_and_asks_for_no_note(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    page = coordinator_client.get(cancel_url(draft))
    assert page.context["note_form"] is None
    assert "Es wird keine E-Mail verschickt." in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(cancel_url(draft))
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.CANCELLED
    nothing_happened()


def test_a_cancelled_meeting_cannot_be_cancelled_again(coordinator_client):
    meeting = MeetingFactory(status=Meeting.Status.CANCELLED)
    response = coordinator_client.get(cancel_url(meeting), follow=True)
    assert messages_of(response) == [("error", "Nur ein geplantes Treffen kann abgesagt werden.")]
    nothing_happened()


def test_staff_who_may_only_view_meetings_cannot_cancel(
    client, invited_meeting, django_capture_on_commit_callbacks
):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    login_with_second_factor(client, viewer)

    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(cancel_url(invited_meeting)).status_code == 403
        assert client.post(cancel_url(invited_meeting), {"note": NOTE}).status_code == 403
    invited_meeting.refresh_from_db()
    assert invited_meeting.status == Meeting.Status.PUBLISHED
    nothing_happened()


# --- The list's actions -----------------------------------------------------------------------


def test_the_lists_cancel_action_confirms_with_the_count_and_passes_the_note(
    coordinator_client, invited_meeting, django_capture_on_commit_callbacks
):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, title="Noch offen")
    selected = {"action": "cancel", "_selected_action": [invited_meeting.pk, draft.pk]}

    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(CHANGELIST, selected)
    html = page.content.decode()
    assert page.status_code == 200
    count = page_count(html, r"„Fachkräfte halten“: (\d+) Eingeladene erhalten die Absage")
    assert count == 4
    assert "„Noch offen“ ist ein Entwurf: Niemand wurde eingeladen" in html
    assert 'name="note"' in html
    invited_meeting.refresh_from_db(), draft.refresh_from_db()
    assert {invited_meeting.status, draft.status} == {"published", "draft"}
    nothing_happened()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(CHANGELIST, {**selected, "post": "yes", "note": NOTE})
    invited_meeting.refresh_from_db(), draft.refresh_from_db()
    assert (invited_meeting.status, draft.status) == ("cancelled", "cancelled")
    assert len(mail.outbox) == OutboxMail.objects.count() == count
    assert all(NOTE in message.body for message in mail.outbox)


def test_the_lists_publish_action_confirms_with_the_number_of_invitations(
    coordinator_client, network, django_capture_on_commit_callbacks
):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, title="Frühjahrstreffen")
    selected = {"action": "publish", "_selected_action": [draft.pk]}

    with django_capture_on_commit_callbacks(execute=True):
        page = coordinator_client.post(CHANGELIST, selected)
    count = page_count(
        page.content.decode(), r"„Frühjahrstreffen“: (\d+) Einladungen gehen per E-Mail"
    )
    assert count == 3
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.DRAFT
    nothing_happened()

    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(CHANGELIST, {**selected, "post": "yes"})
    draft.refresh_from_db()
    assert draft.status == Meeting.Status.PUBLISHED
    assert len(mail.outbox) == OutboxMail.objects.count() == count


def test_the_lists_actions_are_not_offered_to_staff_who_may_only_view(
    client, invited_meeting, django_capture_on_commit_callbacks
):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    login_with_second_factor(client, viewer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST,
            {"action": "cancel", "_selected_action": [invited_meeting.pk], "post": "yes"},
        )
    assert response.status_code in (200, 302)
    invited_meeting.refresh_from_db()
    assert invited_meeting.status == Meeting.Status.PUBLISHED
    nothing_happened()
