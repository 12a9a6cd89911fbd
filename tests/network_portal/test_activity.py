"""The activity log's one writer (``network_portal.activity.log_activity``): it refuses what
could not be read, lives and dies with the change's transaction, and shows entries in German."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.template import TemplateSyntaxError
from django.utils import timezone, translation

from members import services
from members.models import Company
from network_portal.activity import (
    Process,
    entry_details,
    entry_object,
    entry_what,
    entry_who,
    log_activity,
)
from network_portal.models import ActivityEntry
from tests.factories import CompanyAdminFactory, CompanyFactory, CoordinatorFactory


def test_an_unregistered_action_or_detail_is_refused(db):
    company = CompanyFactory()
    with pytest.raises(ImproperlyConfigured, match="members.company.aproved"):
        log_activity(action="members.company.aproved", obj=company)
    with pytest.raises(ImproperlyConfigured, match="colour"):
        log_activity(action="members.company.approved", obj=company, details={"colour": "red"})
    with pytest.raises(ImproperlyConfigured, match="cron"):
        log_activity(action="members.company.approved", obj=company, process="cron")
    assert not ActivityEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_entry_is_only_written_inside_the_change_s_transaction():
    company = CompanyFactory()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        log_activity(action="members.company.approved", obj=company)
    with transaction.atomic():
        log_activity(action="members.company.approved", obj=company)
    assert ActivityEntry.objects.count() == 1


def test_a_service_that_fails_after_logging_leaves_no_entry(db, settings, tmp_path):
    """company_approve logs, then writes the approval mail: a broken mail template fails the
    service after its entry was written, and the entry goes with the change."""
    broken = tmp_path / "members" / "emails"
    broken.mkdir(parents=True)
    (broken / "company_approved.txt").write_text("{% if %}Ihr Unternehmen ist freigegeben.")
    template_settings = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**template_settings, "DIRS": [tmp_path, *template_settings["DIRS"]]},
    ]
    company = CompanyFactory(status=Company.Status.PENDING)
    CompanyAdminFactory(company=company)

    with pytest.raises(TemplateSyntaxError):
        services.company_approve(company=company, by_user=CoordinatorFactory())

    assert not ActivityEntry.objects.exists()
    company.refresh_from_db()
    assert company.status == Company.Status.PENDING


def test_an_entry_rolled_back_with_its_change_is_gone(db):
    """The admin's trial run of a service (e.g. assigning a juror while the form is checked)
    is rolled back: so is its entry."""
    company = CompanyFactory(status=Company.Status.PENDING)
    coordinator = CoordinatorFactory()
    with transaction.atomic():
        services.company_approve(company=company, by_user=coordinator)
        assert ActivityEntry.objects.count() == 1
        transaction.set_rollback(True)
    assert not ActivityEntry.objects.exists()


def test_an_entry_reads_in_german(db):
    company = CompanyFactory(name="Hochwald Logistik AG", status=Company.Status.PENDING)
    coordinator = CoordinatorFactory(first_name="Anna", last_name="Koordinatorin")

    services.company_reject(company=company, by_user=coordinator, reason="Kein Sitz in Trier.")

    entry = ActivityEntry.objects.get()
    with translation.override("de"):
        assert entry_who(entry) == "Anna Koordinatorin"
        assert entry_what(entry) == "Unternehmen abgelehnt"
        assert entry_object(entry) == "Hochwald Logistik AG"
        assert entry_details(entry) == [
            ("Status", "wartet auf Freigabe → abgelehnt"),
            ("Grund", "Kein Sitz in Trier."),
        ]


def test_a_process_and_an_anonymous_person_read_as_such(db):
    company = CompanyFactory()
    with transaction.atomic():
        by_beat = log_activity(
            action="newsletter.member_lists.synced",
            process=Process.BEAT,
            details={"added": 3, "ended": 1},
        )
        by_link = log_activity(
            action="members.company.approved",
            obj=company,
            actor_label="leserin@moselblick.example",
            process=Process.LINK,
        )
    with translation.override("de"):
        assert entry_who(by_beat) == "Zeitplan (beat)"
        assert entry_details(by_beat) == [
            ("Neu eingetragen", "3"),
            ("Beendet (keine Ansprechperson eines Mitglieds mehr)", "1"),
        ]
        assert entry_who(by_link) == "leserin@moselblick.example (Link aus einer E-Mail)"


def test_times_and_changed_fields_read_as_such(db):
    from tests.meetings.factories import MeetingFactory
    from tests.newsletter.factories import IssueFactory

    meeting, issue = MeetingFactory(), IssueFactory()
    at = timezone.make_aware(timezone.datetime(2027, 3, 4, 9, 30))
    with transaction.atomic():
        rescheduled = log_activity(
            action="meetings.meeting.rescheduled",
            obj=meeting,
            details={"changed": ["starts_at", "room"], "recipients": 1200},
        )
        scheduled = log_activity(
            action="newsletter.issue.scheduled",
            obj=issue,
            details={"status": ["draft", "scheduled"], "scheduled_at": at},
        )
    rescheduled.refresh_from_db()
    scheduled.refresh_from_db()
    with translation.override("de"):
        assert entry_details(rescheduled) == [
            ("Empfänger", "1200"),
            ("Geänderte Angaben", "Beginn, Raum"),
        ]
        assert entry_details(scheduled) == [
            ("Status", "Entwurf → geplant"),
            ("Versenden am", "4. März 2027 09:30"),
        ]
