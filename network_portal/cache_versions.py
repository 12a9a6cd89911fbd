"""Shared content in the cache, under keys that change when the data changes.

Pages keep what every member sees alike (the directory, the past meetings, the start page's
figures) in the Django cache (Redis in production, ``CACHE_URL``). Nothing is ever deleted
from the cache to invalidate it; instead each *topic* ("directory", "meetings") has a
*generation*, a random token kept in the cache, and every cache key contains the generations
of the topics its content depends on. A change to a model of a topic draws a new token, so
the next request computes the content afresh under a new key; the old entries expire.

Which writes draw a new generation:

- ``save()``, ``delete()`` (also cascades: a watched model gets no fast delete, so Django sends
  ``post_delete`` for each row) and many-to-many changes: the signals connected by
  :func:`watch`;
- the queryset writes that send no signal: ``QuerySet.update()``, ``bulk_create()``,
  ``bulk_update()`` and ``delete()``, through :class:`GenerationQuerySet`, the queryset of the
  watched models' default managers (``objects = MyQuerySet.as_manager()`` with ``MyQuerySet``
  derived from it; related managers use the same class).

Raw SQL is not seen; code that writes a watched table with raw SQL calls :func:`bump` itself.
Neither are the updates Django makes through a model's base manager (``on_delete=SET_NULL``
of a deleted parent): each such parent is watched in the same topic, so its delete counts.

Only a cache shared by all processes (Redis, ``CACHE_URL``) keeps shared content: with a cache
of each process (the local-memory default) a change made in a worker could not reach the web
processes' copies, so everything is computed on every request. A cache that fails (Redis
unreachable) is treated as empty: pages are computed, never refused; changes made while it
was unreachable are seen at the latest after ``DEFAULT_TIMEOUT``, when old entries expire.

A generation is drawn anew at once (the transaction's own later reads see the change) and
again after the commit: a request that filled the cache between the two with the data before
the commit left its entry under a generation nobody asks for any more. A token, not a counter:
if the cache evicts a generation, the new one is new, so no old entry can come back.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from asgiref.local import Local
from django.core.cache import cache, caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

PREFIX = "portal:gen"
# Shared content is recomputed at least this often even if nothing changed (seconds).
DEFAULT_TIMEOUT = 15 * 60

_topics_of: dict[type, frozenset[str]] = {}
# Within a request the generations of all topics are read once (one cache round trip for a
# page with several fragments); outside requests (tasks, shells) each read asks the cache.
_request = Local()


def _generation_key(topic: str) -> str:
    return f"{PREFIX}:{topic}"


def is_shared() -> bool:
    """Whether the cache is one for all processes, so shared content may be kept in it."""
    return not isinstance(caches["default"], (LocMemCache, DummyCache))


def bump(*topics: str) -> None:
    """Draw new generations for ``topics``: now, and again when the transaction commits."""
    if not topics or not is_shared():
        return
    _draw(topics)
    transaction.on_commit(lambda: _draw(topics), robust=True)


def _draw(topics: Iterable[str]) -> None:
    tokens = {topic: secrets.token_hex(8) for topic in topics}
    memo = getattr(_request, "generations", None)
    if memo is not None:
        memo.update(tokens)
    try:
        cache.set_many({_generation_key(topic): token for topic, token in tokens.items()}, None)
    except Exception:  # noqa: BLE001 - the change is saved; its pages expire in time
        logger.warning("Could not record a change of %s in the cache", sorted(tokens))


def generations(*topics: str) -> tuple[str, ...]:
    """The current generation of each of ``topics`` (one cache round trip when all exist;
    in a request, one for all topics the first time, none after)."""
    memo = getattr(_request, "generations", None)
    if memo is None:
        return tuple(_read(topics).values())
    missing = [topic for topic in topics if topic not in memo]
    if missing:
        memo.update(_read({*missing, *_all_topics()}))
    return tuple(memo[topic] for topic in topics)


def _read(topics: Iterable[str]) -> dict[str, str]:
    topics = list(topics)
    try:
        found = cache.get_many([_generation_key(topic) for topic in topics])
        result = {}
        for topic in topics:
            key = _generation_key(topic)
            token = found.get(key)
            if token is None:
                token = secrets.token_hex(8)
                if not cache.add(key, token, None):  # another process was faster: its token
                    token = cache.get(key) or token
            result[topic] = token
        return result
    except Exception:  # noqa: BLE001 - an unreachable cache: new tokens, nothing found
        logger.warning("The cache did not answer; shared content is computed anew")
        return {topic: secrets.token_hex(8) for topic in topics}


def _all_topics() -> set[str]:
    return set().union(*_topics_of.values())


def _start_request(**kwargs) -> None:
    _request.generations = {}


def _end_request(**kwargs) -> None:
    _request.generations = None


request_started.connect(_start_request, dispatch_uid="cache_versions:start")
request_finished.connect(_end_request, dispatch_uid="cache_versions:end")


def cache_key(name: str, *, topics: Iterable[str], parts: Iterable[Any] = ()) -> str:
    """The key of ``name`` for the current generations of ``topics``, the active language and
    ``parts`` (whatever else the content varies by: page number, filter)."""
    topics = tuple(topics)
    raw = repr((generations(*topics), translation.get_language(), tuple(parts)))
    return f"portal:{name}:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def cached(
    name: str,
    compute: Callable[[], Any],
    *,
    topics: Iterable[str],
    parts: Iterable[Any] = (),
    timeout: int = DEFAULT_TIMEOUT,
    valid_until: Callable[[Any], datetime | None] | None = None,
) -> Any:
    """``compute()``'s value, from the cache when its key (see :func:`cache_key`) is there.

    ``valid_until(value)``: for content that changes with time alone (the next meeting stops
    being the next when it starts), the moment from which the value is computed anew."""
    if not is_shared():
        return compute()
    key = cache_key(name, topics=topics, parts=parts)
    entry = cache_get(key)
    if entry is not None:
        value, until = entry
        if until is None or timezone.now() < until:
            return value
    value = compute()
    if value is not None:  # nothing (a page past the end): not worth a cache entry
        until = valid_until(value) if valid_until else None
        cache_set(key, (value, until), timeout)
    return value


def cache_get(key: str):
    """The entry under ``key``; None when there is none or the cache does not answer."""
    try:
        return cache.get(key)
    except Exception:  # noqa: BLE001 - computed instead
        logger.warning("The cache did not answer; shared content is computed anew")
        return None


def cache_set(key: str, value, timeout: int) -> None:
    try:
        cache.set(key, value, timeout)
    except Exception:  # noqa: BLE001 - computed again next time
        logger.warning("The cache did not answer; shared content is not kept")


# --- Which writes change which topics ------------------------------------------------------


def topics_of(model: type) -> frozenset[str]:
    return _topics_of.get(model, frozenset())


def bump_model(model: type) -> None:
    bump(*sorted(topics_of(model)))


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    bump_model(sender)


def _on_m2m_change(sender, instance, action, model, **kwargs) -> None:
    if action.startswith("post_"):
        bump_model(type(instance))
        bump_model(model)


def watch(model: type, *topics: str) -> None:
    """Changes to rows of ``model`` draw new generations of ``topics``. Call it from the app's
    ``AppConfig.ready()``; the model's default manager should use :class:`GenerationQuerySet`
    so that queryset writes count too."""
    _topics_of[model] = topics_of(model) | set(topics)
    uid = f"cache_versions:{model._meta.label}"
    post_save.connect(_on_change, sender=model, dispatch_uid=uid)
    post_delete.connect(_on_change, sender=model, dispatch_uid=uid)
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(_on_m2m_change, sender=field.remote_field.through, dispatch_uid=uid)


class GenerationQuerySet(models.QuerySet):
    """A queryset whose writes without signals draw new generations of its model's topics."""

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows:
            bump_model(self.model)
        return rows

    update.alters_data = True

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            bump_model(self.model)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        if rows:
            bump_model(self.model)
        return rows

    bulk_update.alters_data = True

    def delete(self):
        deleted = super().delete()
        if deleted[0]:
            bump_model(self.model)
        return deleted

    delete.alters_data = True
    delete.queryset_only = True

    def _raw_delete(self, using):
        rows = super()._raw_delete(using)
        if rows:
            bump_model(self.model)
        return rows
