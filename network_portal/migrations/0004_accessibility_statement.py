"""Create the accessibility statement (Erklärung zur Barrierefreiheit) as a flat page that
coordinators then keep up to date in the admin, like Impressum and Datenschutz.

The text follows the EU model statement (Durchführungsbeschluss (EU) 2018/1523). The feedback
address is the portal's sender address (DEFAULT_FROM_EMAIL, the network's mailbox) at the
time the migration runs; coordinators can change it in the admin.
"""

from email.utils import parseaddr

from django.conf import settings
from django.db import migrations
from django.utils.html import escape

URL = "/barrierefreiheit/"
TITLE = "Erklärung zur Barrierefreiheit"
PREPARED_ON = "22. November 2026"

STATEMENT = """<p>Die Stadtverwaltung Trier ist bemüht, ihre Websites im Einklang mit den Vorschriften
über barrierefreie Informationstechnik barrierefrei zugänglich zu machen. Grundlage sind die
Richtlinie (EU) 2016/2102 und die Vorschriften des Landes Rheinland-Pfalz, die sie umsetzen;
als technischer Maßstab dienen die Barrierefreie-Informationstechnik-Verordnung (BITV 2.0)
und die Web Content Accessibility Guidelines (WCAG) 2.1 in der Konformitätsstufe AA.</p>
<p>Diese Erklärung gilt für das Portal des Netzwerks „Attraktive Unternehmen Trier“ (diese
Website) mit den Bereichen Zugang und Anmeldung, Mitgliedsunternehmen, Netzwerktreffen,
Newsletter und Siegel „Mein Top Job Trier“.</p>

<h2>Stand der Vereinbarkeit mit den Anforderungen</h2>
<p>Diese Website ist mit den Anforderungen <strong>teilweise vereinbar</strong>. Auf den
Seiten des Portals selbst haben wir bei unserer Prüfung keine Verstöße festgestellt; die unten
genannten Inhalte sind jedoch (noch) nicht vollständig barrierefrei.</p>

<h2>Nicht barrierefreie Inhalte</h2>
<ul>
<li>Vom Portal erzeugte PDF-Dokumente – Urkunden, Zusammenfassungen und Feedback-Berichte
zum Siegel sowie Teilnehmendenlisten der Netzwerktreffen – sind nicht als barrierefreie
(getaggte) PDF-Dokumente ausgezeichnet. Die Inhalte der Urkunden und Bewerbungen sind auch
als Webseiten im Portal zugänglich; auf Wunsch senden wir Ihnen die Inhalte in einer
anderen Form.</li>
<li>Von Mitgliedsunternehmen oder der Koordinierungsstelle hochgeladene Dateien (zum Beispiel
Vortragsfolien und Unterlagen zu Netzwerktreffen, Nachweise zu Siegel-Bewerbungen) und
Newsletter-Ausgaben im Archiv werden nicht auf Barrierefreiheit geprüft.</li>
<li>Der Verwaltungsbereich für die Koordinierungsstelle wurde nicht gesondert geprüft.</li>
</ul>

<h2>Erstellung dieser Erklärung</h2>
<p>Diese Erklärung wurde am {prepared_on} erstellt. Grundlage ist eine Selbstbewertung:
automatisierte Prüfungen aller zentralen Seiten mit dem Werkzeug axe-core (Regeln der WCAG 2.0
und 2.1, Stufen A und AA) sowie Prüfungen der Bedienung allein mit der Tastatur. Eine
Prüfung durch eine unabhängige Prüfstelle und Tests mit Screenreadern stehen noch aus.</p>

<h2>Feedback und Kontakt</h2>
<p>Sind Ihnen Mängel beim barrierefreien Zugang zu Inhalten dieses Portals aufgefallen, oder
benötigen Sie Informationen in einer barrierefreien Form? Dann wenden Sie sich bitte an die
Koordinierungsstelle des Netzwerks:</p>
<p>Stadtverwaltung Trier – Amt für Wirtschaftsförderung<br>
Koordinierungsstelle Netzwerk „Attraktive Unternehmen Trier“<br>
E-Mail: <a href="mailto:{email}">{email}</a></p>

<h2>Durchsetzungsverfahren</h2>
<p>Wenn Sie auf Ihre Rückmeldung keine oder keine zufriedenstellende Antwort erhalten haben,
können Sie sich an die Ombudsstelle für barrierefreie Informationstechnik beim
Landesbeauftragten für die Belange behinderter Menschen Rheinland-Pfalz wenden. Sie unterstützt
Sie dabei, Ihr Anliegen gegenüber der öffentlichen Stelle durchzusetzen.</p>
"""


def feedback_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "netzwerk@localhost"


def create(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    email = escape(feedback_address())
    page, _ = FlatPage.objects.get_or_create(
        url=URL,
        defaults={
            "title": TITLE,
            "content": STATEMENT.format(prepared_on=PREPARED_ON, email=email),
        },
    )
    page.sites.add(Site.objects.get(pk=1))


def remove(apps, schema_editor):
    apps.get_model("flatpages", "FlatPage").objects.filter(url=URL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("network_portal", "0003_outbox_attachments"),
        ("sites", "0002_alter_domain_unique"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, remove)]
