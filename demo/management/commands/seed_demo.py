"""``manage.py seed_demo``: a realistic, fictional demo of the whole portal.

One module of this package per app (``demo/<app>.py``); members first, the others need its
companies. ``demo/legal.py`` writes Impressum, Datenschutz and Barrierefreiheit. Running the
command twice changes nothing.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from demo import cooperation as cooperation_demo
from demo import events as events_demo
from demo import expertise as expertise_demo
from demo import internships as internships_demo
from demo import legal as legal_demo
from demo import meetings as meetings_demo
from demo import members as members_demo
from demo import newsletter as newsletter_demo
from demo import seal as seal_demo
from network_portal import dev_mailbox
from network_portal.signing import absolute_url


class Command(BaseCommand):
    help = "Create (or refresh) a fictional demo of the whole portal, with demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even when DJANGO_DEBUG is off."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo fills the database with fictional data and demo logins; it refuses "
                "to run with DJANGO_DEBUG off. Use --force if you really mean it."
            )
        with transaction.atomic():
            companies = members_demo.seed()
            meetings_demo.seed(companies)
            expertise_demo.seed(companies)
            newsletter_demo.seed()
            seal_demo.seed(companies)
            events_demo.seed(companies)  # the ceremony's guests: the seal's holders
            internships_demo.seed(companies)
            cooperation_demo.seed(companies)
            legal_demo.seed()
        lines = [
            *members_demo.summary(),
            *meetings_demo.summary(),
            *expertise_demo.summary(),
            *newsletter_demo.summary(),
            *seal_demo.summary(),
            *events_demo.summary(),
            *internships_demo.summary(),
            *cooperation_demo.summary(),
            *legal_demo.summary(),
        ]
        if dev_mailbox.is_available():
            lines.append(
                f"Mails the portal sends are written to {settings.EMAIL_FILE_PATH}, one .eml file "
                f"per mail; read them (and click their links) at "
                f"{absolute_url(reverse('dev_mailbox'))}"
            )
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
