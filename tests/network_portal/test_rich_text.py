"""Markdown as the text part of a mail: readable text, nothing of the Markdown source."""

import pytest
from django.utils import translation

from network_portal.rich_text import markdown_html, markdown_text


@pytest.fixture(autouse=True)
def _german():
    with translation.override("de"):
        yield


def test_headings_are_underlined():
    assert markdown_text("## Neues aus dem Netzwerk\n\n### Termine\n\nText") == (
        "Neues aus dem Netzwerk\n======================\n\nTermine\n-------\n\nText"
    )


def test_emphasis_loses_its_markers():
    assert markdown_text("Das **neue** Siegel, *bald* mit `Kriterien`.") == (
        "Das neue Siegel, bald mit Kriterien."
    )


def test_links_show_their_address_after_the_text():
    text = markdown_text(
        "Zum [Anmeldeformular](https://portal.example.org/treffen/) oder an "
        "[das Büro](mailto:netzwerk@trier.example), siehe <https://portal.example.org/>."
    )

    assert text == (
        "Zum Anmeldeformular (https://portal.example.org/treffen/) oder an das\n"
        "Büro (netzwerk@trier.example), siehe https://portal.example.org/."
    )


def test_paragraphs_are_wrapped_but_addresses_never_broken():
    url = "https://portal.example.org/meetings/netzwerktreffen-weiterbildung-und-bindung/anmeldung/"
    text = markdown_text(f"Bitte melden Sie sich bis Freitag über den Link {url} an. " * 2)

    lines = text.split("\n")
    assert url in lines
    assert all(len(line) <= 72 for line in lines if url not in line)
    assert (
        " ".join(lines)
        == (f"Bitte melden Sie sich bis Freitag über den Link {url} an. " * 2).strip()
    )


def test_lists_keep_their_markers_and_indent_what_wraps():
    text = markdown_text(
        "1. Begrüßung\n2. Praxisbericht der Moselblick Pflege GmbH über Sprachkurse für "
        "internationale Pflegekräfte im Verbund\n\n"
        "- Anmeldung bis Freitag\n- Parken im Hof\n    - auch mit E-Auto\n"
    )

    assert text == (
        "1. Begrüßung\n"
        "2. Praxisbericht der Moselblick Pflege GmbH über Sprachkurse für\n"
        "   internationale Pflegekräfte im Verbund\n"
        "\n"
        "- Anmeldung bis Freitag\n"
        "- Parken im Hof\n"
        "  - auch mit E-Auto"
    )


def test_a_loose_list_keeps_its_paragraphs():
    assert markdown_text("- Erstens\n\n    mit Erklärung\n\n- Zweitens\n") == (
        "- Erstens\n\n  mit Erklärung\n\n- Zweitens"
    )


def test_images_quotes_line_breaks_rules_and_tables():
    text = markdown_text(
        "![Gruppenfoto](https://portal.example.org/foto.jpg) ![](https://x.example/a.png)\n\n"
        "> Ein Zitat\n> über zwei Zeilen\n\n"
        "Zeile eins  \nZeile zwei\n\n"
        "---\n\n"
        "| Datum | Thema |\n|---|---|\n| 12.03. | Weiterbildung |\n"
    )

    assert text == (
        "[Bild: Gruppenfoto] [Bild]\n"
        "\n"
        "> Ein Zitat über zwei Zeilen\n"
        "\n"
        "Zeile eins\n"
        "Zeile zwei\n"
        "\n"
        "--------------------\n"
        "\n"
        "Datum | Thema\n"
        "12.03. | Weiterbildung"
    )


def test_code_blocks_keep_their_layout():
    assert markdown_text("```\nName:   Wert\n  eingerückt\n```") == "Name:   Wert\n  eingerückt"


def test_html_in_the_markdown_is_neither_run_nor_shown_as_tags():
    text = markdown_text("Hallo <script>alert(1)</script> &amp; <b>fett</b> 5 < 6")
    html = markdown_html("Hallo <script>alert(1)</script>")

    assert text == "Hallo & fett 5 < 6"
    assert "<script" not in html


def test_no_markdown_syntax_is_left():
    text = markdown_text(
        "# Titel\n\n## Untertitel\n\n**fett** und __auch fett__, *kursiv* und _kursiv_, "
        "[Link](https://x.example) ![Bild](https://x.example/b.png)"
    )

    for syntax in ("#", "**", "__", "](", "!["):
        assert syntax not in text
