"""The meeting page offers no answer the service would refuse."""

import pytest
from django.urls import reverse

from meetings.models import Registration
from tests.factories import MembershipFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

ATTEND = '<input type="hidden" name="attending" value="yes">'


def test_no_attend_button_once_the_company_limit_is_reached(client, company):
    member = MembershipFactory(company=company).user
    meeting = MeetingFactory(per_company_limit=1)
    client.force_login(member)
    assert ATTEND in client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()

    RegistrationFactory(meeting=meeting, company=company, status=Registration.Status.CONFIRMED)
    html = client.get(reverse("meetings:detail", args=[meeting.slug])).content.decode()
    assert ATTEND not in html
    assert "Ihr Unternehmen hat die Grenze von 1 Teilnehmenden" in html
    # Asked anyway, the service refuses: the page and the rule agree.
    client.post(reverse("meetings:answer", args=[meeting.slug]), {"attending": "yes"})
    assert not Registration.objects.filter(email=member.email).exists()
