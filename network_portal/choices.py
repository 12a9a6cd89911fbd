"""Choice labels, translated once per language.

``get_FOO_display()`` builds a dict of all of a field's choices on each call, and hashing the
lazy labels translates every one of them: a page listing 100 companies with their industry
makes hundreds of ``gettext`` calls. :func:`choice_label` translates a choices class once per
language and looks the value up.
"""

from functools import cache

from django.utils import translation


@cache
def _labels(choices: type, language: str | None) -> dict:
    return {value: str(label) for value, label in choices.choices}


def choice_label(choices: type, value) -> str:
    """The label of ``value`` in ``choices`` (a ``TextChoices`` class) in the active language;
    the value itself when it is no choice (as ``get_FOO_display()``)."""
    return _labels(choices, translation.get_language()).get(value, value)
