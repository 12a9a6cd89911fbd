"""Reads of the newsletter used by more than one caller."""

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from .models import Bounce, Delivery, Issue


def issue_progress(issue: Issue) -> dict:
    """How many of the issue's deliveries are ``sent``, ``failed`` and ``pending``."""
    return issue.deliveries.aggregate(
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        pending=Count("pk", filter=Q(status=Delivery.Status.PENDING)),
    )


# --- Engagement and the annual report --------------------------------------------------------


def undeliverable_addresses():
    """The lower-case addresses with a hard bounce: no mail reaches them (they are suppressed
    for every later issue)."""
    return Bounce.objects.filter(kind=Bounce.Kind.HARD).values("email")


def issues_sent():
    """Issues that went out (sending or sent), with ``went_out_at``: when sending started (for
    an issue marked sent without that time, when it was sent)."""
    return Issue.objects.filter(status__in=[Issue.Status.SENDING, Issue.Status.SENT]).annotate(
        went_out_at=Coalesce("sending_started_at", "sent_at")
    )


def sent_deliveries():
    """Copies the SMTP server took (erased subscribers' ones have no address any more)."""
    return Delivery.objects.filter(status=Delivery.Status.SENT)
