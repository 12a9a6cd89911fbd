"""Every state change leaves exactly one activity log entry: a walk over every service.

The walk enumerates every public function of every app's ``services.py``. Each is either a
state change, called here through a scenario (the data it needs, made with the factories, and
the call) that must leave exactly one new entry with the expected action, actor and object;
or a read, listed in ``READS`` with the reason. A new public service function in neither list
fails ``test_every_public_service_is_walked_or_named_a_read``.
"""

import inspect
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from accounts import services as account_services
from internships import services as internship_services
from meetings import services as meeting_services
from meetings.models import CalendarFeed, Meeting, Registration
from members import services as member_services
from members.models import (
    Company,
    CompanyInvitation,
    CompanyMembership,
    ExpertiseOffer,
    JoinRequest,
)
from network_portal import activity
from network_portal.activity import Process
from network_portal.models import ActivityEntry
from newsletter import services as newsletter_services
from newsletter.models import Delivery, Issue, Subscriber, Subscription
from seal import services as seal_services
from seal.models import Application
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
    CoordinatorFactory,
    ExpertiseOfferFactory,
    ExpertiseTopicFactory,
    MembershipFactory,
    UserFactory,
)
from tests.internships.factories import (
    InternshipOfferFactory,
    PlacementFactory,
    PupilFactory,
    SchoolStayFactory,
    in_days,
)
from tests.meetings.factories import (
    ExpertGuestFactory,
    ExpertQuestionFactory,
    MeetingFactory,
    RegistrationFactory,
    TopicProposalFactory,
)
from tests.newsletter.factories import (
    DeliveryFactory,
    IssueFactory,
    MailingListFactory,
    MemberListFactory,
    SubscriberFactory,
    SubscriptionFactory,
)
from tests.seal.factories import (
    TINY_PDF,
    AnswerFactory,
    AwardCycleFactory,
    CertificateFactory,
    CriterionFactory,
    EvidenceFactory,
    JurorAssignmentFactory,
    ScoreFactory,
    SubmittedApplicationFactory,
    juror,
)

ROOT = Path(__file__).resolve().parents[1]

# Public functions of the services modules that change nothing, and why.
READS = {
    "members.services.unique_company_slug": "computes a free slug for a name; saves nothing",
    "cooperation.services.check_fixed_once_running": "refuses new places or cost; saves nothing",
    "members.services.invitation_token": "makes the signed link of an invitation",
    "members.services.invitation_max_age_seconds": "reads a setting",
    "meetings.services.rsvp_token": "makes a signed one-click link",
    "meetings.services.rsvp_url": "makes a signed one-click link",
    "meetings.services.feedback_url": "makes a signed feedback link",
    "meetings.services.feedback_token": "makes the signed token of a feedback link",
    "meetings.services.speaker_request_token": "makes the signed token of a speaker request",
    "meetings.services.speaker_request_url": "makes a signed accept or decline link",
    "meetings.services.speaker_request_refusal": "a rule: why a request can't be answered",
    "meetings.services.meetings_open_for_answers": "reads the meetings that take answers",
    "meetings.services.answer_reminder_prefix": "names today's reminder keys",
    "meetings.services.answer_reminder_recipients": "reads who a reminder by hand reaches",
    "meetings.services.invitation_resend_key": "names today's resend key",
    "meetings.services.invitations_on_publish": "counts the invitations publishing would write",
    "meetings.services.guests_to_take": "reads which companies of a group would become guests",
    "meetings.services.questions_pdf": "renders the PDF of the questions for an expert",
    "meetings.services.invitations_written": "counts a meeting's invitations in the outbox",
    "meetings.services.notice_recipients": "reads who an update or cancellation would reach",
    "meetings.services.schedule_changes": "a rule: which changes send an update",
    "meetings.services.dossier_on_publish": "reads what publishing a dossier would send",
    "meetings.services.dossier_url": "makes the dossier page's address",
    "seal.services.require_can_submit": "a rule (raises or returns)",
    "seal.services.decisions_to_send": "reads the decisions not sent yet",
    "seal.services.decision_recipients": "reads who gets each decision",
    "newsletter.services.require_sendable": "a rule (raises or returns)",
    "newsletter.services.issue_recipients_count": (
        "counts an issue's recipients in a transaction it rolls back"
    ),
    "seal.services.cycle_check_window": "a rule the cycle form asks (raises or returns)",
    "seal.services.current_cycle": "reads which cycle takes applications",
    "seal.services.require_catalogue_editable": "a rule (raises or returns)",
    "seal.services.require_editable": "a rule (raises or returns)",
    "seal.services.require_can_start": "a rule (raises or returns)",
    "seal.services.application_missing": "reads what keeps an application from submission",
    "seal.services.require_can_score": "a rule (raises or returns)",
    "seal.services.require_scoring_open": "a rule (raises or returns)",
    "seal.services.require_decision_phase": "a rule (raises or returns)",
    "seal.services.require_can_decide": "a rule (raises or returns whether a reason is needed)",
    "seal.services.require_removable": "a rule (raises or returns)",
    "seal.services.jurors_assign_plan": "reads what a bulk assignment would do",
    "seal.services.next_cycle_after": "reads the next cycle taking applications",
    "newsletter.services.confirm_max_age_seconds": "reads a setting",
    "newsletter.services.subscriber_export": "reads everything stored about an address (JSON)",
    "accounts.services.login_address_refusal": "a rule the address form asks (returns a reason)",
    "accounts.services.account_deletion_refusals": "reads why an account cannot be deleted now",
    "accounts.services.account_deletion_notes": "reads what deleting an account does",
    "members.services.own_contact": "reads the contact entry linked to a login",
    "newsletter.services.account_lists": "reads the lists a person can choose on „Mein Konto“",
}


@dataclass
class Case:
    """A prepared call of one service and the entry it must leave."""

    call: Any  # () -> result
    action: str
    # The object the entry is about: an instance (its id is taken before the call, so a
    # service that deletes it is checked too), a function of the call's result, or None.
    obj: Any = None
    by_user: Any = None
    process: str = ""
    actor_label: str = ""
    # Entries about other objects the call changes as a consequence, one each (a cancelled
    # place moves waiting bookings up: each moved booking gets its own entry).
    side_actions: tuple = ()


SCENARIOS: dict[str, Any] = {}


def scenario(name):
    def register(function):
        SCENARIOS[name] = function
        return function

    return register


def _object_ref(obj):
    return (ContentType.objects.get_for_model(obj).pk, str(obj.pk))


# --- members ----------------------------------------------------------------------------------


@scenario("members.services.company_register")
def _company_register():
    user = UserFactory()
    company = CompanyFactory.build(name="Hochwald Logistik AG", slug="")
    return Case(
        lambda: member_services.company_register(user=user, company=company, contact_fields={}),
        "members.company.registered",
        obj=lambda result: result,
        by_user=user,
    )


