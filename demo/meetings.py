"""Demo data of meetings/: a past meeting with attendance and feedback, the next one open
for registration, a draft for the quarter after, and topic wishes. Dates are relative to
today, so the demo always has an upcoming meeting. No mails are sent while seeding."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from meetings.models import (
    AgendaItem,
    ExpertGuest,
    ExpertQuestion,
    Feedback,
    Meeting,
    Registration,
    TopicProposal,
    TopicVote,
)
from members.models import Company


def _at(days_from_today: int, hour: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days_from_today)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


MEETINGS = [
    # slug, title, topic, days from today, host slug, status, capacity
    (
        "herbsttreffen-ki-und-web",
        "KI-gestützte Suchmaschinenoptimierung und 3D-Webdesign",
        "Wie kleine Betriebe online sichtbar werden",
        -60,
        "petrisberg-software-ag",
        Meeting.Status.HELD,
        35,
    ),
    (
        "wintertreffen-weiterbildung",
        "Weiterbildung und Mitarbeiterbindung",
        "Fachkräfte halten durch Weiterbildung",
        35,
        "klinikverbund-trierer-land-ggmbh",
        Meeting.Status.PUBLISHED,
        40,
    ),
    (
        "fruehjahrstreffen-siegelkriterien",
        "Kriterien für das Siegel „Mein Top Job Trier“",
        "Die Kriterien für 2027 gemeinsam schärfen",
        120,
        "romerbrucken-bau-gmbh-co-kg",
        Meeting.Status.DRAFT,
        40,
    ),
]

TOPICS = [
    ("Ausländische Fachkräfte: vom Visum bis zur Wohnung", 5),
    ("Ausbildung in Teilzeit", 3),
    ("Betriebliches Gesundheitsmanagement für kleine Betriebe", 2),
]


def seed(companies: dict[str, Company]) -> None:
    active = [c for c in companies.values() if c.status == Company.Status.ACTIVE]
    for slug, title, topic, days, host_slug, status, capacity in MEETINGS:
        host = companies[host_slug]
        meeting, _ = Meeting.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "topic": topic,
                "description": (
                    "Mitgliedsunternehmen berichten aus der Praxis, Fachleute aus der Verwaltung "
                    "beantworten Fragen direkt vor Ort. Im Anschluss ist Zeit für Austausch."
                ),
                "starts_at": _at(days, 16),
                "ends_at": _at(days, 19),
                "rsvp_deadline": _at(days - 7, 12),
                "host": host,
                "venue_name": host.name,
                "venue_street": host.street,
                "venue_postcode": host.postcode,
                "venue_city": host.city,
                "room": "Konferenzraum",
                "directions": "Parkplätze am Haus; Bushaltestelle in 200 m.",
                "capacity": capacity,
                "per_company_limit": 3,
                "status": status,
                "published_at": None if status == Meeting.Status.DRAFT else _at(days - 60, 9),
            },
        )
        meeting.agenda_items.all().delete()
        AgendaItem.objects.bulk_create(
            [
                AgendaItem(meeting=meeting, starts_at=time(16, 0), title="Begrüßung"),
                AgendaItem(
                    meeting=meeting,
                    starts_at=time(16, 15),
                    title="Bericht aus der Praxis",
                    speaker_contact=host.contacts.order_by("pk").first(),
                ),
                AgendaItem(
                    meeting=meeting,
                    starts_at=time(17, 0),
                    title="Fördermöglichkeiten für Weiterbildung",
                    speaker_name="Expertin der Agentur für Arbeit",
                    speaker_organisation="Agentur für Arbeit Trier",
                ),
                AgendaItem(meeting=meeting, starts_at=time(18, 0), title="Austausch und Imbiss"),
            ]
        )
        if status == Meeting.Status.DRAFT:
            continue
        for n, company in enumerate(active[: 14 if status == Meeting.Status.HELD else 9]):
            contact = company.contacts.order_by("pk").first()
            if contact is None:
                continue
            registration, _ = Registration.objects.update_or_create(
                meeting=meeting,
                email=contact.email,
                defaults={
                    "company": company,
                    "contact": contact,
                    "name": contact.full_name,
                    "status": Registration.Status.DECLINED
                    if n % 6 == 5
                    else Registration.Status.CONFIRMED,
                    "checked_in_at": meeting.starts_at
                    if status == Meeting.Status.HELD and n % 6 != 5
                    else None,
                },
            )
            if status == Meeting.Status.HELD and n % 3 == 0 and n % 6 != 5:
                Feedback.objects.update_or_create(
                    registration=registration,
                    defaults={
                        "meeting": meeting,
                        "rating": 5 - n % 2,
                        "comment": "Sehr praxisnah, gern mehr davon.",
                    },
                )
    _seed_dossier(Meeting.objects.get(slug="herbsttreffen-ki-und-web"), active)
    _seed_questions(Meeting.objects.get(slug="wintertreffen-weiterbildung"), active)
    voters = list(User.objects.filter(membership__isnull=False).order_by("pk")[:5])
    proposer_company = companies["moselblick-pflege-gmbh"]
    proposer = User.objects.filter(membership__company=proposer_company).first()
    for title, votes in TOPICS:
        proposal, _ = TopicProposal.objects.update_or_create(
            title=title,
            defaults={
                "company": proposer_company,
                "proposed_by": proposer,
                "description": "Viele Betriebe stehen vor denselben Fragen.",
            },
        )
        for voter in voters[:votes]:
            TopicVote.objects.get_or_create(proposal=proposal, user=voter)


def summary() -> list[str]:
    upcoming = Meeting.objects.upcoming().first()
    lines = [f"Meetings: {Meeting.objects.count()} ({Registration.objects.count()} answers)."]
    if upcoming:
        lines.append(f"  next: {upcoming.title}, {timezone.localtime(upcoming.starts_at):%d.%m.%Y}")
    dossier = Meeting.objects.filter(dossier_published_at__isnull=False).first()
    if dossier:
        lines.append(f"  dossier published: /meetings/{dossier.slug}/dossier/")
    asking = Meeting.objects.filter(collects_questions=True).upcoming().first()
    if asking:
        lines.append(
            f"  questions to the experts: /meetings/{asking.slug}/questions/ "
            f"({asking.questions.count()} asked)"
        )
    return lines


DOSSIER_MINUTES = (
    "Die Petrisberg Software AG zeigte, wie kleine Betriebe mit KI-gestützter "
    "Suchmaschinenoptimierung ihre Stellenanzeigen sichtbarer machen.\n\n"
    "Die Expertin der Agentur für Arbeit erklärte, welche Förderung es für die Weiterbildung "
    "in digitalen Themen gibt.\n\n"
    "Verabredet: Drei Betriebe probieren bis zum nächsten Treffen ein gemeinsames "
    "Karriereportal aus und berichten dann."
)
DOSSIER_QUESTIONS = [
    (
        "Fördert die Agentur für Arbeit auch kurze Online-Kurse zu KI-Werkzeugen?",
        "Ja, über das Qualifizierungschancengesetz, wenn der Kurs zugelassen ist (AZAV) und "
        "mehr als 120 Stunden umfasst; kürzere Kurse nur im Einzelfall.",
        True,
    ),
    (
        "Dürfen wir Bewerberdaten für ein KI-Werkzeug zur Vorauswahl nutzen?",
        "Nur mit einer Rechtsgrundlage und Information der Bewerbenden; eine rein automatische "
        "Ablehnung ist nicht erlaubt. Die Datenschutzbeauftragte sollte einbezogen werden.",
        False,
    ),
]


def _seed_dossier(meeting: Meeting, active: list[Company]) -> None:
    """The past meeting's dossier, published: short minutes and the experts' answers to two
    members' questions (seeding sends no mail)."""
    expert, _ = ExpertGuest.objects.update_or_create(
        meeting=meeting,
        email="expertin@arbeitsagentur.example",
        defaults={"name": "Dr. Sabine Krämer", "organisation": "Agentur für Arbeit Trier"},
    )
    for n, (text, answer, show_company) in enumerate(DOSSIER_QUESTIONS):
        ExpertQuestion.objects.update_or_create(
            meeting=meeting,
            text=text,
            defaults={
                "company": active[n % len(active)],
                "expert": expert,
                "show_company": show_company,
                "sent_at": meeting.starts_at - timedelta(days=3),
                "answer": answer,
                "answered_at": meeting.ends_at,
            },
        )
    meeting.minutes = DOSSIER_MINUTES
    meeting.dossier_published_at = meeting.ends_at + timedelta(days=2)
    meeting.save(update_fields=["minutes", "dossier_published_at"])


