"""Every state change of meetings and registrations.

Answers lock the meeting row (``SELECT … FOR UPDATE``), so two people answering at the same
moment for the last seat are served one after the other: one gets the seat, the other the
waitlist. Mails go through the outbox with one key per meeting, kind and person. Every change
leaves one activity log entry (``network_portal.activity``; the actions are named in
``meetings/activity.py``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.models import Company, ContactPerson, ExpertiseOffer
from members.permissions import active_company_of
from members.selectors import eligible_contacts
from network_portal import mail_texts
from network_portal.activity import Process, log_activity
from network_portal.company_groups import CompanyGroup, company_group
from network_portal.mail import (
    binary_attachment,
    keys_written,
    mail_enqueue,
    mail_users,
    send_outbox,
)
from network_portal.office import office
from network_portal.signing import absolute_url, make_token

from . import kinds, mails
from .models import (
    AgendaItem,
    CalendarFeed,
    ExpertGuest,
    ExpertQuestion,
    Feedback,
    Meeting,
    Registration,
    SpeakerRequest,
    TopicProposal,
    TopicVote,
)
from .permissions import questions_open
from .selectors import (
    answered_questions,
    attendees,
    companies_dropped_by_guest_list,
    company_is_invited,
    company_places_left,
    dossier_reach,
    dossier_recipients,
    free_seats,
    invited_q,
    non_responders,
    questions_to_send,
)

RSVP_PURPOSE = "meeting-rsvp"
FEEDBACK_PURPOSE = "meeting-feedback"
# Fields whose change makes calendars and participants need an update.
SCHEDULE_FIELDS = {
    "starts_at",
    "ends_at",
    "venue_name",
    "venue_street",
    "venue_postcode",
    "venue_city",
    "room",
}


def _invited_contacts(meeting: Meeting):
    """Everyone who gets invitations to ``meeting``: contacts of active companies who want
    them, of the companies on its guest list where it has one (``meetings.kinds``)."""
    return (
        eligible_contacts(wants_meeting_invitations=True)
        .filter(invited_q(meeting))
        .select_related("company", "user")
        .order_by("pk")
    )


def _language_of(contact: ContactPerson | None) -> str:
    if contact is not None and contact.user_id:
        return contact.user.language
    return settings.LANGUAGE_CODE


def rsvp_token(*, meeting: Meeting, attending: bool, contact=None, registration=None) -> str:
    payload = {"m": meeting.pk, "a": 1 if attending else 0}
    if contact is not None:
        payload["c"] = contact.pk
    else:
        payload["r"] = registration.pk
    return make_token(purpose=RSVP_PURPOSE, payload=payload)


def rsvp_url(**kwargs) -> str:
    return absolute_url(reverse("meetings:rsvp", args=[rsvp_token(**kwargs)]))


def _meeting_context(meeting: Meeting) -> dict:
    """What the meeting's mails show of it (:func:`meetings.mails.meeting_context`)."""
    return mails.meeting_context(meeting)


def _ics_attachment(meeting: Meeting, *, attendee: str = "") -> list[dict]:
    """The calendar entry of a mail about ``meeting`` (a cancellation's to ``attendee``)."""
    return mails.ics_attachments(meeting, attendee=attendee)


def _greeting_name(registration: Registration):
    """Whom a mail about ``registration`` greets: its contact person by salutation ("Guten Tag
    Frau Neumann,"), a colleague without contact entry by the name given."""
    if registration.contact_id is not None:
        return registration.contact.letter_name
    return registration.name


class _Recipient:
    """A person to write to: an invited contact, or a registered colleague without contact."""

    def __init__(self, *, email, name, contact=None, registration=None):
        self.email, self.name = email, name
        self.contact, self.registration = contact, registration

    @property
    def key(self):
        if self.contact is not None:
            return f"contact:{self.contact.pk}"
        return f"registration:{self.registration.pk}"

    def rsvp_links(self, meeting):
        kwargs = (
            {"contact": self.contact}
            if self.contact is not None
            else {"registration": self.registration}
        )
        return {
            "yes_url": rsvp_url(meeting=meeting, attending=True, **kwargs),
            "no_url": rsvp_url(meeting=meeting, attending=False, **kwargs),
        }


def _everyone_invited(meeting: Meeting) -> list[_Recipient]:
    """Invited contacts plus registered colleagues who are not contacts, each address once."""
    recipients, seen = [], set()
    for contact in _invited_contacts(meeting):
        if contact.email.lower() not in seen:
            seen.add(contact.email.lower())
            recipients.append(
                _Recipient(email=contact.email, name=contact.letter_name, contact=contact)
            )
    # A walk-in may have left no address.
    holding = meeting.registrations.holding_a_place().exclude(email="")
    for registration in holding.select_related("contact"):
        if registration.email.lower() not in seen:
            seen.add(registration.email.lower())
            recipients.append(
                _Recipient(
                    email=registration.email,
                    name=_greeting_name(registration),
                    contact=registration.contact,
                    registration=registration,
                )
            )
    return recipients


def write_meeting_mails(
    *, meeting: Meeting, kind: str, by_user=None, process: str | None = None
) -> list[int]:
    """Write the invitation, update or cancellation notice for everyone who lacks it, and log
    how many were written (a second run writes and logs nothing). For a caller outside the
    services (the task the release before this one queued); publishing, changing and
    cancelling write their mails themselves."""
    with transaction.atomic():
        mail_ids = _write_meeting_mails(meeting=meeting, kind=kind)
        if mail_ids:
            log_activity(
                action="meetings.meeting.mails_written",
                obj=meeting,
                by_user=by_user,
                process=process,
                details={"kind": kind, "recipients": len(mail_ids)},
            )
    return mail_ids


def _notice_prefix(meeting: Meeting, kind: str, *, sequence: int) -> str:
    """The outbox key prefix of an update (of calendar revision ``sequence``) or a
    cancellation notice of ``meeting``."""
    key_kind = f"update-{sequence}" if kind == "update" else kind
    return f"meeting:{meeting.pk}:{key_kind}:"


def notice_recipients(*, meeting: Meeting, kind: str) -> list[_Recipient]:
    """Who an update (``kind="update"``: the next calendar revision) or a cancellation notice
    (``"cancellation"``) of ``meeting`` would be written to now: everyone invited, as the
    writer finds them, less those who have it already; nobody unless the meeting is
    published. The confirmation pages count them; writes nothing."""
    if kind not in ("update", "cancellation"):
        raise ValueError(kind)
    if meeting.status != Meeting.Status.PUBLISHED:
        return []
    sequence = meeting.sequence + 1 if kind == "update" else meeting.sequence
    prefix = _notice_prefix(meeting, kind, sequence=sequence)
    written = keys_written(prefix)
    return [r for r in _everyone_invited(meeting) if prefix + r.key not in written]


def schedule_changes(*, meeting: Meeting, changed_fields) -> list[str]:
    """The fields among ``changed_fields`` whose change sends everyone invited an update: the
    date, time or venue of a published meeting (none of a draft)."""
    if meeting.status != Meeting.Status.PUBLISHED:
        return []
    return [name for name in changed_fields if name in SCHEDULE_FIELDS]


def _write_meeting_mails(
    *,
    meeting: Meeting,
    kind: str,
    contacts=None,
    key_kind: str = "",
    note: str = "",
    changes: list[dict] | None = None,
) -> list[int]:
    """Write the invitation, update or cancellation notice for everyone concerned.

    Called in the transaction that publishes, changes or cancels the meeting, so the mails
    exist exactly when the change does. Returns the ids of new outbox rows; people who have
    this mail already (a second run) are skipped. An invitation goes to ``contacts`` where
    given (late joiners, a resend), under ``key_kind`` where given (a resend: a new key).
    ``note``: the coordinator's words for an update or a cancellation, printed in the mail.
    ``changes``: what an update changed (:func:`meetings.mails.changes_since`); an update also
    repeats each person's answer so far, with the buttons to answer (again).
    """
    with mail_texts.batch():
        return _write_meeting_mails_now(
            meeting=meeting,
            kind=kind,
            contacts=contacts,
            key_kind=key_kind,
            note=note,
            changes=changes or [],
        )


