"""The shared data of the authorization matrix: one "owning company" with one object of every
kind a URL can name, another active company, and one user per role.

Built once per test module (inside a transaction that is rolled back at the end); every cell
runs in a savepoint of its own, so an action that consumes an object (accepting a join request,
revoking an invitation) does not change the outcome of any other cell.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.urls import resolve
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from accounts.roles import COORDINATOR_GROUP, ensure_role_groups
from cooperation.models import Message as CooperationMessage
from cooperation.models import Participant
from meetings import services as meeting_services
from meetings.models import ExpertGuest, ExpertQuestion, Material, Meeting, Registration
from members import services as member_services
from members.models import Company, CompanyInvitation, JoinRequest
from network_portal.activity import log_activity
from network_portal.models import MailText, OutboxMail
from network_portal.signing import make_token
from newsletter import rendering
from newsletter.models import IssueAttachment, Subscription
from seal.models import Application, HolderProfile
from tests.cooperation.factories import BookingFactory, InterestFactory, LanguageCourseFactory
from tests.factories import (
    CompanyAdminFactory,
    CompanyFactory,
    ContactPersonFactory,
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
)
from tests.meetings.factories import (
    FeedbackFactory,
    MeetingFactory,
    RegistrationFactory,
    TopicProposalFactory,
)
from tests.mfa import enroll_totp
from tests.newsletter.factories import (
    BounceFactory,
    DeliveryFactory,
    IssueFactory,
    MailingListFactory,
    MemberListFactory,
    SentIssueFactory,
    SubscriberFactory,
    SubscriptionFactory,
)
from tests.seal.factories import (
    TINY_PDF,
    AnswerFactory,
    AwardCycleFactory,
    CategoryFactory,
    CertificateFactory,
    CriterionFactory,
    EvidenceFactory,
    JurorAssignmentFactory,
    SubmittedApplicationFactory,
    juror,
    tiny_png,
)

ROLES = ("anonymous", "other", "member", "company_admin", "pending", "juror", "coordinator")

# Texts only some roles may ever see. A page that shows one of them to any other role leaks
# the owning company's data (checked on every 200 response of the matrix, token pages aside).
MARKERS = {
    # The coordinators' internal notes on the owning company.
    "Interne Notiz 7f3a": {"coordinator"},
    # The owning company's seal answer: its admins, the assigned juror, the coordinators.
    "Antwort-Geheimnis 51c9": {"company_admin", "juror", "coordinator"},
    # The owning company's registration for a meeting: its users and the coordinators.
    "Teilnehmerin Geheim88d2": {"member", "company_admin", "coordinator"},
    # Who asked to join the owning company, and whom it invited: its admins, the coordinators.
    "antrag-3b1e@example.org": {"company_admin", "coordinator"},
    "einladung-9c4d@example.org": {"company_admin", "coordinator"},
    # A participant the owning company sent on a language course: its users, the coordinators.
    "Kursteilnehmer Geheim4e21": {"member", "company_admin", "coordinator"},
    # A pupil placed on the owning company's offer, its list not sent yet: the coordinators only
    # (pupils are mostly minors; the public page never names one).
    "Schülerin Geheim2a6f": {"coordinator"},
}


def _token_in(url: str) -> str:
    return resolve(urlsplit(url).path).kwargs["token"]


@dataclass
class World:
    users: dict  # role -> user (no entry for anonymous)
    objects: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


LEGAL_PAGES = {
    "/impressum/": "Impressum",
    "/datenschutz/": "Datenschutz",
    "/barrierefreiheit/": "Erklärung zur Barrierefreiheit",
}


def ensure_legal_pages() -> None:
    """The flat pages the migrations create; a transactional test before this module may have
    flushed them (a flush keeps only what post_migrate recreates)."""
    site = Site.objects.get_current()
    for url, title in LEGAL_PAGES.items():
        page, _ = FlatPage.objects.get_or_create(
            url=url, defaults={"title": title, "content": f"<p>{title}</p>"}
        )
        page.sites.add(site)


def build_world() -> World:
    now = timezone.now()
    ensure_role_groups()
    ensure_legal_pages()
    coordinators = Group.objects.get(name=COORDINATOR_GROUP)
    # The coordinators' rights come from the group (no superuser here): it must really have them.
    assert coordinators.permissions.filter(
        content_type__app_label="seal", codename="view_application"
    ).exists(), "the coordinators' group has no permissions in the test database"

    # --- The owning company, its users and its member-side objects --------------------------
    company = CompanyFactory(
        name="Moselblick Pflege GmbH",
        slug="moselblick-pflege",
        directory_consent=False,  # its logo is for network members only
        internal_notes="Interne Notiz 7f3a",
    )
    company.logo.save("logo.png", ContentFile(tiny_png()), save=True)
    company_admin = CompanyAdminFactory(company=company).user
    member_membership = MembershipFactory(company=company)
    member = member_membership.user
    contact = ContactPersonFactory(company=company, email="kontakt-moselblick@example.org")
    applicant = UserFactory(email="antrag-3b1e@example.org")
    join_request = JoinRequest.objects.create(user=applicant, company=company, message="Hallo")
    invitation = CompanyInvitation.objects.create(
        company=company,
        email="einladung-9c4d@example.org",
        invited_by=company_admin,
        expires_at=now + timedelta(days=7),
    )

    # --- Another active company ----------------------------------------------------------
    other_company = CompanyFactory(name="Saarburger Feinmechanik KG", slug="saarburger-fein")
    other = CompanyAdminFactory(company=other_company).user

    # --- A company that registered and awaits the coordinators' approval ------------------
    pending_company = CompanyFactory(
        name="Konzer Lernwerkstatt gGmbH",
        slug="konzer-lernwerkstatt",
        status=Company.Status.PENDING,
    )
    pending = CompanyAdminFactory(company=pending_company).user

    # --- Jury and coordination -----------------------------------------------------------
    juror_user = juror(email="jury@example.org")
    coordinator = UserFactory(email="koordination@example.org", is_staff=True)
    coordinator.groups.add(coordinators)
    # Staff without any group: the admin lets them in, but shows them nothing.
    staff = UserFactory(email="ohne-rechte@example.org", is_staff=True)
    superuser = UserFactory(email="technik@example.org", is_staff=True, is_superuser=True)
    for user in (juror_user, coordinator, staff):
        enroll_totp(user)
        RecoveryCodes.activate(user)  # allauth makes them with the first authenticator
    unverified = EmailAddress.objects.create(
        user=applicant, email="antrag-neu@example.org", verified=False, primary=False
    )

    # --- Meetings ------------------------------------------------------------------------
    meeting = MeetingFactory(host=company, slug="netzwerktreffen-pflege", collects_questions=True)
    # An expert guest of the meeting and the owning company's question to them.
    expert = ExpertGuest.objects.create(
        meeting=meeting,
        name="Petra Amtmann",
        organisation="Ausländerbehörde",
        email="pa@example.org",
    )
    question = ExpertQuestion.objects.create(
        meeting=meeting, expert=expert, company=company, asked_by=member, text="Wie lange?"
    )
    draft_meeting = MeetingFactory(
        host=company, slug="netzwerktreffen-entwurf", status=Meeting.Status.DRAFT
    )
    # The day of a meeting: the door is open, walk-ins are recorded.
    door_meeting = MeetingFactory(host=company, slug="netzwerktreffen-heute", today=True)
    material = Material.objects.create(
        meeting=meeting, title="Folien", content_type="application/pdf"
    )
    material.file.save("folien.pdf", ContentFile(TINY_PDF), save=True)
    registration = RegistrationFactory(
        meeting=meeting, company=company, name="Teilnehmerin Geheim88d2", contact=contact
    )
    past_meeting = MeetingFactory(
        slug="netzwerktreffen-vergangen",
        starts_at=now - timedelta(days=10),
        ends_at=now - timedelta(days=10) + timedelta(hours=2),
        rsvp_deadline=now - timedelta(days=17),
        status=Meeting.Status.HELD,
        minutes="Kurzprotokoll: Sprachkurse im Verbund verabredet.",
    )
    # A past meeting whose dossier the coordinators published (the members' page).
    dossier_meeting = MeetingFactory(
        slug="netzwerktreffen-nachlese",
        starts_at=now - timedelta(days=40),
        ends_at=now - timedelta(days=40) + timedelta(hours=2),
        rsvp_deadline=now - timedelta(days=47),
        status=Meeting.Status.HELD,
        minutes="Kurzprotokoll der Nachlese.",
        dossier_published_at=now - timedelta(days=30),
    )
    past_registration = RegistrationFactory(
        meeting=past_meeting, company=company, status=Registration.Status.CONFIRMED
    )
    feedback = FeedbackFactory(
        registration=RegistrationFactory(meeting=past_meeting, company=other_company)
    )
    proposal = TopicProposalFactory(company=company, proposed_by=member)
    expertise_topic = ExpertiseTopicFactory(name="Ausbildung in Teilzeit")
    expertise_offer = ExpertiseOfferFactory(
        company=company, contact=contact, topics=[expertise_topic]
    )
    speaker_request = meeting_services.speaker_request_create(
        meeting=meeting,
        contact=contact,
        talk_title="Ausbildung in Teilzeit",
        offer=expertise_offer,
        by_user=coordinator,
    )
    calendar_feed = meeting_services.calendar_feed_renew(user=member)

    # --- Internships ---------------------------------------------------------------------
    internship_offer = InternshipOfferFactory(company=company, contact=contact, places=3)
    school_stay = SchoolStayFactory()
    internship_placement = PlacementFactory(
        offer=internship_offer,
        pupil=PupilFactory(stay=school_stay, first_name="Schülerin", last_name="Geheim2a6f"),
    )
    unplaced_pupil = PupilFactory(stay=school_stay, first_name="Jon", last_name="Garay")

    # --- Cooperation board ---------------------------------------------------------------
    # The owning company's language course (3 places, 2 per company), its booking of one
    # place with a participant, and its interest.
    coop_project = LanguageCourseFactory(
        company=company, title="Deutschkurs B1 Pflege", total_places=3, max_places_per_company=2
    )
    coop_booking = BookingFactory(project=coop_project, company=company, places=1)
    Participant.objects.create(booking=coop_booking, name="Kursteilnehmer Geheim4e21")
    coop_interest = InterestFactory(project=coop_project, company=company)
    coop_message = CooperationMessage.objects.create(
        project=coop_project, subject="Erster Termin", text="Am Montag.", recipients=1
    )

    # --- Newsletter ----------------------------------------------------------------------
    public_list = MailingListFactory(slug="fachkraefte")
    members_list = MemberListFactory(slug="alle-mitglieder")
    subscriber = SubscriberFactory(email="leserin@moselblick.example")
    SubscriptionFactory(subscriber=subscriber, mailing_list=public_list)
    pending_subscriber = SubscriberFactory(email="neu@moselblick.example")
    SubscriptionFactory(
        subscriber=pending_subscriber,
        mailing_list=public_list,
        status=Subscription.Status.PENDING,
        confirmed_at=None,
    )
    public_issue = SentIssueFactory(lists=[public_list], is_public=True)
    members_issue = SentIssueFactory(lists=[members_list], is_public=False)
    draft_issue = IssueFactory(lists=[public_list])
    issue_attachment = IssueAttachment.objects.create(
        issue=draft_issue, filename="Programm.pdf", content_type="application/pdf"
    )
    issue_attachment.file.save("programm.pdf", ContentFile(TINY_PDF), save=True)
    delivery = DeliveryFactory(issue=public_issue, subscriber=subscriber)
    bounce = BounceFactory()

    # --- Seal ----------------------------------------------------------------------------
    cycle = AwardCycleFactory(name="2027", slug="2027")
    category = CategoryFactory(cycle=cycle)
    criterion = CriterionFactory(category=category)
    application = SubmittedApplicationFactory(
        cycle=cycle, company=company, started_by=company_admin
    )
    answer = AnswerFactory(
        application=application, criterion=criterion, explanation="Antwort-Geheimnis 51c9"
    )
    evidence = EvidenceFactory(answer=answer)
    assignment = JurorAssignmentFactory(application=application, juror=juror_user)
    # An application of a third company, assigned to another juror only.
    third_company = CompanyFactory(name="Porta Digital Werkstatt UG", slug="porta-digital")
    third_application = SubmittedApplicationFactory(cycle=cycle, company=third_company)
    third_evidence = EvidenceFactory(
        answer=AnswerFactory(application=third_application, criterion=criterion)
    )
    other_assignment = JurorAssignmentFactory(application=third_application)
    past_cycle = AwardCycleFactory(
        name="2025",
        slug="2025",
        criteria_published_on=(now - timedelta(days=800)).date(),
        applications_open_at=now - timedelta(days=760),
        deadline=now - timedelta(days=700),
        jury_review_until=(now - timedelta(days=680)).date(),
        decision_on=(now - timedelta(days=670)).date(),
        ceremony_on=(now - timedelta(days=660)).date(),
    )
    certificate = CertificateFactory(
        application__cycle=past_cycle,
        application__company=company,
        application__decision=Application.Decision.AWARDED,
    )
    # The owning company shows a public seal page (with its consent).
    HolderProfile.objects.create(company=company, public=True, offer="Jobrad für alle.")

    # --- What only the admin shows -------------------------------------------------------
    outbox_mail = OutboxMail.objects.create(
        key="authz:1",
        to="kontakt-moselblick@example.org",
        from_email="netzwerk@localhost",
        subject="Einladung",
        body_text="Hallo",
        language="de",
    )
    mail_text = MailText.objects.create(
        kind="meetings.invitation",
        language="de",
        subject="Einladung: {{ titel }}",
        body="herzlich laden wir Sie ein.",
    )
    activity_entry = log_activity(
        action="members.company.approved",
        obj=company,
        by_user=coordinator,
        details={"status": ["pending", "active"]},
    )
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    periodic_task = PeriodicTask.objects.create(
        name="authz", task="network_portal.sweep_mail", interval=interval
    )
    crontab = CrontabSchedule.objects.create(minute="5")
    clocked = ClockedSchedule.objects.create(clocked_time=now + timedelta(days=1))
    solar = SolarSchedule.objects.create(event="sunrise", latitude=49.75, longitude=6.64)

    objects = {
        "company": company,
        "superuser": superuser,
        "member_membership": member_membership,
        "contact": contact,
        "join_request": join_request,
        "invitation": invitation,
        "other_company": other_company,
        "pending_company": pending_company,
        "meeting": meeting,
        "expert": expert,
        "question": question,
        "draft_meeting": draft_meeting,
        "door_meeting": door_meeting,
        "material": material,
        "registration": registration,
        "past_registration": past_registration,
        "feedback": feedback,
        "past_meeting": past_meeting,
        "dossier_meeting": dossier_meeting,
        "proposal": proposal,
        "expertise_topic": expertise_topic,
        "expertise_offer": expertise_offer,
        "speaker_request": speaker_request,
        "coop_project": coop_project,
        "coop_booking": coop_booking,
        "coop_interest": coop_interest,
        "coop_message": coop_message,
        "internship_offer": internship_offer,
        "partner_school": school_stay.school,
        "school_stay": school_stay,
        "internship_placement": internship_placement,
        "unplaced_pupil": unplaced_pupil,
        "public_list": public_list,
        "members_list": members_list,
        "subscriber": subscriber,
        "public_issue": public_issue,
        "members_issue": members_issue,
        "draft_issue": draft_issue,
        "issue_attachment": issue_attachment,
        "delivery": delivery,
        "bounce": bounce,
        "cycle": cycle,
        "category": category,
        "criterion": criterion,
        "application": application,
        "evidence": evidence,
        "assignment": assignment,
        "third_evidence": third_evidence,
        "other_assignment": other_assignment,
        "past_cycle": past_cycle,
        "certificate": certificate,
        "outbox_mail": outbox_mail,
        "activity_entry": activity_entry,
        "mail_text": mail_text,
        "coordinators_group": coordinators,
        "site": Site.objects.get_current(),
        "imprint": FlatPage.objects.get(url="/impressum/"),
        "email_address": EmailAddress.objects.get(user=member),
        "authenticator": coordinator.authenticator_set.first(),
        "periodic_task": periodic_task,
        "interval": interval,
        "crontab": crontab,
        "clocked": clocked,
        "solar": solar,
        "flatpage_type": ContentType.objects.get_for_model(FlatPage),
        "permission": Permission.objects.first(),
    }
    links = rendering.subscriber_links(subscriber)
    tokens = {
        "invitation": member_services.invitation_token(invitation),
        "rsvp": meeting_services.rsvp_token(meeting=meeting, attending=True, contact=contact),
        "feedback": _token_in(meeting_services.feedback_url(past_registration)),
        "speaker": meeting_services.speaker_request_token(speaker_request, accept=True),
        "feed": calendar_feed.token,
        "confirm": make_token(
            purpose=rendering.CONFIRM_PURPOSE,
            payload={"s": pending_subscriber.pk, "l": [public_list.pk]},
        ),
        "preferences": _token_in(links["preferences_url"]),
        "unsubscribe": links["unsubscribe_token"],
        "email_confirmation": EmailConfirmationHMAC(unverified).key,
        # For a user who never logs in here: a login would invalidate the key.
        "password_reset_uid": user_pk_to_url_str(applicant),
        "password_reset_key": default_token_generator.make_token(applicant),
    }
    users = {
        "other": other,
        "member": member,
        "company_admin": company_admin,
        "pending": pending,
        "juror": juror_user,
        "coordinator": coordinator,
        # Not ROLES, logins for the admin's cells (tests/authz/admin_matrix.py): staff without
        # any group, and the coordinator with a session that has not passed the second factor.
        "staff": staff,
        "coordinator_password_only": coordinator,
    }
    return World(users=users, objects=objects, tokens=tokens)
