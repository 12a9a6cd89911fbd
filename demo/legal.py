"""Demo texts of the legal pages: Impressum, Datenschutz and Barrierefreiheit.

A fresh installation gets these pages as placeholders that ask the coordinators to fill them in
(network_portal migrations 0002 and 0004). The demo fills them with texts that read like real
ones, for the fictional office of the settings (``OFFICE_*``, network_portal.office): the same
name, address, mail and phone as the footer of every page and mail. Every page says that its
details are invented.
"""

from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.utils.html import escape

from network_portal.office import Office, office

AS_OF = "1. Januar 2027"

DEMO_NOTE = (
    '<p class="alert alert-info">Dies ist die Demo des Portals: Stelle, Anschrift, Telefonnummer, '
    "Personen und Nummern auf dieser Seite sind erfunden.</p>\n"
)


def _office_block(office: Office) -> str:
    return (
        f"<p>{escape(office.name)}<br>\n{escape(office.street)}<br>\n{escape(office.place)}</p>\n"
        f'<p>Telefon: <a href="{escape(office.phone_uri)}">{escape(office.phone)}</a><br>\n'
        f'E-Mail: <a href="mailto:{escape(office.email)}">{escape(office.email)}</a></p>\n'
    )


def imprint(office: Office) -> str:
    return (
        DEMO_NOTE
        + "<h2>Angaben gemäß § 5 Digitale-Dienste-Gesetz (DDG)</h2>\n"
        + "<p>Das Portal des Netzwerks „Attraktive Unternehmen Trier“ wird betrieben von der "
        "Stadt Trier, Amt für Wirtschaftsförderung. Die Stadt Trier ist eine Körperschaft des "
        "öffentlichen Rechts; sie wird vertreten durch den Oberbürgermeister.</p>\n"
        + _office_block(office)
        + "<h2>Inhaltlich verantwortlich</h2>\n"
        "<p>Verantwortlich für den Inhalt nach § 18 Abs. 2 Medienstaatsvertrag (MStV): "
        "Miriam Scholtes, Koordination des Netzwerks „Attraktive Unternehmen Trier“, "
        "Anschrift wie oben.</p>\n"
        "<h2>Aufsichtsbehörde</h2>\n"
        "<p>Aufsichts- und Dienstleistungsdirektion Rheinland-Pfalz (ADD), Trier.</p>\n"
        "<h2>Inhalte der Mitgliedsunternehmen</h2>\n"
        "<p>Die Profile im Verzeichnis der Mitgliedsunternehmen (Beschreibung, Logo, Website, "
        "Ansprechpersonen) pflegen die Unternehmen selbst; für ihre Angaben sind sie "
        "verantwortlich. Wenn Ihnen dort etwas auffällt, das nicht stimmt oder Rechte verletzt, "
        "sagen Sie uns bitte Bescheid – wir kümmern uns umgehend darum.</p>\n"
        "<h2>Links auf andere Websites</h2>\n"
        "<p>Für die Inhalte verlinkter Websites sind deren Betreiber verantwortlich. Beim Setzen "
        "der Links haben wir keine Rechtsverstöße erkannt; werden uns solche bekannt, entfernen "
        "wir den Link.</p>\n"
        "<h2>Siegel „Mein Top Job Trier“</h2>\n"
        "<p>Das Siegel und seine Bildmarke dürfen nur ausgezeichnete Unternehmen im "
        "Gültigkeitszeitraum ihrer Urkunde verwenden. Ob ein Siegel gültig ist, lässt sich über "
        "den Prüflink auf der Urkunde nachsehen.</p>\n"
        f"<p>Stand: {AS_OF}</p>\n"
    )