def _company_status_case(service, action, status, **kwargs):
    company = CompanyFactory(status=status)
    coordinator = CoordinatorFactory()
    return Case(
        lambda: service(company=company, by_user=coordinator, **kwargs),
        action,
        obj=company,
        by_user=coordinator,
    )


@scenario("members.services.company_approve")
def _company_approve():
    return _company_status_case(
        member_services.company_approve, "members.company.approved", Company.Status.PENDING
    )


@scenario("members.services.company_reject")
def _company_reject():
    return _company_status_case(
        member_services.company_reject,
        "members.company.rejected",
        Company.Status.PENDING,
        reason="Kein Sitz in der Region Trier.",
    )


@scenario("members.services.company_pause")
def _company_pause():
    return _company_status_case(
        member_services.company_pause, "members.company.paused", Company.Status.ACTIVE
    )


@scenario("members.services.company_mark_left")
def _company_mark_left():
    return _company_status_case(
        member_services.company_mark_left, "members.company.left", Company.Status.ACTIVE
    )


@scenario("members.services.company_reactivate")
def _company_reactivate():
    return _company_status_case(
        member_services.company_reactivate, "members.company.reactivated", Company.Status.PAUSED
    )


@scenario("members.services.join_request_create")
def _join_request_create():
    user, company = UserFactory(), CompanyFactory()
    return Case(
        lambda: member_services.join_request_create(user=user, company=company),
        "members.join_request.created",
        obj=lambda result: result,
        by_user=user,
    )


@scenario("members.services.join_request_decide")
def _join_request_decide():
    join_request = JoinRequest.objects.create(user=UserFactory(), company=CompanyFactory())
    coordinator = CoordinatorFactory()
    return Case(
        lambda: member_services.join_request_decide(
            join_request=join_request, accept=True, by_user=coordinator
        ),
        "members.join_request.accepted",
        obj=join_request,
        by_user=coordinator,
    )


@scenario("members.services.join_request_withdraw")
def _join_request_withdraw():
    join_request = JoinRequest.objects.create(user=UserFactory(), company=CompanyFactory())
    return Case(
        lambda: member_services.join_request_withdraw(
            join_request=join_request, by_user=join_request.user
        ),
        "members.join_request.withdrawn",
        obj=join_request,
        by_user=join_request.user,
    )


def _invitation():
    company = CompanyFactory()
    admin = CompanyAdminFactory(company=company).user
    invitation = CompanyInvitation.objects.create(
        company=company,
        email="kollegin@moselblick.example",
        invited_by=admin,
        expires_at=timezone.now() + timedelta(days=14),
    )
    return invitation, admin


@scenario("members.services.invitation_create")
def _invitation_create():
    company = CompanyFactory()
    admin = CompanyAdminFactory(company=company).user
    return Case(
        lambda: member_services.invitation_create(
            company=company, email="kollege@moselblick.example", invited_by=admin
        ),
        "members.invitation.created",
        obj=lambda result: result,
        by_user=admin,
    )


@scenario("members.services.invitation_revoke")
def _invitation_revoke():
    invitation, admin = _invitation()
    return Case(
        lambda: member_services.invitation_revoke(invitation=invitation, by_user=admin),
        "members.invitation.revoked",
        obj=invitation,
        by_user=admin,
    )


@scenario("members.services.invitation_accept")
def _invitation_accept():
    invitation, _admin = _invitation()
    colleague = UserFactory(email=invitation.email)
    return Case(
        lambda: member_services.invitation_accept(invitation=invitation, user=colleague),
        "members.invitation.accepted",
        obj=invitation,
        by_user=colleague,
    )


@scenario("members.services.membership_set_role")
def _membership_set_role():
    company = CompanyFactory()
    admin = CompanyAdminFactory(company=company).user
    membership = MembershipFactory(company=company)
    return Case(
        lambda: member_services.membership_set_role(
            membership=membership, role=CompanyMembership.Role.ADMIN, by_user=admin
        ),
        "members.membership.role_changed",
        obj=membership,
        by_user=admin,
    )


@scenario("members.services.membership_add")
def _membership_add():
    company = CompanyFactory()
    person = UserFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: member_services.membership_add(
            company=company, user=person, role=CompanyMembership.Role.MEMBER, by_user=coordinator
        ),
        "members.membership.added",
        obj=lambda result: result,
        by_user=coordinator,
    )


@scenario("members.services.membership_remove")
def _membership_remove():
    company = CompanyFactory()
    admin = CompanyAdminFactory(company=company).user
    membership = MembershipFactory(company=company)
    return Case(
        lambda: member_services.membership_remove(membership=membership, by_user=admin),
        "members.membership.removed",
        obj=membership,
        by_user=admin,
    )


# --- meetings ---------------------------------------------------------------------------------


@scenario("meetings.services.write_meeting_mails")
def _write_meeting_mails():
    meeting = MeetingFactory()
    ContactPersonFactory()
    return Case(
        lambda: meeting_services.write_meeting_mails(
            meeting=meeting, kind="invitation", process=Process.WORKER
        ),
        "meetings.meeting.mails_written",
        obj=meeting,
        process=Process.WORKER,
    )


def _meeting_case(service, action, **meeting_fields):
    meeting = MeetingFactory(**meeting_fields)
    ContactPersonFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: service(meeting=meeting, by_user=coordinator),
        action,
        obj=meeting,
        by_user=coordinator,
    )


@scenario("meetings.services.meeting_publish")
def _meeting_publish():
    return _meeting_case(
        meeting_services.meeting_publish,
        "meetings.meeting.published",
        status=Meeting.Status.DRAFT,
    )


@scenario("meetings.services.meeting_schedule_changed")
def _meeting_schedule_changed():
    meeting = MeetingFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.meeting_schedule_changed(
            meeting=meeting, changed_fields=["room"], by_user=coordinator
        ),
        "meetings.meeting.rescheduled",
        obj=meeting,
        by_user=coordinator,
    )


@scenario("meetings.services.meeting_cancel")
def _meeting_cancel():
    return _meeting_case(meeting_services.meeting_cancel, "meetings.meeting.cancelled")


@scenario("meetings.services.meeting_mark_held")
def _meeting_mark_held():
    started = timezone.now() - timedelta(hours=1)
    return _meeting_case(
        meeting_services.meeting_mark_held,
        "meetings.meeting.held",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        rsvp_deadline=started - timedelta(days=7),
    )


@scenario("meetings.services.dossier_publish")
def _dossier_publish():
    started = timezone.now() - timedelta(days=3)
    return _meeting_case(
        meeting_services.dossier_publish,
        "meetings.meeting.dossier_published",
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        rsvp_deadline=started - timedelta(days=7),
        status=Meeting.Status.HELD,
        minutes="Verabredet: ein gemeinsamer Sprachkurs ab März.",
    )


