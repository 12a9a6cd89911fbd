"""Demo data of the other kinds of events (``meetings.kinds``): the Christmas reception, open
to all member companies and in the public calendar, and the ceremony of the seal 2025 with the
awarded companies as its guests, taken over from the seal through
``network_portal.company_groups`` as coordinators do. Seeded after the seal (its holders).
No mails are sent while seeding."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from meetings.models import Meeting, Registration
from members.models import Company
from network_portal.company_groups import company_group

from .seal import CEREMONY_2025

PALAIS = {
    "venue_name": "Kurfürstliches Palais",
    "venue_street": "Willy-Brandt-Platz 3",
    "venue_postcode": "54290",
    "venue_city": "Trier",
}


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def seed(companies: dict[str, Company]) -> None:
    reception_day = timezone.localdate() + timedelta(days=16)
    reception, _ = Meeting.objects.update_or_create(
        slug="weihnachtsempfang",
        defaults={
            "kind": Meeting.Kind.RECEPTION,
            "title": "Weihnachtsempfang des Netzwerks",
            "topic": "Rückblick auf das Jahr, Ausblick und Zeit für Gespräche",
            "description": "Mit einem Grußwort des Oberbürgermeisters und Glühwein im Hof.",
            "starts_at": _at(reception_day, 18),
            "ends_at": _at(reception_day, 21),
            "rsvp_deadline": _at(reception_day - timedelta(days=5), 12),
            **PALAIS,
            "room": "Festsaal",
            "capacity": 120,
            "per_company_limit": 2,
            "status": Meeting.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(days=14),
            "is_public": True,
        },
    )
    reception.invited_companies.clear()  # all member companies
    for company in [c for c in companies.values() if c.status == Company.Status.ACTIVE][:6]:
        contact = company.contacts.order_by("pk").first()
        if contact is not None:
            Registration.objects.update_or_create(
                meeting=reception,
                email=contact.email,
                defaults={
                    "company": company,
                    "contact": contact,
                    "name": contact.full_name,
                    "status": Registration.Status.CONFIRMED,
                },
            )

    ceremony, _ = Meeting.objects.update_or_create(
        slug="siegelverleihung-2025",
        defaults={
            "kind": Meeting.Kind.CEREMONY,
            "title": "Verleihung des Siegels „Mein Top Job Trier“ 2025",
            "topic": "Feierstunde für die ausgezeichneten Unternehmen",
            "starts_at": _at(CEREMONY_2025, 17),
            "ends_at": _at(CEREMONY_2025, 19),
            "rsvp_deadline": _at(CEREMONY_2025 - timedelta(days=10), 12),
            **PALAIS,
            "room": "Rokokosaal",
            "capacity": 40,
            "per_company_limit": 2,
            "status": Meeting.Status.HELD,
            "published_at": _at(CEREMONY_2025 - timedelta(days=30), 9),
            "is_public": True,
        },
    )
    holders = company_group("seal:2025")
    if holders is not None:
        ceremony.invited_companies.set(holders.companies())


def summary() -> list[str]:
    lines = []
    reception = Meeting.objects.filter(slug="weihnachtsempfang").first()
    if reception:
        lines.append(
            f"Christmas reception (public): /meetings/{reception.slug}/, "
            f"{timezone.localtime(reception.starts_at):%d.%m.%Y}; public calendar "
            "/meetings/public/ (.ics, .json)"
        )
    ceremony = Meeting.objects.filter(slug="siegelverleihung-2025").first()
    if ceremony:
        lines.append(
            f"Seal ceremony 2025: {ceremony.invited_companies.count()} awarded companies as guests"
        )
    return lines