# An update carries the calendar entry only to those who hold a seat or have not answered:
# a confirmed entry would put the meeting into the calendars of the waitlisted and of those
# who said no.
_NO_CALENDAR_ENTRY = {
    Registration.Status.WAITLISTED,
    Registration.Status.DECLINED,
    Registration.Status.CANCELLED,
}


def _notice_attachments(meeting, kind, recipient, answer, attachments) -> list:
    if kind == "cancellation":
        return _ics_attachment(meeting, attendee=recipient.email)
    if kind == "update" and answer in _NO_CALENDAR_ENTRY:
        return []
    return attachments


def _write_meeting_mails_now(*, meeting, kind, contacts, key_kind, note, changes) -> list[int]:
    if kind == "invitation":
        invited = _invited_contacts(meeting) if contacts is None else contacts
        recipients = [_Recipient(email=c.email, name=c.letter_name, contact=c) for c in invited]
        key_kind = key_kind or "invitation"
        key_prefix = f"meeting:{meeting.pk}:{key_kind}:"
    elif kind in ("update", "cancellation"):
        recipients = _everyone_invited(meeting)
        key_prefix = _notice_prefix(meeting, kind, sequence=meeting.sequence)
    else:
        raise ValueError(kind)
    written = keys_written(key_prefix)
    attachments = [] if kind == "cancellation" else _ics_attachment(meeting)
    context = {**_meeting_context(meeting), "note": note, "changes": changes}
    answers = {}
    if kind == "update":
        answers = {
            email.lower(): status
            for email, status in meeting.registrations.exclude(email="").values_list(
                "email", "status"
            )
        }
    mail_ids = []
    for recipient in recipients:
        key = key_prefix + recipient.key
        if key in written:
            continue
        mail = mail_enqueue(
            key=key,
            to=recipient.email,
            template=f"meetings/emails/{kind}",
            context={
                **context,
                "recipient_name": recipient.name,
                "answer": answers.get(recipient.email.lower(), ""),
                **(recipient.rsvp_links(meeting) if kind != "cancellation" else {}),
            },
            language=_language_of(recipient.contact),
            attachments=_notice_attachments(
                meeting, kind, recipient, answers.get(recipient.email.lower(), ""), attachments
            ),
            send=False,
        )
        if mail is not None:
            mail_ids.append(mail.pk)
    send_outbox()
    return mail_ids


def _check_publishable(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("A meeting in the past cannot be published."))
    if kinds.needs_guest_list(meeting) and not meeting.invited_companies.exists():
        raise ValidationError(
            _(
                "A seal ceremony invites only its guests: please choose the invited companies "
                "first (“Take over guests …”)."
            )
        )


def invitations_on_publish(*, meeting: Meeting) -> int:
    """How many invitations publishing ``meeting`` would write now (its confirmation page says
    so); raises the ValidationError publishing would raise. Writes nothing."""
    _check_publishable(meeting)
    written = keys_written(f"meeting:{meeting.pk}:invitation:")
    return sum(
        1
        for pk in _invited_contacts(meeting).values_list("pk", flat=True)
        if f"meeting:{meeting.pk}:invitation:contact:{pk}" not in written
    )


def invitations_written(*, meeting: Meeting) -> int:
    """How many invitations to ``meeting`` are in the outbox (written, sent or not)."""
    return len(keys_written(f"meeting:{meeting.pk}:invitation:"))


@transaction.atomic
def meeting_publish(*, meeting: Meeting, by_user=None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_publishable(meeting)
    meeting.status = Meeting.Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["status", "published_at"])
    mail_ids = _write_meeting_mails(meeting=meeting, kind="invitation")
    log_activity(
        action="meetings.meeting.published",
        obj=meeting,
        by_user=by_user,
        details={
            "status": [Meeting.Status.DRAFT, Meeting.Status.PUBLISHED],
            "recipients": len(mail_ids),
        },
    )
    return meeting


@transaction.atomic
def meeting_schedule_changed(
    *, meeting: Meeting, changed_fields, by_user=None, note: str = "", previous=None
) -> bool:
    """Called after a coordinator saved a meeting: raise the calendar SEQUENCE and tell everyone
    invited when date, time or venue of a published meeting changed (:func:`schedule_changes`;
    the admin confirms it first, :func:`notice_recipients` counts the mails), with the
    coordinator's ``note``. ``previous``: the meeting before the change
    (:func:`meetings.mails.stored_snapshot`, taken before saving); the update lists what
    changed against it, old → new (the date and time, the venue, the RSVP deadline, the
    agenda …). Returns whether it did."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    promoted = _promote_waitlist(meeting)  # more seats may have been added
    changed = schedule_changes(meeting=meeting, changed_fields=changed_fields)
    if not changed:
        if promoted:
            log_activity(
                action="meetings.meeting.waitlist_moved_up",
                obj=meeting,
                by_user=by_user,
                details={"promoted": len(promoted)},
            )
        return False
    meeting.sequence += 1
    meeting.save(update_fields=["sequence"])
    note = note.strip()
    mail_ids = _write_meeting_mails(
        meeting=meeting,
        kind="update",
        note=note,
        changes=mails.changes_since(previous, meeting),
    )
    details = {"changed": changed, "recipients": len(mail_ids)}
    if note:
        details["note"] = note
    if promoted:
        details["promoted"] = len(promoted)
    log_activity(
        action="meetings.meeting.rescheduled", obj=meeting, by_user=by_user, details=details
    )
    return True


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by_user=None, note: str = "") -> Meeting:
    """Cancel a planned meeting; a published one's invited hear of it, with the coordinator's
    ``note`` (the admin confirms it first, :func:`notice_recipients` counts the mails)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    old_status = meeting.status
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    mail_ids = []
    note = note.strip()
    if old_status == Meeting.Status.PUBLISHED:
        mail_ids = _write_meeting_mails(meeting=meeting, kind="cancellation", note=note)
    details = {"status": [old_status, meeting.status], "recipients": len(mail_ids)}
    if note:
        details["note"] = note
    log_activity(action="meetings.meeting.cancelled", obj=meeting, by_user=by_user, details=details)
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by_user=None) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PUBLISHED or meeting.starts_at > timezone.now():
        raise ValidationError(_("Only a published meeting that has started can be marked held."))
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    log_activity(
        action="meetings.meeting.held",
        obj=meeting,
        by_user=by_user,
        details={"status": [Meeting.Status.PUBLISHED, Meeting.Status.HELD]},
    )
    return meeting


def _mail_registration(registration: Registration, *, event: str, template: str) -> None:
    meeting = registration.meeting
    mail_enqueue(
        key=f"meeting:{meeting.pk}:{event}:registration:{registration.pk}",
        to=registration.email,
        template=template,
        context={
            **_meeting_context(meeting),
            "recipient_name": _greeting_name(registration),
            "status": registration.status,
            "no_url": rsvp_url(meeting=meeting, attending=False, registration=registration),
        },
        language=_language_of(registration.contact),
        # A seat comes with the calendar entry; the waitlist not: a calendar shows an entry
        # as a date the person keeps, and they have no seat yet. Moving up brings it.
        attachments=(
            _ics_attachment(meeting) if registration.status == Registration.Status.CONFIRMED else []
        ),
    )


