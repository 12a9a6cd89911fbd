"""Every state change of the mailing lists, and the sending of issues.

Sending follows the portal's outbox rule: starting a send writes one ``Delivery`` per address
(unique per issue and address) in the same transaction; the portal's one sender
(``network_portal.sending``, see ``newsletter.delivery``) then sends each once.

Every change leaves one activity log entry (``network_portal.activity``; the actions are named
in ``newsletter/activity.py``): the public actions (sign-up, confirmation, unsubscribe,
preferences) name the address that acted; erasing a subscriber removes the personal data from
the entries about them.
"""

import json
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import ContactPerson
from members.selectors import eligible_contacts
from network_portal import sending
from network_portal.activity import Process, erase_personal_data, log_activity
from network_portal.mail import binary_attachment, mail_enqueue
from network_portal.models import OutboxMail
from network_portal.signing import absolute_url, make_token

from . import delivery, rendering
from .models import (
    Bounce,
    ConsentRecord,
    Delivery,
    Issue,
    MailingList,
    Subscriber,
    Subscription,
)

logger = logging.getLogger(__name__)


# --- Member lists ---------------------------------------------------------------------------


@transaction.atomic
def sync_member_lists(*, by_user=None, process: str | None = None) -> None:
    """Make every member list match the contacts who should be on it now.

    Someone who unsubscribed stays unsubscribed; someone who is no longer an eligible contact
    (company left, newsletter switched off) is ended, and added again when eligible again. Run
    by beat (``process``) or a coordinator (``by_user``); logged when anything changed.
    """
    added, ended = _sync_member_lists()
    if added or ended:
        log_activity(
            action="newsletter.member_lists.synced",
            by_user=by_user,
            process=process,
            details={"added": added, "ended": ended},
        )


def _sync_member_lists() -> tuple[int, int]:
    """The work of :func:`sync_member_lists`; returns the subscriptions added and ended."""
    added = ended = 0
    for mailing_list in MailingList.objects.filter(kind=MailingList.Kind.MEMBERS):
        wanted = {}
        contacts = eligible_contacts(wants_newsletter=True, function=mailing_list.contact_function)
        for contact in contacts.select_related("user"):
            wanted.setdefault(contact.email.strip().lower(), contact)
        existing = {
            s.subscriber.email: s for s in mailing_list.subscriptions.select_related("subscriber")
        }
        for email, contact in wanted.items():
            subscription = existing.get(email)
            if subscription and subscription.status in (
                Subscription.Status.CONFIRMED,
                Subscription.Status.UNSUBSCRIBED,
            ):
                continue
            subscriber, _created = Subscriber.objects.get_or_create(
                email=email,
                defaults={
                    "salutation": contact.salutation,
                    "title": contact.title,
                    "first_name": contact.first_name,
                    "last_name": contact.last_name,
                    "contact": contact,
                    "language": contact.user.language if contact.user_id else "de",
                },
            )
            Subscription.objects.update_or_create(
                subscriber=subscriber,
                mailing_list=mailing_list,
                defaults={
                    "status": Subscription.Status.CONFIRMED,
                    "source": "member-contact",
                    "confirmed_at": timezone.now(),
                },
            )
            added += 1
        # Whoever is no longer an eligible contact leaves a member list, however they joined.
        gone = [
            s.pk
            for email, s in existing.items()
            if email not in wanted and s.status == Subscription.Status.CONFIRMED
        ]
        ended += Subscription.objects.filter(pk__in=gone).update(status=Subscription.Status.ENDED)
    return added, ended


# --- Double opt-in ----------------------------------------------------------------------------


def confirm_max_age_seconds() -> int:
    return settings.NEWSLETTER_CONFIRM_DAYS * 24 * 3600


