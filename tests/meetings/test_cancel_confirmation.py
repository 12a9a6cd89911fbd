"""Cancelling a registration, one's own or a colleague's, passes a confirmation page that says
what happens and who hears of it; opening it changes nothing."""

import pytest
from django.core import mail
from django.urls import reverse

from meetings import services
from meetings.models import Registration
from network_portal.models import ActivityEntry, OutboxMail
from tests.factories import CompanyFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(company):
    return MembershipFactory(
        company=company,
        user__email="petra@moselblick.example",
        user__first_name="Petra",
        user__last_name="Kettern",
    ).user


def register(meeting, company, name, email, **kwargs):
    return services.rsvp_answer(
        meeting=meeting, company=company, name=name, email=email, attending=True, **kwargs
    )


def cancel_url(registration):
    return reverse(
        "meetings:cancel_registration", args=[registration.meeting.slug, registration.pk]
    )


def test_a_colleagues_cancellation_is_confirmed_first(
    client, member, company, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(title="Netzwerktreffen Herbst", capacity=1, per_company_limit=3)
    colleague = register(meeting, company, "Jonas Reuter", "jonas@moselblick.example")
    waiting = register(meeting, CompanyFactory(), "Lea Kaspari", "lea@porta.example")
    OutboxMail.objects.all().delete()  # the registrations' confirmations: not this test's
    client.force_login(member)
    detail = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert f'href="{cancel_url(colleague)}"' in detail  # a link to the page, not a POST

    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(cancel_url(colleague))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>Anmeldung stornieren</h1>" in html
    assert "Netzwerktreffen Herbst" in html and "Jonas Reuter (jonas@moselblick.example)" in html
    assert "Die Anmeldung von Jonas Reuter wird storniert und der Platz wird frei." in html
    assert "Den Platz erhält die erste Person auf der Warteliste." in html
    assert "Die erste Person auf der Warteliste erfährt per E-Mail" in html
    assert "Jonas Reuter erhält darüber keine E-Mail." in html
    assert f'href="{reverse("meetings:detail", args=[meeting.slug])}"' in html  # the way back
    # Nothing changed, nothing written, nothing sent.
    colleague.refresh_from_db(), waiting.refresh_from_db()
    assert (colleague.status, waiting.status) == ("confirmed", "waitlisted")
    assert not ActivityEntry.objects.filter(action="meetings.registration.cancelled").exists()
    assert not OutboxMail.objects.exists() and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(colleague), follow=True)
    assert "Die Anmeldung von Jonas Reuter ist storniert." in response.content.decode()
    colleague.refresh_from_db(), waiting.refresh_from_db()
    assert (colleague.status, waiting.status) == ("cancelled", "confirmed")
    assert [m.to for m in mail.outbox] == [["lea@porta.example"]]  # as the page said


def test_ones_own_cancellation_is_confirmed_first(client, member, company):
    meeting = MeetingFactory(capacity=5)
    mine = register(meeting, company, "Petra Kettern", member.email, by_user=member)
    client.force_login(member)
    detail = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    # "Ich nehme nicht teil" of a registered person leads to the same page.
    assert f'<a class="btn btn-outline-secondary" href="{cancel_url(mine)}">' in detail

    html = client.get(cancel_url(mine)).content.decode()
    assert "<h1>Ihre Anmeldung stornieren</h1>" in html
    assert "Ihre Anmeldung wird storniert und Ihr Platz wird frei." in html
    assert "Es wird keine E-Mail verschickt." in html
    assert "Meine Anmeldung stornieren" in html
    mine.refresh_from_db()
    assert mine.status == "confirmed"

    client.post(cancel_url(mine))
    mine.refresh_from_db()
    assert mine.status == "cancelled"
    detail = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert "Ihre Anmeldung ist storniert." in detail


def test_nothing_to_confirm_once_cancelled_or_closed(client, member, company):
    meeting = MeetingFactory()
    colleague = register(meeting, company, "Jonas Reuter", "jonas@moselblick.example")
    services.registration_cancel(registration=colleague, by_user=member)
    client.force_login(member)
    response = client.get(cancel_url(colleague), follow=True)
    assert "Diese Anmeldung kann nicht mehr storniert werden." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("meetings:detail", args=[meeting.slug])


def test_another_companys_registration_has_no_confirmation_page(client, member):
    meeting = MeetingFactory()
    foreign = register(meeting, CompanyFactory(), "Lea Kaspari", "lea@porta.example")
    client.force_login(member)
    assert client.get(cancel_url(foreign)).status_code == 404
    assert client.post(cancel_url(foreign)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Registration.Status.CONFIRMED
