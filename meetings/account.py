"""meetings' part of a person's own account (see ``accounts.account_parts``): their
registrations for the coming meetings follow a new login address, so reminders and updates
reach it; when the account is deleted, their places at coming meetings go to the waitlist and
their registrations keep the company's participation without the person. Runs inside the
transactions of ``accounts.services``, which write the one activity log entry of the change."""

from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.selectors import login_addresses
from network_portal.activity import erase_personal_data

from . import services
from .models import Meeting, Registration


def address_changed(user, old_email: str, new_email: str) -> list[str]:
    """Registrations for meetings still to come take the new address (past ones stay as they
    were; one the new address has already for the same meeting stays too). Returns what now
    uses the new address, as phrases for the message."""
    registrations = list(
        Registration.objects.select_for_update(of=("self",))
        .filter(email__iexact=old_email, meeting__ends_at__gte=timezone.now())
        .exclude(meeting__registrations__email__iexact=new_email)
        .order_by("pk")
    )
    for registration in registrations:
        registration.email = new_email
        registration.save(update_fields=["email", "updated_at"])
    if not registrations:
        return []
    return [_("your registrations for the coming network meetings")]


def _registrations_of(user):
    addresses = login_addresses(user)
    return Registration.objects.alias(address=Lower("email")).filter(address__in=addresses)


def _coming_places(user):
    return _registrations_of(user).filter(
        meeting__status=Meeting.Status.PUBLISHED,
        meeting__ends_at__gte=timezone.now(),
        status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
    )


def deletion_notes(user) -> list[str]:
    notes = []
    coming = _coming_places(user).count()
    if coming:
        notes.append(
            ngettext(
                "Your registration for %(count)d coming network meeting is cancelled; a seat "
                "goes to the next person on the waitlist.",
                "Your registrations for %(count)d coming network meetings are cancelled; the "
                "seats go to the next people on the waitlists.",
                coming,
            )
            % {"count": coming}
        )
    if _registrations_of(user).exists():
        notes.append(
            _("Meetings you attended stay counted for your company, without your name and address.")
        )
    return notes


def delete(user) -> None:
    """Places at coming meetings are given up (the waitlist moves up, as when a colleague
    cancels); every registration of the person loses their name and address."""
    coming = set(_coming_places(user).values_list("pk", flat=True))
    registrations = list(
        _registrations_of(user).select_for_update(of=("self",)).order_by("meeting_id", "pk")
    )
    erase_personal_data(objects=registrations)
    for registration in registrations:
        if registration.pk in coming:
            meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
            services._give_up_place(meeting, registration)
        registration.name = _("(account deleted)")
        registration.email = ""
        registration.contact = None
        registration.save(update_fields=["name", "email", "contact", "updated_at"])


def register() -> None:
    from accounts.account_parts import register_account_part

    register_account_part(
        "meetings",
        order=20,
        label=gettext_lazy("Registrations for coming meetings"),
        address_changed=address_changed,
        deletion_notes=deletion_notes,
        delete=delete,
    )
