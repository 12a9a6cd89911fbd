"""Demo data of members/: fictional companies in the Trier region, contacts and demo logins.

Safe to run twice: every object is found by a natural key (slug, email) and updated in place.
Seeded first by ``manage.py seed_demo`` (demo/management): the other apps' demo data needs
these companies.
"""

import random
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.roles import COORDINATOR_GROUP, JURY_GROUP
from members.models import (
    Company,
    CompanyMembership,
    ContactPerson,
    Industry,
    LegalForm,
    SizeClass,
)

DEMO_PASSWORD = "demo-trier"  # noqa: S105 - documented demo login, seed_demo refuses production
COORDINATOR_EMAIL = "koordination@demo.example"
SYSTEM_EMAIL = "system@demo.example"
COMPANY_ADMIN_EMAIL = "personal@demo.example"
JUROR_EMAIL = "jury@demo.example"

# (name, legal form, industry, size class, street, postcode, city, status, directory consent)
COMPANIES = [
    (
        "Moselblick Pflege GmbH",
        LegalForm.GMBH,
        Industry.HEALTH,
        SizeClass.MEDIUM,
        "Zurmaiener Straße 44",
        "54292",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Porta Digital Werkstatt UG",
        LegalForm.UG,
        Industry.IT,
        SizeClass.SMALL,
        "Simeonstraße 7",
        "54290",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Römerbrücken Bau GmbH & Co. KG",
        LegalForm.GMBH_CO_KG,
        Industry.CONSTRUCTION,
        SizeClass.MEDIUM,
        "Luxemburger Straße 120",
        "54294",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Klinikverbund Trierer Land gGmbH",
        LegalForm.GMBH,
        Industry.HEALTH,
        SizeClass.LARGE,
        "Feldstraße 16",
        "54290",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Schreinerei Olewig e. K.",
        LegalForm.EK,
        Industry.CRAFTS,
        SizeClass.SMALL,
        "Olewiger Straße 210",
        "54295",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Weinkontor Saar-Mosel eG",
        LegalForm.EG,
        Industry.TRADE,
        SizeClass.MEDIUM,
        "Im Avelertal 3",
        "54295",
        "Trier",
        Company.Status.ACTIVE,
        False,
    ),
    (
        "Petrisberg Software AG",
        LegalForm.AG,
        Industry.IT,
        SizeClass.MEDIUM,
        "Max-Planck-Straße 5",
        "54296",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Bäckerei Kürenzer Kruste",
        LegalForm.EINZELUNTERNEHMEN,
        Industry.CRAFTS,
        SizeClass.SMALL,
        "Domänenstraße 9",
        "54295",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Moselland Logistik GmbH",
        LegalForm.GMBH,
        Industry.LOGISTICS,
        SizeClass.LARGE,
        "Am Grüneberg 20",
        "54292",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Hotel Kaiserthermen-Blick GmbH",
        LegalForm.GMBH,
        Industry.HOSPITALITY,
        SizeClass.MEDIUM,
        "Weberbach 61",
        "54290",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Elektro Pfalzel GmbH",
        LegalForm.GMBH,
        Industry.CRAFTS,
        SizeClass.MEDIUM,
        "Eltzstraße 14",
        "54293",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Steuerkanzlei am Viehmarkt PartG",
        LegalForm.OTHER,
        Industry.SERVICES,
        SizeClass.SMALL,
        "Viehmarktplatz 8",
        "54290",
        "Trier",
        Company.Status.ACTIVE,
        False,
    ),
    (
        "Ruwertaler Metallbau GmbH",
        LegalForm.GMBH,
        Industry.MANUFACTURING,
        SizeClass.MEDIUM,
        "Gewerbegebiet Ruwer 4",
        "54292",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Sozialwerk Trier-Nord e. V.",
        LegalForm.EV,
        Industry.SOCIAL,
        SizeClass.MEDIUM,
        "Thebäerstraße 30",
        "54292",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Volksbank Mosel-Hochwald eG",
        LegalForm.EG,
        Industry.FINANCE,
        SizeClass.LARGE,
        "Kornmarkt 2",
        "54290",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Malerbetrieb Zewen GbR",
        LegalForm.GBR,
        Industry.CRAFTS,
        SizeClass.SMALL,
        "Kirchenstraße 22",
        "54294",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Trierer Kinderhäuser gGmbH",
        LegalForm.GMBH,
        Industry.SOCIAL,
        SizeClass.MEDIUM,
        "Paulinstraße 55",
        "54292",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Medienhaus Porta Nigra GmbH",
        LegalForm.GMBH,
        Industry.SERVICES,
        SizeClass.MEDIUM,
        "Hindenburgstraße 1",
        "54290",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Autohaus Euren KG",
        LegalForm.KG,
        Industry.TRADE,
        SizeClass.MEDIUM,
        "Eurener Straße 190",
        "54294",
        "Trier",
        Company.Status.ACTIVE,
        False,
    ),
    (
        "Gärtnerei Tarforst",
        LegalForm.EINZELUNTERNEHMEN,
        Industry.CRAFTS,
        SizeClass.SMALL,
        "Trimmelter Hof 3",
        "54296",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Sanitär Heiligkreuz GmbH",
        LegalForm.GMBH,
        Industry.CRAFTS,
        SizeClass.SMALL,
        "Arnulfstraße 40",
        "54295",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Hochwald Präzisionstechnik GmbH",
        LegalForm.GMBH,
        Industry.MANUFACTURING,
        SizeClass.LARGE,
        "Industriestraße 11",
        "54296",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Physiotherapie am Dom",
        LegalForm.GBR,
        Industry.HEALTH,
        SizeClass.SMALL,
        "Liebfrauenstraße 6",
        "54290",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Ingenieurbüro Mariahof GmbH",
        LegalForm.GMBH,
        Industry.SERVICES,
        SizeClass.SMALL,
        "Mariahofstraße 17",
        "54296",
        "Trier",
        Company.Status.PAUSED,
        False,
    ),
    (
        "Stadtwerke-Service Trier GmbH",
        LegalForm.GMBH,
        Industry.PUBLIC,
        SizeClass.LARGE,
        "Ostallee 7",
        "54290",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Druckerei Biewer GmbH",
        LegalForm.GMBH,
        Industry.MANUFACTURING,
        SizeClass.MEDIUM,
        "Biewerer Straße 101",
        "54293",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Café Palastgarten",
        LegalForm.EINZELUNTERNEHMEN,
        Industry.HOSPITALITY,
        SizeClass.SMALL,
        "Konstantinplatz 1",
        "54290",
        "Trier",
        Company.Status.LEFT,
        False,
    ),
    (
        "Pflegedienst Quint GmbH",
        LegalForm.GMBH,
        Industry.HEALTH,
        SizeClass.MEDIUM,
        "Quinter Straße 12",
        "54293",
        "Trier",
        Company.Status.ACTIVE,
        True,
    ),
    (
        "Dachdeckerei Feyen GmbH",
        LegalForm.GMBH,
        Industry.CRAFTS,
        SizeClass.SMALL,
        "Pellinger Straße 25",
        "54294",
        "Trier",
        Company.Status.PENDING,
        False,
    ),
    (
        "Lernwerk Trier UG",
        LegalForm.UG,
        Industry.SOCIAL,
        SizeClass.SMALL,
        "Saarstraße 48",
        "54290",
        "Trier",
        Company.Status.PENDING,
        False,
    ),
]

