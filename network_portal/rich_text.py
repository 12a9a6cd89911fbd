"""Markdown that coordinators write (a newsletter issue), as the two parts of a mail.

``markdown_mail_html``: the HTML part, sanitised (no scripts, no event handlers, only http(s)
and mailto links, no styles but ours; ``markdown_html`` is the same without them, for pages).
``markdown_text``: the text part, made from that HTML, so both parts say the same: headings
underlined, lists with "- " or "1. ", links as "text (URL)", emphasis without its markers,
images as "[Image: alt]", quotes with "> ", paragraphs wrapped at 72 characters (never inside
a URL). Nothing of the Markdown source (``##``, ``**``, ``[text](url)``) is left for the
reader to decode.
"""

import functools
import re
import textwrap
from html.parser import HTMLParser

import markdown
import nh3
from django.utils.translation import gettext as _

WIDTH = 72

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}


# Mail programs ignore most style sheets: the HTML part carries its look on each element.
# Set by the sanitiser, over anything the text brought; the mail layout's colours.
MAIL_STYLES = {
    "h2": "margin:28px 0 8px;font-size:20px;line-height:1.3;color:#8c1c2b;",
    "h3": "margin:24px 0 6px;font-size:17px;line-height:1.3;color:#222;",
    "h4": "margin:20px 0 4px;font-size:15px;line-height:1.3;color:#222;",
    "p": "margin:0 0 14px;",
    "ul": "margin:0 0 14px;padding-left:24px;",
    "ol": "margin:0 0 14px;padding-left:24px;",
    "li": "margin:0 0 6px;",
    "a": "color:#8c1c2b;text-decoration:underline;",
    "blockquote": "margin:0 0 14px;padding:2px 0 2px 14px;border-left:3px solid #8c1c2b;"
    "color:#555;font-style:italic;",
    "img": "display:block;max-width:100%;height:auto;border:0;margin:0 0 14px;",
    "table": "border-collapse:collapse;margin:0 0 14px;",
    "th": "text-align:left;padding:6px 10px 6px 0;border-bottom:2px solid #ddd;",
    "td": "text-align:left;padding:6px 10px 6px 0;border-bottom:1px solid #eee;",
    "pre": "white-space:pre-wrap;margin:0 0 14px;padding:10px;background:#f4f4f4;font-size:13px;",
    "code": "font-family:Consolas,Menlo,monospace;font-size:0.95em;",
    "hr": "border:0;border-top:1px solid #ddd;margin:20px 0;",
}


@functools.lru_cache(maxsize=32)
def markdown_html(text: str) -> str:
    """Markdown to sanitised HTML, for a page (its styles come from the page). Cached: an
    issue is rendered once, not once per recipient."""
    return _clean(_markdown(text))


@functools.lru_cache(maxsize=32)
def markdown_mail_html(text: str) -> str:
    """Markdown to sanitised HTML for a mail: each element styled (``MAIL_STYLES``), images
    never wider than the mail."""
    return _clean(_markdown(text), styles=MAIL_STYLES)


def _markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["extra", "sane_lists"])


def _clean(html: str, *, styles: dict | None = None) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        set_tag_attribute_values={tag: {"style": style} for tag, style in (styles or {}).items()},
    )


def markdown_text(text: str, *, width: int = WIDTH) -> str:
    """Markdown as readable plain text (see the module)."""
    return html_text(markdown_html(text), width=width)


# --- HTML to text -------------------------------------------------------------------------------

BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "div",
    "dl",
    "dt",
    "dd",
}
VOID = {"br", "hr", "img"}
# The character under a heading, by level.
UNDERLINE = {"h1": "=", "h2": "=", "h3": "-", "h4": "-", "h5": "-", "h6": "-"}


class _Node:
    __slots__ = ("attrs", "children", "tag")

    def __init__(self, tag: str, attrs: dict):
        self.tag, self.attrs, self.children = tag, attrs, []


class _TreeBuilder(HTMLParser):
    """The HTML as a tree of ``_Node`` and strings; unclosed elements are closed at the end."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("div", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def html_text(html: str, *, width: int = WIDTH) -> str:
    """Sanitised HTML (``markdown_html``) as plain text, wrapped at ``width``."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return "\n\n".join(_blocks(builder.root, width)).strip("\n")


