"""Demo data of cooperation/: a shared German course of Moselblick Pflege with places booked by
two companies (one of them partly on the waitlist) and the coordinators' board of jobs for
family members of international staff, with companies interested. No mails while seeding."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cooperation.models import Booking, Interest, Project
from members.models import Company

COURSE = "Gemeinsamer Deutschkurs B1 für Pflege- und Fachkräfte"
FAMILY_JOBS = "Jobs für Angehörige internationaler Fachkräfte"


def _active(companies: dict[str, Company]) -> list[Company]:
    return [company for company in companies.values() if company.is_active_member]


def seed(companies: dict[str, Company]) -> None:
    active = _active(companies)
    owner = companies["moselblick-pflege-gmbh"]
    course, _ = Project.objects.update_or_create(
        title=COURSE,
        defaults={
            "kind": Project.Kind.LANGUAGE_COURSE,
            "company": owner,
            "status": Project.Status.OPEN,
            "description": (
                "Kleine Betriebe allein können keinen Deutschkurs füllen, gemeinsam schon: die "
                "Volkshochschule Trier unterrichtet Beschäftigte mehrerer Mitgliedsunternehmen "
                "in einer Gruppe, auf B1-Niveau mit Fachwortschatz."
            ),
            "contact_name": "Anna Neumann",
            "contact_email": "weiterbildung@moselblick-pflege-gmbh.example",
            "total_places": 6,
            "max_places_per_company": 3,
            "total_cost": Decimal("2880.00"),
            "starts_on": timezone.localdate() + timedelta(days=30),
            "schedule": "Dienstags und donnerstags 17:00–18:30 Uhr, 16 Termine, VHS Trier",
        },
    )
    others = [company for company in active if company != owner]
    now = timezone.now()
    plan = [(owner, 3, 0, None), (others[0], 3, 0, None), (others[1], 0, 2, now)]
    for company, places, waiting, since in plan:
        Booking.objects.update_or_create(
            project=course,
            company=company,
            defaults={"places": places, "waiting_places": waiting, "waitlisted_at": since},
        )

    jobs, _ = Project.objects.update_or_create(
        title=FAMILY_JOBS,
        defaults={
            "kind": Project.Kind.FAMILY_JOBS,
            "company": None,
            "status": Project.Status.OPEN,
            "description": (
                "Partnerinnen und Partner der Pflegekräfte aus Indien und den Philippinen suchen "
                "Arbeit in der Region. Welche Mitgliedsunternehmen haben Stellen, auch in "
                "Teilzeit oder als Einstieg mit Sprachkurs? Die Wirtschaftsförderung bringt "
                "Betriebe und Angehörige zusammen."
            ),
            "contact_name": "Koordination Attraktive Unternehmen Trier",
        },
    )
    for company in others[:4]:
        Interest.objects.get_or_create(project=jobs, company=company)
    Interest.objects.get_or_create(project=course, company=others[2])


def summary() -> list[str]:
    return [
        f"Cooperation board: {Project.objects.count()} projects, "
        f"{Booking.objects.count()} bookings on the language course "
        f"(/cooperation/)."
    ]