FIRST_NAMES = [
    "Anna",
    "Lukas",
    "Julia",
    "Markus",
    "Sabine",
    "Jonas",
    "Katrin",
    "Stefan",
    "Lea",
    "Thomas",
    "Miriam",
    "Daniel",
    "Petra",
    "Felix",
    "Nadine",
    "Tobias",
]
LAST_NAMES = [
    "Schmitt",
    "Weber",
    "Krämer",
    "Hoffmann",
    "Thiel",
    "Reuter",
    "Lenz",
    "Kaspari",
    "Bollig",
    "Zender",
    "Pauly",
    "Hansen",
    "Mertes",
    "Kirchen",
    "Steffen",
    "Wagner",
]
FUNCTIONS = [
    ContactPerson.Function.MANAGEMENT,
    ContactPerson.Function.HR,
    ContactPerson.Function.TRAINING,
]


def seed() -> dict[str, Company]:
    """Companies, contacts and the four demo logins; returns the companies by slug."""
    companies = seed_companies()
    seed_logins(companies)
    return companies


def summary() -> list[str]:
    return [
        f"Demo data ready: {Company.objects.count()} companies, "
        f"{ContactPerson.objects.count()} contact persons.",
        f"Demo logins (password: {DEMO_PASSWORD}):",
        f"  {COORDINATOR_EMAIL:28} coordinator (group '{COORDINATOR_GROUP}'), admin at /admin/",
        f"  {SYSTEM_EMAIL:28} system administrator (superuser), admin at /admin/",
        f"  {COMPANY_ADMIN_EMAIL:28} company admin of Moselblick Pflege GmbH",
        f"  {JUROR_EMAIL:28} juror (group '{JURY_GROUP}')",
        "Coordinator, system administrator and juror log in with a second factor: the code of an "
        "authenticator app "
        f"with the secret {DEMO_TOTP_SECRET} (with `make demo` also {DEMO_TOTP_BYPASS_CODE}).",
    ]


