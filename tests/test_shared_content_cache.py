"""The pages' shared content comes from the cache (network_portal.cache_versions), and no page
is stale after any change to what it shows: save, delete, queryset update, bulk_create and
bulk_update, through the model's manager or a related manager. On Redis, as in production."""

import os
import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting
from members.models import Company, ContactPerson
from tests.factories import CompanyFactory, ContactPersonFactory
from tests.meetings.factories import MeetingFactory
from tests.utils import skip_or_fail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def redis_cache(settings):
    """The Django cache on Redis (CACHE_URL, else the database after the test broker's)."""
    import redis

    url = os.environ.get("CACHE_URL", "")
    if not url.startswith("redis"):
        # The test broker's Redis, in the next database: emptying the cache (FLUSHDB) must not
        # empty the broker's queues.
        url = os.environ.get("CELERY_TEST_REDIS_URL", "")
        base, _, number = url.rpartition("/")
        if url.startswith("redis") and number.isdigit():
            url = f"{base}/{(int(number) + 1) % 16}"
    if not url.startswith("redis"):
        skip_or_fail("no Redis for the cache (CACHE_URL or CELERY_TEST_REDIS_URL)")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        skip_or_fail(f"Redis at {url} does not answer")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-shared-{os.getpid()}",
        }
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- The member directory (companies and contact persons) ------------------------------------


@pytest.fixture
def directory(client, company_user, company):
    client.force_login(company_user)
    other = CompanyFactory(name="Saartal Bäckerei GmbH", slug="saartal-baeckerei")
    contact = ContactPersonFactory(company=other, first_name="Ilse", last_name="Olewig")
    html = page(client, reverse("members:directory"))
    assert "Saartal Bäckerei GmbH" in html and "Ilse Olewig" in html
    return {"client": client, "company": other, "contact": contact}


