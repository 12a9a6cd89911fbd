"""The meeting page and the past meetings are shared content kept in the cache (on Redis, as
in production): publishing a dossier changes the meeting, so both link it at once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Meeting
from tests.meetings.factories import MeetingFactory
from tests.test_shared_content_cache import page, redis_cache  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.django_db


def test_the_cached_pages_link_the_dossier_once_it_is_published(
    client, company_user, django_assert_num_queries, django_capture_on_commit_callbacks
):
    starts = timezone.now() - timedelta(days=10)
    meeting = MeetingFactory(
        title="Sprachkurse im Verbund",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
        status=Meeting.Status.HELD,
        minutes="Verabredet: ein gemeinsamer Kurs ab März.",
    )
    client.force_login(company_user)
    detail, listing = reverse("meetings:detail", args=[meeting.slug]), reverse("meetings:list")
    dossier = reverse("meetings:dossier", args=[meeting.slug])
    assert dossier not in page(client, detail) and dossier not in page(client, listing)
    with django_assert_num_queries(2):  # session and user: the past meetings from the cache
        assert dossier not in page(client, listing)

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_publish(meeting=meeting)

    assert f'href="{dossier}"' in page(client, detail)
    assert f'href="{dossier}"' in page(client, listing)
