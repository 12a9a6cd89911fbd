"""The rule for typed text: control, direction and invisible characters are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from members.models import Company
from network_portal.text import (
    hidden_characters,
    reveal,
    validate_multi_line,
    validate_single_line,
)
from tests.factories import CompanyFactory

ACCEPTED_EVERYWHERE = [
    "Bäckerei Müller & Söhne GmbH",
    "Straße der Einheit 7 ß ẞ",
    "Zoë Ørsted-Ñúñez",
    "Café 😀 🥨 👍🏽",
    "👩‍💻 Digitalisierung",  # emoji joined by U+200D
    "🏳️‍🌈 Vielfalt",  # flag, variation selector, U+200D, rainbow
    "Ausflug 🏴󠁧󠁢󠁳󠁣󠁴󠁿",  # the flag of Scotland: tag characters
    "z.\u202fB. 10\u00a0%",  # narrow and non-breaking spaces
    "Иван Петров, محمد, 李雷, Ελένη",
    "\ue000 private use",
]


@pytest.mark.parametrize("text", ACCEPTED_EVERYWHERE)
def test_normal_text_passes_both_rules(text):
    validate_single_line(text)
    validate_multi_line(text)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mosel\u202eHbmG", "Richtungswechsel (U+202E)"),
        ("Name\u2067", "Richtungswechsel (U+2067)"),
        ("rechts\u200flinks", "Richtungswechsel (U+200F)"),
        ("Mosel\u200bblick", "unsichtbares Zeichen (U+200B)"),
        ("\ufeffMoselblick", "unsichtbares Zeichen (U+FEFF)"),
        ("Mosel\u2060blick", "unsichtbares Zeichen (U+2060)"),
        ("a\u200db", "unsichtbares Zeichen (U+200D)"),  # a joiner between letters
        ("\u3164", "unsichtbares Zeichen (U+3164)"),  # a Hangul filler: an "empty" name
        ("\U000e0068 versteckt", "unsichtbares Zeichen (U+E0068)"),
        ("Rot\x1b[31m", "Steuerzeichen (U+001B)"),
        ("Klingel\x07", "Steuerzeichen (U+0007)"),
        ("Ende\x7f", "Steuerzeichen (U+007F)"),
        ("a\x9bb", "Steuerzeichen (U+009B)"),
        ("a\x00b", "Steuerzeichen (U+0000)"),
        ("a\ufffeb", "ungültiges Zeichen (U+FFFE)"),
        ("a\ud800b", "ungültiges Zeichen (U+D800)"),
    ],
)
def test_hidden_characters_are_refused_by_both_rules(text, found):
    for validate in (validate_single_line, validate_multi_line):
        with pytest.raises(ValidationError) as refused:
            validate(text)
        assert refused.value.messages == [
            f"Bitte entfernen Sie die Steuer- oder unsichtbaren Zeichen aus dem Text: {found}."
        ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Zeile 1\nZeile 2", "Zeilenumbruch (U+000A)"),
        ("Zeile 1\r\nZeile 2", "Zeilenumbruch (U+000D)"),
        ("Name\tVorname", "Tabulator (U+0009)"),
        ("Arbeitgeber\u00adattraktivität", "unsichtbares Zeichen (U+00AD)"),
    ],
)
def test_line_breaks_tabs_and_soft_hyphens_are_for_texts_of_several_lines(text, found):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(text)
    assert found in refused.value.messages[0]
    validate_multi_line(text)


@pytest.mark.parametrize("text", ["a\u2028b", "a\x0bb", "a\x85b"])
def test_unusual_line_breaks_are_refused_in_texts_of_several_lines(text):
    assert hidden_characters(text, multiline=True) == [
        f"ungewöhnlicher Zeilenumbruch (U+{ord(text[1]):04X})"
    ]


def test_the_message_names_each_character_once_and_five_at_most():
    text = "\u202e\u202e\u200b\x07\x1b\u2066\ufeff\u2060"
    with pytest.raises(ValidationError) as refused:
        validate_single_line(text)
    assert refused.value.messages == [
        "Bitte entfernen Sie die Steuer- oder unsichtbaren Zeichen aus dem Text: "
        "Richtungswechsel (U+202E), unsichtbares Zeichen (U+200B), Steuerzeichen (U+0007), "
        "Steuerzeichen (U+001B), Richtungswechsel (U+2066) und weitere."
    ]


def test_a_long_harmless_text_passes_quickly():
    validate_multi_line("Fachkräfte für Trier. " * 20_000 + "\n")


def test_reveal_shows_refused_characters_as_code_points():
    assert reveal("Mosel\u202eblick\x07 ok") == "Mosel[U+202E]blick[U+0007] ok"
    assert reveal("Zeile 1\nZeile 2", multiline=True) == "Zeile 1\nZeile 2"
    assert reveal("👩‍💻") == "👩‍💻"


def test_the_command_lists_stored_text_with_hidden_characters(db, capsys):
    CompanyFactory(name="Saubere Firma GmbH")
    # Stored before the rule (a save does not run the validators).
    bad = CompanyFactory(name="Mosel\u202eHbmG", description="Zeile 1\nZeile 2\x07")

    call_command("find_hidden_characters")

    assert capsys.readouterr().out.splitlines() == [
        f"members.Company {bad.pk} name: change of text direction (U+202E)",
        f"members.Company {bad.pk} description: control character (U+0007)",
        "2 value(s) with control or invisible characters.",
    ]
    assert Company.objects.count() == 2
