"""Reads about accounts used by more than one caller."""

from .models import User


def coordinators():
    """The coordinators to tell about what needs them (new registrations, join requests)."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("pk")