UPCOMING_QUESTIONS = [
    # text, to the expert (else to all), company shown to other members
    (
        "Wie lange dauert derzeit die Vorabzustimmung für eine Pflegefachkraft aus Drittstaaten?",
        True,
        False,
    ),
    (
        "Welche Förderung gibt es für berufsbegleitende Deutschkurse unserer Mitarbeitenden?",
        False,
        True,
    ),
    ("Können Auszubildende aus dem Ausland in Teilzeit ausgebildet werden?", True, True),
]


def _seed_questions(meeting: Meeting, active: list[Company]) -> None:
    """The next meeting collects questions for its expert guest: three members' questions,
    one without the company's name, none sent yet (coordinators try „An Fachperson senden“)."""
    meeting.collects_questions = True
    meeting.save(update_fields=["collects_questions"])
    expert, _ = ExpertGuest.objects.update_or_create(
        meeting=meeting,
        email="auslaenderbehoerde@trier.example",
        defaults={"name": "Markus Weber", "organisation": "Ausländerbehörde Trier"},
    )
    for n, (text, to_expert, show_company) in enumerate(UPCOMING_QUESTIONS):
        company = active[(n + 2) % len(active)]
        ExpertQuestion.objects.update_or_create(
            meeting=meeting,
            text=text,
            defaults={
                "company": company,
                "asked_by": User.objects.filter(membership__company=company).first(),
                "expert": expert if to_expert else None,
                "show_company": show_company,
            },
        )
