"""Reads about accounts used by more than one caller."""

from .models import User


def coordinators():
    """The coordinators to tell about what needs them (new registrations, join requests)."""
    return User.objects.filter(is_staff=True, is_active=True).order_by("pk")


def open_sessions(user):
    """The person's logins that are still open (allauth.usersessions records each at login),
    newest first. With the database's sessions, one query that leaves out the expired ones
    (allauth's own list checks each session on its own)."""
    from allauth.usersessions.models import UserSession
    from django.conf import settings
    from django.utils import timezone

    sessions = UserSession.objects.filter(user=user).order_by("-created_at", "-pk")
    if settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        from django.contrib.sessions.models import Session

        alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        sessions = sessions.filter(session_key__in=alive)
    return sessions


def second_factors(user) -> dict:
    """The person's authenticators by kind: ``totp`` (the app, or None), ``webauthn`` (the
    passkeys), ``recovery_codes`` (or None). One query."""
    from allauth.mfa.models import Authenticator

    found = {"totp": None, "webauthn": [], "recovery_codes": None}
    for authenticator in Authenticator.objects.filter(user=user).order_by("created_at", "pk"):
        if authenticator.type == Authenticator.Type.WEBAUTHN:
            found["webauthn"].append(authenticator)
        else:
            found[authenticator.type] = authenticator
    return found


def login_addresses(user) -> set[str]:
    """The person's addresses, lowercased: the login address and the others allauth keeps for
    them that they have confirmed. What finds their contact entries, registrations and
    subscriptions (an address added but not confirmed may be anybody's). One query."""
    from allauth.account.models import EmailAddress

    others = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {address.strip().lower() for address in [user.email, *others]}
