"""Shared parts of pages kept in the cache ({% sharedcache %}, cached cockpit sections, the
ranking) follow every kind of change to what they show: save, queryset update, bulk_create,
delete; per-company parts never reach another company. On Redis, as in production."""

import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.template import Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Material, Registration
from members.models import Company, ContactPerson, JoinRequest
from seal import selectors as seal_selectors
from seal.models import AwardCycle, Certificate, Criterion, Score
from tests.factories import CompanyFactory, ContactPersonFactory, MembershipFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.seal.factories import (
    AwardCycleFactory,
    CategoryFactory,
    CertificateFactory,
    CriterionFactory,
    JurorAssignmentFactory,
    ScoreFactory,
    SubmittedApplicationFactory,
    juror,
)
from tests.test_shared_content_cache import page, redis_cache  # noqa: F401 (autouse fixture)

pytestmark = pytest.mark.django_db


def test_a_shared_fragment_may_not_hold_a_csrf_token():
    with pytest.raises(TemplateSyntaxError, match="csrf_token"):
        Template(
            "{% load shared_cache %}{% sharedcache 'x' 'topic' %}<form>{% csrf_token %}</form>"
            "{% endsharedcache %}"
        )


# --- The meeting page: the meeting, its agenda, materials, seats -----------------------------


@pytest.fixture
def meeting_page(client, company_user):
    client.force_login(company_user)
    speaker = ContactPersonFactory(first_name="Ilse", last_name="Olewig")
    meeting = MeetingFactory(capacity=10)
    AgendaItem.objects.create(
        meeting=meeting, starts_at="16:00", title="Sprachkurse gemeinsam", speaker_contact=speaker
    )
    url = reverse("meetings:detail", args=[meeting.slug])
    html = page(client, url)
    assert "Sprachkurse gemeinsam" in html and "10 Plätze frei" in html
    return {"client": client, "meeting": meeting, "url": url, "speaker": speaker}


def test_the_meeting_page_shows_agenda_changes_made_by_queryset_update(meeting_page):
    AgendaItem.objects.filter(meeting=meeting_page["meeting"]).update(title="Praktika für Schüler")
    html = page(meeting_page["client"], meeting_page["url"])
    assert "Praktika für Schüler" in html and "Sprachkurse gemeinsam" not in html


def test_the_meeting_page_shows_materials_added_in_bulk(meeting_page):
    Material.objects.bulk_create(
        [Material(meeting=meeting_page["meeting"], title="Folien Sprachkurs", file="x.pdf")]
    )
    assert "Folien Sprachkurs" in page(meeting_page["client"], meeting_page["url"])


def test_the_meeting_page_counts_seats_taken_in_bulk(meeting_page):
    company = CompanyFactory()
    Registration.objects.bulk_create(
        [
            Registration(
                meeting=meeting_page["meeting"],
                company=company,
                name=f"Person {n}",
                email=f"p{n}@example.org",
                status=Registration.Status.CONFIRMED,
            )
            for n in range(3)
        ]
    )
    assert "7 Plätze frei" in page(meeting_page["client"], meeting_page["url"])


def test_the_meeting_page_shows_a_renamed_speaker(meeting_page):
    ContactPerson.objects.filter(pk=meeting_page["speaker"].pk).update(last_name="Benkert")
    assert "Ilse Benkert" in page(meeting_page["client"], meeting_page["url"])


def test_the_meeting_page_forgets_a_deleted_agenda_item(meeting_page):
    meeting_page["meeting"].agenda_items.all().delete()
    assert "Sprachkurse gemeinsam" not in page(meeting_page["client"], meeting_page["url"])


# --- The upcoming meetings: the same for everyone of a company --------------------------------


def test_upcoming_meetings_show_each_company_only_its_own_registrations(client, company):
    meeting = MeetingFactory(title="Sommertreffen")
    RegistrationFactory(meeting=meeting, company=company)
    own = MembershipFactory(company=company).user
    stranger = MembershipFactory(company=CompanyFactory()).user
    client.force_login(own)
    assert "1 Person Ihres Unternehmens angemeldet" in page(client, reverse("meetings:list"))
    client.force_login(stranger)
    html = page(client, reverse("meetings:list"))
    assert "Sommertreffen" in html and "Ihres Unternehmens angemeldet" not in html
    Registration.objects.filter(meeting=meeting).update(status=Registration.Status.CANCELLED)
    client.force_login(own)
    assert "Ihres Unternehmens angemeldet" not in page(client, reverse("meetings:list"))


def test_a_meeting_leaves_the_upcoming_ones_when_it_ends(client, company_user):
    client.force_login(company_user)
    MeetingFactory(
        title="Kurzes Treffen",
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(seconds=2),
    )
    html = page(client, reverse("meetings:list"))
    assert html.index("Kurzes Treffen") < html.index("Vergangene Treffen")
    # Time passes, no row changes: the cached list knows until when it holds.
    time.sleep(2.5)
    html = page(client, reverse("meetings:list"))
    assert "Kurzes Treffen" not in html[: html.index("Vergangene Treffen")]


# --- The seal page: catalogue and current holders --------------------------------------------