def _promote_waitlist(meeting: Meeting) -> list[Registration]:
    """Seat waiting people in order while seats are free. The meeting row must be locked."""
    promoted = []
    free = free_seats(meeting)
    # Only people of companies still invited: one dropped from the guest list keeps what it
    # has, but moves up no more.
    waiting = meeting.registrations.waiting().filter(invited_q(meeting))
    for registration in waiting.select_for_update():
        if free <= 0:
            break
        registration.status = Registration.Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        free -= 1
        promoted.append(registration)
        _mail_registration(registration, event="promoted", template="meetings/emails/promoted")
    return promoted


def _not_invited(company: Company) -> ValidationError:
    """Why a company not on the guest list neither registers nor asks questions."""
    return ValidationError(
        _(
            "This event is by invitation only, and %(company)s is not among the invited "
            "companies. Please contact the coordinators if you think this is a mistake."
        )
        % {"company": company.name}
    )


def _check_open(meeting: Meeting) -> None:
    """The model's rule (``Meeting.is_open_for_answers``); here only the message why not."""
    if meeting.is_open_for_answers:
        return
    if meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("This meeting does not take registrations."))
    raise ValidationError(
        _(
            "The RSVP deadline has passed. Please contact the coordinators if you need to "
            "change your answer."
        )
    )


def _belongs_elsewhere(email: str, company: Company) -> bool:
    """The address is a contact or a login of another member company."""
    from members.models import CompanyMembership

    return (
        ContactPerson.objects.filter(email__iexact=email).exclude(company=company).exists()
        and not ContactPerson.objects.filter(email__iexact=email, company=company).exists()
    ) or CompanyMembership.objects.filter(user__email__iexact=email).exclude(
        company=company
    ).exists()


@transaction.atomic
def rsvp_answer(
    *,
    meeting: Meeting,
    company: Company,
    name: str,
    email: str,
    attending: bool,
    contact: ContactPerson | None = None,
    by_user=None,
) -> Registration:
    """Record a yes or no for one person of ``company``; a yes takes a seat or the waitlist.

    ``by_user``: the logged-in user who answered (for themselves or a colleague); without one,
    the person answered with the signed link from a mail.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    email = email.strip()
    # A contact's title, first and last name together can be longer than the column.
    name = name.strip()[: Registration._meta.get_field("name").max_length]
    # "of": the registrations' ordering joins their company, which a walk-in may lack.
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .filter(meeting=meeting, email__iexact=email)
        .first()
    )
    if registration is not None and registration.company_id != company.pk:
        if registration.is_attending:
            raise ValidationError(_("This person is already registered by another company."))
        # A declined or cancelled answer of another company does not keep the person out.
        registration.company = company
    if attending and not company.is_active_member:
        raise ValidationError(_("Only active member companies can register for meetings."))
    # By invitation only: a company not on the guest list neither registers nor answers; an
    # answer given before it left the list can still be taken back.
    if (attending or registration is None) and not company_is_invited(meeting, company):
        raise _not_invited(company)
    if attending and _belongs_elsewhere(email, company):
        raise ValidationError(
            _("This address belongs to another member company; that company registers it.")
        )
    old_status = registration.status if registration is not None else None
    who = (
        {"by_user": by_user}
        if by_user is not None
        else {"actor_label": email, "process": Process.LINK}
    )
    if attending:
        if registration is not None and registration.is_attending:
            return registration
        if not company_places_left(meeting, company):
            raise ValidationError(
                _("Each company can register at most %(limit)d people for this meeting.")
                % {"limit": meeting.per_company_limit}
            )
        status = (
            Registration.Status.CONFIRMED if free_seats(meeting) else Registration.Status.WAITLISTED
        )
        if registration is None:
            registration = Registration(meeting=meeting, email=email)
        registration.company = company
        registration.contact = contact or registration.contact
        registration.name = name
        registration.status = status
        registration.registered_by = by_user
        registration.waitlisted_at = (
            timezone.now() if status == Registration.Status.WAITLISTED else None
        )
        registration.save()
        log_activity(
            action="meetings.registration.registered",
            obj=registration,
            details={"status": [old_status, status]},
            **who,
        )
        if by_user is None or by_user.email.lower() != email.lower():
            # Someone else (a colleague, or a one-click link) answered: confirm by mail.
            _mail_registration(
                registration,
                event=f"registered-{registration.updated_at.timestamp():.0f}",
                template="meetings/emails/registered",
            )
        return registration

    was_seated = registration is not None and registration.status == Registration.Status.CONFIRMED
    if registration is None:
        registration = Registration(
            meeting=meeting, company=company, email=email, name=name, contact=contact
        )
    registration.status = Registration.Status.DECLINED
    registration.registered_by = by_user
    registration.waitlisted_at = None
    registration.save()
    promoted = _promote_waitlist(meeting) if was_seated else []
    if old_status != Registration.Status.DECLINED:
        details = {"status": [old_status, Registration.Status.DECLINED]}
        if promoted:
            details["promoted"] = len(promoted)
        log_activity(
            action="meetings.registration.declined", obj=registration, details=details, **who
        )
    return registration


def _give_up_place(meeting: Meeting, registration: Registration):
    """Cancel ``registration`` (both rows locked); a seat it held goes to the waitlist.
    Returns the old status and the registrations promoted."""
    old_status = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.waitlisted_at = None
    registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
    promoted = _promote_waitlist(meeting) if old_status == Registration.Status.CONFIRMED else []
    return old_status, promoted


@transaction.atomic
def registration_cancel(*, registration: Registration, by_user) -> Registration:
    """A company user takes back a colleague's registration; the seat goes to the waitlist."""
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    _check_open(meeting)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if not registration.is_attending:
        raise ValidationError(_("This registration is not active."))
    old_status, promoted = _give_up_place(meeting, registration)
    details = {"status": [old_status, Registration.Status.CANCELLED]}
    if promoted:
        details["promoted"] = len(promoted)
    log_activity(
        action="meetings.registration.cancelled",
        obj=registration,
        by_user=by_user,
        details=details,
    )
    return registration


@transaction.atomic
def check_in(*, registration: Registration, present: bool, by_user=None) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if present and registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(_("Only registered participants can be checked in."))
    if present == (registration.checked_in_at is not None):
        return registration  # nothing changes
    registration.checked_in_at = timezone.now() if present else None
    registration.save(update_fields=["checked_in_at", "updated_at"])
    log_activity(
        action="meetings.registration.checked_in"
        if present
        else "meetings.registration.check_in_undone",
        obj=registration,
        by_user=by_user,
    )
    return registration


# Meetings whose door is open: a walk-in can be recorded.
CHECK_IN_STATUSES = (Meeting.Status.PUBLISHED, Meeting.Status.HELD)