def test_the_directory_comes_from_the_cache(directory, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page(directory["client"], reverse("members:directory"))
    assert not any('"members_contactperson"' in q["sql"] for q in queries.captured_queries)


CHANGES = {
    "save": lambda d: (
        setattr(d["company"], "name", "Neuer Name GmbH"),
        d["company"].save(),
    ),
    "queryset update": lambda d: Company.objects.filter(pk=d["company"].pk).update(
        name="Neuer Name GmbH"
    ),
    "related manager update": lambda d: (
        d["company"].contacts.all().update(last_name="Neuer Name GmbH")
    ),
    "bulk_update": lambda d: (
        setattr(d["contact"], "last_name", "Neuer Name GmbH"),
        ContactPerson.objects.bulk_update([d["contact"]], ["last_name"]),
    ),
    "bulk_create": lambda d: ContactPerson.objects.bulk_create(
        [
            ContactPerson(
                company=d["company"],
                first_name="Neuer",
                last_name="Name GmbH",
                email="neu@saartal.example",
            )
        ]
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_directory_shows_every_kind_of_change(directory, change):
    CHANGES[change](directory)
    html = page(directory["client"], reverse("members:directory"))
    assert "Neuer Name GmbH" in html


@pytest.mark.parametrize(
    "remove",
    {
        "delete": lambda d: d["contact"].delete(),
        "queryset delete": lambda d: ContactPerson.objects.filter(pk=d["contact"].pk).delete(),
        "company deleted (cascade)": lambda d: d["company"].delete(),
        "company no longer active": lambda d: Company.objects.filter(pk=d["company"].pk).update(
            status=Company.Status.LEFT
        ),
    }.items(),
    ids=lambda item: item[0],
)
def test_directory_forgets_what_is_removed(directory, remove):
    remove[1](directory)
    assert "Ilse Olewig" not in page(directory["client"], reverse("members:directory"))


def test_directory_follows_the_language(directory):
    directory["company"].industry = "health"
    directory["company"].save()
    assert "Gesundheit" in page(directory["client"], reverse("members:directory"))
    directory["client"].cookies["django_language"] = "en"
    html = page(directory["client"], reverse("members:directory"))
    assert "Health" in html or "health" in html.lower()


# --- The start page: the count of members and the next meeting -------------------------------


def test_start_page_count_and_next_meeting_follow_changes(client):
    def members():
        return int(
            re.search(r"(?:ist|sind|currently) (\d+) (?:Unternehmen|member)", page(client, "/"))[1]
        )

    CompanyFactory(name="Erste GmbH", slug="erste")
    assert members() == 1
    Company.objects.bulk_create([Company(name="Zweite GmbH", slug="zweite", status="active")])
    assert members() == 2
    Company.objects.filter(slug="zweite").update(status=Company.Status.LEFT)
    assert members() == 1

    meeting = MeetingFactory(title="Treffen im Frühling")
    assert "Treffen im Frühling" in page(client, "/")
    Meeting.objects.filter(pk=meeting.pk).update(title="Treffen im Sommer")
    assert "Treffen im Sommer" in page(client, "/")
    sooner = meeting.starts_at - timedelta(days=7)
    Meeting.objects.bulk_create(
        [
            Meeting(
                title="Treffen vorher",
                slug="vorher",
                starts_at=sooner,
                ends_at=sooner + timedelta(hours=2),
                rsvp_deadline=sooner - timedelta(days=1),
                capacity=10,
                status=Meeting.Status.PUBLISHED,
            )
        ]
    )
    assert "Treffen vorher" in page(client, "/")
    Meeting.objects.filter(slug="vorher").delete()
    Meeting.objects.filter(pk=meeting.pk).update(host=None)
    meeting.host.delete()
    assert "Treffen im Sommer" in page(client, "/")


def test_the_next_meeting_is_no_longer_next_once_it_began(client):
    soon = timezone.now() + timedelta(seconds=1)
    MeetingFactory(title="Gleich geht es los", starts_at=soon, ends_at=soon + timedelta(hours=1))
    assert "Gleich geht es los" in page(client, "/")
    time.sleep(1.2)
    assert "Gleich geht es los" not in page(client, "/")


# --- The meetings list's past meetings -------------------------------------------------------


def past(title, days_ago=10, **kwargs):
    starts = timezone.now() - timedelta(days=days_ago)
    return MeetingFactory(
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
        status=Meeting.Status.HELD,
        **kwargs,
    )


def test_past_meetings_follow_every_kind_of_change(client, company_user):
    client.force_login(company_user)
    meeting = past("Treffen Eins")
    url = reverse("meetings:list")
    assert "Treffen Eins" in page(client, url)

    meeting.title = "Treffen Eins (gespeichert)"
    meeting.save()
    assert "Treffen Eins (gespeichert)" in page(client, url)

    Meeting.objects.filter(pk=meeting.pk).update(title="Treffen Eins (update)")
    assert "Treffen Eins (update)" in page(client, url)

    meeting.title = "Treffen Eins (bulk_update)"
    Meeting.objects.bulk_update([meeting], ["title"])
    assert "Treffen Eins (bulk_update)" in page(client, url)

    starts = timezone.now() - timedelta(days=3)
    Meeting.objects.bulk_create(
        [
            Meeting(
                title="Treffen Zwei",
                slug="zwei",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                rsvp_deadline=starts,
                capacity=10,
                status=Meeting.Status.HELD,
            )
        ]
    )
    assert "Treffen Zwei" in page(client, url)

    Meeting.objects.filter(slug="zwei").delete()
    meeting.delete()
    html = page(client, url)
    assert "Treffen Zwei" not in html and "Treffen Eins" not in html


def test_a_meeting_joins_the_past_ones_when_it_ends(client, company_user):
    client.force_login(company_user)
    ends = timezone.now() + timedelta(seconds=1)
    MeetingFactory(title="Gerade vorbei", starts_at=ends - timedelta(hours=2), ends_at=ends)
    assert "Noch keine vergangenen Treffen." in page(client, reverse("meetings:list"))
    time.sleep(1.2)
    html = page(client, reverse("meetings:list"))
    assert "Noch keine vergangenen Treffen." not in html and "Gerade vorbei" in html


@pytest.mark.parametrize("n", [1, 12])
def test_meetings_list_query_count(client, company_user, django_assert_num_queries, n):
    client.force_login(company_user)
    for i in range(n):
        past(f"Vergangen {i}", days_ago=10 + i)
        MeetingFactory(title=f"Kommend {i}", slug=f"kommend-{i}")
    page(client, "/")  # what a login leaves to the first page is done
    # Session, user with company account and company; the upcoming meetings with seats; the
    # past ones: count, page, when the next one ends.
    with django_assert_num_queries(6):
        html = page(client, reverse("meetings:list"))
    assert html.count("Vergangen ") == min(n, 10)
    with django_assert_num_queries(2):  # session and user: both lists from the cache
        page(client, reverse("meetings:list"))
