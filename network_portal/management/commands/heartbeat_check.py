"""``manage.py heartbeat_check beat``: exit status 0 when the process has recorded itself
recently (within 3 * HEARTBEAT_SECONDS), else 1 with one line saying since when it is silent.

The health check of the beat container (docker-compose.yml); the same rule as ``/readyz``.
"""

from django.core.management.base import BaseCommand, CommandError

from network_portal.health import heartbeat_age_seconds, heartbeat_limit_seconds


class Command(BaseCommand):
    help = "Exit with status 1 unless the process (worker, beat) recorded its heartbeat recently."

    def add_arguments(self, parser):
        parser.add_argument("process", choices=["worker", "beat"])

    def handle(self, *args, process, **options):
        age, limit = heartbeat_age_seconds(process), heartbeat_limit_seconds()
        if age is None:
            raise CommandError(f"{process} has never recorded a heartbeat")
        if age > limit:
            raise CommandError(
                f"{process} last recorded a heartbeat {age:.0f} s ago (limit {limit:.0f} s)"
            )
        self.stdout.write(f"{process} recorded a heartbeat {age:.0f} s ago")
