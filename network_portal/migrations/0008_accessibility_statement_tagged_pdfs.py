"""The accessibility statement's passage about untagged PDFs, brought up to date: the seal's
certificate, application summary and feedback report are now written as tagged PDFs (PDF/UA-1,
see network_portal.pdf). Only a statement that still holds the passage of migration 0004 word
for word is changed: coordinators may have rewritten it in the admin since.
"""

from django.db import migrations

URL = "/barrierefreiheit/"

UNTAGGED = """<li>Vom Portal erzeugte PDF-Dokumente – Urkunden, Zusammenfassungen und Feedback-Berichte
zum Siegel sowie Teilnehmendenlisten der Netzwerktreffen – sind nicht als barrierefreie
(getaggte) PDF-Dokumente ausgezeichnet. Die Inhalte der Urkunden und Bewerbungen sind auch
als Webseiten im Portal zugänglich; auf Wunsch senden wir Ihnen die Inhalte in einer
anderen Form.</li>"""

TAGGED = """<li>Urkunden, Bewerbungszusammenfassungen und Feedback-Berichte zum Siegel „Mein Top Job
Trier“ erzeugt das Portal als getaggte PDF-Dokumente nach PDF/UA-1: mit Dokumentstruktur
(Überschriften, Absätze, Tabellen), Titel, Sprache und Textalternativen für das Siegel und den
QR-Code. Tests mit Screenreadern stehen für sie noch aus. Die übrigen vom Portal erzeugten
PDF-Dokumente, etwa die Teilnehmendenlisten der Netzwerktreffen und der Jahresbericht, sind
nicht als barrierefreie (getaggte) PDF-Dokumente ausgezeichnet. Die Inhalte der Urkunden und
Bewerbungen sind auch als Webseiten im Portal zugänglich; auf Wunsch senden wir Ihnen die
Inhalte in einer anderen Form.</li>"""


def _replace(apps, old: str, new: str) -> None:
    FlatPage = apps.get_model("flatpages", "FlatPage")
    for page in FlatPage.objects.filter(url=URL, content__contains=old):
        page.content = page.content.replace(old, new)
        page.save(update_fields=["content"])


def forwards(apps, schema_editor):
    _replace(apps, UNTAGGED, TAGGED)


def backwards(apps, schema_editor):
    _replace(apps, TAGGED, UNTAGGED)


class Migration(migrations.Migration):
    dependencies = [
        ("network_portal", "0007_mail_texts"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