def privacy(office: Office) -> str:
    return (
        DEMO_NOTE
        + "<p>Wir verarbeiten personenbezogene Daten nur, soweit es für das Netzwerk nötig ist, "
        "und nach den Vorschriften der Datenschutz-Grundverordnung (DSGVO) und des "
        "Landesdatenschutzgesetzes Rheinland-Pfalz. Hier lesen Sie, welche Daten das sind, "
        "wozu wir sie brauchen und welche Rechte Sie haben.</p>\n"
        "<h2>Verantwortliche Stelle</h2>\n"
        + _office_block(office)
        + "<h2>Datenschutzbeauftragte</h2>\n"
        "<p>Die behördliche Datenschutzbeauftragte der Stadt Trier erreichen Sie unter der "
        "Anschrift oben mit dem Zusatz „Datenschutzbeauftragte“ oder per E-Mail an "
        '<a href="mailto:datenschutz@example.org">datenschutz@example.org</a>.</p>\n'
        "<h2>Was wir verarbeiten und wozu</h2>\n"
        "<ul>\n"
        "<li><strong>Ihr Konto:</strong> E-Mail-Adresse, Name, Passwort (nur als nicht "
        "umkehrbarer Hash), Sprache und, falls eingerichtet, der zweite Faktor. Damit melden Sie "
        "sich an und handeln für Ihr Unternehmen. Rechtsgrundlage ist Art. 6 Abs. 1 lit. e "
        "DSGVO (Wirtschaftsförderung als Aufgabe der Stadt).</li>\n"
        "<li><strong>Mitgliedsunternehmen und Ansprechpersonen:</strong> Angaben zum "
        "Unternehmen, Namen, Funktion, E-Mail-Adresse und Telefonnummer der Ansprechpersonen. "
        "Wir laden damit zu Netzwerktreffen ein und halten Kontakt. Im Verzeichnis für alle "
        "Besucherinnen und Besucher erscheint ein Unternehmen nur, wenn es zugestimmt hat "
        "(Art. 6 Abs. 1 lit. a DSGVO).</li>\n"
        "<li><strong>Netzwerktreffen:</strong> Zu- und Absagen, Warteliste, Anwesenheit und Ihre "
        "freiwillige Rückmeldung zum Treffen. Die Gastgeber erhalten die Teilnehmendenliste "
        "(Name und Unternehmen), damit sie den Raum vorbereiten können.</li>\n"
        "<li><strong>Siegel „Mein Top Job Trier“:</strong> die Bewerbung Ihres Unternehmens mit "
        "Nachweisen. Sie sehen die Koordination und die Mitglieder der Jury, die die Bewerbung "
        "bewerten. Ausgezeichnete Unternehmen werden mit Namen veröffentlicht.</li>\n"
        "<li><strong>Newsletter:</strong> E-Mail-Adresse, auf Wunsch Anrede und Name, die "
        "gewählten Verteiler und der Nachweis Ihrer Einwilligung (Zeitpunkt der Anmeldung und der "
        "Bestätigung). Rechtsgrundlage ist Ihre Einwilligung (Art. 6 Abs. 1 lit. a DSGVO); Sie "
        "können sie jederzeit mit dem Abmeldelink in jeder Ausgabe widerrufen.</li>\n"
        "<li><strong>Server-Protokolle:</strong> IP-Adresse, Zeitpunkt, aufgerufene Seite und "
        "Browser, um Angriffe abzuwehren und Fehler zu finden; sie werden nach 14 Tagen "
        "gelöscht.</li>\n"
        "</ul>\n"
        "<h2>Cookies</h2>\n"
        "<p>Das Portal setzt nur Cookies, die es zum Funktionieren braucht: für die Anmeldung, "
        "zum Schutz von Formularen und für die gewählte Sprache. Es gibt keine Werbe- oder "
        "Analyse-Cookies und keine eingebundenen Dienste Dritter.</p>\n"
        "<h2>Empfänger</h2>\n"
        "<p>Die Daten liegen auf Servern eines IT-Dienstleisters in Deutschland, der sie in "
        "unserem Auftrag und nach unseren Weisungen verarbeitet (Art. 28 DSGVO). Darüber hinaus "
        "geben wir Daten nur weiter, wo es oben steht. Eine Übermittlung in Länder außerhalb der "
        "Europäischen Union findet nicht statt.</p>\n"
        "<h2>Wie lange wir Daten speichern</h2>\n"
        "<p>Kontodaten, bis Sie Ihr Konto löschen; Daten eines Mitgliedsunternehmens, bis es das "
        "Netzwerk verlässt, danach noch zwei Jahre für Rückfragen. Anmeldungen zu "
        "Netzwerktreffen löschen wir zwei Jahre nach dem Treffen, Siegel-Bewerbungen nach Ablauf "
        "der Gültigkeit des Siegels. Den Nachweis einer Newsletter-Einwilligung bewahren wir "
        "nach dem Widerruf noch drei Jahre auf.</p>\n"
        "<h2>Ihre Rechte</h2>\n"
        "<p>Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung "
        "(Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und "
        "Widerspruch (Art. 21). Eine Einwilligung können Sie jederzeit für die Zukunft "
        "widerrufen (Art. 7 Abs. 3). Schreiben Sie uns dazu einfach an die Adresse oben.</p>\n"
        "<h2>Beschwerderecht</h2>\n"
        "<p>Sie können sich bei einer Aufsichtsbehörde beschweren, zum Beispiel beim "
        "Landesbeauftragten für den Datenschutz und die Informationsfreiheit Rheinland-Pfalz in "
        "Mainz.</p>\n"
        f"<p>Stand: {AS_OF}</p>\n"
    )