@scenario("meetings.services.meeting_guests_take")
def _meeting_guests_take():
    """The seal holders of a cycle (``network_portal.company_groups``) as the ceremony's
    guests."""
    guest = ContactPersonFactory().company
    cycle = AwardCycleFactory(name="2031", slug="2031", awarded=True)
    CertificateFactory(application__company=guest, application__cycle=cycle)
    meeting = MeetingFactory(kind=Meeting.Kind.CEREMONY)
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.meeting_guests_take(
            meeting=meeting, group_key="seal:2031", by_user=coordinator
        ),
        "meetings.meeting.guests_taken",
        obj=meeting,
        by_user=coordinator,
    )


@scenario("meetings.services.rsvp_answer")
def _rsvp_answer():
    """The one-click link from an invitation: no login, the address answered."""
    meeting = MeetingFactory()
    contact = ContactPersonFactory()
    return Case(
        lambda: meeting_services.rsvp_answer(
            meeting=meeting,
            company=contact.company,
            name=contact.full_name,
            email=contact.email,
            contact=contact,
            attending=True,
        ),
        "meetings.registration.registered",
        obj=lambda result: result,
        process=Process.LINK,
        actor_label=contact.email,
    )


@scenario("meetings.services.registration_cancel")
def _registration_cancel():
    company = CompanyFactory()
    user = MembershipFactory(company=company).user
    registration = RegistrationFactory(company=company)
    return Case(
        lambda: meeting_services.registration_cancel(registration=registration, by_user=user),
        "meetings.registration.cancelled",
        obj=registration,
        by_user=user,
    )


@scenario("meetings.services.check_in")
def _check_in():
    registration = RegistrationFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.check_in(
            registration=registration, present=True, by_user=coordinator
        ),
        "meetings.registration.checked_in",
        obj=registration,
        by_user=coordinator,
    )


@scenario("meetings.services.walk_in_add")
def _walk_in_add():
    meeting = MeetingFactory(today=True)
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.walk_in_add(
            meeting=meeting, name="Eva Gast", company_name="Hunsrück Bau", by_user=coordinator
        ),
        "meetings.registration.walked_in",
        obj=lambda result: result,
        by_user=coordinator,
    )


@scenario("meetings.services.write_reminders")
def _write_reminders():
    starts = timezone.now() + timedelta(days=7) - timedelta(hours=1)
    meeting = MeetingFactory(
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        rsvp_deadline=starts - timedelta(days=7),
        reminder_days=[7],
    )
    RegistrationFactory(meeting=meeting)
    return Case(
        lambda: meeting_services.write_reminders(process=Process.BEAT),
        "meetings.meeting.reminders_written",
        obj=meeting,
        process=Process.BEAT,
    )


def _past_meeting():
    started = timezone.now() - timedelta(days=1)
    return MeetingFactory(
        starts_at=started,
        ends_at=started + timedelta(hours=2),
        rsvp_deadline=started - timedelta(days=7),
        status=Meeting.Status.HELD,
    )


@scenario("meetings.services.write_feedback_requests")
def _write_feedback_requests():
    meeting = _past_meeting()
    RegistrationFactory(meeting=meeting)
    return Case(
        lambda: meeting_services.write_feedback_requests(process=Process.BEAT),
        "meetings.meeting.feedback_requested",
        obj=meeting,
        process=Process.BEAT,
    )


@scenario("meetings.services.feedback_give")
def _feedback_give():
    registration = RegistrationFactory(meeting=_past_meeting())
    return Case(
        lambda: meeting_services.feedback_give(registration=registration, rating=4),
        "meetings.feedback.given",
        obj=lambda result: result,
        process=Process.LINK,
        actor_label=registration.email,
    )


@scenario("meetings.services.topic_propose")
def _topic_propose():
    company = CompanyFactory()
    user = MembershipFactory(company=company).user
    return Case(
        lambda: meeting_services.topic_propose(
            company=company, user=user, title="Ausbildung im Verbund"
        ),
        "meetings.topic.proposed",
        obj=lambda result: result,
        by_user=user,
    )


@scenario("meetings.services.topic_vote")
def _topic_vote():
    company = CompanyFactory()
    user = MembershipFactory(company=company).user
    proposal = TopicProposalFactory()
    return Case(
        lambda: meeting_services.topic_vote(
            proposal=proposal, user=user, company=company, vote=True
        ),
        "meetings.topic.voted",
        obj=proposal,
        by_user=user,
    )


@scenario("meetings.services.topic_schedule")
def _topic_schedule():
    proposal = TopicProposalFactory(proposed_by=UserFactory())
    meeting = MeetingFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.topic_schedule(
            proposal=proposal, meeting=meeting, by_user=coordinator
        ),
        "meetings.topic.scheduled",
        obj=proposal,
        by_user=coordinator,
    )


@scenario("members.services.expertise_offer_save")
def _expertise_offer_save():
    company = CompanyFactory()
    user = MembershipFactory(company=company).user
    offer = ExpertiseOffer(company=company, kind=ExpertiseOffer.Kind.REPORT, description="x")
    topic = ExpertiseTopicFactory(name="Ausbildung in Teilzeit")
    return Case(
        lambda: member_services.expertise_offer_save(offer=offer, topics=[topic], by_user=user),
        "members.expertise_offer.added",
        obj=lambda result: offer,
        by_user=user,
    )


@scenario("members.services.expertise_offer_delete")
def _expertise_offer_delete():
    offer = ExpertiseOfferFactory()
    user = MembershipFactory(company=offer.company).user
    return Case(
        lambda: member_services.expertise_offer_delete(offer=offer, by_user=user),
        "members.expertise_offer.deleted",
        obj=offer,
        by_user=user,
    )


def _speaker_request():
    offer = ExpertiseOfferFactory()
    return meeting_services.speaker_request_create(
        meeting=MeetingFactory(),
        contact=offer.contact,
        talk_title="Ausbildung in Teilzeit",
        offer=offer,
        by_user=CoordinatorFactory(),
    )


@scenario("meetings.services.speaker_request_create")
def _speaker_request_create():
    offer = ExpertiseOfferFactory()
    meeting = MeetingFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.speaker_request_create(
            meeting=meeting,
            contact=offer.contact,
            talk_title="Ausbildung in Teilzeit",
            offer=offer,
            by_user=coordinator,
        ),
        "meetings.speaker_request.sent",
        obj=lambda result: result,
        by_user=coordinator,
    )


@scenario("meetings.services.speaker_request_answer")
def _speaker_request_answer():
    speaker_request = _speaker_request()
    return Case(
        lambda: meeting_services.speaker_request_answer(
            speaker_request=speaker_request, accept=True
        ),
        "meetings.speaker_request.accepted",
        obj=speaker_request,
        process=Process.LINK,
        actor_label=speaker_request.contact.email,
    )