@pytest.fixture
def seal_page(client):
    cycle = AwardCycleFactory(name="2027", slug="2027")
    criterion = CriterionFactory(
        category=CategoryFactory(cycle=cycle), question="Gibt es flexible Arbeitszeiten?"
    )
    certificate = CertificateFactory(application__company__name="Porta Nigra Logistik GmbH")
    html = page(client, reverse("seal:home"))
    assert "Gibt es flexible Arbeitszeiten?" in html and "Porta Nigra Logistik GmbH" in html
    return {"client": client, "criterion": criterion, "certificate": certificate, "cycle": cycle}


def test_the_seal_page_shows_a_changed_criterion(seal_page):
    Criterion.objects.filter(pk=seal_page["criterion"].pk).update(question="Gibt es Homeoffice?")
    html = page(seal_page["client"], reverse("seal:home"))
    assert "Gibt es Homeoffice?" in html and "flexible Arbeitszeiten" not in html


def test_the_seal_page_drops_a_holder_revoked_by_queryset_update(seal_page):
    Certificate.objects.filter(pk=seal_page["certificate"].pk).update(revoked_at=timezone.now())
    assert "Porta Nigra Logistik GmbH" not in page(seal_page["client"], reverse("seal:home"))


def test_the_seal_page_lists_a_cycle_published_early(seal_page):
    later = AwardCycleFactory(scoring=True, name="2029", slug="2029")
    CertificateFactory(application__cycle=later, application__company__name="Mosel Bäckerei KG")
    assert "Mosel Bäckerei KG" not in page(seal_page["client"], reverse("seal:home"))
    AwardCycle.objects.filter(pk=later.pk).update(published_at=timezone.now())
    assert "Mosel Bäckerei KG" in page(seal_page["client"], reverse("seal:home"))


def test_the_seal_page_shows_a_renamed_holder(seal_page):
    company = seal_page["certificate"].application.company
    Company.objects.filter(pk=company.pk).update(name="Porta Nigra Spedition GmbH")
    assert "Porta Nigra Spedition GmbH" in page(seal_page["client"], reverse("seal:home"))


# --- The cockpit's sections -------------------------------------------------------------------


def test_cockpit_sections_follow_changes(coordinator_client):
    assert "Beitrittsanfragen warten seit mehr als einer Woche" not in page(
        coordinator_client, reverse("admin:index")
    )
    company = CompanyFactory()
    JoinRequest.objects.bulk_create(
        [JoinRequest(user=UserFactory(), company=company, message="Bitte aufnehmen")]
    )
    JoinRequest.objects.update(created_at=timezone.now() - timedelta(days=10))
    html = page(coordinator_client, reverse("admin:index"))
    assert "Beitrittsanfragen warten seit mehr als einer Woche" in html

    cycle = AwardCycleFactory(scoring=True)
    application = SubmittedApplicationFactory(cycle=cycle)
    html = page(coordinator_client, reverse("admin:index"))
    assert "Eingereichte Bewerbungen ohne Jurorin oder Juror" in html
    JurorAssignmentFactory(application=application, juror=juror())
    assert "Eingereichte Bewerbungen ohne Jurorin oder Juror" not in page(
        coordinator_client, reverse("admin:index")
    )


# --- The ranking ------------------------------------------------------------------------------


def test_the_ranking_follows_scores_changed_by_queryset_update():
    cycle = AwardCycleFactory(scoring=True)
    criterion = CriterionFactory(category=CategoryFactory(cycle=cycle), scale_max=4)
    application = SubmittedApplicationFactory(cycle=cycle)
    assignment = JurorAssignmentFactory(
        application=application, juror=juror(), submitted_at=timezone.now()
    )
    ScoreFactory(assignment=assignment, criterion=criterion, points=2)
    (result,) = seal_selectors.ranking_cached(cycle)
    assert result.total == 50
    Score.objects.filter(assignment=assignment).update(points=4)
    (result,) = seal_selectors.ranking_cached(cycle)
    assert result.total == 100
    cache.clear()


# --- Without a shared cache ---------------------------------------------------------------------


UNREACHABLE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def other_caches(settings):
    """Lets a test set CACHES; the Redis of the module's fixture is back for its clean-up."""
    shared = settings.CACHES
    yield settings
    settings.CACHES = shared


def test_pages_are_computed_when_the_cache_does_not_answer(client, company_user, other_caches):
    """Redis unreachable: pages answer, and show changes."""
    other_caches.CACHES = UNREACHABLE
    client.force_login(company_user)
    CompanyFactory(name="Saartal Bäckerei GmbH")
    MeetingFactory(title="Herbsttreffen")
    for url in ("members:directory", "meetings:list", "seal:home", "home"):
        assert client.get(reverse(url)).status_code == 200
    Company.objects.filter(name="Saartal Bäckerei GmbH").update(name="Saartal Brot GmbH")
    assert "Saartal Brot GmbH" in page(client, reverse("members:directory"))


def test_a_cache_of_each_process_keeps_nothing_shared(other_caches):
    """The local-memory default: a worker's change could not reach a web process's copy, so
    pages keep nothing (and the deploy check says so)."""
    from network_portal.cache_versions import cached, is_shared
    from network_portal.checks import check_shared_cache

    other_caches.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert not is_shared()
    calls = []
    for _ in range(2):
        cached("test.value", lambda: calls.append(1) or len(calls), topics=["test"])
    assert calls == [1, 1]
    assert [w.id for w in check_shared_cache()] == ["network_portal.W010"]

    other_caches.CACHES = UNREACHABLE
    assert is_shared() and check_shared_cache() == []
