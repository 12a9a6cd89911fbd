"""Every state change of the cooperation board.

Bookings lock the project row (``SELECT … FOR UPDATE``), so two companies booking the last
places at the same moment are served one after the other: what is free is booked, the rest
waits. Cancelled places go to the waitlist in its order, with a mail to each company that
moves up. Mails go through the outbox with one key per project, purpose and recipient; every
change leaves one activity log entry, and each booking moved up from the waitlist one more
(actions in ``cooperation/activity.py``).
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import Company
from network_portal.activity import log_activity
from network_portal.mail import mail_enqueue, mail_users, send_outbox
from network_portal.signing import absolute_url

from .models import Booking, Interest, Message, Participant, Project
from .selectors import company_users, free_places, message_recipients

# What the owner of a project may set on the board (the coordinators' admin form too).
PROJECT_FIELDS = (
    "kind",
    "title",
    "description",
    "contact_name",
    "contact_email",
    "contact_phone",
    "total_places",
    "max_places_per_company",
    "total_cost",
    "starts_on",
    "schedule",
)
# What may no longer change once a project runs or is completed: the companies have
# booked and pay by these figures.
FIXED_ONCE_RUNNING = ("total_places", "total_cost")
# While a project is planned or open, places freed move the waitlist up.
PROMOTING_STATUSES = (Project.Status.PLANNING, Project.Status.OPEN)


def _require_active(company: Company | None) -> None:
    if company is None or not company.is_active_member:
        raise ValidationError(_("Only users of active member companies can do this."))


def _project_url(project: Project) -> str:
    return absolute_url(reverse("cooperation:detail", args=[project.pk]))


def _check_places(project: Project) -> None:
    """The places must hold the bookings made; a limit per company needs places."""
    if project.max_places_per_company is not None and project.total_places is None:
        raise ValidationError(_("A limit per company needs a number of places."))
    if project.pk is None:
        return
    booked = sum(project.bookings.values_list("places", flat=True))
    if booked and (project.total_places or 0) < booked:
        raise ValidationError(
            _("%(n)d places are booked already; the project needs at least as many places.")
            % {"n": booked}
        )


def check_fixed_once_running(*, project: Project, values: dict) -> None:
    """Refuse new places or a new cost for a project that runs or is completed (``project``
    as stored, ``values`` the new ones by field name)."""
    if project.pk is None or project.status in PROMOTING_STATUSES:
        return
    if any(
        name in values and values[name] != getattr(project, name) for name in FIXED_ONCE_RUNNING
    ):
        raise ValidationError(
            _(
                "The project is running or completed: its places and its total cost can no "
                "longer be changed."
            )
        )


@transaction.atomic
def project_propose(*, company: Company, by_user, **fields) -> Project:
    """A member company proposes a project; it owns it, and it starts in planning."""
    _require_active(company)
    project = Project(company=company, proposed_by=by_user, status=Project.Status.PLANNING)
    for name in PROJECT_FIELDS:
        if name in fields:
            setattr(project, name, fields[name])
    _check_places(project)
    project.full_clean()
    project.save()
    log_activity(action="cooperation.project.proposed", obj=project, by_user=by_user)
    return project


def _promote_waitlist(project: Project, *, by_user) -> list[tuple[Booking, int]]:
    """Move waiting places up in the waitlist's order while places are free, with a mail to
    each company that gets places and a log entry for each booking. Companies that are no
    longer active members get no places; they keep waiting. The project row must be locked.
    Returns (booking, places moved up) pairs."""
    if not project.has_places or project.status not in PROMOTING_STATUSES:
        return []
    free = free_places(project)
    promoted = []
    waiting = project.bookings.waiting().select_related("company").select_for_update(of=("self",))
    for booking in waiting:
        if free <= 0:
            break
        if not booking.company.is_active_member:
            continue
        old = (booking.places, booking.waiting_places)
        moved = min(free, booking.waiting_places)
        booking.places += moved
        booking.waiting_places -= moved
        if not booking.waiting_places:
            booking.waitlisted_at = None
        booking.save(update_fields=["places", "waiting_places", "waitlisted_at", "updated_at"])
        free -= moved
        promoted.append((booking, moved))
        entry = log_activity(
            action="cooperation.booking.promoted",
            obj=booking,
            by_user=by_user,
            details={
                "places": [old[0], booking.places],
                "waiting_places": [old[1], booking.waiting_places],
            },
        )
        _mail_promoted(booking, moved, event=entry.pk)
    return promoted


def _mail_promoted(booking: Booking, moved: int, *, event: int) -> None:
    """``event``: the promotion's log entry, which makes the key one per promotion."""
    project = booking.project
    mail_users(
        users=company_users(booking.company),
        key=f"cooperation:project:{project.pk}:booking:{booking.pk}:promoted:{event}",
        template="cooperation/emails/promoted",
        context={
            "project_title": project.title,
            "company_name": booking.company.name,
            "moved": moved,
            "places": booking.places,
            "waiting_places": booking.waiting_places,
            "cost_share": booking.cost_share,
            "project_url": _project_url(project),
        },
    )


