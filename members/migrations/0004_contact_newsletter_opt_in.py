"""The newsletter becomes opt-in for contact persons: new ones start without it.

Existing contacts keep their choice: whether a ticked box was a person's own consent cannot be
told afterwards, and unsubscribing everybody silently would lose the real ones.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_company_left_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="contactperson",
            name="wants_newsletter",
            field=models.BooleanField(
                default=False,
                help_text="Only with the person’s consent: they receive the network’s newsletter.",
                verbose_name="Newsletter",
            ),
        ),
    ]
