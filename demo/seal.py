"""Demo data of seal/: the past cycle 2025 with its catalogue, six scored applications,
decisions and certificates, and the cycle 2027 open for applications now (catalogue copied
from 2025) with a draft of "Moselblick Pflege GmbH". No mails are sent while seeding:
decisions and certificates are written directly, as if they had been sent on 2 May 2025.

Safe to run twice: every object is found by a natural key (slug, name, question, company,
juror) and only created when missing.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import JURY_GROUP
from demo.members import JUROR_EMAIL
from members.models import Company, CompanyMembership
from network_portal.activity import Process
from seal import selectors, services
from seal.models import (
    Answer,
    Application,
    AwardCycle,
    Category,
    Certificate,
    Criterion,
    HolderProfile,
    JurorAssignment,
    ScaleLevel,
    Score,
)

SECOND_JUROR_EMAIL = "jurorin@demo.example"
PAST_THRESHOLD = Decimal("60.00")
CEREMONY_2025 = date(2025, 5, 22)
CERTIFICATE_VALID_UNTIL = date(2029, 5, 22)

# category, [(question, guidance, weight, evidence required, [level 0 … level 4])]
CATALOGUE = [
    (
        "Vergütung und Zusatzleistungen",
        [
            (
                "Wie legen Sie die Gehälter fest und wie transparent ist das für Ihre "
                "Beschäftigten?",
                "Nennen Sie einen Tarifvertrag, an dem Sie sich orientieren, oder beschreiben Sie "
                "Ihr Gehaltsschema und wie oft Sie es überprüfen.",
                Decimal("1.5"),
                True,
                [
                    "Keine festen Regeln, Gehälter werden einzeln ausgehandelt.",
                    "Einzelne Regeln, für die Beschäftigten nicht nachvollziehbar.",
                    "Orientierung an einem Tarifvertrag für einen Teil der Beschäftigten.",
                    "Tarif oder transparentes Gehaltsschema für alle Beschäftigten.",
                    "Über Tarif, transparentes Schema, jährliche Überprüfung.",
                ],
            ),
            (
                "Welche Zusatzleistungen bieten Sie an (z. B. Jobticket, betriebliche "
                "Altersvorsorge, Zuschüsse)?",
                "Zählen Sie die Leistungen auf und sagen Sie, wer sie erhält.",
                Decimal("1"),
                False,
                [
                    "Keine Zusatzleistungen.",
                    "Eine Zusatzleistung für einzelne Beschäftigte.",
                    "Ein bis zwei Zusatzleistungen für alle.",
                    "Mehrere Zusatzleistungen für alle Beschäftigten.",
                    "Breites Angebot, das die Beschäftigten mitgestalten.",
                ],
            ),
        ],
    ),
    (
        "Aus- und Weiterbildung",
        [
            (
                "Bilden Sie aus, und wie begleiten Sie Ihre Auszubildenden?",
                "Beschreiben Sie Ausbildungsberufe, Betreuung und Übernahme nach der Ausbildung.",
                Decimal("1"),
                False,
                [
                    "Keine Ausbildung und keine Praktika.",
                    "Praktika für Schülerinnen und Schüler, keine Ausbildung.",
                    "Ausbildung mit Betreuung durch die Ausbildenden.",
                    "Ausbildung mit fester Patin oder festem Paten und Übernahmeangebot.",
                    "Wie 3, dazu Ausbildung in Teilzeit oder Förderung über die Prüfung hinaus.",
                ],
            ),
            (
                "Wie planen und fördern Sie die Weiterbildung Ihrer Beschäftigten?",
                "Ein Weiterbildungsplan oder eine Übersicht der Kurse des letzten Jahres genügt "
                "als Nachweis.",
                Decimal("1.5"),
                True,
                [
                    "Weiterbildung nur, wenn gesetzlich vorgeschrieben.",
                    "Weiterbildung auf Nachfrage, ohne Plan.",
                    "Jährliche Planung für einen Teil der Beschäftigten.",
                    "Jährliche Planung für alle, Freistellung und Kostenübernahme.",
                    "Wie 3, dazu feste Budgets und Entwicklungswege im Betrieb.",
                ],
            ),
        ],
    ),
    (
        "Vereinbarkeit von Beruf und Privatleben",
        [
            (
                "Welche flexiblen Arbeitszeitmodelle bieten Sie an?",
                "Zum Beispiel Gleitzeit, Teilzeit, Arbeitszeitkonten, mobiles Arbeiten oder "
                "Wunschdienstpläne.",
                Decimal("1"),
                False,
                [
                    "Feste Arbeitszeiten ohne Ausnahmen.",
                    "Ausnahmen im Einzelfall.",
                    "Ein geregeltes Modell (z. B. Teilzeit) für alle.",
                    "Mehrere Modelle, die die Beschäftigten wählen können.",
                    "Mehrere Modelle, gemeinsam mit den Beschäftigten weiterentwickelt.",
                ],
            ),
            (
                "Wie unterstützen Sie Beschäftigte mit Kindern oder pflegebedürftigen Angehörigen?",
                "Beschreiben Sie Angebote und wie die Beschäftigten davon erfahren.",
                Decimal("1"),
                False,
                [
                    "Keine Unterstützung.",
                    "Unterstützung im Einzelfall.",
                    "Feste Regeln, z. B. Sonderurlaub oder Tausch von Diensten.",
                    "Feste Regeln und Zuschüsse, z. B. zur Kinderbetreuung.",
                    "Umfassendes Angebot mit fester Ansprechperson im Betrieb.",
                ],
            ),
        ],
    ),
    (
        "Gesundheit",
        [
            (
                "Welche Angebote zur Gesundheitsförderung machen Sie?",
                "Zum Beispiel Kurse, Zuschüsse zum Sport, ergonomische Arbeitsplätze.",
                Decimal("1"),
                False,
                [
                    "Keine Angebote über den Arbeitsschutz hinaus.",
                    "Einzelne Aktionen.",
                    "Regelmäßige Angebote für einen Teil der Beschäftigten.",
                    "Regelmäßige Angebote für alle Beschäftigten.",
                    "Betriebliches Gesundheitsmanagement mit Zielen und Auswertung.",
                ],
            ),
            (
                "Wie erkennen und verringern Sie Belastungen am Arbeitsplatz?",
                "Bitte legen Sie die aktuelle Gefährdungsbeurteilung (auch psychischer "
                "Belastung) oder eine Zusammenfassung bei.",
                Decimal("1"),
                True,
                [
                    "Keine Gefährdungsbeurteilung.",
                    "Gefährdungsbeurteilung ohne psychische Belastung.",
                    "Vollständige Gefährdungsbeurteilung, ohne Maßnahmen.",
                    "Vollständige Gefährdungsbeurteilung mit umgesetzten Maßnahmen.",
                    "Wie 3, regelmäßig mit den Beschäftigten überprüft.",
                ],
            ),
        ],
    ),
    (
        "Führung und Unternehmenskultur",
        [
            (
                "Wie beteiligen Sie Ihre Beschäftigten an Entscheidungen?",
                "Zum Beispiel Teamrunden, Befragungen, Vorschlagswesen.",
                Decimal("1"),
                False,
                [
                    "Entscheidungen trifft allein die Leitung.",
                    "Die Beschäftigten werden informiert.",
                    "Die Beschäftigten werden vorher gefragt.",
                    "Feste Formate, in denen die Beschäftigten mitentscheiden.",
                    "Feste Formate mit sichtbaren Ergebnissen und Rückmeldung.",
                ],
            ),
            (
                "Führen Sie regelmäßig Mitarbeitergespräche?",
                "Beschreiben Sie Ablauf und Häufigkeit und wie Führungskräfte darauf vorbereitet "
                "werden.",
                Decimal("1"),
                False,
                [
                    "Keine Mitarbeitergespräche.",
                    "Gespräche nur aus besonderem Anlass.",
                    "Jährliche Gespräche für einen Teil der Beschäftigten.",
                    "Jährliche Gespräche für alle, mit Vereinbarungen.",
                    "Wie 3, dazu Rückmeldung an die Führungskräfte.",
                ],
            ),
        ],
    ),
    (
        "Gewinnung und Integration internationaler Fachkräfte",
        [
            (
                "Wie unterstützen Sie internationale Fachkräfte beim Ankommen?",
                "Zum Beispiel Sprachkurse, Begleitung zu Behörden, Hilfe bei der Wohnungssuche, "
                "Arbeit für Familienangehörige.",
                Decimal("1"),
                False,
                [
                    "Keine Unterstützung.",
                    "Unterstützung im Einzelfall.",
                    "Sprachkurs oder Begleitung zu Behörden.",
                    "Sprachkurs, Begleitung und feste Ansprechperson.",
                    "Umfassend, auch für die Familien, gemeinsam mit anderen Betrieben.",
                ],
            ),
            (
                "Wie gewinnen Sie neue Fachkräfte, auch aus dem Ausland?",
                "Nennen Sie Wege der Gewinnung und Ihre Erfahrungen der letzten zwei Jahre.",
                Decimal("1"),
                True,
                [
                    "Keine aktive Gewinnung.",
                    "Stellenanzeigen bei Bedarf.",
                    "Mehrere Wege, z. B. Messen, Praktika, Empfehlungen.",
                    "Mehrere Wege, auch international, mit Ansprechperson.",
                    "Wie 3, mit Kooperationen (z. B. Schulen im Ausland) und Auswertung.",
                ],
            ),
        ],
    ),
]

# One explanation per criterion, in catalogue order.
EXPLANATIONS = [
    "Wir orientieren uns am Tarifvertrag unserer Branche und überprüfen die Gehälter jährlich.",
    "Alle Beschäftigten erhalten ein Jobticket und einen Zuschuss zur Altersvorsorge.",
    "Wir bilden in zwei Berufen aus; jede Auszubildende hat eine feste Patin.",
    "Einmal im Jahr planen wir mit allen Beschäftigten die Weiterbildung; wir zahlen die Kurse.",
    "Gleitzeit für alle, Teilzeit nach Wunsch und Wunschdienstpläne in den Teams.",
    "Sonderurlaub bei Krankheit der Kinder und Zuschuss zur Kinderbetreuung.",
    "Rückenkurs in der Arbeitszeit und Zuschuss zum Fitnessstudio.",
    "Die Gefährdungsbeurteilung mit psychischer Belastung ist 2024 aktualisiert worden.",
    "Monatliche Teamrunde, Vorschläge werden innerhalb von vier Wochen beantwortet.",
    "Jährliche Mitarbeitergespräche mit schriftlichen Vereinbarungen.",
    "Sprachkurs gemeinsam mit anderen Betrieben des Netzwerks und Begleitung zu Behörden.",
    "Praktika für Schülerinnen und Schüler, Messen und Empfehlungen unserer Beschäftigten.",
]

# slug: (the first juror's points per criterion in catalogue order, submitted on, note on the
# decision). The second juror differs by JUROR_2_DIFFERENCE; the notes match the totals.
APPLICANTS_2025 = {
    "moselblick-pflege-gmbh": (
        [3, 3, 3, 4, 4, 4, 3, 3, 3, 3, 4, 4],
        date(2025, 2, 20),
        "Besonders überzeugend: Wunschdienstpläne und die Begleitung internationaler Pflegekräfte.",
    ),
    "porta-digital-werkstatt-ug": (
        [3, 2, 3, 3, 4, 3, 2, 3, 4, 4, 2, 3],
        date(2025, 2, 24),
        "Für einen kleinen Betrieb ein bemerkenswert breites Angebot.",
    ),
    "klinikverbund-trierer-land-ggmbh": (
        [4, 4, 4, 4, 3, 3, 4, 4, 3, 3, 3, 3],
        date(2025, 2, 26),
        "Vorbildliches Gesundheitsmanagement und Ausbildung in Teilzeit.",
    ),
    "petrisberg-software-ag": (
        [3, 3, 2, 3, 4, 3, 3, 2, 3, 3, 3, 3],
        date(2025, 2, 27),
        "Flexible Arbeitszeiten und gute Einarbeitung internationaler Fachkräfte.",
    ),
    "schreinerei-olewig-e-k": (
        [2, 1, 3, 2, 2, 2, 1, 2, 2, 1, 0, 1],
        date(2025, 2, 18),
        "Gute Ansätze in der Ausbildung. Für die nächste Runde empfehlen wir feste Regeln "
        "für Weiterbildung und Mitarbeitergespräche.",
    ),
    "moselland-logistik-gmbh": (
        [3, 3, 2, 2, 1, 1, 1, 2, 2, 2, 2, 2],
        date(2025, 2, 28),
        "Die Vergütung überzeugt; bei Vereinbarkeit und Gesundheit sehen wir noch Potenzial.",
    ),
}
JUROR_2_DIFFERENCE = [0, 1, 0, -1, 0, 0, 1, 0, -1, 0, 0, 1]
# (company, criterion) where the jurors are far apart (2 and 0 points): flagged in the ranking.
DISAGREEMENT = ("schreinerei-olewig-e-k", 0)


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _points(slug: str, criterion: int, juror: int) -> int:
    first = APPLICANTS_2025[slug][0][criterion]
    if juror == 0:
        return first
    if (slug, criterion) == DISAGREEMENT:
        return 0
    return max(0, min(4, first + JUROR_2_DIFFERENCE[criterion]))


def seed(companies: dict[str, Company]) -> None:
    past = _seed_cycle_2025()
    _seed_catalogue(past)
    jurors = _seed_jurors()
    _seed_applications_2025(past, companies, jurors)
    _seed_cycle_2027(past, companies)


def summary() -> list[str]:
    lines = [
        f"Seal: {AwardCycle.objects.count()} cycles, {Application.objects.count()} "
        f"applications, {Certificate.objects.count()} certificates."
    ]
    open_cycle = services.current_cycle()
    if open_cycle is not None and open_cycle.accepts_applications:
        lines.append(
            f"  open for applications: {open_cycle.name}, "
            f"until {timezone.localtime(open_cycle.deadline):%d.%m.%Y}"
        )
    return lines


def _seed_cycle_2025() -> AwardCycle:
    cycle, _ = AwardCycle.objects.get_or_create(
        slug="2025",
        defaults={
            "name": "2025",
            "criteria_published_on": date(2024, 9, 16),
            "applications_open_at": _at(date(2024, 10, 1), 9),
            "deadline": timezone.make_aware(datetime(2025, 2, 28, 23, 59)),
            "jury_review_until": date(2025, 4, 11),
            "decision_on": date(2025, 4, 30),
            "ceremony_on": CEREMONY_2025,
            "validity_years": 4,
            "award_threshold": PAST_THRESHOLD,
        },
    )
    return cycle


def _seed_catalogue(cycle: AwardCycle) -> None:
    for position, (name, criteria) in enumerate(CATALOGUE, start=1):
        category, _ = Category.objects.get_or_create(
            cycle=cycle, name=name, defaults={"position": position}
        )
        for number, (question, guidance, weight, evidence, levels) in enumerate(criteria, 1):
            criterion, _ = Criterion.objects.get_or_create(
                category=category,
                question=question,
                defaults={
                    "guidance": guidance,
                    "scale_max": len(levels) - 1,
                    "weight": weight,
                    "evidence_required": evidence,
                    "position": number,
                },
            )
            for points, description in enumerate(levels):
                ScaleLevel.objects.get_or_create(
                    criterion=criterion, points=points, defaults={"description": description}
                )


def _seed_jurors() -> list[User]:
    jury = Group.objects.get_or_create(name=JURY_GROUP)[0]
    first = User.objects.get(email=JUROR_EMAIL)
    second, created = User.objects.get_or_create(
        email=SECOND_JUROR_EMAIL,
        defaults={"first_name": "Renate", "last_name": "Reinert"},
    )
    if created:
        second.set_unusable_password()  # a juror of the demo's past, without a login
        second.save(update_fields=["password"])
    for juror in (first, second):
        juror.groups.add(jury)
    return [first, second]


def _company_admin(company: Company) -> User | None:
    return (
        User.objects.filter(
            membership__company=company, membership__role=CompanyMembership.Role.ADMIN
        )
        .order_by("pk")
        .first()
    )


def _seed_applications_2025(cycle, companies, jurors) -> None:
    criteria = selectors.cycle_criteria(cycle)
    applications = []
    for slug, (first_juror, submitted_on, _note) in APPLICANTS_2025.items():
        company = companies[slug]
        admin = _company_admin(company)
        application, _ = Application.objects.get_or_create(
            cycle=cycle,
            company=company,
            defaults={
                "started_by": admin,
                "submitted_at": _at(submitted_on, 15),
                "submitted_by": admin,
            },
        )
        applications.append(application)
        for index, criterion in enumerate(criteria):
            Answer.objects.get_or_create(
                application=application,
                criterion=criterion,
                defaults={
                    # Companies see themselves a little better than the jury does.
                    "self_assessment": min(4, first_juror[index] + (index % 3 == 0)),
                    "explanation": EXPLANATIONS[index],
                },
            )
        for j, juror in enumerate(jurors):
            assignment, _ = JurorAssignment.objects.get_or_create(
                application=application,
                juror=juror,
                defaults={"submitted_at": _at(date(2025, 4, 8 + j), 17)},
            )
            for index, criterion in enumerate(criteria):
                Score.objects.get_or_create(
                    assignment=assignment,
                    criterion=criterion,
                    defaults={
                        "points": _points(slug, index, j),
                        "comment": "Nachweis geprüft." if criterion.evidence_required else "",
                    },
                )
    # Decided by the threshold, sent in May 2025, certificates from the ceremony.
    for result in selectors.results_for(applications, criteria):
        application = result.application
        if not application.decision:
            awarded = result.total is not None and result.total >= cycle.award_threshold
            application.decision = (
                Application.Decision.AWARDED if awarded else Application.Decision.NOT_AWARDED
            )
            application.decision_note = APPLICANTS_2025[application.company.slug][2]
            application.decided_at = _at(date(2025, 4, 30), 16)
            application.decision_sent_at = _at(date(2025, 5, 2), 9)
            application.save()
        if application.decision == Application.Decision.AWARDED:
            Certificate.objects.get_or_create(
                application=application,
                defaults={"issued_on": CEREMONY_2025, "valid_until": CERTIFICATE_VALID_UNTIL},
            )
    _seed_holder_page(applications)


def _seed_holder_page(applications) -> None:
    """The first awarded company shows a public seal page (consent given by the demo)."""
    awarded = [a for a in applications if a.decision == Application.Decision.AWARDED]
    if not awarded:
        return
    application = awarded[0]
    profile, created = HolderProfile.objects.get_or_create(
        company=application.company,
        defaults={
            "public": True,
            "consent_given_at": _at(date(2025, 5, 23), 10),
            "offer": "Gleitzeit, Jobrad, ein Zuschuss zum Deutschlandticket und jedes Jahr "
            "zwei Weiterbildungstage für alle.",
            "jobs_url": "https://example.org/jobs",
            "apprenticeships_url": "https://example.org/ausbildung",
        },
    )
    if created:
        profile.published_answers.set(application.answers.order_by("pk")[:2])


def _seed_cycle_2027(past: AwardCycle, companies) -> None:
    today, now = timezone.localdate(), timezone.now()
    cycle, _ = AwardCycle.objects.update_or_create(
        slug="2027",
        defaults={
            "name": "2027",
            "criteria_published_on": today - timedelta(days=45),
            "applications_open_at": now - timedelta(days=30),
            "deadline": now + timedelta(days=60),
            "jury_review_until": today + timedelta(days=100),
            "decision_on": today + timedelta(days=115),
            "ceremony_on": today + timedelta(days=140),
            "validity_years": 4,
        },
    )
    if not cycle.categories.exists():
        services.cycle_copy_catalogue(source=past, target=cycle, process=Process.COMMAND)
    company = companies["moselblick-pflege-gmbh"]
    admin = _company_admin(company)
    application, _ = Application.objects.get_or_create(
        cycle=cycle, company=company, defaults={"started_by": admin}
    )
    for index, criterion in enumerate(selectors.cycle_criteria(cycle)[:3]):
        Answer.objects.get_or_create(
            application=application,
            criterion=criterion,
            defaults={"self_assessment": 3, "explanation": EXPLANATIONS[index]},
        )