@transaction.atomic
def walk_in_add(
    *,
    meeting: Meeting,
    name: str,
    company: Company | None = None,
    company_name: str = "",
    email: str = "",
    by_user,
) -> Registration:
    """Someone who came without a seat, recorded at the door: seated and checked in at once
    (so counted as attended), marked as a walk-in; no mail goes out.

    ``company``: their member company; else ``company_name``, the name they gave. With the
    ``email`` of an earlier answer to this meeting (no, waitlist, cancelled), that answer
    becomes the seat; a seated person is simply checked in.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in CHECK_IN_STATUSES:
        raise ValidationError(_("Only a meeting that takes place has a check-in."))
    if timezone.localdate() < timezone.localdate(meeting.starts_at):
        # Before the day nobody stands at the door; a walk-in would take a seat meant for
        # the waitlist.
        raise ValidationError(_("Walk-ins are recorded on the day of the meeting."))
    name = " ".join(name.split())[: Registration._meta.get_field("name").max_length]
    email = email.strip()
    company_name = "" if company is not None else " ".join(company_name.split())
    if not name:
        raise ValidationError(_("Please enter the name."))
    if company is None and not company_name:
        raise ValidationError(_("Please choose the member company or enter the company's name."))
    registration = None
    if email:
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .filter(meeting=meeting, email__iexact=email)
            .first()
        )
    if registration is not None and registration.status == Registration.Status.CONFIRMED:
        return check_in(registration=registration, present=True, by_user=by_user)
    old_status = registration.status if registration is not None else None
    if registration is None:
        registration = Registration(meeting=meeting, email=email)
    registration.name = name
    registration.company = company
    registration.company_name = company_name
    if company is None or registration.contact_id and registration.contact.company_id != company.pk:
        registration.contact = None
    registration.status = Registration.Status.CONFIRMED
    registration.walk_in = True
    registration.waitlisted_at = None
    registration.checked_in_at = timezone.now()
    registration.registered_by = by_user
    registration.save()
    log_activity(
        action="meetings.registration.walked_in",
        obj=registration,
        by_user=by_user,
        details={"status": [old_status, Registration.Status.CONFIRMED]},
    )
    return registration


def write_reminders(*, now=None, process: str | None = None) -> list[int]:
    """Reminders due now: to participants N days before, and before the RSVP deadline to
    companies that have not answered at all. Keys make a second run write nothing. One log
    entry per meeting with reminders written (``process``: who runs it, beat)."""
    now = now or timezone.now()
    mail_ids = []
    meetings = Meeting.objects.filter(status=Meeting.Status.PUBLISHED, starts_at__gt=now)
    for meeting in meetings:
        with transaction.atomic():
            mail_ids += _write_meeting_reminders(meeting=meeting, now=now, process=process)
    return mail_ids


def _enqueue_answer_request(meeting: Meeting, contact: ContactPerson, *, key, template, context):
    """A mail ``meetings/emails/<template>`` asking ``contact``, invited and without an answer,
    to answer, with the buttons for it; written to the outbox (sent by the caller). None if
    ``key`` was written before."""
    recipient = _Recipient(email=contact.email, name=contact.letter_name, contact=contact)
    return mail_enqueue(
        key=key,
        to=contact.email,
        template=f"meetings/emails/{template}",
        context={**context, "recipient_name": recipient.name, **recipient.rsvp_links(meeting)},
        language=_language_of(contact),
        send=False,
    )


def _write_meeting_reminders(*, meeting: Meeting, now, process: str | None) -> list[int]:
    mail_ids, deadline_ids = [], []
    context = _meeting_context(meeting)
    written = keys_written(f"meeting:{meeting.pk}:")
    for days in sorted(set(meeting.reminder_days or []), reverse=True):
        due = meeting.starts_at - timedelta(days=days)
        # Only within a day after it is due: who registers later is not reminded late.
        if not (due <= now < due + timedelta(days=1)):
            continue
        seated = meeting.registrations.seated().exclude(email="")
        for registration in seated.select_related("contact__user"):
            key = f"meeting:{meeting.pk}:reminder-{days}d:registration:{registration.pk}"
            if key in written:
                continue
            mail = mail_enqueue(
                key=key,
                to=registration.email,
                template="meetings/emails/reminder",
                context={
                    **context,
                    "recipient_name": _greeting_name(registration),
                    "days": days,
                    "no_url": rsvp_url(meeting=meeting, attending=False, registration=registration),
                },
                language=_language_of(registration.contact),
                send=False,
            )
            if mail:
                mail_ids.append(mail.pk)
    deadline_due = meeting.rsvp_deadline - timedelta(days=settings.MEETING_DEADLINE_REMINDER_DAYS)
    if deadline_due <= now < meeting.rsvp_deadline:
        answered = meeting.registrations.values("company_id")
        for contact in _invited_contacts(meeting).exclude(company_id__in=answered):
            key = f"meeting:{meeting.pk}:deadline-reminder:contact:{contact.pk}"
            if key in written:
                continue
            mail = _enqueue_answer_request(
                meeting, contact, key=key, template="deadline_reminder", context=context
            )
            if mail:
                deadline_ids.append(mail.pk)
    if mail_ids or deadline_ids:
        details = {}
        if mail_ids:
            details["participant_reminders"] = len(mail_ids)
        if deadline_ids:
            details["deadline_reminders"] = len(deadline_ids)
        log_activity(
            action="meetings.meeting.reminders_written",
            obj=meeting,
            process=process,
            details=details,
        )
    return mail_ids + deadline_ids


def feedback_token(registration: Registration) -> str:
    return make_token(purpose=FEEDBACK_PURPOSE, payload={"r": registration.pk})


def feedback_url(registration: Registration) -> str:
    return absolute_url(reverse("meetings:feedback", args=[feedback_token(registration)]))


def write_feedback_requests(*, now=None, process: str | None = None) -> list[int]:
    """After a meeting (up to two weeks), ask each attendee once for feedback. One log entry
    per meeting with requests written (``process``: who runs it, beat)."""
    now = now or timezone.now()
    mail_ids = []
    meetings = Meeting.objects.filter(
        status__in=[Meeting.Status.PUBLISHED, Meeting.Status.HELD],
        ends_at__lt=now,
        ends_at__gte=now - timedelta(days=14),
    )
    for meeting in meetings:
        with transaction.atomic():
            mail_ids += _write_feedback_requests(meeting=meeting, process=process)
    return mail_ids


def _write_feedback_requests(*, meeting: Meeting, process: str | None) -> list[int]:
    mail_ids = []
    key_prefix = f"meeting:{meeting.pk}:feedback-request:"
    written = keys_written(key_prefix)
    for registration in attendees(meeting).exclude(email="").select_related("contact__user"):
        key = f"{key_prefix}registration:{registration.pk}"
        if key in written:
            continue
        mail = mail_enqueue(
            key=key,
            to=registration.email,
            template="meetings/emails/feedback_request",
            context={
                **_meeting_context(meeting),
                "recipient_name": _greeting_name(registration),
                "feedback_url": feedback_url(registration),
            },
            language=_language_of(registration.contact),
            send=False,
        )
        if mail:
            mail_ids.append(mail.pk)
    if mail_ids:
        log_activity(
            action="meetings.meeting.feedback_requested",
            obj=meeting,
            process=process,
            details={"recipients": len(mail_ids)},
        )
    return mail_ids


@transaction.atomic
def feedback_give(*, registration: Registration, rating: int, comment: str = "") -> Feedback:
    """The participant's rating and comment, from the signed link in the feedback request."""
    meeting = registration.meeting
    if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD):
        raise ValidationError(_("This meeting takes no feedback."))
    if not meeting.is_over:
        raise ValidationError(_("Feedback can be given after the meeting."))
    if not attendees(meeting).filter(pk=registration.pk).exists():
        raise ValidationError(_("Only participants of the meeting can give feedback."))
    if not 1 <= rating <= 5:
        raise ValidationError(_("Please rate from 1 to 5."))
    feedback, _created = Feedback.objects.update_or_create(
        registration=registration,
        defaults={"meeting": meeting, "rating": rating, "comment": comment},
    )
    log_activity(
        action="meetings.feedback.given",
        obj=feedback,
        actor_label=registration.email,
        process=Process.LINK,
        details={"rating": rating},
    )
    return feedback


def _require_active(company: Company | None) -> None:
    if company is None or not company.is_active_member:
        raise ValidationError(_("Only users of active member companies can do this."))


@transaction.atomic
def topic_propose(*, company: Company, user, title: str, description: str = "") -> TopicProposal:
    _require_active(company)
    proposal = TopicProposal.objects.create(
        company=company, proposed_by=user, title=title, description=description
    )
    TopicVote.objects.create(proposal=proposal, user=user)
    log_activity(action="meetings.topic.proposed", obj=proposal, by_user=user)
    return proposal


