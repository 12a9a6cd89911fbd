"""The embed snippet of the seal holders' list, for the coordinators' certificate list."""

from django import template

from ..views.holders import embed_snippet

register = template.Library()


@register.simple_tag
def holders_embed_snippet() -> str:
    """The HTML code (escaped: shown as text to copy)."""
    return str(embed_snippet())
