"""Django's ``migrate``, after one step for databases from before the ``accounts`` app.

The user model lived in ``members`` until it moved to ``accounts``, keeping its table
(``members_user``). A database migrated before the move has the table but no record of
``accounts.0001_initial``, and Django refuses to migrate a history in which applied migrations
(``members.0001``, ``admin.0001``, …) depend on an unapplied one. So this records the migration as
applied and hands the user model's content type (and with it its permissions and the admin's
log entries) to ``accounts``, then migrates as usual. On any other database it does nothing.
"""

from django.core.management.commands.migrate import Command as DjangoMigrateCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

ADOPTED = ("accounts", "0001_initial")


def adopt_user_model(connection) -> bool:
    """Bring a database from before the move up to date; True if it was one."""
    tables = connection.introspection.table_names()
    if "django_migrations" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT app, name FROM django_migrations WHERE app IN ('members', 'accounts')"
        )
        applied = set(cursor.fetchall())
    if ("members", "0001_initial") not in applied or ADOPTED in applied:
        return False
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            [*ADOPTED, timezone.now()],
        )
        if "django_content_type" in tables:
            # A content type made for accounts.user by code that ran before this (a shell, the
            # web server) has no permissions of weight yet: the old one, which the groups'
            # permissions hang on, takes its place.
            cursor.execute(
                "SELECT id FROM django_content_type WHERE app_label = 'accounts' AND model = 'user'"
            )
            early = [row[0] for row in cursor.fetchall()]
            if early:
                cursor.execute("DELETE FROM auth_permission WHERE content_type_id = %s", [early[0]])
                cursor.execute("DELETE FROM django_content_type WHERE id = %s", [early[0]])
            cursor.execute(
                "UPDATE django_content_type SET app_label = 'accounts' "
                "WHERE app_label = 'members' AND model = 'user'"
            )
    return True


class Command(DjangoMigrateCommand):
    def handle(self, *args, **options):
        if options.get("check_unapplied") or options.get("plan"):
            return super().handle(*args, **options)  # they only look; so does this
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if adopt_user_model(connection) and options.get("verbosity", 1) >= 1:
            self.stdout.write("Moved the user model's records from members to accounts.")
        return super().handle(*args, **options)
