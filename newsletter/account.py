"""The newsletter's part of a person's own account (see ``accounts.account_parts``): the
choice of lists on „Mein Konto“ (saved by ``services.account_lists_save``); the subscriptions
follow a new login address and a new name, and are erased with the account.

The functions that change data here run inside the transaction of the account's service
(``accounts.services.login_address_change``, ``account_delete``, …), which writes the one
activity log entry of the change.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import login_addresses
from members.services import own_contact

from . import services
from .models import Bounce, Subscriber, Subscription

ACTIVE = (Subscription.Status.CONFIRMED, Subscription.Status.PENDING)

# Where both addresses are on a list: the stronger wish holds.
_STATUS_RANK = {
    Subscription.Status.ENDED: 0,
    Subscription.Status.UNSUBSCRIBED: 1,
    Subscription.Status.PENDING: 2,
    Subscription.Status.CONFIRMED: 3,
}


def section(request):
    """The lists the person can choose, each with the status of their subscription."""
    lists = services.account_lists(user=request.user, contact=own_contact(request.user))
    if not lists["lists"]:
        return None
    return {
        "title": _("Newsletters"),
        "lists": [
            {
                "list": mailing_list,
                "chosen": status in ACTIVE,
                "pending": status == Subscription.Status.PENDING,
            }
            for mailing_list, status in lists["lists"]
        ],
    }


def _hard_bounced(email: str) -> bool:
    return Bounce.objects.filter(email__iexact=email, kind=Bounce.Kind.HARD).exists()


def address_changed(user, old_email: str, new_email: str) -> list[str]:
    """The subscriptions of the old address move to the new one (verified by allauth),
    consent records and past deliveries with them. If the new address had subscriptions of
    its own, both are joined. Returns what now uses the new address, as phrases."""
    old_email, new_email = old_email.strip().lower(), new_email.strip().lower()
    old = Subscriber.objects.select_for_update().filter(email=old_email).first()
    if old is None or old_email == new_email:
        return []
    existing = Subscriber.objects.select_for_update().filter(email=new_email).first()
    if existing is None:
        old.email = new_email
        fields = ["email"]
        if old.suppressed_at is not None and not _hard_bounced(new_email):
            # The old address bounced (maybe why it was changed): the new, confirmed one is
            # a fresh start.
            old.suppressed_at, old.suppression_reason = None, ""
            fields += ["suppressed_at", "suppression_reason"]
        old.save(update_fields=fields)
        subscriber = old
    else:
        theirs = {s.mailing_list_id: s for s in existing.subscriptions.select_for_update()}
        for subscription in old.subscriptions.select_for_update():
            other = theirs.get(subscription.mailing_list_id)
            if other is None:
                subscription.subscriber = existing
                subscription.save(update_fields=["subscriber"])
            elif _STATUS_RANK[subscription.status] > _STATUS_RANK[other.status]:
                fields = ["status", "source", "confirmed_at", "unsubscribed_at"]
                for name in fields:
                    setattr(other, name, getattr(subscription, name))
                other.save(update_fields=fields)
        old.consent_records.update(subscriber=existing)
        old.deliveries.update(subscriber=existing)
        if existing.contact_id is None and old.contact_id is not None:
            existing.contact_id = old.contact_id
            existing.save(update_fields=["contact"])
        old.delete()
        subscriber = existing
    if subscriber.subscriptions.filter(status__in=ACTIVE).exists():
        return [_("your newsletter subscription")]
    return []


def profile_changed(user) -> None:
    """The person changed their name or language: the newsletter's copy for their login
    address follows (the salutation of the issues, the language of the mails)."""
    fields = {"language": user.language}
    if user.first_name and user.last_name:
        fields.update(first_name=user.first_name[:100], last_name=user.last_name[:100])
    Subscriber.objects.filter(email=user.email.strip().lower()).update(**fields)


def deletion_notes(user) -> list[str]:
    if Subscriber.objects.filter(email__in=login_addresses(user)).exists():
        return [
            _(
                "Your newsletter subscriptions end, and %(email)s is erased from our mailing "
                "lists with the record of your consent."
            )
            % {"email": user.email}
        ]
    return []


def delete(user) -> None:
    """The subscribers of the person's addresses are erased as a coordinator's erasure does
    (``services.subscriber_erase``, without its own log entry)."""
    for subscriber in Subscriber.objects.filter(email__in=login_addresses(user)).order_by("pk"):
        services._erase_subscriber(subscriber)


def register() -> None:
    from accounts.account_parts import register_account_part

    register_account_part(
        "newsletter",
        order=40,
        label=gettext_lazy("Newsletter subscriptions"),
        template="newsletter/account_section.html",
        context=section,
        address_changed=address_changed,
        profile_changed=profile_changed,
        deletion_notes=deletion_notes,
        delete=delete,
    )