@scenario("meetings.services.speaker_request_withdraw")
def _speaker_request_withdraw():
    speaker_request = _speaker_request()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.speaker_request_withdraw(
            speaker_request=speaker_request, by_user=coordinator
        ),
        "meetings.speaker_request.withdrawn",
        obj=speaker_request,
        by_user=coordinator,
    )


@scenario("meetings.services.calendar_feed_renew")
def _calendar_feed_renew():
    user = UserFactory()
    return Case(
        lambda: meeting_services.calendar_feed_renew(user=user),
        "meetings.calendar_feed.renewed",
        obj=lambda result: result,
        by_user=user,
    )


@scenario("meetings.services.calendar_feed_delete")
def _calendar_feed_delete():
    user = UserFactory()
    feed = CalendarFeed.objects.create(user=user, token=CalendarFeed.new_token())
    return Case(
        lambda: meeting_services.calendar_feed_delete(user=user),
        "meetings.calendar_feed.deleted",
        obj=feed,
        by_user=user,
    )


# --- seal -------------------------------------------------------------------------------------


@scenario("seal.services.cycle_copy_catalogue")
def _cycle_copy_catalogue():
    source = CriterionFactory().category.cycle
    target = AwardCycleFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: seal_services.cycle_copy_catalogue(
            source=source, target=target, by_user=coordinator
        ),
        "seal.cycle.catalogue_copied",
        obj=target,
        by_user=coordinator,
    )


def _open_application():
    """A draft application of an active company in an open cycle, its admin, a criterion."""
    cycle = AwardCycleFactory()
    company = CompanyFactory()
    admin = CompanyAdminFactory(company=company).user
    application = Application.objects.create(cycle=cycle, company=company, started_by=admin)
    criterion = CriterionFactory(category__cycle=cycle)
    return application, admin, criterion


@scenario("seal.services.application_start")
def _application_start():
    cycle = AwardCycleFactory()
    company = CompanyFactory()
    admin = CompanyAdminFactory(company=company).user
    return Case(
        lambda: seal_services.application_start(cycle=cycle, company=company, by_user=admin),
        "seal.application.started",
        obj=lambda result: result,
        by_user=admin,
    )


@scenario("seal.services.answer_save")
def _answer_save():
    application, admin, criterion = _open_application()
    return Case(
        lambda: seal_services.answer_save(
            application=application,
            criterion=criterion,
            self_assessment=3,
            explanation="Wir zahlen Zuschläge für Nachtarbeit.",
            by_user=admin,
        ),
        "seal.application.answer_saved",
        obj=application,
        by_user=admin,
    )


@scenario("seal.services.evidence_add")
def _evidence_add():
    application, admin, criterion = _open_application()
    answer = AnswerFactory(application=application, criterion=criterion)
    upload = SimpleUploadedFile("Plan.pdf", TINY_PDF, content_type="application/pdf")
    return Case(
        lambda: seal_services.evidence_add(answer=answer, upload=upload, by_user=admin),
        "seal.application.evidence_added",
        obj=application,
        by_user=admin,
    )


@scenario("seal.services.evidence_remove")
def _evidence_remove():
    application, admin, criterion = _open_application()
    evidence = EvidenceFactory(answer=AnswerFactory(application=application, criterion=criterion))
    return Case(
        lambda: seal_services.evidence_remove(evidence=evidence, by_user=admin),
        "seal.application.evidence_removed",
        obj=application,
        by_user=admin,
    )


@scenario("seal.services.application_step_save")
def _application_step_save():
    application, admin, criterion = _open_application()
    entries = [seal_services.StepEntry(criterion, 2, "Jährliche Gesundheitstage.")]
    return Case(
        lambda: seal_services.application_step_save(
            application=application, entries=entries, by_user=admin
        ),
        "seal.application.step_saved",
        obj=application,
        by_user=admin,
    )


@scenario("seal.services.application_submit")
def _application_submit():
    application, admin, criterion = _open_application()
    AnswerFactory(application=application, criterion=criterion)
    return Case(
        lambda: seal_services.application_submit(application=application, by_user=admin),
        "seal.application.submitted",
        obj=application,
        by_user=admin,
    )


@scenario("seal.services.application_reopen")
def _application_reopen():
    application = SubmittedApplicationFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: seal_services.application_reopen(application=application, by_user=coordinator),
        "seal.application.reopened",
        obj=application,
        by_user=coordinator,
    )


@scenario("seal.services.juror_assign")
def _juror_assign():
    application = SubmittedApplicationFactory()
    coordinator = CoordinatorFactory()
    jury_member = juror()
    return Case(
        lambda: seal_services.juror_assign(
            application=application, juror=jury_member, by_user=coordinator
        ),
        "seal.application.juror_assigned",
        obj=application,
        by_user=coordinator,
    )


@scenario("seal.services.juror_remove")
def _juror_remove():
    assignment = JurorAssignmentFactory(application=SubmittedApplicationFactory())
    coordinator = CoordinatorFactory()
    return Case(
        lambda: seal_services.juror_remove(assignment=assignment, by_user=coordinator),
        "seal.application.juror_removed",
        obj=assignment.application,
        by_user=coordinator,
    )


@scenario("seal.services.jurors_assign_bulk")
def _jurors_assign_bulk():
    application = SubmittedApplicationFactory()
    coordinator = CoordinatorFactory()
    jury_member = juror()
    return Case(
        lambda: seal_services.jurors_assign_bulk(
            applications=[application], jurors=[jury_member], by_user=coordinator
        ),
        "seal.application.juror_assigned",
        obj=application,
        by_user=coordinator,
    )


@scenario("seal.services.jury_reminders_write")
def _jury_reminders_write():
    cycle = AwardCycleFactory(jury_review_until=timezone.localdate() + timedelta(days=7))
    JurorAssignmentFactory(application=SubmittedApplicationFactory(cycle=cycle))
    return Case(
        lambda: seal_services.jury_reminders_write(process=Process.BEAT),
        "seal.cycle.jury_reminded",
        obj=cycle,
        process=Process.BEAT,
    )


def _assignment():
    application = SubmittedApplicationFactory(cycle=AwardCycleFactory(scoring=True))
    criterion = CriterionFactory(category__cycle=application.cycle)
    return JurorAssignmentFactory(application=application), criterion


@scenario("seal.services.juror_declare_conflict")
def _juror_declare_conflict():
    assignment, _criterion = _assignment()
    return Case(
        lambda: seal_services.juror_declare_conflict(assignment=assignment),
        "seal.application.conflict_declared",
        obj=assignment.application,
        by_user=assignment.juror,
    )


@scenario("seal.services.score_save")
def _score_save():
    assignment, criterion = _assignment()
    return Case(
        lambda: seal_services.score_save(assignment=assignment, criterion=criterion, points=3),
        "seal.application.score_saved",
        obj=assignment.application,
        by_user=assignment.juror,
    )