@transaction.atomic
def topic_vote(*, proposal: TopicProposal, user, company: Company, vote: bool) -> None:
    _require_active(company)
    if proposal.scheduled_meeting_id is not None:
        raise ValidationError(_("This topic is already on the agenda; voting has closed."))
    if vote:
        changed = TopicVote.objects.get_or_create(proposal=proposal, user=user)[1]
    else:
        changed = TopicVote.objects.filter(proposal=proposal, user=user).delete()[0] > 0
    if changed:
        log_activity(
            action="meetings.topic.voted" if vote else "meetings.topic.vote_withdrawn",
            obj=proposal,
            by_user=user,
        )


@transaction.atomic
def topic_schedule(*, proposal: TopicProposal, meeting: Meeting | None, by_user=None) -> None:
    """Link a proposal to the meeting where it is on the agenda, and tell the proposer."""
    if meeting is not None and meeting.status not in (
        Meeting.Status.PUBLISHED,
        Meeting.Status.HELD,
    ):
        raise ValidationError(
            _("Please link the topic once the meeting is published, so members can open it.")
        )
    proposal = TopicProposal.objects.select_for_update().get(pk=proposal.pk)
    proposal.scheduled_meeting = meeting
    proposal.save(update_fields=["scheduled_meeting"])
    if meeting is None:
        log_activity(action="meetings.topic.unscheduled", obj=proposal, by_user=by_user)
        return
    log_activity(
        action="meetings.topic.scheduled",
        obj=proposal,
        by_user=by_user,
        details={"meeting": str(meeting)},
    )
    if proposal.proposed_by is None:
        return
    mail_users(
        users=[proposal.proposed_by],
        key=f"topic:{proposal.pk}:scheduled:meeting:{meeting.pk}",
        template="meetings/emails/topic_scheduled",
        context={**_meeting_context(meeting), "topic_title": proposal.title},
    )


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """Give the user a personal feed with a new secret token; an old address stops working."""
    feed, _created = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": CalendarFeed.new_token()}
    )
    log_activity(action="meetings.calendar_feed.renewed", obj=feed, by_user=user)
    return feed


@transaction.atomic
def calendar_feed_delete(*, user) -> None:
    feed = CalendarFeed.objects.filter(user=user).first()
    if feed is None:
        return
    log_activity(action="meetings.calendar_feed.deleted", obj=feed, by_user=user)
    feed.delete()


# --- Late joiners, reminders and resends by hand ---------------------------------------------


def meetings_open_for_answers(*, now=None):
    """Published meetings whose RSVP deadline has not passed (``Meeting.is_open_for_answers``;
    the deadline is never after the start)."""
    now = now or timezone.now()
    return Meeting.objects.filter(status=Meeting.Status.PUBLISHED, rsvp_deadline__gte=now)


@transaction.atomic
def invite_newcomers(*, contacts, by_user=None, process: str | None = None) -> list[int]:
    """Invite contact persons who joined after a meeting was published (their company was
    approved or reactivated, or they were added to an active member company) to every meeting
    still open for answers; called through ``members.newcomers`` in the transaction of that
    change. Each person gets each invitation once (its key is the one publishing uses); who
    answered already, or does not want invitations, gets none. One log entry per meeting with
    invitations written."""
    pks = [contact.pk for contact in contacts]
    mail_ids = []
    if not eligible_contacts(wants_meeting_invitations=True).filter(pk__in=pks).exists():
        return mail_ids
    for meeting in meetings_open_for_answers().order_by("starts_at", "pk"):
        # Of the companies on its guest list, if it has one.
        invited = list(_invited_contacts(meeting).filter(pk__in=pks))
        answered = {
            email.lower() for email in meeting.registrations.values_list("email", flat=True)
        }
        newcomers = [contact for contact in invited if contact.email.lower() not in answered]
        written = _write_meeting_mails(meeting=meeting, kind="invitation", contacts=newcomers)
        if written:
            log_activity(
                action="meetings.meeting.newcomers_invited",
                obj=meeting,
                by_user=by_user,
                process=process,
                details={"recipients": len(written)},
            )
        mail_ids += written
    return mail_ids


def _today_key(prefix: str) -> str:
    return f"{prefix}-{timezone.localdate().isoformat()}"


def answer_reminder_prefix(meeting: Meeting) -> str:
    """The keys of today's reminders by hand to ``meeting``: one per person and day, so a
    second click (or a second coordinator) on the same day writes nothing twice."""
    return f"meeting:{meeting.pk}:{_today_key('answer-reminder')}:"


def answer_reminder_recipients(meeting: Meeting) -> tuple[list[ContactPerson], int]:
    """Who a reminder by hand reaches now: the people without an answer (the participant
    page's list) who have not been reminded today; and how many were reminded today already.
    Two queries."""
    written = keys_written(answer_reminder_prefix(meeting))
    prefix = answer_reminder_prefix(meeting)
    pending, reminded = [], 0
    for contact in non_responders(meeting):
        if f"{prefix}contact:{contact.pk}" in written:
            reminded += 1
        else:
            pending.append(contact)
    return pending, reminded


@transaction.atomic
def answer_reminders_send(*, meeting: Meeting, by_user) -> list[int]:
    """A coordinator reminds everyone invited who has not answered yet, now (the participant
    page, after a confirmation that names them and their number). Each person once a day;
    one log entry. Returns the ids of the mails written."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    recipients, _reminded = answer_reminder_recipients(meeting)
    if not recipients:
        raise ValidationError(
            _("Nobody is left to remind today: everyone has answered or was reminded today.")
        )
    prefix = answer_reminder_prefix(meeting)
    context = _meeting_context(meeting)
    mail_ids = []
    for contact in recipients:
        mail = _enqueue_answer_request(
            meeting,
            contact,
            key=f"{prefix}contact:{contact.pk}",
            template="answer_reminder",
            context=context,
        )
        if mail is not None:
            mail_ids.append(mail.pk)
    send_outbox()
    log_activity(
        action="meetings.meeting.answer_reminders_sent",
        obj=meeting,
        by_user=by_user,
        details={"recipients": len(mail_ids)},
    )
    return mail_ids


def invitation_resend_key(meeting: Meeting, contact: ContactPerson) -> str:
    """The key of today's resent invitation to ``contact``: once a day per person."""
    return f"meeting:{meeting.pk}:{_today_key('invitation-resent')}:contact:{contact.pk}"


