"""Demo data of expertise (issue 16): the topics the coordinators keep, what a few member
companies offered to share (reports from practice, a room to host), the topics of the next
meeting and of a topic wish, so „Passende Angebote“ shows companies at once. No mails."""

from meetings.models import Meeting, TopicProposal
from members.models import Company, ExpertiseOffer, ExpertiseTopic

TOPICS = [
    "Ausbildung in Teilzeit",
    "Fachkräfte aus dem Ausland",
    "Weiterbildung im Betrieb",
    "Familienfreundliche Arbeitszeiten",
    "Betriebliches Gesundheitsmanagement",
]

# company slug, kind, topics, description, room, seats
OFFERS = [
    (
        "moselblick-pflege-gmbh",
        ExpertiseOffer.Kind.REPORT,
        ["Fachkräfte aus dem Ausland", "Ausbildung in Teilzeit"],
        "Seit 2022 haben wir zwölf Pflegekräfte von den Philippinen eingearbeitet: Visum, "
        "Anerkennung, Wohnung, Sprachkurs – wir berichten, was geklappt hat und was nicht.",
        "",
        None,
    ),
    (
        "klinikverbund-trierer-land-ggmbh",
        ExpertiseOffer.Kind.REPORT,
        ["Weiterbildung im Betrieb", "Betriebliches Gesundheitsmanagement"],
        "Unser Weiterbildungsbudget pro Kopf und wie wir es mit den Teams planen.",
        "",
        None,
    ),
    (
        "petrisberg-software-ag",
        ExpertiseOffer.Kind.HOST,
        [],
        "Mit Beamer und Küche; Parkplätze am Haus.",
        "Konferenzraum „Petrisberg“, 3. OG",
        45,
    ),
]


def seed(companies: dict[str, Company]) -> None:
    topics = {name: ExpertiseTopic.objects.get_or_create(name=name)[0] for name in TOPICS}
    for slug, kind, names, description, room, seats in OFFERS:
        company = companies.get(slug)
        if company is None:
            continue
        offer, _ = ExpertiseOffer.objects.update_or_create(
            company=company,
            kind=kind,
            defaults={
                "description": description,
                "room": room,
                "seats": seats,
                "contact": company.contacts.order_by("pk").first(),
            },
        )
        offer.topics.set([topics[name] for name in names])
    meeting = Meeting.objects.filter(slug="wintertreffen-weiterbildung").first()
    if meeting is not None:
        meeting.expertise_topics.set([topics["Weiterbildung im Betrieb"]])
    wish = TopicProposal.objects.filter(title__startswith="Ausländische Fachkräfte").first()
    if wish is not None:
        wish.expertise_topics.set([topics["Fachkräfte aus dem Ausland"]])


def summary() -> list[str]:
    return [
        f"Expertise: {ExpertiseTopic.objects.count()} topics, "
        f"{ExpertiseOffer.objects.count()} offers (admin: Netzwerktreffen › Passende Angebote)."
    ]