@transaction.atomic
def subscription_request(
    *,
    email: str,
    lists,
    consent_text: str,
    form: str,
    salutation: str = "",
    title: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "de",
) -> list[Subscription]:
    """Someone asks to join public lists: record the consent and mail a confirmation link.

    Until confirmed, the address gets nothing but that confirmation mail. The answer is the
    same whether the address was known or not, so the form reveals nobody's subscriptions.
    """
    lists = [ml for ml in lists if ml.kind == MailingList.Kind.PUBLIC]
    if not lists:
        raise ValidationError(_("Please choose at least one list."))
    subscriber, created = Subscriber.objects.get_or_create(
        email=email.strip().lower(),
        defaults={
            "salutation": salutation,
            "title": title,
            "first_name": first_name,
            "last_name": last_name,
            "language": language,
        },
    )
    if subscriber.suppressed_at:
        return []
    requested = _request_confirmation(
        subscriber=subscriber, lists=lists, consent_text=consent_text, form=form
    )
    if requested:
        log_activity(
            action="newsletter.subscriber.subscription_requested",
            obj=subscriber,
            actor_label=subscriber.email,
            process=Process.FORM,
            details={"lists": [s.mailing_list.name for s in requested]},
        )
    return requested


def _request_confirmation(
    *, subscriber: Subscriber, lists, consent_text: str, form: str
) -> list[Subscription]:
    """The double opt-in: the subscriptions wait for the click in the confirmation mail,
    which goes out with them. Returns the subscriptions now waiting."""
    requested = []
    for mailing_list in lists:
        subscription, _created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            defaults={"status": Subscription.Status.PENDING, "source": form},
        )
        if subscription.status == Subscription.Status.CONFIRMED:
            continue
        subscription.status = Subscription.Status.PENDING
        subscription.source = form
        subscription.save(update_fields=["status", "source"])
        ConsentRecord.objects.create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            action=ConsentRecord.Action.REQUESTED,
            form=form,
            consent_text=consent_text,
        )
        requested.append(subscription)
    if requested:
        token = make_token(
            purpose=rendering.CONFIRM_PURPOSE,
            payload={"s": subscriber.pk, "l": sorted(s.mailing_list_id for s in requested)},
        )
        # At most one confirmation mail an hour per address: the public form cannot be used
        # to flood someone else's inbox.
        mail_enqueue(
            key=f"newsletter:confirm:{subscriber.pk}:{timezone.now():%Y%m%d%H}",
            to=subscriber.email,
            template="newsletter/emails/confirm",
            context={
                "confirm_url": absolute_url(reverse("newsletter:confirm", args=[token])),
                "lists": [s.mailing_list.name for s in requested],
                "days": settings.NEWSLETTER_CONFIRM_DAYS,
            },
            language=subscriber.language,
        )
    return requested


@transaction.atomic
def subscription_confirm(*, subscriber: Subscriber, list_ids) -> list[Subscription]:
    confirmed = []
    for subscription in subscriber.subscriptions.select_for_update().filter(
        mailing_list_id__in=list_ids, status=Subscription.Status.PENDING
    ):
        subscription.status = Subscription.Status.CONFIRMED
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["status", "confirmed_at"])
        ConsentRecord.objects.create(
            subscriber=subscriber,
            mailing_list=subscription.mailing_list,
            action=ConsentRecord.Action.CONFIRMED,
            form="confirmation-link",
        )
        confirmed.append(subscription)
    if confirmed:
        log_activity(
            action="newsletter.subscriber.confirmed",
            obj=subscriber,
            actor_label=subscriber.email,
            process=Process.LINK,
            details={"lists": [s.mailing_list.name for s in confirmed]},
        )
    return confirmed


# --- Preferences and unsubscribe ------------------------------------------------------------


def _withdraw(subscription: Subscription, *, form: str) -> None:
    """Leave one list and log the withdrawal of consent."""
    subscription.status = Subscription.Status.UNSUBSCRIBED
    subscription.unsubscribed_at = timezone.now()
    subscription.save(update_fields=["status", "unsubscribed_at"])
    ConsentRecord.objects.create(
        subscriber=subscription.subscriber,
        mailing_list=subscription.mailing_list,
        action=ConsentRecord.Action.WITHDRAWN,
        form=form,
    )


