"""Demo data of internships/: two member companies offer places (one of them on the public
page), the German school in Bilbao comes for three weeks with three pupils, two of them placed.
Dates are relative to today; no mails are sent while seeding (the coordinator sends the
placement lists from the admin's placement screen)."""

from datetime import timedelta

from django.utils import timezone

from internships.models import (
    Field,
    InternshipOffer,
    OfferPeriod,
    PartnerSchool,
    Placement,
    Pupil,
    SchoolStay,
)
from members.models import Company

OFFERS = [
    # company slug, field, own words, places, description, days from today (from, to)
    (
        "moselblick-pflege-gmbh",
        Field.CARE,
        "Altenpflege",
        2,
        "Mitarbeit in der Tagespflege: Frühstück, Gespräche, Ausflüge. Deutsch auf B1-Niveau.",
        (30, 120),
    ),
    (
        "petrisberg-software-ag",
        Field.IT,
        "Webentwicklung",
        1,
        "Ein kleines Web-Projekt im Team, mit Code-Reviews.",
        (45, 90),
    ),
]

PUPILS = [
    # first name, last name, wished field, interests, placed at (company slug or None)
    ("Ane", "Garay", Field.CARE, "Medizin, Sport", "moselblick-pflege-gmbh"),
    ("Jon", "Etxebarria", Field.IT, "Programmieren", "petrisberg-software-ag"),
    ("Irati", "Zubiri", Field.CARE, "Psychologie", None),
]


def seed(companies: dict[str, Company]) -> None:
    today = timezone.localdate()
    offers = {}
    for slug, field, detail, places, description, (start, end) in OFFERS:
        company = companies[slug]
        offer, _ = InternshipOffer.objects.update_or_create(
            company=company,
            field=field,
            defaults={
                "field_detail": detail,
                "places": places,
                "description": description,
                "contact": company.contacts.order_by("pk").first(),
                "public_consent": True,
                "status": InternshipOffer.Status.OPEN,
            },
        )
        offer.periods.all().delete()
        OfferPeriod.objects.create(
            offer=offer,
            starts_on=today + timedelta(days=start),
            ends_on=today + timedelta(days=end),
        )
        offers[slug] = offer

    school, _ = PartnerSchool.objects.update_or_create(
        name="Deutsche Schule Bilbao",
        defaults={
            "city": "Bilbao",
            "country": "Spanien",
            "contact_name": "Marta Etxeberria",
            "contact_email": "praktikum@dsbilbao.example",
        },
    )
    starts_on, ends_on = today + timedelta(days=50), today + timedelta(days=70)
    stay, _ = SchoolStay.objects.update_or_create(
        school=school, defaults={"starts_on": starts_on, "ends_on": ends_on}
    )
    for first, last, field, interests, placed_at in PUPILS:
        pupil, _ = Pupil.objects.update_or_create(
            stay=stay,
            first_name=first,
            last_name=last,
            defaults={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "wished_field": field,
                "interests": interests,
            },
        )
        if placed_at is not None:
            Placement.objects.update_or_create(pupil=pupil, defaults={"offer": offers[placed_at]})


def summary() -> list[str]:
    return [
        f"Internships: {InternshipOffer.objects.count()} offers, "
        f"{Pupil.objects.count()} pupils of a partner school, "
        f"{Placement.objects.count()} placed (send the lists at /admin/internships/schoolstay/)."
    ]
