"""Data for the coordinators' cockpit: for each counter, objects it must count and objects it
must not (a neighbour state, an older or newer date), built ``size`` times over.

Used by the cockpit's page test (tests/accounts/test_cockpit.py) and its browser test
(tests/accounts/test_browser_cockpit.py). ``expected`` holds the objects each counter counts.
"""

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from meetings.models import Meeting, Registration
from members.models import Company, JoinRequest
from network_portal.models import OutboxMail
from newsletter.models import Bounce, Issue
from seal.models import Application
from tests.factories import CompanyFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory
from tests.newsletter.factories import BounceFactory, IssueFactory
from tests.seal.factories import (
    AwardCycleFactory,
    JurorAssignmentFactory,
    SubmittedApplicationFactory,
    juror,
)


@dataclass
class CockpitWorld:
    pending_companies: list = field(default_factory=list)
    waiting_join_requests: list = field(default_factory=list)
    applications_without_jurors: list = field(default_factory=list)
    outstanding: dict = field(default_factory=dict)  # juror -> their applications to score
    ready_to_send: list = field(default_factory=list)
    scheduled_issues: list = field(default_factory=list)
    sending_issues: list = field(default_factory=list)
    recent_hard_bounces: list = field(default_factory=list)
    failed_mails: list = field(default_factory=list)
    meetings: list = field(default_factory=list)  # the next published, in order


_mail_numbers = itertools.count()


def _mail(status: str) -> OutboxMail:
    n = next(_mail_numbers)
    return OutboxMail.objects.create(
        key=f"cockpit-test:{status}:{n}",
        to=f"empfang{n}@moselblick.example",
        from_email="netzwerk@example.org",
        subject=f"Einladung {n}",
        body_text="Guten Tag",
        language="de",
        status=status,
        attempts=5 if status == OutboxMail.Status.FAILED else 1,
        last_error="550 5.1.1 user unknown" if status == OutboxMail.Status.FAILED else "",
    )