@transaction.atomic
def unsubscribe_all(*, subscriber: Subscriber, form: str) -> int:
    """Leave every list; holds for every later send (member lists included)."""
    active = subscriber.subscriptions.select_for_update().filter(
        status__in=[Subscription.Status.CONFIRMED, Subscription.Status.PENDING]
    )
    left = []
    for subscription in active:
        _withdraw(subscription, form=form)
        left.append(subscription.mailing_list.name)
    # Deliveries not yet out are dropped: the unsubscribe holds from this moment.
    dropped = Delivery.objects.filter(subscriber=subscriber, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, last_error="unsubscribed"
    )
    if left or dropped:
        log_activity(
            action="newsletter.subscriber.unsubscribed",
            obj=subscriber,
            actor_label=subscriber.email,
            process=Process.LINK,
            details={"lists": left},
        )
    return len(left)


@transaction.atomic
def preferences_save(*, subscriber: Subscriber, wanted_lists, consent_text: str) -> None:
    """The preference page: keep exactly the chosen lists. The link came by mail to this
    address, so a public list chosen here needs no second confirmation."""
    wanted = {ml.pk: ml for ml in wanted_lists}
    left, joined = [], []
    for subscription in subscriber.subscriptions.select_for_update():
        if subscription.mailing_list_id in wanted:
            continue
        if subscription.status in (Subscription.Status.CONFIRMED, Subscription.Status.PENDING):
            _withdraw(subscription, form="preferences")
            left.append(subscription.mailing_list.name)
    for mailing_list in wanted.values():
        subscription = subscriber.subscriptions.filter(mailing_list=mailing_list).first()
        if subscription and subscription.status == Subscription.Status.CONFIRMED:
            continue
        if mailing_list.kind == MailingList.Kind.MEMBERS and (
            subscription is None or subscription.status == Subscription.Status.ENDED
        ):
            continue  # member lists are joined as a member contact, not by choice
        Subscription.objects.update_or_create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            defaults={
                "status": Subscription.Status.CONFIRMED,
                "source": "member-contact"
                if mailing_list.kind == MailingList.Kind.MEMBERS
                else "preferences",
                "confirmed_at": timezone.now(),
                "unsubscribed_at": None,
            },
        )
        ConsentRecord.objects.create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            action=ConsentRecord.Action.CONFIRMED,
            form="preferences",
            consent_text=consent_text,
        )
        joined.append(mailing_list.name)
    if left or joined:
        log_activity(
            action="newsletter.subscriber.preferences_saved",
            obj=subscriber,
            actor_label=subscriber.email,
            process=Process.LINK,
            details={"joined": joined, "left": left},
        )


# --- Bounces --------------------------------------------------------------------------------


@transaction.atomic
def bounce_record(
    *,
    email: str,
    kind: str,
    diagnostic: str = "",
    source: str,
    reference: str = "",
    process: str | None = None,
) -> Bounce | None:
    """Record a bounce; a hard bounce suppresses the address for every later send.

    ``source``: who reported it: ``"webhook"`` (our JSON webhook), ``"command"`` (``manage.py
    newsletter_bounce``), ``"mailbox"`` (a delivery status report in the bounce mailbox,
    :mod:`newsletter.bounce_mailbox`) or the mail provider (its tracking webhook,
    :mod:`newsletter.provider_bounces`). ``process``: the process the activity log names
    (default: ``source``, where it is one). ``reference``: the report it comes from (a bounce
    mail's Message-ID, a provider's event id); a report already recorded for this address
    records nothing and returns None, so a report read or posted twice counts once.
    """
    email = email.strip().lower()
    if reference:
        reference = reference[: Bounce._meta.get_field("reference").max_length]
        if Bounce.objects.filter(email=email, reference=reference).exists():
            return None
    try:
        with transaction.atomic():
            bounce = Bounce.objects.create(
                email=email, kind=kind, diagnostic=diagnostic, source=source, reference=reference
            )
    except IntegrityError:  # the same report, recorded at this moment by another process
        return None
    suppressed = 0
    if kind == Bounce.Kind.HARD:
        suppressed = Subscriber.objects.filter(email=email, suppressed_at__isnull=True).update(
            suppressed_at=timezone.now(), suppression_reason=_("hard bounce")
        )
        Delivery.objects.filter(email=email, status=Delivery.Status.PENDING).update(
            status=Delivery.Status.FAILED, last_error="suppressed after a hard bounce"
        )
    log_activity(
        action="newsletter.bounce.recorded",
        obj=bounce,
        process=process or (source if source in Process.values else None),
        details={"kind": kind, "suppressed": bool(suppressed)},
    )
    return bounce


