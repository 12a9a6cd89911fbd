"""Groups that give staff users their role in the admin."""

COORDINATOR_GROUP = "Koordination"
JURY_GROUP = "Jury"

# Apps whose models coordinators manage in the admin.
COORDINATOR_APPS = ["members", "network_portal", "flatpages", "meetings", "seal", "newsletter"]


def is_juror(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=JURY_GROUP).exists()


def ensure_role_groups(**kwargs) -> None:
    """Create the coordinator and jury groups; coordinators get every permission of our apps.

    Runs after every migrate, so permissions of models added later join the group too.
    """
    from django.contrib.auth.models import Group, Permission

    coordinators, _ = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    coordinators.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS)
    )
    Group.objects.get_or_create(name=JURY_GROUP)
