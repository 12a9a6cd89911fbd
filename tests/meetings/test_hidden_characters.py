"""Control and invisible characters in registration names, topic wishes and the admin's meeting
form are refused with a German message, and nothing is stored (network_portal.text)."""

import pytest
from django.urls import reverse

from meetings.models import Registration, TopicProposal
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

TOPICS = reverse("meetings:topics")


def refused(found: str) -> str:
    return f"Bitte entfernen Sie die Steuer- oder unsichtbaren Zeichen aus dem Text: {found}."


def test_colleague_name_with_an_escape_sequence_is_refused(client, company, company_user):
    # ESC [2J clears a terminal: a participant list printed there would be wiped.
    meeting = MeetingFactory()
    client.force_login(company_user)

    response = client.post(
        reverse("meetings:register_colleague", args=[meeting.slug]),
        {"name": "Lea\x1b[2J Kaspari", "email": "lea@moselblick.example"},
        follow=True,
    )

    assert refused("Steuerzeichen (U+001B)") in [str(m) for m in response.context["messages"]]
    assert not Registration.objects.exists()


def test_topic_title_with_a_zero_width_space_is_refused(client, company, company_user):
    client.force_login(company_user)

    response = client.post(TOPICS, {"title": "Sprach\u200bkurse für Fachkräfte", "description": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [refused("unsichtbares Zeichen (U+200B)")]
    assert refused("unsichtbares Zeichen (U+200B)") in response.text
    assert not TopicProposal.objects.exists()


def test_topic_description_with_a_direction_override_is_refused(client, company, company_user):
    client.force_login(company_user)

    response = client.post(
        TOPICS, {"title": "Sprachkurse", "description": "Bitte öffnen: \u202efdp.exe"}
    )

    assert response.context["form"].errors["description"] == [refused("Richtungswechsel (U+202E)")]
    assert not TopicProposal.objects.exists()


def test_topic_with_umlauts_emoji_and_several_lines_is_proposed(client, company, company_user):
    client.force_login(company_user)
    description = "Gemeinsam günstiger:\r\n- Deutsch B1\r\n- Deutsch B2 🇩🇪\r\n\r\nGrüße 👋🏽"

    response = client.post(
        TOPICS, {"title": "Sprachkurse für Fachkräfte 🗣️", "description": description}
    )

    assert response.status_code == 302
    proposal = TopicProposal.objects.get()
    assert proposal.title == "Sprachkurse für Fachkräfte 🗣️"
    assert proposal.description == description
