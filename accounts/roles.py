"""The roles people have beyond acting for their company, and the groups that give them.

- Coordinators (Koordination): staff users in the group „Koordination“, which holds every
  permission of the apps in COORDINATOR_APPS (a setting: the project decides what they manage).
- Jurors: users in the group „Jury“; the seal app decides what they may do.
"""

from django.conf import settings

COORDINATOR_GROUP = "Koordination"
JURY_GROUP = "Jury"


def is_coordinator(user) -> bool:
    """Coordinators are the staff (the admin's users); the group gives them their permissions."""
    return user.is_authenticated and user.is_staff


def is_juror(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=JURY_GROUP).exists()


def ensure_role_groups(**kwargs) -> None:
    """Create the coordinator and jury groups; coordinators get every permission of the apps
    they manage. Runs after every migrate, so permissions of models added later join too."""
    from django.contrib.auth.models import Group, Permission

    coordinators, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    coordinators.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=settings.COORDINATOR_APPS)
    )
    Group.objects.get_or_create(name=JURY_GROUP)
