"""``manage.py find_hidden_characters``: stored text that the portal would refuse today.

Forms and the admin refuse control and invisible characters (``network_portal.text``); text
stored before that rule, or written around it, stays as it is. This lists it, row by row, for a
coordinator to correct in the admin. It reads every checked field of every row once.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import translation

from network_portal.text import hidden_characters, validate_multi_line, validate_single_line


def checked_fields(model) -> dict[str, bool]:
    """The model's fields under the rule: attribute name → whether it takes several lines."""
    fields = {}
    for field in model._meta.concrete_fields:
        if validate_single_line in field.validators:
            fields[field.attname] = False
        elif validate_multi_line in field.validators:
            fields[field.attname] = True
    return fields


def rows_with_hidden_characters():
    """(model, pk, field name, [what was found]) for each refused value in the database."""
    for model in apps.get_models():
        if model._meta.proxy:  # its rows are its concrete model's, listed once under that name
            continue
        fields = checked_fields(model)
        if not fields:
            continue
        rows = model._default_manager.order_by("pk").values_list("pk", *fields)
        for pk, *values in rows.iterator():
            for (name, multiline), value in zip(fields.items(), values, strict=True):
                found = hidden_characters(value or "", multiline=multiline)
                if found:
                    yield model, pk, name, found


class Command(BaseCommand):
    help = (
        "List stored names and texts with control or invisible characters, which forms and the "
        "admin now refuse."
    )

    def handle(self, *args, **options):
        count = 0
        with translation.override(None):  # an operator's tool: in English, like its help
            for model, pk, name, found in rows_with_hidden_characters():
                count += 1
                self.stdout.write(f"{model._meta.label} {pk} {name}: {', '.join(found)}")
        self.stdout.write(f"{count} value(s) with control or invisible characters.")
