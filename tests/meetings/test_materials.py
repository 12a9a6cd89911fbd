"""Materials of a meeting: for members only, under a server-chosen file name."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from meetings.models import Material
from tests.factories import CompanyFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def material():
    meeting = MeetingFactory(status="held", slug="herbsttreffen")
    item = Material(meeting=meeting, title="Folien Weiterbildung", content_type="application/pdf")
    item.file.save("Folien <script>.pdf", ContentFile(PDF), save=True)
    return item


def test_member_downloads_material_with_a_safe_name(client, company_user, material):
    client.force_login(company_user)
    response = client.get(reverse("meetings:material", args=["herbsttreffen", material.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="herbsttreffen-{material.pk}.pdf"'
    )
    assert b"".join(response.streaming_content) == PDF
    assert "script" not in material.file.name


def test_material_is_not_for_anonymous_or_inactive_companies(client, material):
    url = reverse("meetings:material", args=["herbsttreffen", material.pk])
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(MembershipFactory(company=CompanyFactory(status="left")).user)
    assert client.get(url).status_code == 403


def test_material_must_belong_to_the_meeting_in_the_url(client, company_user, material):
    other = MeetingFactory(slug="anderes-treffen")
    client.force_login(company_user)
    url = reverse("meetings:material", args=[other.slug, material.pk])
    assert client.get(url).status_code == 404
