"""``{% sharedcache %}``: a part of a page that is the same for everyone it is shown to, kept
in the cache under the generations of the topics it shows (network_portal.cache_versions).

    {% load shared_cache %}
    {% sharedcache "meetings.detail" "meetings.shared" vary meeting.pk meeting.is_over %}
      … the meeting's description, agenda and materials …
    {% endsharedcache %}

The first argument names the fragment, the next ones are its topics; the values after
``vary`` are whatever else the fragment depends on (the object, a state that changes with
time). The active language is part of the key. Querysets the fragment iterates are only
evaluated when the fragment is rendered anew, so a view passes them unevaluated.

A fragment may not contain ``{% csrf_token %}`` (also not from an included template): the
token belongs to one visitor. Without a shared cache the fragment is rendered every time.
"""

from django import template
from django.core.exceptions import ImproperlyConfigured
from django.template.defaulttags import CsrfTokenNode
from django.utils.safestring import mark_safe

from network_portal.cache_versions import (
    DEFAULT_TIMEOUT,
    cache_get,
    cache_key,
    cache_set,
    is_shared,
)

register = template.Library()


class SharedCacheNode(template.Node):
    def __init__(self, nodelist, name, topics, vary):
        self.nodelist = nodelist
        self.name = name
        self.topics = topics
        self.vary = vary

    def render(self, context):
        if not is_shared():
            return self.nodelist.render(context)
        name = self.name.resolve(context)
        key = cache_key(
            name,
            topics=[topic.resolve(context) for topic in self.topics],
            parts=[value.resolve(context) for value in self.vary],
        )
        html = cache_get(key)
        if html is None:
            html = self.nodelist.render(context)
            if "csrfmiddlewaretoken" in html:  # e.g. from an included template
                raise ImproperlyConfigured(
                    f"The shared fragment {name!r} holds a CSRF token: it is per visitor."
                )
            cache_set(key, str(html), DEFAULT_TIMEOUT)
        return mark_safe(html)  # noqa: S308 - rendered from our own template


@register.tag
def sharedcache(parser, token):
    bits = token.split_contents()[1:]
    if "vary" in bits:
        split = bits.index("vary")
        bits, vary = bits[:split], bits[split + 1 :]
    else:
        vary = []
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% sharedcache %} needs a name and at least one topic.")
    nodelist = parser.parse(("endsharedcache",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError(
            "A {% sharedcache %} fragment may not contain {% csrf_token %}: it is per visitor."
        )
    return SharedCacheNode(
        nodelist,
        parser.compile_filter(bits[0]),
        [parser.compile_filter(topic) for topic in bits[1:]],
        [parser.compile_filter(value) for value in vary],
    )