# --- Issues ---------------------------------------------------------------------------------


def require_sendable(issue: Issue) -> None:
    """Only a draft with at least one list can be sent or scheduled (ValidationError)."""
    if issue.status != Issue.Status.DRAFT:
        raise ValidationError(_("This issue has already been sent or scheduled."))
    if not issue.lists.exists():
        raise ValidationError(_("Please choose at least one list."))


@transaction.atomic
def issue_send(*, issue: Issue, at=None, by_user=None) -> Issue:
    """Send now, or schedule for ``at``. Only a draft with at least one list can be sent."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    require_sendable(issue)
    if at is not None and at > timezone.now():
        issue.status = Issue.Status.SCHEDULED
        issue.scheduled_at = at
        issue.save(update_fields=["status", "scheduled_at"])
        log_activity(
            action="newsletter.issue.scheduled",
            obj=issue,
            by_user=by_user,
            details={
                "status": [Issue.Status.DRAFT, Issue.Status.SCHEDULED],
                "scheduled_at": at,
                "expected_recipients": _addresses(issue).count(),
            },
        )
        return issue
    recipients = _start_sending(issue, by_user=by_user)
    log_activity(
        action="newsletter.issue.sending_started",
        obj=issue,
        by_user=by_user,
        details={"status": [Issue.Status.DRAFT, Issue.Status.SENDING], "recipients": recipients},
    )
    return issue


@transaction.atomic
def issue_unschedule(*, issue: Issue, by_user=None) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    if issue.status != Issue.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled issue can be taken back."))
    issue.status = Issue.Status.DRAFT
    issue.scheduled_at = None
    issue.save(update_fields=["status", "scheduled_at"])
    log_activity(
        action="newsletter.issue.unscheduled",
        obj=issue,
        by_user=by_user,
        details={"status": [Issue.Status.SCHEDULED, Issue.Status.DRAFT]},
    )
    return issue


def _start_sending(issue: Issue, *, by_user=None, process: str | None = None) -> int:
    """Write every delivery in the transaction that starts the send, so a lost task or a dead
    worker can delay the issue but never lose a recipient; the senders start after commit.
    Returns the number of deliveries written."""
    issue.status = Issue.Status.SENDING
    issue.sending_started_at = timezone.now()
    issue.save(update_fields=["status", "sending_started_at"])
    written = _expand(issue, by_user=by_user, process=process)
    sending.kick(delivery.QUEUE, scope=issue.pk)
    return written


def _addresses(issue: Issue):
    """The confirmed, unsuppressed subscribers on any of the issue's lists, each once."""
    return Subscriber.objects.filter(
        suppressed_at__isnull=True,
        subscriptions__mailing_list__in=issue.lists.all(),
        subscriptions__status=Subscription.Status.CONFIRMED,
    ).distinct()


def issue_recipients_count(*, issue: Issue) -> int:
    """How many deliveries sending ``issue`` now would write: the member lists brought up to
    date and the addresses counted as the send does (:func:`_expand`), in a transaction that
    is rolled back, so nothing changes. The confirmation pages say it."""
    with transaction.atomic():
        _sync_member_lists()
        count = _addresses(issue).count()
        transaction.set_rollback(True)
    return count


def _expand(issue: Issue, *, by_user=None, process: str | None = None) -> int:
    # The member lists first, so the issue reaches the contacts as they are now; what the
    # sync changes is logged like beat's sync.
    sync_member_lists(by_user=by_user, process=process)
    subscribers = _addresses(issue).values_list("pk", "email")
    rows = [Delivery(issue=issue, subscriber_id=pk, email=email) for pk, email in subscribers]
    created = Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(created)


@transaction.atomic
def issue_expand(*, issue: Issue, process: str | None = None) -> int:
    """One delivery per confirmed, unsuppressed address on any of the issue's lists.

    Someone on several lists gets one copy; running it twice adds nothing (and logs nothing).
    Starting a send does this itself; this is for a send whose deliveries are incomplete.
    """
    written = _expand(issue, process=process)
    if written:
        log_activity(
            action="newsletter.issue.expanded",
            obj=issue,
            process=process,
            details={"recipients": written},
        )
    return written