@transaction.atomic
def invitation_resend(*, meeting: Meeting, contact: ContactPerson, by_user) -> int:
    """A coordinator sends the invitation to one person again (it got lost, they asked for
    it), from the participant page after a confirmation: the same mail with the calendar
    entry and the buttons to answer, to that person only, once a day. Returns the mail's id."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_open(meeting)
    if not company_is_invited(meeting, contact.company):
        raise ValidationError(
            _("%(company)s is not on the guest list of this event.")
            % {"company": contact.company.name}
        )
    invited = _invited_contacts(meeting).filter(pk=contact.pk).first()
    if invited is None:
        raise ValidationError(
            _("%(name)s does not receive invitations (no active member company, or switched off).")
            % {"name": contact.full_name}
        )
    written = _write_meeting_mails(
        meeting=meeting,
        kind="invitation",
        contacts=[invited],
        key_kind=_today_key("invitation-resent"),
    )
    if not written:
        raise ValidationError(
            _("The invitation was sent to %(name)s again today already.")
            % {"name": invited.full_name}
        )
    # About the person (erasing their data clears the entry's name), naming the meeting.
    log_activity(
        action="meetings.meeting.invitation_resent",
        obj=invited,
        by_user=by_user,
        details={"meeting": str(meeting)},
    )
    return written[0]


# --- Questions to the experts -----------------------------------------------------------------


def _check_questions_open(meeting: Meeting) -> None:
    if questions_open(meeting):
        return
    if not meeting.collects_questions or meeting.status != Meeting.Status.PUBLISHED:
        raise ValidationError(_("This meeting takes no questions for the experts."))
    raise ValidationError(
        _(
            "Questions can no longer be submitted or changed for this meeting: the "
            "questions have been passed on to the experts."
        )
    )


def _check_own_question(question: ExpertQuestion, by_user) -> None:
    """Only users of the asking company change or withdraw a question, and only before it
    went to the expert."""
    if active_company_of(by_user) != question.company:
        raise ValidationError(_("Only users of the asking company can change this question."))
    if question.sent_at is not None:
        raise ValidationError(
            _("This question has already been sent to the expert and can no longer be changed.")
        )


def _check_expert(meeting: Meeting, expert: ExpertGuest | None) -> None:
    if expert is not None and expert.meeting_id != meeting.pk:
        raise ValidationError(_("Please choose one of the experts of this meeting."))


@transaction.atomic
def question_submit(
    *,
    meeting: Meeting,
    company: Company,
    user,
    text: str,
    expert: ExpertGuest | None = None,
    show_company: bool = True,
) -> ExpertQuestion:
    """A member company's question to one expert of ``meeting`` (or to all of them, ``expert``
    None), while the meeting collects questions and has not started; only a company invited
    to it (on its guest list, or it has none) asks."""
    _require_active(company)
    _check_questions_open(meeting)
    if not company_is_invited(meeting, company):
        raise _not_invited(company)
    _check_expert(meeting, expert)
    question = ExpertQuestion.objects.create(
        meeting=meeting,
        expert=expert,
        company=company,
        asked_by=user,
        text=text.strip(),
        show_company=show_company,
    )
    log_activity(
        action="meetings.question.submitted",
        obj=question,
        by_user=user,
        details={"meeting": str(meeting)},
    )
    return question


def _lock_question(question: ExpertQuestion) -> ExpertQuestion:
    """Lock the question's meeting first (as :func:`questions_send` does), then the question:
    a change cannot slip in between the PDF to the expert and marking the questions sent."""
    list(Meeting.objects.select_for_update().filter(pk=question.meeting_id).values_list("pk"))
    return ExpertQuestion.objects.select_for_update().select_related("meeting").get(pk=question.pk)


@transaction.atomic
def question_update(
    *, question: ExpertQuestion, by_user, text: str, expert: ExpertGuest | None, show_company: bool
) -> ExpertQuestion:
    """The asking company changes its question (text, addressee, whether its name is shown)
    until it is sent to the expert."""
    question = _lock_question(question)
    _check_own_question(question, by_user)
    _check_questions_open(question.meeting)
    _check_expert(question.meeting, expert)
    changed = [
        name
        for name, value in (
            ("text", text.strip()),
            ("expert_id", expert.pk if expert else None),
            ("show_company", show_company),
        )
        if getattr(question, name) != value
    ]
    if not changed:
        return question
    question.text, question.expert, question.show_company = text.strip(), expert, show_company
    question.save(update_fields=["text", "expert", "show_company"])
    log_activity(
        action="meetings.question.changed",
        obj=question,
        by_user=by_user,
        details={"changed": [name.removesuffix("_id") for name in changed]},
    )
    return question


@transaction.atomic
def question_withdraw(*, question: ExpertQuestion, by_user) -> None:
    """The asking company takes its question back (deleted) until it is sent to the expert."""
    question = _lock_question(question)
    _check_own_question(question, by_user)
    _check_questions_open(question.meeting)
    log_activity(
        action="meetings.question.withdrawn",
        obj=question,
        by_user=by_user,
        details={"meeting": str(question.meeting)},
    )
    question.delete()


def questions_pdf(*, meeting: Meeting, expert: ExpertGuest, questions) -> bytes:
    """The questions for ``expert`` as a tagged PDF: the asking company named only where it
    allowed it."""
    from network_portal.pdf import render_pdf

    return render_pdf(
        template="meetings/pdf/expert_questions.html",
        context={
            "meeting": meeting,
            "expert": expert,
            "to_expert": [q for q in questions if q.expert_id == expert.pk],
            "to_all": [q for q in questions if q.expert_id is None],
            "printed_at": timezone.now(),
        },
        tagged=True,
    )


@transaction.atomic
def questions_send(*, meeting: Meeting, expert: ExpertGuest, by_user) -> list[ExpertQuestion]:
    """Send ``expert`` the questions they have not received yet (those to them and those to all
    experts) as one mail with a PDF; the questions can no longer be changed afterwards. Returns
    the questions sent."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    expert = ExpertGuest.objects.select_for_update().get(pk=expert.pk, meeting=meeting)
    if meeting.status not in (Meeting.Status.PUBLISHED, Meeting.Status.HELD):
        raise ValidationError(_("Questions are only sent for a published meeting."))
    questions = list(
        questions_to_send(meeting, expert).select_related("company").select_for_update(of=("self",))
    )
    if not questions:
        raise ValidationError(
            _("%(expert)s has received every question already.") % {"expert": expert.name}
        )
    now = timezone.now()
    pdf = questions_pdf(meeting=meeting, expert=expert, questions=questions)
    mail_enqueue(
        key=f"meeting:{meeting.pk}:questions:expert:{expert.pk}:{now:%Y%m%d%H%M%S%f}",
        to=expert.email,
        template="meetings/emails/expert_questions",
        context={
            **_meeting_context(meeting),
            "recipient_name": expert.name,
            "expert_name": expert.name,
            "question_count": len(questions),
        },
        language=settings.LANGUAGE_CODE,
        attachments=[
            binary_attachment(
                filename=f"fragen-{meeting.slug}.pdf", content=pdf, mimetype="application/pdf"
            )
        ],
    )
    # A question to all experts keeps the moment it first went out (questions_to_send).
    ExpertQuestion.objects.filter(pk__in=[q.pk for q in questions], sent_at__isnull=True).update(
        sent_at=now
    )
    expert.questions_sent_at = now
    expert.save(update_fields=["questions_sent_at"])
    log_activity(
        action="meetings.question.sent",
        obj=expert,
        by_user=by_user,
        details={"meeting": str(meeting), "questions": len(questions)},
    )
    return questions


@transaction.atomic
def question_answer(*, question: ExpertQuestion, answer: str, by_user) -> ExpertQuestion:
    """A coordinator records the expert's answer; the question counts as answered (the
    dossier after the meeting shows it)."""
    question = ExpertQuestion.objects.select_for_update().get(pk=question.pk)
    answer = answer.strip()
    if not answer:
        raise ValidationError(_("Please enter the answer."))
    question.answer = answer
    if question.answered_at is None:
        question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_at"])
    log_activity(action="meetings.question.answered", obj=question, by_user=by_user)
    return question


# --- The dossier after a meeting ("Nachlese") ------------------------------------------------

# A dossier is published for a meeting that took place: neither a draft nor a cancelled one.
DOSSIER_STATUSES = (Meeting.Status.PUBLISHED, Meeting.Status.HELD)


def _dossier_content(meeting: Meeting) -> dict:
    """What the dossier of ``meeting`` holds: ``minutes`` (written or not), the number of
    ``materials`` and of answered ``questions``."""
    return {
        "minutes": bool(meeting.minutes.strip()),
        "materials": meeting.materials.count(),
        "questions": answered_questions(meeting).count(),
    }


def _check_dossier_publishable(meeting: Meeting) -> dict:
    """Refuse what cannot be published (with the reason); else what the dossier holds."""
    if meeting.status not in DOSSIER_STATUSES:
        raise ValidationError(_("A dossier is published only for a meeting that took place."))
    if not meeting.is_over:
        raise ValidationError(_("The dossier can be published once the meeting has ended."))
    if meeting.dossier_published_at is not None:
        raise ValidationError(
            _(
                "The dossier was published on %(date)s and its mail has gone out; nobody gets "
                "it twice. Corrections of the minutes appear on the dossier page at once."
            )
            % {"date": formats.date_format(timezone.localtime(meeting.dossier_published_at))}
        )
    content = _dossier_content(meeting)
    if not any(content.values()):
        raise ValidationError(
            _(
                "The dossier is still empty: please write the short minutes, upload materials "
                "or answer the questions to the experts first."
            )
        )
    return content