@scenario("seal.services.scores_save")
def _scores_save():
    assignment, criterion = _assignment()
    return Case(
        lambda: seal_services.scores_save(assignment=assignment, scores=[(criterion, 3, "")]),
        "seal.application.scores_saved",
        obj=assignment.application,
        by_user=assignment.juror,
    )


@scenario("seal.services.score_submit")
def _score_submit():
    assignment, criterion = _assignment()
    ScoreFactory(assignment=assignment, criterion=criterion)
    return Case(
        lambda: seal_services.score_submit(assignment=assignment),
        "seal.application.scores_submitted",
        obj=assignment.application,
        by_user=assignment.juror,
    )


@scenario("seal.services.decision_record")
def _decision_record():
    application = SubmittedApplicationFactory(cycle=AwardCycleFactory(scoring=True))
    coordinator = CoordinatorFactory()
    return Case(
        lambda: seal_services.decision_record(
            application=application,
            awarded=True,
            override_reason="Die Jury hat in der Sitzung gemeinsam beraten.",
            by_user=coordinator,
        ),
        "seal.application.decided",
        obj=application,
        by_user=coordinator,
    )


@scenario("seal.services.certificate_revoke")
def _certificate_revoke():
    certificate = CertificateFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: seal_services.certificate_revoke(
            certificate=certificate, reason="Betrieb aufgegeben.", by_user=coordinator
        ),
        "seal.certificate.revoked",
        obj=certificate,
        by_user=coordinator,
    )


@scenario("seal.services.cycle_open_scoring_early")
def _cycle_open_scoring_early():
    cycle = AwardCycleFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: seal_services.cycle_open_scoring_early(cycle=cycle, by_user=coordinator),
        "seal.cycle.scoring_opened_early",
        obj=cycle,
        by_user=coordinator,
    )


@scenario("seal.services.cycle_publish_early")
def _cycle_publish_early():
    cycle = AwardCycleFactory(scoring=True)
    coordinator = CoordinatorFactory()
    return Case(
        lambda: seal_services.cycle_publish_early(cycle=cycle, by_user=coordinator),
        "seal.cycle.published_early",
        obj=cycle,
        by_user=coordinator,
    )


@scenario("seal.services.decisions_send")
def _decisions_send():
    company = CompanyFactory()
    CompanyAdminFactory(company=company)
    application = SubmittedApplicationFactory(
        company=company, decision=Application.Decision.AWARDED, decided_at=timezone.now()
    )
    coordinator = CoordinatorFactory()
    return Case(
        lambda: seal_services.decisions_send(cycle=application.cycle, by_user=coordinator),
        "seal.cycle.decisions_sent",
        obj=application.cycle,
        by_user=coordinator,
    )


@scenario("seal.services.expiry_reminders_send")
def _expiry_reminders_send():
    certificate = CertificateFactory(valid_until=timezone.localdate() + timedelta(days=100))
    CompanyAdminFactory(company=certificate.application.company)
    return Case(
        lambda: seal_services.expiry_reminders_send(process=Process.BEAT),
        "seal.certificate.expiry_reminded",
        obj=certificate,
        process=Process.BEAT,
    )


@scenario("seal.services.holder_profile_save")
def _holder_profile_save():
    cycle = AwardCycleFactory(ceremony_on=timezone.localdate() - timedelta(days=10))
    certificate = CertificateFactory(application__cycle=cycle)
    company = certificate.application.company
    admin = CompanyAdminFactory(company=company).user
    answer = AnswerFactory(application=certificate.application)
    return Case(
        lambda: seal_services.holder_profile_save(
            company=company,
            public=True,
            offer="Jobrad und Gleitzeit.",
            published_answers=[answer],
            jobs_url="https://example.org/jobs",
            apprenticeships_url="",
            by_user=admin,
        ),
        "seal.holder_profile.saved",
        obj=lambda result: result,
        by_user=admin,
    )


# --- newsletter -------------------------------------------------------------------------------


@scenario("newsletter.services.sync_member_lists")
def _sync_member_lists():
    MemberListFactory()
    ContactPersonFactory()
    return Case(
        lambda: newsletter_services.sync_member_lists(process=Process.BEAT),
        "newsletter.member_lists.synced",
        process=Process.BEAT,
    )


@scenario("newsletter.services.subscription_request")
def _subscription_request():
    mailing_list = MailingListFactory()
    email = "leserin@moselblick.example"
    return Case(
        lambda: newsletter_services.subscription_request(
            email=email, lists=[mailing_list], consent_text="Ich möchte …", form="signup"
        ),
        "newsletter.subscriber.subscription_requested",
        obj=lambda result: Subscriber.objects.get(email=email),
        process=Process.FORM,
        actor_label=email,
    )


def _subscriber_case(service, action, *, arguments, status=Subscription.Status.CONFIRMED):
    """A public action of the subscriber, through the signed link of a mail."""
    subscription = SubscriptionFactory(status=status)
    subscriber = subscription.subscriber
    return Case(
        lambda: service(subscriber=subscriber, **arguments(subscription)),
        action,
        obj=subscriber,
        process=Process.LINK,
        actor_label=subscriber.email,
    )


@scenario("newsletter.services.subscription_confirm")
def _subscription_confirm():
    return _subscriber_case(
        newsletter_services.subscription_confirm,
        "newsletter.subscriber.confirmed",
        status=Subscription.Status.PENDING,
        arguments=lambda subscription: {"list_ids": [subscription.mailing_list_id]},
    )


@scenario("newsletter.services.unsubscribe_all")
def _unsubscribe_all():
    return _subscriber_case(
        newsletter_services.unsubscribe_all,
        "newsletter.subscriber.unsubscribed",
        arguments=lambda subscription: {"form": "one-click"},
    )


@scenario("newsletter.services.preferences_save")
def _preferences_save():
    return _subscriber_case(
        newsletter_services.preferences_save,
        "newsletter.subscriber.preferences_saved",
        arguments=lambda subscription: {"wanted_lists": [], "consent_text": "Ich möchte …"},
    )


@scenario("newsletter.services.bounce_record")
def _bounce_record():
    return Case(
        lambda: newsletter_services.bounce_record(
            email="unbekannt@moselblick.example", kind="hard", source="webhook"
        ),
        "newsletter.bounce.recorded",
        obj=lambda result: result,
        process=Process.WEBHOOK,
    )


def _issue_with_reader(**fields):
    subscription = SubscriptionFactory()
    return IssueFactory(lists=[subscription.mailing_list], **fields)


@scenario("newsletter.services.issue_send")
def _issue_send():
    issue = _issue_with_reader()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: newsletter_services.issue_send(issue=issue, by_user=coordinator),
        "newsletter.issue.sending_started",
        obj=issue,
        by_user=coordinator,
    )


