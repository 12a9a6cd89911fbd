"""Demo data of newsletter/: the member lists, a public list with confirmed readers, a sent
issue in the public archive and a draft. No mails are sent while seeding."""

from django.utils import timezone

from members.models import ContactPerson
from network_portal.activity import Process
from newsletter import services
from newsletter.models import ConsentRecord, Delivery, Issue, MailingList, Subscriber, Subscription

LISTS = [
    ("alle-mitglieder", "Alle Mitglieder", MailingList.Kind.MEMBERS, ""),
    (
        "personal-und-ausbildung",
        "Personal und Ausbildung",
        MailingList.Kind.MEMBERS,
        ContactPerson.Function.HR,
    ),
    ("newsletter", "Newsletter „Attraktive Unternehmen Trier“", MailingList.Kind.PUBLIC, ""),
]
CONSENT = "Ich möchte den Newsletter des Netzwerks per E-Mail erhalten (Demo)."


def seed() -> None:
    lists = {}
    for slug, name, kind, function in LISTS:
        lists[slug], _ = MailingList.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "contact_function": function}
        )
    services.sync_member_lists(process=Process.COMMAND)
    for n, (first, last) in enumerate(
        [("Sabine", "Hansen"), ("Tobias", "Mertes"), ("Miriam", "Zender")]
    ):
        subscriber, created = Subscriber.objects.get_or_create(
            email=f"{first.lower()}.{last.lower()}@leser.example",
            defaults={
                "salutation": "ms" if n != 1 else "mr",
                "first_name": first,
                "last_name": last,
            },
        )
        Subscription.objects.update_or_create(
            subscriber=subscriber,
            mailing_list=lists["newsletter"],
            defaults={
                "status": Subscription.Status.CONFIRMED,
                "source": "public-signup",
                "confirmed_at": timezone.now(),
            },
        )
        if created:
            ConsentRecord.objects.create(
                subscriber=subscriber,
                mailing_list=lists["newsletter"],
                action="requested",
                form="public-signup",
                consent_text=CONSENT,
            )
            ConsentRecord.objects.create(
                subscriber=subscriber,
                mailing_list=lists["newsletter"],
                action="confirmed",
                form="confirmation-link",
            )
    sent, created = Issue.objects.get_or_create(
        subject="Einladung zum Weihnachtsempfang des Netzwerks",
        defaults={
            "preheader": "Im Dezember treffen wir uns wieder – diesmal ganz ohne Tagesordnung.",
            "body": (
                "## Weihnachtsempfang\n\nAuch in diesem Jahr lädt die Wirtschaftsförderung alle "
                "Mitgliedsunternehmen zum **Weihnachtsempfang** ein.\n\n"
                "- Austausch in entspannter Runde\n- Rückblick auf das Netzwerkjahr\n\n"
                "Wir freuen uns auf Sie!"
            ),
            "is_public": True,
            "status": Issue.Status.SENT,
            "sent_at": timezone.now(),
        },
    )
    if created:
        sent.lists.set([lists["alle-mitglieder"], lists["newsletter"]])
        Delivery.objects.bulk_create(
            [
                Delivery(
                    issue=sent,
                    subscriber=s,
                    email=s.email,
                    status=Delivery.Status.SENT,
                    attempts=1,
                    sent_at=timezone.now(),
                )
                for s in Subscriber.objects.filter(subscriptions__status="confirmed").distinct()
            ],
            ignore_conflicts=True,
        )
    draft, created = Issue.objects.get_or_create(
        subject="Neue Sprachkurse für internationale Fachkräfte",
        defaults={
            "body": "Ab Februar starten gemeinsame **Sprachkurse**, damit auch kleine Betriebe "
            "sie anbieten können. Anmeldung über die Koordination.",
            "status": Issue.Status.DRAFT,
        },
    )
    if created:
        draft.lists.set([lists["alle-mitglieder"]])


def summary() -> list[str]:
    return [
        f"Newsletter: {MailingList.objects.count()} lists, "
        f"{Subscription.objects.filter(status='confirmed').count()} confirmed subscriptions, "
        f"{Issue.objects.count()} issues."
    ]