def _is_block(child) -> bool:
    return isinstance(child, _Node) and child.tag in BLOCKS


def _blocks(node: _Node, width: int) -> list[str]:
    """The blocks inside ``node``; loose inline content between blocks is a paragraph."""
    blocks, inline = [], []

    def flush():
        text = _inline(inline)
        if text.strip():
            blocks.append(_wrap(text, width))
        inline.clear()

    for child in node.children:
        if _is_block(child):
            flush()
            block = _block(child, width)
            if block.strip():
                blocks.append(block)
        else:
            inline.append(child)
    flush()
    return blocks


def _block(node: _Node, width: int) -> str:
    tag = node.tag
    if tag in UNDERLINE:
        title = _inline(node.children).strip()
        return f"{title}\n{UNDERLINE[tag] * min(len(title), width)}"
    if tag in ("ul", "ol"):
        return _list(node, width)
    if tag == "blockquote":
        inner = "\n\n".join(_blocks(node, max(width - 2, 20)))
        return "\n".join(f"> {line}".rstrip() for line in inner.split("\n"))
    if tag == "pre":
        return _raw(node).strip("\n")
    if tag == "hr":
        return "-" * min(width, 20)
    if tag == "table":
        return "\n".join(_rows(node))
    return "\n\n".join(_blocks(node, width))


def _list(node: _Node, width: int) -> str:
    items = [child for child in node.children if isinstance(child, _Node) and child.tag == "li"]
    try:
        start = int(node.attrs.get("start", 1))
    except ValueError:
        start = 1
    # A loose list (paragraphs in its items) keeps a blank line between its items; a tight
    # one keeps a nested list right under its item.
    loose = any(isinstance(c, _Node) and c.tag == "p" for item in items for c in item.children)
    rendered = []
    for number, item in enumerate(items, start=start):
        marker = f"{number}. " if node.tag == "ol" else "- "
        blocks = _blocks(item, max(width - len(marker), 20))
        inner = ("\n\n" if loose else "\n").join(blocks)
        indent = " " * len(marker)
        rendered.append(
            "\n".join(
                f"{marker if index == 0 else indent}{line}".rstrip()
                for index, line in enumerate(inner.split("\n"))
            )
        )
    return ("\n\n" if loose else "\n").join(rendered)


def _rows(node: _Node):
    for child in node.children:
        if not isinstance(child, _Node):
            continue
        if child.tag == "tr":
            cells = [
                _inline(cell.children).strip()
                for cell in child.children
                if isinstance(cell, _Node) and cell.tag in ("th", "td")
            ]
            yield " | ".join(cells)
        else:
            yield from _rows(child)


def _raw(node) -> str:
    """Preformatted text as it is."""
    if isinstance(node, str):
        return node
    return "".join(_raw(child) for child in node.children)


# A hard line break (<br>) inside a paragraph: kept through the wrapping.
_BREAK = "\x00"


def _inline(children) -> str:
    """Inline content as one line of text (whitespace collapsed as a browser does); a
    ``<br>`` is kept as a line break."""
    parts = []
    for child in children:
        if isinstance(child, str):
            parts.append(re.sub(r"\s+", " ", child))
        elif child.tag == "br":
            parts.append(_BREAK)
        elif child.tag == "img":
            alt = child.attrs.get("alt", "").strip()
            parts.append(_("[Image: %(alt)s]") % {"alt": alt} if alt else _("[Image]"))
        elif child.tag == "a":
            parts.append(_link(_inline(child.children).strip(), child.attrs.get("href", "")))
        elif _is_block(child):  # a block where only inline content belongs: its text
            parts.append(" " + _inline(child.children) + " ")
        else:  # strong, em, code …: the words without markers
            parts.append(_inline(child.children))
    return "".join(parts)


def _link(text: str, href: str) -> str:
    href = href.strip()
    if href.startswith("#"):  # a footnote's marks: the number stays, the way back goes
        return "" if text == "\u21a9" else text
    if not href:
        return text
    target = href.removeprefix("mailto:")
    if not text or text in (href, target) or f"https://{text}" == href:
        return target
    return f"{text} ({target})"


def _wrap(text: str, width: int) -> str:
    lines = []
    for line in text.split(_BREAK):
        line = re.sub(r" +", " ", line).strip()
        lines.append(
            textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False)
            if line
            else ""
        )
    return "\n".join(lines).strip("\n")
