"""What text people type may contain.

Names, titles, subjects and other one-line fields refuse control characters (tab and line
breaks included), marks that change the direction of the text (U+202E shows "exe.pdf" for
"fdp.exe") and invisible characters (a zero-width space makes "Moselblick GmbH" a second,
different company of the same look). Texts of several lines (descriptions, comments, Markdown)
take line breaks and tabs, and soft hyphens for German compounds, but refuse the rest.

The portal refuses such text instead of cleaning it silently: the person sees which character
was wrong and decides. Allowed everywhere: every letter, digit, punctuation mark, symbol and
space of Unicode, emoji included (a zero-width joiner between two emoji and the tags of a
subdivision flag are part of the emoji), private-use characters and code points Unicode has not
assigned yet (a newer emoji must not be refused because Python's tables are older).

Model fields carry the validators (so model forms and the admin check them); plain form fields
name them explicitly. ``tests/test_text_fields.py`` fails for a free-text field without one.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LINE_BREAK = _("line break")
UNUSUAL_LINE_BREAK = _("unusual line break")
TAB = _("tab")
DIRECTION = _("change of text direction")
INVISIBLE = _("invisible character")
CONTROL = _("control character")
INVALID = _("invalid character")

MESSAGE = _("Please remove the control or invisible characters from the text: %(characters)s.")
MORE = _("%(characters)s and more")
CODE = "hidden_characters"
# The message names this many characters at most; one of each is enough to find them all.
NAMED_AT_MOST = 5

_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
_MULTI_LINE_ALLOWED = frozenset("\n\r\t")
# Bidirectional embeddings, overrides and isolates, and the implicit direction marks.
_DIRECTION_MARKS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Letters and symbols that print as nothing: Hangul fillers and the blank Braille pattern,
# the usual material of "empty" names.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_SOFT_HYPHEN = "\u00ad"
_ZERO_WIDTH_JOINER = "\u200d"
_VARIATION_SELECTOR_EMOJI = "\ufe0f"
# A subdivision flag: a black flag, tag letters or digits, a cancel tag (🏴 + "gbsct" = Scotland).
_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]+\U000e007f")


def _is_noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _joins_emoji(value: str, index: int) -> bool:
    """A zero-width joiner between two emoji, e.g. in 👩‍💻 (an emoji may end in a skin tone
    (Sk) or the emoji variation selector)."""
    if index == 0 or index + 1 >= len(value):
        return False
    before, after = value[index - 1], value[index + 1]
    return (
        before == _VARIATION_SELECTOR_EMOJI or unicodedata.category(before) in ("So", "Sk")
    ) and unicodedata.category(after) == "So"


def _kind(value: str, index: int, *, multiline: bool, tags: set[int]):
    """What is wrong with ``value[index]``, or None if it may stay."""
    char = value[index]
    if multiline and char in _MULTI_LINE_ALLOWED:
        return None
    if char in _LINE_BREAKS:
        return UNUSUAL_LINE_BREAK if multiline else LINE_BREAK
    if char == "\t":
        return TAB
    category = unicodedata.category(char)
    if category == "Cc":
        return CONTROL
    if char in _DIRECTION_MARKS:
        return DIRECTION
    if char == _ZERO_WIDTH_JOINER and _joins_emoji(value, index):
        return None
    if char == _SOFT_HYPHEN and multiline:
        return None
    if index in tags:
        return None
    if category == "Cf" or char in _BLANK_LETTERS:
        return INVISIBLE
    if category == "Cs" or _is_noncharacter(char):
        return INVALID
    return None  # spaces (Zs), private use (Co), not yet assigned (Cn)


def _refused(value: str, *, multiline: bool) -> list[tuple[int, str, object]]:
    """(position, character, kind) of every character ``value`` may not contain."""
    if value.isprintable() and _BLANK_LETTERS.isdisjoint(value):
        return []  # the common case, checked in C
    tags = set()
    if "\U000e007f" in value:
        for match in _TAG_SEQUENCE.finditer(value):
            tags.update(range(match.start() + 1, match.end()))
    found = []
    for index, char in enumerate(value):
        if char.isprintable() and char not in _BLANK_LETTERS:
            continue
        kind = _kind(value, index, multiline=multiline, tags=tags)
        if kind is not None:
            found.append((index, char, kind))
    return found


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def hidden_characters(value: str, *, multiline: bool = False) -> list[str]:
    """What ``value`` may not contain, one description per distinct character in order of
    appearance, e.g. ``["change of text direction (U+202E)"]`` (in the active language)."""
    if not isinstance(value, str):
        return []
    described = {}
    for _index, char, kind in _refused(value, multiline=multiline):
        described.setdefault(char, f"{kind} ({code_point(char)})")
    return list(described.values())


def _validate(value, *, multiline: bool) -> None:
    found = hidden_characters(value, multiline=multiline)
    if found:
        named = ", ".join(found[:NAMED_AT_MOST])
        if len(found) > NAMED_AT_MOST:
            named = MORE % {"characters": named}
        raise ValidationError(MESSAGE, code=CODE, params={"characters": named})


def validate_single_line(value) -> None:
    """Names, titles, subjects, addresses, phone numbers, email addresses and web addresses."""
    _validate(value, multiline=False)


def validate_multi_line(value) -> None:
    """Descriptions, comments, notes and Markdown: line breaks and tabs are fine here."""
    _validate(value, multiline=True)


def reveal(value: str, *, multiline: bool = False) -> str:
    """``value`` with each refused character written as its code point, e.g. ``[U+202E]``:
    for showing refused input back (a CSV preview) without letting it act on the page."""
    refused = _refused(value, multiline=multiline)
    if not refused:
        return value
    parts, start = [], 0
    for index, char, _what in refused:
        parts += [value[start:index], f"[{code_point(char)}]"]
        start = index + 1
    parts.append(value[start:])
    return "".join(parts)