def issue_finish_if_done(*, issue: Issue, process: str | None = None) -> bool:
    """Mark a sending issue sent once no delivery is pending; ``process``: who noticed (the
    worker whose sender drained the issue, or beat's sweep)."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if issue.status != Issue.Status.SENDING:
            return False
        if issue.deliveries.filter(status=Delivery.Status.PENDING).exists():
            return False
        issue.status = Issue.Status.SENT
        issue.sent_at = timezone.now()
        issue.save(update_fields=["status", "sent_at"])
        counts = issue.deliveries.aggregate(
            sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
            failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        )
        log_activity(
            action="newsletter.issue.sent",
            obj=issue,
            process=process,
            details={"status": [Issue.Status.SENDING, Issue.Status.SENT], **counts},
        )
        return True


def issues_due(*, now=None, process: str | None = None) -> list[int]:
    """Start the scheduled issues whose time has come; returns their ids. One log entry per
    issue started (``process``: who runs it, beat)."""
    now = now or timezone.now()
    started = []
    with transaction.atomic():
        for issue in Issue.objects.select_for_update(skip_locked=True).filter(
            status=Issue.Status.SCHEDULED, scheduled_at__lte=now
        ):
            recipients = _start_sending(issue, process=process)
            log_activity(
                action="newsletter.issue.sending_started",
                obj=issue,
                process=process,
                details={
                    "status": [Issue.Status.SCHEDULED, Issue.Status.SENDING],
                    "recipients": recipients,
                },
            )
            started.append(issue.pk)
    return started


def issues_resume(*, process: str | None = None) -> int:
    """Sending issues without a single delivery (started by the release before this one,
    which wrote deliveries in a task): write them now and start the senders. One log entry
    per issue resumed."""
    resumed = 0
    for issue in Issue.objects.filter(status=Issue.Status.SENDING, deliveries__isnull=True):
        with transaction.atomic():
            written = _expand(issue, process=process)
            sending.kick(delivery.QUEUE, scope=issue.pk)
            log_activity(
                action="newsletter.issue.resumed",
                obj=issue,
                process=process,
                details={"recipients": written},
            )
        resumed += 1
    return resumed


def issues_finish(*, process: str | None = None) -> int:
    """Mark sending issues sent once no delivery is pending (also the last one failing)."""
    return sum(
        issue_finish_if_done(issue=issue, process=process)
        for issue in Issue.objects.filter(status=Issue.Status.SENDING)
    )


def _tester_subscriber(user) -> Subscriber:
    """Whom ``user``'s test copy addresses. With a subscription of their own address: that
    subscriber, so the copy is the mail they get from the real send (salutation, language,
    unsubscribe links that work for their address). Without: the person as the portal knows
    them, not saved; the copy's unsubscribe and preference links then name nobody and lead to
    a page saying the link is not valid."""
    email = user.email.strip().lower()
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None:
        return subscriber
    # Named as the member lists name contacts: by their contact entry, if they have one.
    person = ContactPerson.objects.filter(user=user).first() or user
    return Subscriber(
        email=email,
        salutation=getattr(person, "salutation", ""),
        title=getattr(person, "title", ""),
        first_name=person.first_name,
        last_name=person.last_name,
        language=user.language,
    )


@transaction.atomic
def issue_send_test(*, issue: Issue, to_user) -> None:
    """A copy of ``issue`` for the coordinator ``to_user`` to check: the mail a subscriber
    gets, rendered as the send renders it (:func:`newsletter.rendering.issue_message`: subject,
    salutation, text and HTML, footer, unsubscribe headers, attachments) for the coordinator
    as recipient (:func:`_tester_subscriber`), from the newsletter's address. It goes through the
    outbox after commit, not as a delivery: the issue's own sending stays untouched."""
    tester = _tester_subscriber(to_user)
    attachments = delivery.issue_attachments(issue)
    message = rendering.issue_message(issue, tester, attachments=attachments)
    ((html, _mimetype),) = message.alternatives
    mail_enqueue(
        key=f"newsletter:test:{issue.pk}:{to_user.pk}:{uuid.uuid4().hex}",
        to=to_user.email,
        rendered=(message.subject, message.body, html),
        headers=dict(message.extra_headers),
        attachments=[
            binary_attachment(filename=filename, content=content, mimetype=mimetype)
            for filename, content, mimetype in attachments
        ],
        from_email=message.from_email,
        language=tester.language,
    )
    log_activity(action="newsletter.issue.test_sent", obj=issue, by_user=to_user)