@scenario("newsletter.services.issue_unschedule")
def _issue_unschedule():
    issue = _issue_with_reader(
        status=Issue.Status.SCHEDULED, scheduled_at=timezone.now() + timedelta(days=1)
    )
    coordinator = CoordinatorFactory()
    return Case(
        lambda: newsletter_services.issue_unschedule(issue=issue, by_user=coordinator),
        "newsletter.issue.unscheduled",
        obj=issue,
        by_user=coordinator,
    )


@scenario("newsletter.services.issue_expand")
def _issue_expand():
    issue = _issue_with_reader(status=Issue.Status.SENDING, sending_started_at=timezone.now())
    return Case(
        lambda: newsletter_services.issue_expand(issue=issue, process=Process.WORKER),
        "newsletter.issue.expanded",
        obj=issue,
        process=Process.WORKER,
    )


def _drained_issue():
    issue = IssueFactory(status=Issue.Status.SENDING, sending_started_at=timezone.now())
    DeliveryFactory(issue=issue, status=Delivery.Status.SENT, sent_at=timezone.now())
    return issue


@scenario("newsletter.services.issue_finish_if_done")
def _issue_finish_if_done():
    issue = _drained_issue()
    return Case(
        lambda: newsletter_services.issue_finish_if_done(issue=issue, process=Process.WORKER),
        "newsletter.issue.sent",
        obj=issue,
        process=Process.WORKER,
    )


@scenario("newsletter.services.issues_due")
def _issues_due():
    issue = _issue_with_reader(
        status=Issue.Status.SCHEDULED, scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    return Case(
        lambda: newsletter_services.issues_due(process=Process.BEAT),
        "newsletter.issue.sending_started",
        obj=issue,
        process=Process.BEAT,
    )


@scenario("newsletter.services.issues_resume")
def _issues_resume():
    issue = _issue_with_reader(status=Issue.Status.SENDING, sending_started_at=timezone.now())
    return Case(
        lambda: newsletter_services.issues_resume(process=Process.BEAT),
        "newsletter.issue.resumed",
        obj=issue,
        process=Process.BEAT,
    )


@scenario("newsletter.services.issues_finish")
def _issues_finish():
    issue = _drained_issue()
    return Case(
        lambda: newsletter_services.issues_finish(process=Process.BEAT),
        "newsletter.issue.sent",
        obj=issue,
        process=Process.BEAT,
    )


@scenario("newsletter.services.issue_send_test")
def _issue_send_test():
    issue = IssueFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: newsletter_services.issue_send_test(issue=issue, to_user=coordinator),
        "newsletter.issue.test_sent",
        obj=issue,
        by_user=coordinator,
    )


@scenario("newsletter.services.subscriber_erase")
def _subscriber_erase():
    subscriber = SubscriptionFactory().subscriber
    coordinator = CoordinatorFactory()
    return Case(
        lambda: newsletter_services.subscriber_erase(subscriber=subscriber, by_user=coordinator),
        "newsletter.subscriber.erased",
        obj=subscriber,
        by_user=coordinator,
    )


# --- Late joiners, reminders and resends by hand (meetings) and contacts (members) --------------


@scenario("members.services.contact_save")
def _contact_save():
    company = CompanyFactory()
    coordinator = CoordinatorFactory()
    contact = ContactPersonFactory.build(company=company, email="neu@moselblick.example")
    return Case(
        lambda: member_services.contact_save(contact=contact, by_user=coordinator),
        "members.contact.added",
        obj=lambda saved: saved,
        by_user=coordinator,
    )


@scenario("members.services.company_profile_save")
def _company_profile_save():
    company = CompanyFactory(city="Trier")
    admin = CompanyAdminFactory(company=company).user
    company.city = "Konz"
    return Case(
        lambda: member_services.company_profile_save(company=company, by_user=admin),
        "members.company.profile_changed",
        obj=company,
        by_user=admin,
    )


@scenario("members.services.contact_remove")
def _contact_remove():
    contact = ContactPersonFactory()
    admin = CompanyAdminFactory(company=contact.company).user
    return Case(
        lambda: member_services.contact_remove(contact=contact, by_user=admin),
        "members.contact.removed",
        obj=contact,
        by_user=admin,
    )


@scenario("meetings.services.invite_newcomers")
def _invite_newcomers():
    meeting = MeetingFactory()
    contact = ContactPersonFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.invite_newcomers(contacts=[contact], by_user=coordinator),
        "meetings.meeting.newcomers_invited",
        obj=meeting,
        by_user=coordinator,
    )


@scenario("meetings.services.answer_reminders_send")
def _answer_reminders_send():
    return _meeting_case(
        meeting_services.answer_reminders_send, "meetings.meeting.answer_reminders_sent"
    )


@scenario("meetings.services.invitation_resend")
def _invitation_resend():
    meeting = MeetingFactory()
    contact = ContactPersonFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.invitation_resend(
            meeting=meeting, contact=contact, by_user=coordinator
        ),
        "meetings.meeting.invitation_resent",
        obj=contact,
        by_user=coordinator,
    )


def _own_question():
    question = ExpertQuestionFactory()
    user = MembershipFactory(company=question.company).user
    return question, user


@scenario("meetings.services.question_submit")
def _question_submit():
    expert = ExpertGuestFactory()
    company = CompanyFactory()
    user = MembershipFactory(company=company).user
    return Case(
        lambda: meeting_services.question_submit(
            meeting=expert.meeting, company=company, user=user, text="Wie lange?", expert=expert
        ),
        "meetings.question.submitted",
        obj=lambda result: result,
        by_user=user,
    )


@scenario("meetings.services.question_update")
def _question_update():
    question, user = _own_question()
    return Case(
        lambda: meeting_services.question_update(
            question=question,
            by_user=user,
            text="Wie lange genau?",
            expert=None,
            show_company=False,
        ),
        "meetings.question.changed",
        obj=question,
        by_user=user,
    )


@scenario("meetings.services.question_withdraw")
def _question_withdraw():
    question, user = _own_question()
    return Case(
        lambda: meeting_services.question_withdraw(question=question, by_user=user),
        "meetings.question.withdrawn",
        obj=question,
        by_user=user,
    )


@scenario("meetings.services.questions_send")
def _questions_send():
    expert = ExpertGuestFactory()
    ExpertQuestionFactory(meeting=expert.meeting, expert=expert)
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.questions_send(
            meeting=expert.meeting, expert=expert, by_user=coordinator
        ),
        "meetings.question.sent",
        obj=expert,
        by_user=coordinator,
    )