def dossier_on_publish(*, meeting: Meeting) -> dict:
    """What publishing the dossier of ``meeting`` would publish and send now, for its
    confirmation page: what it holds (``minutes`` written or not, the number of ``materials``
    and of answered ``questions``) and whom it reaches
    (:func:`meetings.selectors.dossier_reach`: ``mails``, ``companies``,
    ``companies_absent``). Raises the ValidationError publishing would raise; writes nothing."""
    return {**_check_dossier_publishable(meeting), **dossier_reach(meeting)}


def dossier_url(meeting: Meeting) -> str:
    """The dossier page's address, as the mails link it (members log in to read it)."""
    return absolute_url(reverse("meetings:dossier", args=[meeting.slug]))


@transaction.atomic
def dossier_publish(*, meeting: Meeting, by_user=None) -> list[int]:
    """Publish the dossier of a meeting that took place (short minutes, materials, the answered
    questions to the experts): members see it on its page, and everyone of
    :func:`meetings.selectors.dossier_recipients` gets one mail with the link, whether they
    came or not (the mail says which). Once only: a second call is refused, and the outbox
    keys (``meeting:<pk>:dossier:contact:<pk>`` or ``…:registration:<pk>``) write nobody's
    mail twice. Corrections of
    the minutes afterwards are saved with the meeting (the admin's change, in its history)
    and send nothing. Returns the ids of the mails written."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    content = _check_dossier_publishable(meeting)
    meeting.dossier_published_at = timezone.now()
    meeting.save(update_fields=["dossier_published_at"])
    recipients = dossier_recipients(meeting)
    prefix = f"meeting:{meeting.pk}:dossier:"
    written = keys_written(prefix)
    context = {
        **_meeting_context(meeting),
        "dossier_url": dossier_url(meeting),
        "has_minutes": content["minutes"],
        "materials": content["materials"],
        "questions": content["questions"],
    }
    mail_ids = []
    with mail_texts.batch():
        for recipient in recipients:
            key = f"{prefix}{recipient.key}"
            if key in written:
                continue
            mail = mail_enqueue(
                key=key,
                to=recipient.email,
                template="meetings/emails/dossier",
                context={
                    **context,
                    "recipient_name": recipient.name,
                    "attended": recipient.attended,
                    "company_attended": recipient.company_attended,
                },
                language=_language_of(recipient.contact),
                send=False,
            )
            if mail is not None:
                mail_ids.append(mail.pk)
    send_outbox()
    log_activity(
        action="meetings.meeting.dossier_published",
        obj=meeting,
        by_user=by_user,
        details={
            "recipients": len(mail_ids),
            "companies_absent": len(
                {r.company_id for r in recipients if r.company_id and not r.company_attended}
            ),
            "minutes": "yes" if content["minutes"] else "no",
            "materials": content["materials"],
            "questions": content["questions"],
        },
    )
    return mail_ids


# --- Speakers from the member companies (issue 16) ------------------------------------------

SPEAKER_PURPOSE = "speaker-request"
# A link is checked against the meeting's start; the signature itself may be a year old.
SPEAKER_LINK_MAX_AGE = 366 * 24 * 3600
# Where an accepted contribution goes on the agenda: after the last item, this much later.
AGENDA_STEP = timedelta(minutes=30)


def speaker_request_token(speaker_request: SpeakerRequest, *, accept: bool) -> str:
    return make_token(
        purpose=SPEAKER_PURPOSE, payload={"s": speaker_request.pk, "a": 1 if accept else 0}
    )


def speaker_request_url(speaker_request: SpeakerRequest, *, accept: bool) -> str:
    token = speaker_request_token(speaker_request, accept=accept)
    return absolute_url(reverse("meetings:speaker_answer", args=[token]))


def speaker_request_refusal(speaker_request: SpeakerRequest) -> str:
    """Why ``speaker_request`` can no longer be answered ("" while it can): the page of the
    link says it, and :func:`speaker_request_answer` refuses with it."""
    meeting = speaker_request.meeting
    status = speaker_request.status
    if status == SpeakerRequest.Status.ACCEPTED:
        return _(
            "You have already accepted this request, thank you! Your contribution is on the "
            "agenda; the coordination team will be in touch about the details."
        )
    if status == SpeakerRequest.Status.DECLINED:
        return _(
            "You have already declined this request. If you have changed your mind, please "
            "contact the coordination team."
        )
    if status == SpeakerRequest.Status.WITHDRAWN:
        return _("The coordination team has withdrawn this request; there is nothing to do.")
    if meeting.status == Meeting.Status.CANCELLED:
        return _("The meeting has been cancelled; the request can no longer be answered.")
    if meeting.starts_at <= timezone.now() or meeting.status == Meeting.Status.HELD:
        return _("The meeting has already begun; the request can no longer be answered.")
    return ""


def _require_open_meeting_for_speakers(meeting: Meeting) -> None:
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        raise ValidationError(_("Speakers can only be asked for a meeting that is planned."))
    if meeting.starts_at <= timezone.now():
        raise ValidationError(_("The meeting has already begun; nobody can be asked to speak."))


def _next_agenda_time(meeting: Meeting):
    """Where a new contribution goes: after the agenda's last item (its time plus
    ``AGENDA_STEP``, on the same day), or at the meeting's start. Coordinators adjust it."""
    start = timezone.localtime(meeting.starts_at)
    last = meeting.agenda_items.order_by("-starts_at", "-pk").first()
    if last is None:
        return start.time().replace(second=0, microsecond=0)
    later = datetime.combine(start.date(), last.starts_at) + AGENDA_STEP
    return later.time() if later.date() == start.date() else last.starts_at


