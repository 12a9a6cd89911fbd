"""A database migrated while the user model still lived in members/ migrates on: its users,
their groups and permissions and the admin's history stay where they were."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection

from accounts.models import User
from accounts.roles import COORDINATOR_GROUP
from tests.factories import CoordinatorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def as_before_the_move():
    """What such a database looks like: no record of accounts.0001, the user model's content
    type (which its permissions hang on) filed under members."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = 'accounts'")
    ContentType.objects.filter(app_label="accounts", model="user").update(app_label="members")
    ContentType.objects.clear_cache()


def test_migrate_takes_over_a_database_from_before_the_move(capsys):
    coordinator = CoordinatorFactory(email="koordination@moselblick.example")
    change_user = Permission.objects.get(codename="change_user")
    assert change_user in Group.objects.get(name=COORDINATOR_GROUP).permissions.all()
    as_before_the_move()

    call_command("migrate", verbosity=1)

    assert "Moved the user model's records from members to accounts." in capsys.readouterr().out
    ContentType.objects.clear_cache()
    user_type = ContentType.objects.get_for_model(User)
    assert user_type.app_label == "accounts"
    assert not ContentType.objects.filter(app_label="members", model="user").exists()
    coordinator = User.objects.get(pk=coordinator.pk)
    # The same permission row, now under accounts: the coordinators keep their rights.
    assert Permission.objects.get(codename="change_user").pk == change_user.pk
    assert coordinator.has_perm("accounts.change_user")

    # On a database that is up to date, it does nothing.
    call_command("migrate", verbosity=1)
    assert "Moved" not in capsys.readouterr().out


def test_a_content_type_made_early_by_the_new_code_does_not_stop_the_takeover():
    coordinator = CoordinatorFactory(email="koordination@moselblick.example")
    as_before_the_move()
    # The web server or a shell of the new code ran before migrate and asked for the type.
    ContentType.objects.create(app_label="accounts", model="user")

    call_command("migrate", verbosity=0)

    ContentType.objects.clear_cache()
    assert ContentType.objects.filter(model="user", app_label="accounts").count() == 1
    assert User.objects.get(pk=coordinator.pk).has_perm("accounts.change_user")


def test_migrate_check_only_looks():
    as_before_the_move()
    with pytest.raises(Exception, match="accounts.0001_initial"):
        call_command("migrate", check_unapplied=True, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations WHERE app = 'accounts'")
        assert cursor.fetchone() == (0,)
    call_command("migrate", verbosity=0)  # and the real run takes over
