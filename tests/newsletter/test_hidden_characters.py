"""Control and invisible characters in the public sign-up and in an issue's subject are refused
with a German message, and nothing is stored (network_portal.text)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsletter.models import Issue, Subscriber
from tests.mfa import login_with_second_factor
from tests.newsletter.factories import MailingListFactory

pytestmark = pytest.mark.django_db


def refused(found: str) -> str:
    return f"Bitte entfernen Sie die Steuer- oder unsichtbaren Zeichen aus dem Text: {found}."


@pytest.fixture
def public_list():
    return MailingListFactory(name="Fachkräfte-Newsletter", slug="fachkraefte")


def test_sign_up_with_a_direction_override_in_the_name_is_refused(client, public_list):
    response = client.post(
        reverse("newsletter:subscribe"),
        {
            "email": "petra.kettern@moselblick.example",
            "first_name": "Petra",
            "last_name": "\u202enrettek",
            "lists": [str(public_list.pk)],
            "consent": "on",
            "website": "",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["last_name"] == [refused("Richtungswechsel (U+202E)")]
    assert not Subscriber.objects.exists()


def issue_form(newsletter_list, **changes):
    return {
        "subject": "Programm des Netzwerktreffens",
        "preheader": "",
        "body": "## Programm\n\n- 17 Uhr: Begrüßung\n- 18 Uhr: Vortrag 🎤\n",
        "lists": [newsletter_list.pk],
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "_save": "1",
        **changes,
    }


def test_issue_subject_with_a_bell_is_refused_in_the_admin(client, coordinator, public_list):
    login_with_second_factor(client, coordinator)

    response = client.post(
        reverse("admin:newsletter_issue_add"),
        issue_form(public_list, subject="Programm\x07 des Netzwerktreffens"),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["subject"] == [
        refused("Steuerzeichen (U+0007)")
    ]
    assert not Issue.objects.exists()


def test_an_issue_in_markdown_over_several_lines_is_saved(client, coordinator, public_list):
    login_with_second_factor(client, coordinator)

    response = client.post(reverse("admin:newsletter_issue_add"), issue_form(public_list))

    assert response.status_code == 302
    assert Issue.objects.get().body == "## Programm\n\n- 17 Uhr: Begrüßung\n- 18 Uhr: Vortrag 🎤"


def test_an_attachment_name_loses_hidden_characters_before_any_check(
    client, coordinator, public_list
):
    """Django's upload parser drops non-printable characters from file names itself."""
    login_with_second_factor(client, coordinator)
    upload = SimpleUploadedFile("Pro\u202egramm.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n")

    response = client.post(
        reverse("admin:newsletter_issue_add"),
        {
            **issue_form(public_list),
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": upload,
        },
    )

    assert response.status_code == 302
    assert Issue.objects.get().attachments.get().filename == "Programm.pdf"