@transaction.atomic
def speaker_request_create(
    *,
    meeting: Meeting,
    contact: ContactPerson,
    talk_title: str,
    message: str = "",
    offer: ExpertiseOffer | None = None,
    topic_proposal: TopicProposal | None = None,
    by_user,
) -> SpeakerRequest:
    """A coordinator asks ``contact`` of a member company to speak at ``meeting`` (found
    through the company's ``offer``, maybe for a ``topic_proposal``): the contact gets a mail
    with a link to accept and one to decline, valid until the meeting begins."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open_meeting_for_speakers(meeting)
    company = contact.company
    if not company.is_active_member:
        raise ValidationError(_("Only contact persons of active member companies can be asked."))
    if offer is not None and offer.company_id != company.pk:
        raise ValidationError(_("The contact person does not belong to the offering company."))
    earlier = set(
        SpeakerRequest.objects.filter(
            meeting=meeting,
            contact=contact,
            status__in=[SpeakerRequest.Status.PENDING, SpeakerRequest.Status.ACCEPTED],
        ).values_list("status", flat=True)
    )
    if SpeakerRequest.Status.ACCEPTED in earlier:
        raise ValidationError(
            _("%(name)s has already agreed to speak at this meeting.") % {"name": contact.full_name}
        )
    if earlier:
        raise ValidationError(
            _("%(name)s has already been asked for this meeting and has not answered yet.")
            % {"name": contact.full_name}
        )
    speaker_request = SpeakerRequest.objects.create(
        meeting=meeting,
        topic_proposal=topic_proposal,
        offer=offer,
        company=company,
        contact=contact,
        talk_title=talk_title.strip(),
        message=message.strip(),
        requested_by=by_user,
    )
    log_activity(
        action="meetings.speaker_request.sent",
        obj=speaker_request,
        by_user=by_user,
        details={"meeting": str(meeting), "company": company.name},
    )
    mail_enqueue(
        key=f"speaker-request:{speaker_request.pk}:asked",
        to=contact.email,
        template="meetings/emails/speaker_request",
        context={
            **_meeting_context(meeting),
            "recipient_name": contact.letter_name,
            "company_name": company.name,
            "talk_title": speaker_request.talk_title,
            "personal_message": speaker_request.message,
            "topic_title": topic_proposal.title if topic_proposal else "",
            "requester_name": by_user.get_full_name() or by_user.email,
            "accept_url": speaker_request_url(speaker_request, accept=True),
            "decline_url": speaker_request_url(speaker_request, accept=False),
        },
        language=_language_of(contact),
    )
    return speaker_request


def _tell_coordinators(speaker_request: SpeakerRequest, *, event: str, template: str) -> None:
    """The coordinator who asked hears of the answer (the office, where that login is gone)."""
    meeting = speaker_request.meeting
    context = {
        **_meeting_context(meeting),
        "company_name": speaker_request.company.name,
        "speaker_name": speaker_request.contact.full_name,
        "talk_title": speaker_request.talk_title,
        "accepted": speaker_request.status == SpeakerRequest.Status.ACCEPTED,
        "admin_url": absolute_url(reverse("admin:meetings_meeting_change", args=[meeting.pk])),
    }
    key = f"speaker-request:{speaker_request.pk}:{event}"
    requester = speaker_request.requested_by
    if requester is not None and requester.is_active:
        mail_users(users=[requester], key=key, template=template, context=context)
    else:
        mail_enqueue(
            key=f"{key}:office",
            to=office().email,
            template=template,
            context=context,
            language=settings.LANGUAGE_CODE,
        )


@transaction.atomic
def speaker_request_answer(
    *, speaker_request: SpeakerRequest, accept: bool, by_user=None
) -> SpeakerRequest:
    """The asked person answers through the signed link (``by_user`` None) or a coordinator
    records the answer given otherwise. Accepting puts the contribution on the meeting's
    agenda (after its last item; coordinators adjust the time) with the person as speaker;
    either way the coordinator who asked is told by mail. Refused once answered, withdrawn,
    or when the meeting has begun (:func:`speaker_request_refusal`). The meeting is locked
    first: two accepting at once get one agenda time each."""
    list(
        Meeting.objects.select_for_update()
        .filter(pk__in=SpeakerRequest.objects.filter(pk=speaker_request.pk).values("meeting_id"))
        .values_list("pk")
    )
    speaker_request = (
        SpeakerRequest.objects.select_for_update(of=("self",))
        .select_related("meeting", "contact", "company", "requested_by")
        .get(pk=speaker_request.pk)
    )
    refusal = speaker_request_refusal(speaker_request)
    if refusal:
        raise ValidationError(refusal)
    meeting = speaker_request.meeting
    if accept:
        speaker_request.agenda_item = AgendaItem.objects.create(
            meeting=meeting,
            starts_at=_next_agenda_time(meeting),
            title=speaker_request.talk_title,
            speaker_contact=speaker_request.contact,
        )
        speaker_request.status = SpeakerRequest.Status.ACCEPTED
    else:
        speaker_request.status = SpeakerRequest.Status.DECLINED
    speaker_request.answered_at = timezone.now()
    speaker_request.save(update_fields=["status", "agenda_item", "answered_at"])
    who = (
        {"by_user": by_user}
        if by_user is not None
        else {"actor_label": speaker_request.contact.email, "process": Process.LINK}
    )
    log_activity(
        action=(
            "meetings.speaker_request.accepted" if accept else "meetings.speaker_request.declined"
        ),
        obj=speaker_request,
        details={"meeting": str(meeting), "company": speaker_request.company.name},
        **who,
    )
    _tell_coordinators(
        speaker_request, event="answered", template="meetings/emails/speaker_answered"
    )
    return speaker_request


@transaction.atomic
def speaker_request_withdraw(*, speaker_request: SpeakerRequest, by_user) -> SpeakerRequest:
    """A coordinator takes back a request not answered yet (another speaker found, the topic
    moved): its links stop working, and the asked person is told by mail."""
    speaker_request = (
        SpeakerRequest.objects.select_for_update(of=("self",))
        .select_related("meeting", "contact", "company")
        .get(pk=speaker_request.pk)
    )
    if speaker_request.status != SpeakerRequest.Status.PENDING:
        raise ValidationError(_("Only a request that has not been answered can be withdrawn."))
    speaker_request.status = SpeakerRequest.Status.WITHDRAWN
    speaker_request.save(update_fields=["status"])
    log_activity(
        action="meetings.speaker_request.withdrawn",
        obj=speaker_request,
        by_user=by_user,
        details={
            "meeting": str(speaker_request.meeting),
            "company": speaker_request.company.name,
        },
    )
    contact = speaker_request.contact
    mail_enqueue(
        key=f"speaker-request:{speaker_request.pk}:withdrawn",
        to=contact.email,
        template="meetings/emails/speaker_withdrawn",
        context={
            **_meeting_context(speaker_request.meeting),
            "recipient_name": contact.letter_name,
            "talk_title": speaker_request.talk_title,
        },
        language=_language_of(contact),
    )
    return speaker_request


# --- Guests of an event by invitation (``meetings.kinds``) ------------------------------------


def guests_to_take(*, meeting: Meeting, group_key: str) -> tuple[CompanyGroup, list[Company]]:
    """The group of companies ``group_key`` names (``network_portal.company_groups``, e.g. the
    seal holders of a cycle) and those of its active member companies not yet on the guest
    list of ``meeting``: what :func:`meeting_guests_take` would add (its confirmation page
    names them). Writes nothing."""
    group = company_group(group_key)
    if group is None:
        raise ValidationError(_("This group of companies does not exist (any more)."))
    already = meeting.invited_companies.values("pk")
    companies = group.companies().filter(status=Company.Status.ACTIVE).exclude(pk__in=already)
    return group, list(companies)


@transaction.atomic
def meeting_guests_take(*, meeting: Meeting, group_key: str, by_user) -> list[Company]:
    """Put the companies of a group (the seal holders of a cycle for their award ceremony) on
    the guest list of ``meeting``; those on it stay. A published meeting still open for answers
    invites the new guests' contacts at once (the keys publishing uses). One log entry
    naming the group and the companies. Returns the companies added."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in (Meeting.Status.DRAFT, Meeting.Status.PUBLISHED):
        raise ValidationError(_("Guests can only be added to a planned event."))
    group, companies = guests_to_take(meeting=meeting, group_key=group_key)
    if not companies:
        raise ValidationError(
            _("Every company of “%(group)s” is on the guest list already.") % {"group": group.label}
        )
    # An event open to all member companies until now invites only its guests from now on.
    dropped = companies_dropped_by_guest_list(meeting=meeting, guests=companies)
    meeting.invited_companies.add(*companies)
    mail_ids = _invite_guests(meeting, companies)
    details = {
        "group": str(group.label),
        "companies": [company.name for company in companies],
        "recipients": len(mail_ids),
    }
    if dropped:
        details["dropped"] = len(dropped)
        details["dropped_registered"] = sum(company.registered for company in dropped)
    log_activity(
        action="meetings.meeting.guests_taken", obj=meeting, by_user=by_user, details=details
    )
    return companies


def _invite_guests(meeting: Meeting, companies) -> list[int]:
    """The invitations of ``meeting`` to the contacts of ``companies`` (guests just added)
    who have no answer yet, if it is published and open for answers."""
    if not companies or not meeting.is_open_for_answers:
        return []
    answered = meeting.registrations.values("email")
    contacts = (
        _invited_contacts(meeting)
        .filter(company__in=[company.pk for company in companies])
        .exclude(email__in=answered)
    )
    return _write_meeting_mails(meeting=meeting, kind="invitation", contacts=list(contacts))