@transaction.atomic
def project_save(
    *, project: Project, by_user, changed=(), fields: tuple[str, ...] = PROJECT_FIELDS
) -> Project:
    """Save a new project of the coordinators or a change of the owner or the coordinators
    (their forms have set ``fields`` on ``project``). A change takes only those fields onto
    the stored project, so what changed meanwhile (its status) stays. Places and cost stay
    fixed once the project runs; more places move the waitlist up while it is planned or
    open."""
    if project.pk is None:
        _check_places(project)
        project.full_clean()
        project.save()
        log_activity(action="cooperation.project.created", obj=project, by_user=by_user)
        return project
    stored = Project.objects.select_for_update().get(pk=project.pk)
    values = {name: getattr(project, name) for name in fields}
    check_fixed_once_running(project=stored, values=values)
    for name, value in values.items():
        setattr(stored, name, value)
    project = stored
    _check_places(project)
    project.full_clean()
    project.save(update_fields=[*fields, "updated_at"])
    details = {"changed": sorted(changed)}
    promoted = _promote_waitlist(project, by_user=by_user)
    if promoted:
        details["promoted"] = sum(moved for _booking, moved in promoted)
    log_activity(
        action="cooperation.project.changed", obj=project, by_user=by_user, details=details
    )
    return project


@transaction.atomic
def project_set_status(*, project: Project, status: str, by_user) -> Project:
    """Take the project one step (``Project.TRANSITIONS``)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    old = project.status
    if status not in project.next_statuses:
        raise ValidationError(
            _("A project that is “%(old)s” cannot become “%(new)s”.")
            % {"old": project.get_status_display(), "new": Project.Status(status).label}
        )
    if (
        status == Project.Status.OPEN
        and project.kind == Project.Kind.LANGUAGE_COURSE
        and not project.has_places
    ):
        raise ValidationError(
            _("Please set the number of places before opening the course for bookings.")
        )
    project.status = status
    project.save(update_fields=["status", "updated_at"])
    log_activity(
        action="cooperation.project.status_changed",
        obj=project,
        by_user=by_user,
        details={"status": [old, status]},
    )
    return project


@transaction.atomic
def interest_mark(*, project: Project, company: Company, by_user) -> Interest:
    _require_active(company)
    if project.status == Project.Status.COMPLETED:
        raise ValidationError(_("This project is completed."))
    interest, created = Interest.objects.get_or_create(
        project=project, company=company, defaults={"marked_by": by_user}
    )
    if created:
        log_activity(action="cooperation.interest.marked", obj=project, by_user=by_user)
    return interest


@transaction.atomic
def interest_withdraw(*, project: Project, company: Company, by_user) -> None:
    _require_active(company)
    if Interest.objects.filter(project=project, company=company).delete()[0]:
        log_activity(action="cooperation.interest.withdrawn", obj=project, by_user=by_user)


@transaction.atomic
def booking_book(*, project: Project, company: Company, places: int, by_user) -> Booking:
    """Book ``places`` more places for ``company``. What is free is booked; the rest goes on
    the waitlist behind those already waiting. A company holds at most the project's limit
    per company, booked and waiting together; a company already waiting asks for more only
    once its waiting places have moved up or are given back (so it never passes the
    companies that started waiting after it)."""
    _require_active(company)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project.takes_bookings:
        raise ValidationError(_("This project does not take bookings."))
    if places < 1:
        raise ValidationError(_("Please book at least one place."))
    booking, _created = Booking.objects.select_for_update().get_or_create(
        project=project, company=company, defaults={"booked_by": by_user}
    )
    held = booking.places + booking.waiting_places
    limit = project.company_limit
    if held + places > limit:
        raise ValidationError(
            _(
                "Each company can hold at most %(limit)d places on this project; yours holds "
                "%(held)d already."
            )
            % {"limit": limit, "held": held}
        )
    if booking.waiting_places:
        # More places would keep the company's early place in the waitlist's order and pass
        # the companies that started waiting since.
        raise ValidationError(
            ngettext(
                "Your company is waiting for %(n)d place already. You can ask for more places "
                "once it has moved up or you have given it back.",
                "Your company is waiting for %(n)d places already. You can ask for more places "
                "once they have moved up or you have given them back.",
                booking.waiting_places,
            )
            % {"n": booking.waiting_places}
        )
    old = (booking.places, booking.waiting_places)
    # Nobody jumps the waitlist: with companies waiting, no place is free for newcomers.
    # (Companies no longer active wait without moving up: they hold back nobody.)
    waiting = project.bookings.waiting().filter(company__status=Company.Status.ACTIVE)
    free = 0 if waiting.exists() else free_places(project)
    seated = min(free, places)
    booking.places += seated
    if places - seated:
        booking.waiting_places += places - seated
        booking.waitlisted_at = timezone.now()
    booking.booked_by = by_user
    booking.save()
    log_activity(
        action="cooperation.booking.booked",
        obj=booking,
        by_user=by_user,
        details={
            "places": [old[0], booking.places],
            "waiting_places": [old[1], booking.waiting_places],
        },
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, places: int, by_user) -> Booking:
    """Give back ``places`` of the company's places: places on the waitlist first, then
    booked ones, which move the waitlist up in its order."""
    project = Project.objects.select_for_update().get(pk=booking.project_id)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if project.status not in (Project.Status.PLANNING, Project.Status.OPEN):
        raise ValidationError(
            _("The course is running or completed; please ask the project's owner.")
        )
    held = booking.places + booking.waiting_places
    if places < 1 or places > held:
        raise ValidationError(_("Please give back between 1 and %(held)d places.") % {"held": held})
    old = (booking.places, booking.waiting_places)
    from_waitlist = min(places, booking.waiting_places)
    booking.waiting_places -= from_waitlist
    booking.places -= places - from_waitlist
    if not booking.waiting_places:
        booking.waitlisted_at = None
    booking.save(update_fields=["places", "waiting_places", "waitlisted_at", "updated_at"])
    # Participants beyond the places left are the company's to name again.
    surplus = booking.participants.count() - booking.places
    if surplus > 0:
        extra = booking.participants.order_by("-pk").values_list("pk", flat=True)[:surplus]
        Participant.objects.filter(pk__in=list(extra)).delete()
    promoted = _promote_waitlist(project, by_user=by_user) if booking.places < old[0] else []
    details = {
        "places": [old[0], booking.places],
        "waiting_places": [old[1], booking.waiting_places],
    }
    if promoted:
        details["promoted"] = sum(moved for _booking, moved in promoted)
    log_activity(
        action="cooperation.booking.cancelled", obj=booking, by_user=by_user, details=details
    )
    return booking


@transaction.atomic
def attendance_record(*, booking: Booking, participants: list[tuple[str, bool]], by_user):
    """Record who of the company took part (name, attended), replacing what was recorded."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    participants = [
        (name.strip(), bool(attended)) for name, attended in participants if name.strip()
    ]
    if len(participants) > booking.places:
        raise ValidationError(
            _("The company booked %(n)d places; please name at most as many participants.")
            % {"n": booking.places}
        )
    booking.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(booking=booking, name=name, attended=attended)
        for name, attended in participants
    )
    log_activity(
        action="cooperation.booking.attendance_recorded",
        obj=booking,
        by_user=by_user,
        details={
            "participants": len(participants),
            "attended": sum(1 for _name, attended in participants if attended),
        },
    )
    return booking


