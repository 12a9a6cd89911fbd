"""Every change a person makes to their own account („Mein Konto“).

Each function validates, changes the data inside a transaction and writes one activity log
entry (the actions are named in ``accounts/activity.py``). What other apps keep about the person
(their contact entry, their newsletters) follows through the parts they registered
(``accounts.account_parts``), inside the same transaction: nothing is half-written.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from network_portal.activity import erase_actor, erase_personal_data, log_activity
from network_portal.mail import mails_forget

from .account_parts import account_parts
from .models import User
from .roles import is_coordinator, is_juror
from .selectors import login_addresses


def _profile_changed(user: User) -> None:
    for part in account_parts():
        if part.profile_changed is not None:
            part.profile_changed(user)


@transaction.atomic
def user_name_change(*, user: User, first_name: str, last_name: str) -> bool:
    """The person's name; their contact entry follows. Returns whether anything changed."""
    first_name, last_name = " ".join(first_name.split()), " ".join(last_name.split())
    if not first_name or not last_name:
        raise ValidationError(_("Please enter your first and last name."))
    changed = [
        name
        for name, value in (("first_name", first_name), ("last_name", last_name))
        if getattr(user, name) != value
    ]
    if not changed:
        return False
    user.first_name, user.last_name = first_name, last_name
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=changed)
    _profile_changed(user)
    log_activity(
        action="accounts.user.name_changed", obj=user, by_user=user, details={"fields": changed}
    )
    return True


@transaction.atomic
def user_language_set(*, user: User, language: str) -> bool:
    """The language of the portal and of the mails to the person. Returns whether it changed."""
    valid = [code for code, _name in User._meta.get_field("language").choices]
    if language not in valid:
        raise ValidationError(_("Please choose one of the languages offered."))
    if user.language == language:
        return False
    details = {"language": [user.language, language]}
    user.language = language
    user.save(update_fields=["language"])
    _profile_changed(user)
    log_activity(action="accounts.user.language_changed", obj=user, by_user=user, details=details)
    return True


def login_address_refusal(*, user: User, new_email: str, old_email: str = "") -> str | None:
    """Why ``new_email`` cannot take the place of the login address ``old_email`` (by default
    the current one), or None."""
    for part in account_parts():
        if part.address_change_refusal is not None:
            reason = part.address_change_refusal(user, new_email, old_email or user.email)
            if reason:
                return reason
    return None


def _and_join(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return _("%(list)s and %(last)s") % {"list": ", ".join(items[:-1]), "last": items[-1]}


@transaction.atomic
def login_address_change(*, user: User, old_email: str, new_email: str) -> str:
    """The person made ``new_email`` their login address (allauth has set it, verified, as the
    primary address): their contact entries, newsletters and open registrations follow.

    Returns the message that says what now uses the new address ("" when nothing does).
    Refuses (and so rolls everything back) if another entry stands in the way.
    """
    if not old_email or old_email.lower() == new_email.lower():
        return ""
    reason = login_address_refusal(user=user, new_email=new_email, old_email=old_email)
    if reason:
        raise ValidationError(reason)
    updated, parts = [], []
    for part in account_parts():
        if part.address_changed is not None:
            phrases = part.address_changed(user, old_email, new_email)
            if phrases:
                updated += phrases
                parts.append(part.name)
    log_activity(
        action="accounts.user.email_changed",
        obj=user,
        by_user=user,
        details={"addresses": [old_email, new_email], "updated": parts},
    )
    if not updated:
        return ""
    return _("%(what)s now use %(email)s.") % {
        "what": _capitalised(_and_join(updated)),
        "email": new_email,
    }


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def account_deletion_refusals(*, user: User) -> list[str]:
    """Why the account cannot be deleted now (empty: it can)."""
    if is_coordinator(user) or user.is_superuser:
        return [
            _(
                "Accounts of the coordination team are removed in the administration by "
                "another coordinator."
            )
        ]
    reasons = []
    if is_juror(user):
        reasons.append(
            _(
                "You are a member of the seal's jury: your assessments belong to the award "
                "records. Please ask the coordination team to remove your account."
            )
        )
    for part in account_parts():
        if part.deletion_refusal is not None:
            reason = part.deletion_refusal(user)
            if reason:
                reasons.append(reason)
    return reasons


def account_deletion_notes(*, user: User) -> list[str]:
    """What deleting the account does, for the confirmation page."""
    notes = [
        _("Your login (%(email)s) and your name are deleted; you can no longer log in.")
        % {"email": user.email}
    ]
    for part in account_parts():
        if part.deletion_notes is not None:
            notes += part.deletion_notes(user)
    return notes


@transaction.atomic
def account_delete(*, user: User, by_user: User | None = None) -> None:
    """The person deletes their own account, or a coordinator (``by_user``) deletes it in the
    admin: the login and personal data go; what belongs to the company (its profile,
    registrations, applications) stays with the company.

    The parts remove or anonymise the person's data in their apps (contact entries,
    newsletter subscriptions, registrations); the activity log keeps what happened without the
    person's name: this one entry, and those of before, whose personal data go. The reasons
    that stop a person deleting their own account (:func:`account_deletion_refusals`) are for
    the coordination to weigh, so they don't stop a coordinator.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if by_user is None or by_user.pk == user.pk:
        reasons = account_deletion_refusals(user=user)
        if reasons:
            raise ValidationError(reasons)
    log_activity(action="accounts.user.deleted", obj=user, by_user=by_user or user)
    mails_forget(addresses=login_addresses(user))
    for part in account_parts():
        if part.delete is not None:
            part.delete(user)
    erase_personal_data(objects=[user])
    erase_actor(user=user)
    try:
        with transaction.atomic():
            user.delete()
    except ProtectedError as error:
        raise ValidationError(
            _(
                "Your account is still referred to by records of the network. Please ask the "
                "coordination team to remove it."
            )
        ) from error