@scenario("meetings.services.question_answer")
def _question_answer():
    question = ExpertQuestionFactory(sent_at=timezone.now())
    coordinator = CoordinatorFactory()
    return Case(
        lambda: meeting_services.question_answer(
            question=question, answer="Etwa sechs Wochen.", by_user=coordinator
        ),
        "meetings.question.answered",
        obj=question,
        by_user=coordinator,
    )


# --- „Mein Konto“ (accounts, and the parts of members and the newsletter) ----------------------


def _person_with_entry():
    company = CompanyFactory()
    CompanyAdminFactory(company=company)
    user = MembershipFactory(company=company).user
    contact = ContactPersonFactory(company=company, user=user, email=user.email)
    return user, contact


@scenario("accounts.services.user_name_change")
def _user_name_change():
    user, _contact = _person_with_entry()
    return Case(
        lambda: account_services.user_name_change(user=user, first_name="Ines", last_name="Kaiser"),
        "accounts.user.name_changed",
        obj=user,
        by_user=user,
    )


@scenario("accounts.services.user_language_set")
def _user_language_set():
    user, _contact = _person_with_entry()
    return Case(
        lambda: account_services.user_language_set(user=user, language="en"),
        "accounts.user.language_changed",
        obj=user,
        by_user=user,
    )


@scenario("accounts.services.login_address_change")
def _login_address_change():
    """One entry for the account; the contact entry, the subscriptions and the registrations
    follow inside it."""
    user, contact = _person_with_entry()
    SubscriptionFactory(
        subscriber=SubscriberFactory(email=user.email, contact=contact),
        mailing_list=MemberListFactory(),
    )
    RegistrationFactory(company=contact.company, contact=contact, email=user.email)
    old = user.email
    return Case(
        lambda: account_services.login_address_change(
            user=user, old_email=old, new_email="neu@moselblick.example"
        ),
        "accounts.user.email_changed",
        obj=user,
        by_user=user,
    )


@scenario("accounts.services.account_delete")
def _account_delete():
    """The entry stays, without the person: their name goes with the account."""
    user, contact = _person_with_entry()
    SubscriptionFactory(subscriber=SubscriberFactory(email=user.email, contact=contact))
    return Case(
        lambda: account_services.account_delete(user=user),
        "accounts.user.deleted",
        obj=user,
    )


@scenario("members.services.own_contact_update")
def _own_contact_update():
    user, contact = _person_with_entry()
    return Case(
        lambda: member_services.own_contact_update(
            contact=contact, by_user=user, data={"phone": "0651 4711"}
        ),
        "members.contact.updated_by_self",
        obj=contact,
        by_user=user,
    )


@scenario("newsletter.services.account_lists_save")
def _account_lists_save():
    """Leaving a list and asking for another (double opt-in): one entry."""
    user, contact = _person_with_entry()
    subscriber = SubscriberFactory(email=user.email, contact=contact)
    SubscriptionFactory(subscriber=subscriber, mailing_list=MemberListFactory())
    public = MailingListFactory()
    return Case(
        lambda: newsletter_services.account_lists_save(
            user=user, contact=contact, wanted_lists=[public], consent_text="Ich möchte …"
        ),
        "newsletter.subscriber.preferences_saved",
        obj=subscriber,
        by_user=user,
    )


# --- cooperation ------------------------------------------------------------------------------


def _cooperation_company_user():
    company = CompanyFactory()
    return company, MembershipFactory(company=company).user


@scenario("cooperation.services.project_propose")
def _cooperation_project_propose():
    from cooperation import services as cooperation_services

    company, user = _cooperation_company_user()
    return Case(
        lambda: cooperation_services.project_propose(
            company=company,
            by_user=user,
            kind="family_jobs",
            title="Jobs für Angehörige",
            description="Stellen für Partner internationaler Pflegekräfte.",
        ),
        "cooperation.project.proposed",
        obj=lambda result: result,
        by_user=user,
    )


@scenario("cooperation.services.project_save")
def _cooperation_project_save():
    from cooperation import services as cooperation_services
    from tests.cooperation.factories import LanguageCourseFactory

    course = LanguageCourseFactory(total_places=3)
    user = MembershipFactory(company=course.company).user
    course.total_places = 4
    return Case(
        lambda: cooperation_services.project_save(
            project=course, by_user=user, changed=["total_places"]
        ),
        "cooperation.project.changed",
        obj=course,
        by_user=user,
    )


@scenario("cooperation.services.project_set_status")
def _cooperation_project_set_status():
    from cooperation import services as cooperation_services
    from tests.cooperation.factories import ProjectFactory

    project = ProjectFactory(status="planning")
    coordinator = CoordinatorFactory()
    return Case(
        lambda: cooperation_services.project_set_status(
            project=project, status="open", by_user=coordinator
        ),
        "cooperation.project.status_changed",
        obj=project,
        by_user=coordinator,
    )


@scenario("cooperation.services.interest_mark")
def _cooperation_interest_mark():
    from cooperation import services as cooperation_services
    from tests.cooperation.factories import ProjectFactory

    project = ProjectFactory()
    company, user = _cooperation_company_user()
    return Case(
        lambda: cooperation_services.interest_mark(project=project, company=company, by_user=user),
        "cooperation.interest.marked",
        obj=project,
        by_user=user,
    )


@scenario("cooperation.services.interest_withdraw")
def _cooperation_interest_withdraw():
    from cooperation import services as cooperation_services
    from tests.cooperation.factories import InterestFactory

    interest = InterestFactory()
    user = MembershipFactory(company=interest.company).user
    return Case(
        lambda: cooperation_services.interest_withdraw(
            project=interest.project, company=interest.company, by_user=user
        ),
        "cooperation.interest.withdrawn",
        obj=interest.project,
        by_user=user,
    )


@scenario("cooperation.services.booking_book")
def _cooperation_booking_book():
    from cooperation import services as cooperation_services
    from tests.cooperation.factories import LanguageCourseFactory

    course = LanguageCourseFactory()
    company, user = _cooperation_company_user()
    return Case(
        lambda: cooperation_services.booking_book(
            project=course, company=company, places=2, by_user=user
        ),
        "cooperation.booking.booked",
        obj=lambda result: result,
        by_user=user,
    )


@scenario("cooperation.services.booking_cancel")
def _cooperation_booking_cancel():
    from cooperation import services as cooperation_services
    from tests.cooperation.factories import BookingFactory

    booking = BookingFactory(places=1, project__total_places=1)
    BookingFactory(
        project=booking.project, places=0, waiting_places=1, waitlisted_at=timezone.now()
    )
    user = MembershipFactory(company=booking.company).user
    return Case(
        lambda: cooperation_services.booking_cancel(booking=booking, places=1, by_user=user),
        "cooperation.booking.cancelled",
        obj=booking,
        by_user=user,
        side_actions=("cooperation.booking.promoted",),
    )