@transaction.atomic
def message_send(
    *, project: Project, subject: str, text: str, by_user, token: uuid.UUID | None = None
) -> Message:
    """Write to the companies interested in the project: one mail per address of their users
    and contact persons, each once per message. ``token``: the confirmation form's one-time
    token; a message already sent with it is returned and nothing is sent again (a double
    click)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if token is not None:
        sent = Message.objects.filter(project=project, token=token).first()
        if sent is not None:
            return sent
    recipients = message_recipients(project)
    if not recipients:
        raise ValidationError(_("No company has said it is interested yet."))
    message = Message.objects.create(
        project=project,
        subject=subject,
        text=text,
        sent_by=by_user,
        token=token,
        companies=len({recipient.company_id for recipient in recipients}),
        recipients=len(recipients),
    )
    # Rendered in each recipient's language: the template names the coordinators.
    owner_name = project.company.name if project.company_id else ""
    for recipient in recipients:
        mail_enqueue(
            key=f"cooperation:project:{project.pk}:message:{message.pk}:to:{recipient.email.lower()}",
            to=recipient.email,
            template="cooperation/emails/message",
            context={
                "recipient_name": recipient.name,
                "project_title": project.title,
                "owner_name": owner_name,
                "message_subject": subject,
                "message_text": text,
                "project_url": _project_url(project),
            },
            language=recipient.language,
            send=False,
        )
    send_outbox()
    log_activity(
        action="cooperation.project.message_sent",
        obj=project,
        by_user=by_user,
        details={
            "subject": subject,
            "companies": message.companies,
            "recipients": message.recipients,
        },
    )
    return message
