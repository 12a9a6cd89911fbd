"""Validity of the seal: the public list of current holders, the archive of past cycles and
the reminders before a seal expires."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone

from network_portal.activity import Process
from network_portal.models import ActivityEntry, OutboxMail
from seal import services
from seal.models import Certificate
from tests.factories import CompanyAdminFactory, CompanyFactory
from tests.seal.factories import AwardCycleFactory, CertificateFactory

pytestmark = pytest.mark.django_db


def past_cycle(name: str, *, days_ago: int):
    """A cycle whose award ceremony was ``days_ago`` days ago (published)."""
    now = timezone.now()
    return AwardCycleFactory(
        name=name,
        slug=name,
        criteria_published_on=(now - timedelta(days=days_ago + 200)).date(),
        applications_open_at=now - timedelta(days=days_ago + 150),
        deadline=now - timedelta(days=days_ago + 90),
        jury_review_until=(now - timedelta(days=days_ago + 30)).date(),
        decision_on=(now - timedelta(days=days_ago + 20)).date(),
        ceremony_on=(now - timedelta(days=days_ago)).date(),
    )


def award(name: str, cycle, *, valid_until=None, **kwargs) -> Certificate:
    issued = cycle.ceremony_on
    return CertificateFactory(
        application__cycle=cycle,
        application__company=CompanyFactory(name=name),
        issued_on=issued,
        valid_until=valid_until or issued + relativedelta(years=4),
        **kwargs,
    )


def german_date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def holders_section(html: str) -> str:
    return html.split('id="awarded"', 1)[1]


def test_seal_page_lists_current_holders_with_valid_until_and_expired_ones_only_in_archive(
    client,
):
    old = past_cycle("2021", days_ago=5 * 365)
    recent = past_cycle("2025", days_ago=300)
    expired = award("Eifeler Holzbau GmbH", old)
    current = award("Moselblick Pflege GmbH", recent)
    award("Ruwertal Bäckerei GmbH", recent, revoked_at=timezone.now())

    html = holders_section(client.get(reverse("seal:home")).content.decode())
    assert "Siegel 2025" in html
    assert "Moselblick Pflege GmbH" in html
    assert f"gültig bis {german_date(current.valid_until)}" in html
    assert "Eifeler Holzbau GmbH" not in html
    assert "Siegel 2021" not in html
    assert "Ruwertal Bäckerei GmbH" not in html

    archive = client.get(reverse("seal:archive")).content.decode()
    assert "Siegel 2021" in archive
    assert "Eifeler Holzbau GmbH" in archive
    assert f"war gültig bis {german_date(expired.valid_until)}" in archive
    assert "Siegel 2025" in archive and "Moselblick Pflege GmbH" in archive
    assert "Ruwertal Bäckerei GmbH" not in archive


def test_holders_of_a_cycle_appear_only_from_its_award_date(client):
    cycle = AwardCycleFactory(
        name="2027",
        applications_open_at=timezone.now() - timedelta(days=200),
        deadline=timezone.now() - timedelta(days=120),
        ceremony_on=timezone.localdate() + timedelta(days=10),
    )
    award("Moselblick Pflege GmbH", cycle)

    for url in ("seal:home", "seal:archive", "seal:holders_json", "seal:holders_embed"):
        assert "Moselblick Pflege GmbH" not in client.get(reverse(url)).content.decode(), url

    # The award ceremony has come.
    cycle.ceremony_on = timezone.localdate()
    cycle.save()
    for url in ("seal:home", "seal:archive", "seal:holders_json", "seal:holders_embed"):
        assert "Moselblick Pflege GmbH" in client.get(reverse(url)).content.decode(), url


def test_archive_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    cycle = past_cycle("2021", days_ago=5 * 365)
    award("Eifeler Holzbau GmbH", cycle)
    with django_assert_num_queries(2):
        client.get(reverse("seal:archive"))
    for n in range(5):
        award(f"Saarburger Werkstatt {n} KG", past_cycle(f"20{10 + n}", days_ago=3000 + n))
    with django_assert_num_queries(2):
        html = client.get(reverse("seal:archive")).content.decode()
    assert html.count("Saarburger Werkstatt") == 5


# --- Reminders before a seal expires ------------------------------------------------------------


@pytest.fixture
def holder():
    """A seal of 2025 with a company admin, and the next cycle 2029 announced."""
    cycle = past_cycle("2025", days_ago=4 * 365 - 200)
    certificate = award("Moselblick Pflege GmbH", cycle)
    admin = CompanyAdminFactory(
        company=certificate.application.company, user__email="chefin@moselblick.example"
    ).user
    next_cycle = AwardCycleFactory(
        name="2029",
        slug="2029",
        applications_open_at=timezone.now() + timedelta(days=30),
        deadline=timezone.now() + timedelta(days=120),
    )
    return certificate, admin, next_cycle


def remind(day):
    return services.expiry_reminders_send(today=day, process=Process.BEAT)


def test_reminded_six_months_before_expiry_with_the_next_cycles_dates_once(holder):
    certificate, admin, next_cycle = holder
    seven_months_before = certificate.valid_until - relativedelta(months=7)
    assert remind(seven_months_before) == []

    six_months_before = certificate.valid_until - relativedelta(months=6)
    assert len(remind(six_months_before)) == 1
    mail = OutboxMail.objects.get()
    assert mail.to == "chefin@moselblick.example"
    assert f"gültig bis {german_date(certificate.valid_until)}" in mail.subject
    assert "Moselblick Pflege GmbH" in mail.body_text
    opens = formats.date_format(
        timezone.localtime(next_cycle.applications_open_at), "DATETIME_FORMAT"
    )
    deadline = formats.date_format(timezone.localtime(next_cycle.deadline), "DATETIME_FORMAT")
    assert f"Bewerbungen für das Siegel 2029 sind vom {opens} bis zum {deadline} möglich." in (
        mail.body_text
    )
    certificate.refresh_from_db()
    assert certificate.reminded_6_months_at is not None
    entry = ActivityEntry.objects.get(action="seal.certificate.expiry_reminded")
    assert entry.process == Process.BEAT
    assert entry.details == {"months": 6, "recipients": 1, "next_cycle": "2029"}

    # The next day (and a second run the same day) writes nothing.
    assert remind(six_months_before) == []
    assert remind(six_months_before + timedelta(days=1)) == []
    assert OutboxMail.objects.count() == 1


def test_reminded_again_two_months_before_and_not_twice(holder):
    certificate, _admin, _next = holder
    remind(certificate.valid_until - relativedelta(months=6))
    two_months_before = certificate.valid_until - relativedelta(months=2)
    assert len(remind(two_months_before)) == 1
    assert len(remind(two_months_before + timedelta(days=3))) == 0
    certificate.refresh_from_db()
    assert certificate.reminded_2_months_at is not None
    assert OutboxMail.objects.count() == 2
    assert ActivityEntry.objects.filter(action="seal.certificate.expiry_reminded").count() == 2


def test_a_seal_found_late_gets_only_the_two_month_reminder(holder):
    certificate, _admin, _next = holder
    remind(certificate.valid_until - timedelta(days=30))
    certificate.refresh_from_db()
    assert certificate.reminded_6_months_at is None
    assert certificate.reminded_2_months_at is not None
    assert (
        ActivityEntry.objects.get(action="seal.certificate.expiry_reminded").details["months"] == 2
    )


def test_no_reminder_without_a_next_cycle_says_where_dates_will_be(holder):
    certificate, _admin, next_cycle = holder
    next_cycle.delete()
    remind(certificate.valid_until - relativedelta(months=6))
    body = OutboxMail.objects.get().body_text
    assert "Die Termine der nächsten Runde werden auf der Siegel-Seite bekannt gegeben" in body


def test_no_reminder_for_a_company_with_a_newer_seal_nor_for_a_revoked_one(holder):
    certificate, _admin, _next = holder
    newer = past_cycle("2027", days_ago=20)
    CertificateFactory(
        application__cycle=newer,
        application__company=certificate.application.company,
        issued_on=newer.ceremony_on,
        valid_until=newer.ceremony_on + relativedelta(years=4),
    )
    revoked = award(
        "Ruwertal Bäckerei GmbH", certificate.application.cycle, revoked_at=timezone.now()
    )
    CompanyAdminFactory(company=revoked.application.company)
    assert remind(certificate.valid_until - relativedelta(months=6)) == []
    assert not OutboxMail.objects.exists()


def test_the_reminders_run_daily_by_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["seal-expiry-reminders"]
    assert entry["task"] == "seal.send_expiry_reminders"
    assert entry["schedule"] == 24 * 3600
