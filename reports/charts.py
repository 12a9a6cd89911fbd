"""Bar charts as SVG, drawn on the server for the annual report's PDF (WeasyPrint draws inline
SVG itself: no script, no library, nothing fetched). Every text is escaped; every chart has a
title for screen readers, and the report shows its figures in a table beside it."""

import math
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "DejaVu Sans, Liberation Sans, sans-serif"
TEXT = "#222222"
MUTED = "#666666"
GRID = "#d9d9d9"
# Colours that stay apart in greyscale print as well: dark blue, light blue, orange.
DARK, LIGHT, ACCENT = "#1d5c8c", "#9cc3e0", "#c8692c"

_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    colour: str


def nice_maximum(value: float) -> tuple[float, float]:
    """A round upper end of the value axis at or above ``value``, and the step of its grid
    (1, 2 or 5 times a power of ten; about four to five lines)."""
    if value <= 0:
        return 1, 1
    raw_step = value / 4
    power = 10 ** math.floor(math.log10(raw_step))
    for factor in (1, 2, 5, 10):
        step = factor * power
        if step >= raw_step:
            break
    step = max(step, 1)  # counts: no fractional grid lines
    return math.ceil(value / step) * step, step


def _number(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _text(x, y, text, *, size=11, anchor="start", colour=TEXT, weight="normal") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'fill="{colour}" text-anchor="{anchor}" font-weight="{weight}">{escape(text)}</text>'
    )


def _svg(width: int, height: int, title: str, body: list[str]) -> SafeString:
    title_id = f"chart-{next(_ids)}"
    return mark_safe(  # noqa: S308 - every text in ``body`` went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{title_id}">'
        f'<title id="{title_id}">{escape(title)}</title>{"".join(body)}</svg>'
    )


def _legend(series: list[Series], *, x: float, y: float) -> list[str]:
    parts = []
    for item in series:
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{item.colour}"/>'
        )
        parts.append(_text(x + 14, y, item.name, size=11))
        x += 14 + 7 * len(item.name) + 18
    return parts


def column_chart(
    *,
    title: str,
    categories: list[tuple[str, str]],
    series: list[Series],
    empty_text: str,
    width: int = 680,
    height: int = 250,
) -> SafeString:
    """Columns per category, one per series side by side, each with its value above it.
    ``categories`` are (first line, second line) labels below the columns."""
    left, right, top, bottom = 36, 8, 30, 42
    plot_width, plot_height = width - left - right, height - top - bottom
    body = _legend(series, x=left, y=14)
    values = [value for item in series for value in item.values]
    if not categories or not any(values):
        body.append(_text(width / 2, top + plot_height / 2, empty_text, anchor="middle"))
        return _svg(width, height, title, body)
    maximum, step = nice_maximum(max(values))
    base = top + plot_height
    tick = 0
    while tick <= maximum:
        y = base - plot_height * tick / maximum
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="{1.2 if tick == 0 else 0.6}"/>'
        )
        body.append(_text(left - 5, y + 4, _number(tick), size=10, anchor="end", colour=MUTED))
        tick += step
    group = plot_width / len(categories)
    bar = min(group * 0.76 / len(series), 46)
    label_size = 10 if group >= 48 else 8
    for index, (first, second) in enumerate(categories):
        centre = left + group * (index + 0.5)
        x = centre - bar * len(series) / 2
        for item in series:
            value = item.values[index]
            bar_height = plot_height * value / maximum
            body.append(
                f'<rect x="{x:.1f}" y="{base - bar_height:.1f}" width="{bar - 1:.1f}" '
                f'height="{bar_height:.1f}" fill="{item.colour}"/>'
            )
            if value:
                body.append(
                    _text(x + bar / 2, base - bar_height - 3, str(value), size=9, anchor="middle")
                )
            x += bar
        body.append(_text(centre, base + 14, first, size=label_size, anchor="middle"))
        if second:
            body.append(
                _text(centre, base + 27, second, size=label_size - 1, anchor="middle", colour=MUTED)
            )
    return _svg(width, height, title, body)


def bar_chart(
    *,
    title: str,
    items: list[tuple[str, int]],
    colour: str = DARK,
    empty_text: str,
    width: int = 680,
    label_width: int = 250,
) -> SafeString:
    """Horizontal bars, one per (label, value), the value at the end of each bar."""
    row, top = 21, 6
    height = top * 2 + row * max(len(items), 1)
    if not items or not any(value for _label, value in items):
        return _svg(width, 40, title, [_text(width / 2, 24, empty_text, anchor="middle")])
    maximum = max(value for _label, value in items)
    plot_width = width - label_width - 40
    body = []
    for index, (label, value) in enumerate(items):
        y = top + row * index
        length = plot_width * value / maximum if maximum else 0
        body.append(_text(label_width - 8, y + 15, label, size=12, anchor="end"))
        body.append(
            f'<rect x="{label_width}" y="{y + 4:.1f}" width="{max(length, 0.5):.1f}" '
            f'height="{row - 7}" fill="{colour}"/>'
        )
        body.append(_text(label_width + length + 5, y + 15, str(value), size=12))
    return _svg(width, height, title, body)
