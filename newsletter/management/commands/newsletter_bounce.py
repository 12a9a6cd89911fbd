"""``manage.py newsletter_bounce EMAIL [--soft] [--diagnostic TEXT]``: record a bounce by hand.

For bounce reports that arrive in the coordinators' mailbox rather than through the webhook. A
hard bounce (the default) suppresses the address for every later send.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from newsletter import services
from newsletter.models import Bounce


class Command(BaseCommand):
    help = "Record a bounce for EMAIL; a hard bounce (default) suppresses the address."

    def add_arguments(self, parser):
        parser.add_argument("email", help="The address the mail bounced from.")
        parser.add_argument(
            "--soft",
            action="store_true",
            help="A temporary failure (mailbox full, server down): recorded, not suppressed.",
        )
        parser.add_argument("--diagnostic", default="", help="The bounce message, for the record.")

    def handle(self, *args, email, soft=False, diagnostic="", **options):
        email = email.strip()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"“{email}” is not a valid email address.") from error
        kind = Bounce.Kind.SOFT if soft else Bounce.Kind.HARD
        bounce = services.bounce_record(
            email=email, kind=kind, diagnostic=diagnostic, source="command"
        )
        if kind == Bounce.Kind.HARD:
            message = f"Hard bounce recorded for {bounce.email}; the address is suppressed."
        else:
            message = f"Soft bounce recorded for {bounce.email}; nothing is suppressed."
        self.stdout.write(self.style.SUCCESS(message))
