from django.db import migrations, models
from django.utils import timezone


def left_on_from_status_change(apps, schema_editor):
    """A company that has left has not changed its status since (leaving is undone only by
    reactivating it): the day of its last status change is the day it left."""
    Company = apps.get_model("members", "Company")
    for company in Company.objects.filter(status="left").only("pk", "status_changed_at"):
        company.left_on = timezone.localtime(company.status_changed_at).date()
        company.save(update_fields=["left_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0002_hidden_character_validators"),
    ]

    operations = [
        migrations.AddField(
            model_name="company",
            name="left_on",
            field=models.DateField(blank=True, null=True, verbose_name="Left on"),
        ),
        migrations.RunPython(left_on_from_status_change, migrations.RunPython.noop),
    ]