@scenario("cooperation.services.attendance_record")
def _cooperation_attendance_record():
    from cooperation import services as cooperation_services
    from tests.cooperation.factories import BookingFactory

    booking = BookingFactory(places=2)
    coordinator = CoordinatorFactory()
    return Case(
        lambda: cooperation_services.attendance_record(
            booking=booking, participants=[("Ana Costa", True)], by_user=coordinator
        ),
        "cooperation.booking.attendance_recorded",
        obj=booking,
        by_user=coordinator,
    )


@scenario("cooperation.services.message_send")
def _cooperation_message_send():
    from cooperation import services as cooperation_services
    from tests.cooperation.factories import InterestFactory

    interest = InterestFactory()
    MembershipFactory(company=interest.company)
    user = MembershipFactory(company=interest.project.company).user
    return Case(
        lambda: cooperation_services.message_send(
            project=interest.project, subject="Erstes Treffen", text="Am Montag.", by_user=user
        ),
        "cooperation.project.message_sent",
        obj=interest.project,
        by_user=user,
    )


# --- internships ------------------------------------------------------------------------------


@scenario("internships.services.offer_create")
def _internship_offer_create():
    company = CompanyFactory()
    user = MembershipFactory(company=company).user
    contact = ContactPersonFactory(company=company)
    return Case(
        lambda: internship_services.offer_create(
            company=company,
            by_user=user,
            data={"field": "care", "places": 2, "contact": contact, "public_consent": True},
            periods=[(in_days(10), in_days(40))],
        ),
        "internships.offer.created",
        obj=lambda result: result,
        by_user=user,
    )


@scenario("internships.services.offer_update")
def _internship_offer_update():
    offer = InternshipOfferFactory(places=2)
    user = MembershipFactory(company=offer.company).user
    return Case(
        lambda: internship_services.offer_update(
            offer=offer,
            by_user=user,
            data={"field": "care", "places": 3, "contact": offer.contact},
            periods=[(in_days(20), in_days(90))],
        ),
        "internships.offer.updated",
        obj=offer,
        by_user=user,
    )


@scenario("internships.services.offer_withdraw")
def _internship_offer_withdraw():
    offer = InternshipOfferFactory()
    user = MembershipFactory(company=offer.company).user
    return Case(
        lambda: internship_services.offer_withdraw(offer=offer, by_user=user),
        "internships.offer.withdrawn",
        obj=offer,
        by_user=user,
    )


@scenario("internships.services.placement_create")
def _internship_placement_create():
    offer = InternshipOfferFactory()
    pupil = PupilFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: internship_services.placement_create(pupil=pupil, offer=offer, by_user=coordinator),
        "internships.placement.created",
        obj=lambda result: result,
        by_user=coordinator,
    )


@scenario("internships.services.placement_remove")
def _internship_placement_remove():
    placement = PlacementFactory()
    coordinator = CoordinatorFactory()
    return Case(
        lambda: internship_services.placement_remove(placement=placement, by_user=coordinator),
        "internships.placement.removed",
        obj=placement,
        by_user=coordinator,
    )


@scenario("internships.services.placement_lists_send")
def _internship_placement_lists_send():
    """One entry for the whole sending, whatever the number of companies."""
    stay = SchoolStayFactory()
    PlacementFactory(pupil=PupilFactory(stay=stay))
    PlacementFactory(pupil=PupilFactory(stay=stay))
    coordinator = CoordinatorFactory()
    return Case(
        lambda: internship_services.placement_lists_send(stay=stay, by_user=coordinator),
        "internships.stay.lists_sent",
        obj=stay,
        by_user=coordinator,
    )


# --- The walk ---------------------------------------------------------------------------------


def services_modules():
    """The ``services`` module of every app of this project that has one."""
    modules = []
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(ROOT) or ".venv" in Path(config.path).parts:
            continue
        if (Path(config.path) / "services.py").exists():
            modules.append(import_module(f"{config.name}.services"))
    return modules


def public_service_functions() -> set[str]:
    names = set()
    for module in services_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                names.add(f"{module.__name__}.{name}")
    return names


def test_every_public_service_is_walked_or_named_a_read():
    found = public_service_functions()
    assert {module.__name__ for module in services_modules()} >= {
        "members.services",
        "meetings.services",
        "seal.services",
        "newsletter.services",
    }
    assert set(SCENARIOS).isdisjoint(READS)
    assert sorted(found - set(SCENARIOS) - set(READS)) == [], (
        "a public service function without a scenario here (a state change) or a reason in "
        "READS (a read)"
    )
    assert sorted((set(SCENARIOS) | set(READS)) - found) == [], "no such service any more"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_state_change_leaves_exactly_one_entry(db, name):
    case = SCENARIOS[name]()
    expected_object = None if case.obj is None or callable(case.obj) else _object_ref(case.obj)
    before = set(ActivityEntry.objects.values_list("pk", flat=True))

    result = case.call()

    entries = list(ActivityEntry.objects.exclude(pk__in=before))
    assert sorted(entry.action for entry in entries) == sorted([case.action, *case.side_actions])
    entry = next(entry for entry in entries if entry.action == case.action)
    assert entry.actor_id == (case.by_user.pk if case.by_user is not None else None)
    assert entry.process == case.process
    if case.by_user is not None:
        assert entry.actor_label == str(case.by_user)
    else:
        assert entry.actor_label == case.actor_label
    if callable(case.obj):
        expected_object = _object_ref(case.obj(result))
    if expected_object is None:
        assert entry.object_type_id is None
        assert entry.object_id == ""
    else:
        assert (entry.object_type_id, entry.object_id) == expected_object
    # Readable in German: a registered label, and every detail with a label of its own.
    with translation.override("de"):
        kind = activity.action_type(entry.action)
        assert kind is not None
        assert set(entry.details) <= set(kind.details)
        assert all(text for _label, text in activity.entry_details(entry))


def test_a_call_that_changes_nothing_writes_no_entry(db):
    """A second run of a sweep, or a repeated answer, is no event."""
    case = SCENARIOS["meetings.services.write_reminders"]()
    case.call()
    count = ActivityEntry.objects.count()

    case.call()
    newsletter_services.issues_due(process=Process.BEAT)
    newsletter_services.sync_member_lists(process=Process.BEAT)

    assert ActivityEntry.objects.count() == count


def test_an_answer_by_a_logged_in_user_names_the_user(db):
    meeting = MeetingFactory()
    company = CompanyFactory()
    user = MembershipFactory(company=company).user

    registration = meeting_services.rsvp_answer(
        meeting=meeting,
        company=company,
        name=user.get_full_name(),
        email=user.email,
        attending=False,
        by_user=user,
    )

    entry = ActivityEntry.objects.get()
    assert (entry.action, entry.actor, entry.process) == (
        "meetings.registration.declined",
        user,
        "",
    )
    assert entry.object_id == str(registration.pk)
    assert registration.status == Registration.Status.DECLINED