def build_cockpit_world(size: int = 1) -> CockpitWorld:
    now = timezone.now()
    world = CockpitWorld()
    for _ in range(size):
        # --- Members: two awaiting approval; active and rejected ones do not count.
        world.pending_companies += [
            CompanyFactory(status=Company.Status.PENDING),
            CompanyFactory(status=Company.Status.PENDING),
        ]
        CompanyFactory(status=Company.Status.REJECTED)
        company = CompanyFactory()
        old = JoinRequest.objects.create(user=UserFactory(), company=company)
        recent = JoinRequest.objects.create(user=UserFactory(), company=company)
        decided = JoinRequest.objects.create(
            user=UserFactory(), company=company, status=JoinRequest.Status.DECLINED
        )
        JoinRequest.objects.filter(pk__in=[old.pk, decided.pk]).update(
            created_at=now - timedelta(days=9)
        )
        JoinRequest.objects.filter(pk=recent.pk).update(created_at=now - timedelta(days=2))
        world.waiting_join_requests.append(old)

        # --- Seal: without a juror; a juror who owes scores; ready to send.
        cycle = AwardCycleFactory()
        world.applications_without_jurors.append(SubmittedApplicationFactory(cycle=cycle))
        SubmittedApplicationFactory(cycle=cycle, submitted_at=None)  # a draft
        scored = SubmittedApplicationFactory(cycle=cycle)
        slow, quick = juror(), juror()
        JurorAssignmentFactory(application=scored, juror=slow)
        JurorAssignmentFactory(application=scored, juror=quick, submitted_at=now)
        conflicted = SubmittedApplicationFactory(cycle=cycle)
        JurorAssignmentFactory(application=conflicted, juror=slow)
        JurorAssignmentFactory(application=conflicted, juror=quick, conflict_declared_at=now)
        world.outstanding[slow] = [scored, conflicted]
        # Its only juror declared a conflict: nobody can score it, so it needs a juror.
        stuck = SubmittedApplicationFactory(cycle=cycle)
        JurorAssignmentFactory(application=stuck, juror=quick, conflict_declared_at=now)
        world.applications_without_jurors.append(stuck)
        world.ready_to_send.append(
            SubmittedApplicationFactory(
                cycle=cycle, decision=Application.Decision.AWARDED, decided_at=now
            )
        )
        sent = SubmittedApplicationFactory(
            cycle=cycle,
            decision=Application.Decision.NOT_AWARDED,
            decided_at=now,
            decision_sent_at=now,
        )
        JurorAssignmentFactory(application=sent, juror=slow)  # decided: nothing owed

        # --- Newsletter: scheduled, sending, a draft; hard bounces new and old, a soft one.
        world.scheduled_issues.append(
            IssueFactory(status=Issue.Status.SCHEDULED, scheduled_at=now + timedelta(days=1))
        )
        world.sending_issues.append(
            IssueFactory(status=Issue.Status.SENDING, sending_started_at=now)
        )
        IssueFactory()
        recent_bounce = BounceFactory()
        old_bounce = BounceFactory()
        BounceFactory(kind=Bounce.Kind.SOFT)
        Bounce.objects.filter(pk=recent_bounce.pk).update(received_at=now - timedelta(days=29))
        Bounce.objects.filter(pk=old_bounce.pk).update(received_at=now - timedelta(days=31))
        world.recent_hard_bounces.append(recent_bounce)

        # --- Outbox: failed and sent mails.
        world.failed_mails.append(_mail(OutboxMail.Status.FAILED))
        _mail(OutboxMail.Status.SENT)

    # --- Meetings: the next published ones with answers; a draft, a cancelled and a past
    # meeting are not shown. Three are shown, however many are planned.
    answering = [CompanyFactory() for _ in range(4)]
    paused = CompanyFactory(status=Company.Status.PAUSED)
    for index in range(2 + size):
        meeting = MeetingFactory(
            starts_at=(now + timedelta(days=10 + 14 * index)).replace(
                hour=16, minute=0, second=0, microsecond=0
            ),
            rsvp_deadline=now + timedelta(days=5 + 14 * index),
            capacity=4,
        )
        world.meetings.append(meeting)
        seated = Registration.Status.CONFIRMED
        RegistrationFactory(meeting=meeting, company=answering[0], status=seated)
        RegistrationFactory(meeting=meeting, company=answering[0], status=seated)
        RegistrationFactory(meeting=meeting, company=answering[1], status=seated)
        RegistrationFactory(meeting=meeting, company=paused, status=seated)
        RegistrationFactory(
            meeting=meeting,
            company=answering[1],
            status=Registration.Status.WAITLISTED,
            waitlisted_at=now,
        )
        RegistrationFactory(
            meeting=meeting, company=answering[2], status=Registration.Status.DECLINED
        )
        RegistrationFactory(
            meeting=meeting, company=answering[3], status=Registration.Status.CANCELLED
        )
    MeetingFactory(status=Meeting.Status.DRAFT)
    MeetingFactory(status=Meeting.Status.CANCELLED)
    MeetingFactory(
        status=Meeting.Status.PUBLISHED,
        starts_at=now - timedelta(days=3),
        rsvp_deadline=now - timedelta(days=10),
    )
    world.meetings = world.meetings[:3]
    return world


def meeting_figures(meeting: Meeting) -> dict:
    """What the cockpit shows of ``meeting``, counted the participant overview's way."""
    from meetings.selectors import participant_overview

    overview = participant_overview(meeting)
    return {
        "seated": f"{len(overview['seated'])} von {meeting.capacity}",
        "companies-yes": str(overview["companies_yes"]),
        "companies-no": str(overview["companies_no"]),
        "companies-no-answer": str(overview["companies_no_answer"]),
        "waitlisted": str(len(overview["waitlist"])),
    }
