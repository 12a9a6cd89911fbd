"""Name the site and create the Impressum and Datenschutz pages that coordinators then edit."""

from django.db import migrations

IMPRINT = """<p><strong>Stadtverwaltung Trier – Amt für Wirtschaftsförderung</strong><br>
Netzwerk „Attraktive Unternehmen Trier“</p>
<p>Bitte ergänzen Sie hier im Admin unter „Flat pages“ die vollständigen Angaben nach § 5 DDG:
Anschrift, vertretungsberechtigte Person, Kontakt (Telefon, E-Mail) und zuständige Aufsichtsbehörde.</p>
"""

PRIVACY = """<p>Wir verarbeiten personenbezogene Daten nur, soweit es für den Betrieb des Netzwerks
nötig ist: Zugangsdaten, Angaben zu Mitgliedsunternehmen und Ansprechpersonen, Anmeldungen zu
Netzwerktreffen, Bewerbungen um das Siegel und Einwilligungen in den Newsletter.</p>
<p>Bitte ergänzen Sie hier im Admin unter „Flat pages“ die vollständige Datenschutzerklärung:
Verantwortliche Stelle, Datenschutzbeauftragte/r, Zwecke und Rechtsgrundlagen, Speicherdauer,
Rechte der betroffenen Personen und Beschwerderecht.</p>
"""


def create(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    FlatPage = apps.get_model("flatpages", "FlatPage")
    site, _ = Site.objects.update_or_create(
        pk=1, defaults={"domain": "127.0.0.1:8000", "name": "Attraktive Unternehmen Trier"}
    )
    for url, title, content in [
        ("/impressum/", "Impressum", IMPRINT),
        ("/datenschutz/", "Datenschutz", PRIVACY),
    ]:
        page, created = FlatPage.objects.get_or_create(
            url=url, defaults={"title": title, "content": content}
        )
        page.sites.add(site)


class Migration(migrations.Migration):
    dependencies = [
        ("network_portal", "0001_initial"),
        ("sites", "0002_alter_domain_unique"),
        ("flatpages", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