def accessibility(office: Office) -> str:
    return (
        DEMO_NOTE
        + "<p>Die Stadt Trier ist bemüht, ihre Websites im Einklang mit den Vorschriften über "
        "barrierefreie Informationstechnik barrierefrei zugänglich zu machen. Grundlage sind die "
        "Richtlinie (EU) 2016/2102 und die Vorschriften des Landes Rheinland-Pfalz, die sie "
        "umsetzen; als technischer Maßstab dienen die Barrierefreie-Informationstechnik-"
        "Verordnung (BITV 2.0) und die Web Content Accessibility Guidelines (WCAG) 2.1 in der "
        "Konformitätsstufe AA.</p>\n"
        "<p>Diese Erklärung gilt für das Portal des Netzwerks „Attraktive Unternehmen Trier“ mit "
        "den Bereichen Konto und Anmeldung, Mitgliedsunternehmen, Netzwerktreffen, Newsletter "
        "und Siegel „Mein Top Job Trier“.</p>\n"
        "<h2>Stand der Vereinbarkeit mit den Anforderungen</h2>\n"
        "<p>Diese Website ist mit den Anforderungen <strong>teilweise vereinbar</strong>. Auf den "
        "Seiten des Portals selbst haben wir bei unserer Prüfung keine Verstöße festgestellt; "
        "die unten genannten Inhalte sind jedoch (noch) nicht vollständig barrierefrei.</p>\n"
        "<h2>Nicht barrierefreie Inhalte</h2>\n"
        "<ul>\n"
        "<li>Urkunden, Bewerbungszusammenfassungen und Feedback-Berichte zum Siegel „Mein Top "
        "Job Trier“ erzeugt das Portal als getaggte PDF-Dokumente nach PDF/UA-1: mit "
        "Dokumentstruktur (Überschriften, Absätze, Tabellen), Titel, Sprache und "
        "Textalternativen für das Siegel und den QR-Code. Tests mit Screenreadern stehen für "
        "sie noch aus. Die übrigen vom Portal erzeugten PDF-Dokumente, etwa die "
        "Teilnehmendenlisten der Netzwerktreffen und der Jahresbericht, sind nicht als "
        "barrierefreie (getaggte) PDF-Dokumente ausgezeichnet. Die Inhalte der Urkunden und "
        "Bewerbungen sind auch als Webseiten im Portal zugänglich; auf Wunsch senden wir Ihnen "
        "die Inhalte in einer anderen Form.</li>\n"
        "<li>Von Mitgliedsunternehmen oder der Koordination hochgeladene Dateien (zum Beispiel "
        "Vortragsfolien und Unterlagen zu Netzwerktreffen, Nachweise zu Siegel-Bewerbungen) "
        "werden nicht auf Barrierefreiheit geprüft.</li>\n"
        "<li>Der Verwaltungsbereich der Koordination wurde nicht gesondert geprüft.</li>\n"
        "</ul>\n"
        "<h2>Erstellung dieser Erklärung</h2>\n"
        f"<p>Diese Erklärung wurde am {AS_OF} erstellt. Grundlage ist eine Selbstbewertung: "
        "automatisierte Prüfungen aller zentralen Seiten mit dem Werkzeug axe-core (Regeln der "
        "WCAG 2.0 und 2.1, Stufen A und AA), Messungen der Seitenbreite am Laptop und am Telefon "
        "sowie Prüfungen der Bedienung allein mit der Tastatur. Eine Prüfung durch eine "
        "unabhängige Prüfstelle und Tests mit Screenreadern stehen noch aus.</p>\n"
        "<h2>Feedback und Kontakt</h2>\n"
        "<p>Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten dieses Portals aufgefallen, "
        "oder benötigen Sie Informationen in einer barrierefreien Form? Dann wenden Sie sich "
        "bitte an die Koordination des Netzwerks:</p>\n"
        + _office_block(office)
        + "<h2>Durchsetzungsverfahren</h2>\n"
        "<p>Wenn Sie auf Ihre Rückmeldung keine oder keine zufriedenstellende Antwort erhalten "
        "haben, können Sie sich an die Ombudsstelle für barrierefreie Informationstechnik beim "
        "Landesbeauftragten für die Belange behinderter Menschen Rheinland-Pfalz wenden. Sie "
        "unterstützt Sie dabei, Ihr Anliegen gegenüber der öffentlichen Stelle "
        "durchzusetzen.</p>\n"
    )


PAGES = [
    ("/impressum/", "Impressum", imprint),
    ("/datenschutz/", "Datenschutz", privacy),
    ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit", accessibility),
]


def seed() -> None:
    """Write the three pages (found by URL, so a second run only rewrites them)."""
    site = Site.objects.get_current()
    current = office()
    for url, title, text in PAGES:
        page, _created = FlatPage.objects.update_or_create(
            url=url, defaults={"title": title, "content": text(current)}
        )
        page.sites.add(site)


def summary() -> list[str]:
    return [
        "Legal pages: "
        + ", ".join(url for url, _title, _text in PAGES)
        + f" (fictional office: {office().name}, {office().email})"
    ]