def seed_companies() -> dict[str, Company]:
    rng = random.Random(2019)  # the network's founding year: the same demo every run
    companies = {}
    for i, (
        name,
        legal_form,
        industry,
        size,
        street,
        postcode,
        city,
        status,
        consent,
    ) in enumerate(COMPANIES):
        slug = slugify(name)
        company, _ = Company.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "legal_form": legal_form,
                "industry": industry,
                "size_class": size,
                "street": street,
                "postcode": postcode,
                "city": city,
                "status": status,
                "directory_consent": consent,
                "website": f"https://{slug}.example",
                "description": DESCRIPTIONS.get(industry, ""),
                "member_since": None
                if status == Company.Status.PENDING
                else date(2019 + i % 6, 1 + i % 12, 1),
                # Left some months ago (the annual report counts the departure).
                "left_on": timezone.localdate() - timedelta(days=45 + 30 * (i % 5))
                if status == Company.Status.LEFT
                else None,
            },
        )
        companies[slug] = company
        for n in range(1 + i % 3):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email = f"{slugify(first)}.{slugify(last)}.{n}@{slug}.example"
            ContactPerson.objects.update_or_create(
                company=company,
                email=email,
                defaults={
                    "salutation": ContactPerson.Salutation.MS
                    if first
                    in {"Anna", "Julia", "Sabine", "Katrin", "Lea", "Miriam", "Petra", "Nadine"}
                    else ContactPerson.Salutation.MR,
                    "title": "Dr." if (i + n) % 7 == 0 else "",
                    "first_name": first,
                    "last_name": last,
                    "function": FUNCTIONS[n % len(FUNCTIONS)],
                    "phone": f"0651 {4600 + i * 10 + n}",
                    "wants_meeting_invitations": (i + n) % 5 != 0,
                    "wants_newsletter": (i + n) % 4 != 0,
                },
            )
    return companies


def _login(email, *, first_name, last_name, **flags) -> User:
    user, _ = User.objects.update_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name, **flags}
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_logins(companies: dict[str, Company]) -> None:
    # The coordinator works as real coordinators do: staff in the group „Koordination“, which
    # holds the permissions of the apps they manage, and no superuser. The system's technical
    # side (roles, schedules, second factors) has a login of its own.
    coordinator = _login(
        COORDINATOR_EMAIL,
        first_name="Klara",
        last_name="Koordinatorin",
        is_staff=True,
        is_superuser=False,
    )
    coordinator.groups.add(Group.objects.get_or_create(name=COORDINATOR_GROUP)[0])
    system = _login(
        SYSTEM_EMAIL, first_name="Sven", last_name="System", is_staff=True, is_superuser=True
    )
    hr = _login(COMPANY_ADMIN_EMAIL, first_name="Petra", last_name="Personal")
    company = companies["moselblick-pflege-gmbh"]
    CompanyMembership.objects.update_or_create(
        user=hr, defaults={"company": company, "role": CompanyMembership.Role.ADMIN}
    )
    ContactPerson.objects.update_or_create(
        company=company,
        email=COMPANY_ADMIN_EMAIL,
        defaults={
            "user": hr,
            "salutation": ContactPerson.Salutation.MS,
            "first_name": "Petra",
            "last_name": "Personal",
            "function": ContactPerson.Function.HR,
            "phone": "0651 4699",
        },
    )
    juror = _login(JUROR_EMAIL, first_name="Jens", last_name="Juror")
    juror.groups.add(Group.objects.get_or_create(name=JURY_GROUP)[0])
    for user in (coordinator, system, juror):
        _enrol_demo_totp(user)


# Coordinators and jurors must use a second factor. The demo logins have an authenticator with
# this published secret (add it to any authenticator app); `make demo` also accepts 000000.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 - demo data, printed on purpose
DEMO_TOTP_BYPASS_CODE = "000000"


def _enrol_demo_totp(user) -> None:
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        Authenticator.objects.create(
            user=user,
            type=Authenticator.Type.TOTP,
            data={"secret": get_adapter().encrypt(DEMO_TOTP_SECRET)},
        )


DESCRIPTIONS = {
    Industry.HEALTH: "Ambulante und stationäre Pflege mit festen Teams und flexiblen Dienstplänen.",
    Industry.IT: "Software und digitale Dienstleistungen für Betriebe in der Region.",
    Industry.CONSTRUCTION: "Hoch- und Tiefbau mit eigener Ausbildungswerkstatt.",
    Industry.CRAFTS: "Handwerksbetrieb mit Tradition und Ausbildungsplätzen.",
    Industry.TRADE: "Regionaler Handel mit persönlicher Beratung.",
    Industry.LOGISTICS: "Transport und Lagerlogistik zwischen Mosel, Saar und Luxemburg.",
    Industry.HOSPITALITY: "Gastgeber für Gäste aus aller Welt, mitten in der Römerstadt.",
    Industry.SERVICES: "Dienstleistungen für Unternehmen und Privatkunden.",
    Industry.MANUFACTURING: "Fertigung in der Region mit internationalen Kunden.",
    Industry.SOCIAL: "Bildung und soziale Arbeit für Familien in Trier.",
    Industry.FINANCE: "Finanzdienstleistungen für Menschen und Betriebe der Region.",
    Industry.PUBLIC: "Dienstleistungen für die Stadt und ihre Bürgerinnen und Bürger.",
}