# --- Privacy --------------------------------------------------------------------------------


def subscriber_export(subscriber: Subscriber) -> str:
    """Everything stored about an address, as JSON (GDPR Art. 15)."""
    data = {
        "email": subscriber.email,
        "salutation": subscriber.salutation,
        "title": subscriber.title,
        "first_name": subscriber.first_name,
        "last_name": subscriber.last_name,
        "language": subscriber.language,
        "created_at": subscriber.created_at.isoformat(),
        "suppressed_at": subscriber.suppressed_at.isoformat() if subscriber.suppressed_at else None,
        "subscriptions": [
            {
                "list": s.mailing_list.name,
                "status": s.status,
                "source": s.source,
                "created_at": s.created_at.isoformat(),
                "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
                "unsubscribed_at": s.unsubscribed_at.isoformat() if s.unsubscribed_at else None,
            }
            for s in subscriber.subscriptions.select_related("mailing_list").order_by("pk")
        ],
        "consent_log": [
            {
                "list": c.mailing_list.name if c.mailing_list else None,
                "action": c.action,
                "form": c.form,
                "text": c.consent_text,
                "at": c.created_at.isoformat(),
            }
            for c in subscriber.consent_records.select_related("mailing_list")
        ],
        "deliveries": [
            {
                "issue": d.issue.subject,
                "status": d.status,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in subscriber.deliveries.select_related("issue").order_by("pk")
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


@transaction.atomic
def subscriber_erase(*, subscriber: Subscriber, by_user=None) -> None:
    """Remove the person's data (GDPR Art. 17); send counts of past issues stay, anonymous.

    A member contact is also switched off for the newsletter, so the next sync of the member
    lists does not bring the address back. The activity log keeps its entries about the
    address (this erasure included) without the personal data in them.
    """
    log_activity(
        action="newsletter.subscriber.erased",
        obj=subscriber,
        by_user=by_user,
        details={
            "subscriptions": subscriber.subscriptions.count(),
            "bounces": Bounce.objects.filter(email=subscriber.email).count(),
        },
    )
    _erase_subscriber(subscriber)


def _erase_subscriber(subscriber: Subscriber) -> None:
    """The work of :func:`subscriber_erase` (also done when a person deletes their account,
    whose log entry records it: ``newsletter/account.py``)."""
    bounces = list(Bounce.objects.filter(email=subscriber.email))
    erase_personal_data(objects=[subscriber, *bounces])
    if subscriber.contact_id:
        ContactPerson.objects.filter(pk=subscriber.contact_id).update(wants_newsletter=False)
    ContactPerson.objects.filter(email__iexact=subscriber.email).update(wants_newsletter=False)
    subscriber.deliveries.update(email="", subscriber=None, last_error="")
    Bounce.objects.filter(email=subscriber.email).delete()
    OutboxMail.objects.filter(key__startswith=f"newsletter:confirm:{subscriber.pk}:").delete()
    subscriber.delete()  # subscriptions and consent records go with it


# --- The person's own account („Mein Konto“; the rest of the newsletter's part is
# newsletter/account.py) ---------------------------------------------------------------------

ACCOUNT_FORM = "account"


def account_lists(*, user, contact: ContactPerson | None) -> dict:
    """The lists the person can choose on „Mein Konto“, and their subscriptions there: the
    public lists, and the member lists of their function while they are a contact of an
    active member company (or while they are still on one). Three queries."""
    subscriber = (
        Subscriber.objects.filter(email=user.email.strip().lower())
        .prefetch_related("subscriptions")
        .first()
    )
    subscriptions = (
        {s.mailing_list_id: s for s in subscriber.subscriptions.all()} if subscriber else {}
    )
    member_contact = contact is not None and contact.company.is_active_member
    chosen = []
    for mailing_list in MailingList.objects.order_by("kind", "name"):
        subscription = subscriptions.get(mailing_list.pk)
        if mailing_list.kind == MailingList.Kind.MEMBERS:
            fits = member_contact and mailing_list.contact_function in ("", contact.function)
            on_it = subscription is not None and subscription.status != Subscription.Status.ENDED
            if not (fits or on_it):
                continue
        chosen.append((mailing_list, subscription.status if subscription else None))
    return {"subscriber": subscriber, "lists": chosen}


def _account_subscriber(*, user, contact: ContactPerson | None) -> Subscriber:
    """A new subscriber for the person's login address, named as their account and entry."""
    return Subscriber.objects.create(
        email=user.email.strip().lower(),
        salutation=contact.salutation if contact else "",
        title=contact.title if contact else "",
        first_name=user.first_name,
        last_name=user.last_name,
        contact=contact,
        language=user.language,
    )


@transaction.atomic
def account_lists_save(
    *, user, contact: ContactPerson | None, wanted_lists, consent_text: str
) -> dict:
    """„Mein Konto“: keep exactly the chosen lists for the person's login address.

    Leaving a list withdraws the consent at once. A member list is joined as the member
    contact the person is (their entry then wants the newsletter again). A public list needs
    the double opt-in as on the website: it waits for the click in the confirmation mail.
    Returns the names of the lists ``joined``, ``left`` and ``requested`` (waiting for the
    confirmation).
    """
    offered = {
        mailing_list.pk: (mailing_list, status)
        for mailing_list, status in account_lists(user=user, contact=contact)["lists"]
    }
    wanted = {ml.pk for ml in wanted_lists if ml.pk in offered}
    email = user.email.strip().lower()
    subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
    joined, left, to_request = [], [], []
    if subscriber is not None:
        for subscription in subscriber.subscriptions.select_for_update().select_related(
            "mailing_list"
        ):
            if subscription.mailing_list_id in wanted:
                continue
            if subscription.status in (Subscription.Status.CONFIRMED, Subscription.Status.PENDING):
                _withdraw(subscription, form=ACCOUNT_FORM)
                left.append(subscription.mailing_list.name)
    for pk in sorted(wanted):
        mailing_list, status = offered[pk]
        if status in (Subscription.Status.CONFIRMED, Subscription.Status.PENDING):
            continue
        if mailing_list.kind == MailingList.Kind.PUBLIC:
            to_request.append(mailing_list)
            continue
        subscriber = subscriber or _account_subscriber(user=user, contact=contact)
        Subscription.objects.update_or_create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            defaults={
                "status": Subscription.Status.CONFIRMED,
                "source": "member-contact",
                "confirmed_at": timezone.now(),
                "unsubscribed_at": None,
            },
        )
        ConsentRecord.objects.create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            action=ConsentRecord.Action.CONFIRMED,
            form=ACCOUNT_FORM,
            consent_text=consent_text,
        )
        joined.append(mailing_list.name)
    if joined and contact is not None and not contact.wants_newsletter:
        ContactPerson.objects.filter(pk=contact.pk).update(wants_newsletter=True)
    requested = []
    if to_request:
        subscriber = subscriber or _account_subscriber(user=user, contact=contact)
        if subscriber.suppressed_at is None:
            requested = [
                s.mailing_list.name
                for s in _request_confirmation(
                    subscriber=subscriber,
                    lists=to_request,
                    consent_text=consent_text,
                    form=ACCOUNT_FORM,
                )
            ]
    if joined or left:
        log_activity(
            action="newsletter.subscriber.preferences_saved",
            obj=subscriber,
            by_user=user,
            details={"joined": joined, "left": left, "requested": requested},
        )
    elif requested:
        log_activity(
            action="newsletter.subscriber.subscription_requested",
            obj=subscriber,
            by_user=user,
            details={"lists": requested},
        )
    return {"joined": joined, "left": left, "requested": requested}
