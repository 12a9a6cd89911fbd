"""Reads of the newsletter used by more than one caller."""

from django.db.models import Count, Q

from .models import Delivery, Issue


def issue_progress(issue: Issue) -> dict:
    """How many of the issue's deliveries are ``sent``, ``failed`` and ``pending``."""
    return issue.deliveries.aggregate(
        sent=Count("pk", filter=Q(status=Delivery.Status.SENT)),
        failed=Count("pk", filter=Q(status=Delivery.Status.FAILED)),
        pending=Count("pk", filter=Q(status=Delivery.Status.PENDING)),
    )
