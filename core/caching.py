"""Counts worth caching (facets, tags), keyed by the content version.

Database triggers change the content version on every write a visitor can see
(declared in lessons/content_version.py), so a key built from it can never serve counts
from before a publication, an edit or a withdrawal: every process, on every machine,
moves to new keys at once, and old entries simply expire. Reading the version is one
primary-key lookup.

Writes no visitor sees (pending submissions, rejections of them, "this helped me" votes)
do not move it, so whatever is cached here must be computed from published content only,
and never from a "this helped me" count.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from core.models import ContentVersion

TIMEOUT = 60 * 60
T = TypeVar("T")


def content_version() -> str | None:
    """The current content version, or None when there is none (nothing is then cached)."""
    row = ContentVersion.objects.filter(pk=1).values_list("number", "changed_at").first()
    return f"{row[0]}-{row[1]}" if row else None


def cached(name: str, key: object, compute: Callable[[], T], *, version: str | None) -> T:
    """compute(), remembered under (name, key) for this content version."""
    if version is None:
        return compute()
    digest = hashlib.sha256(f"{version}|{key}".encode()).hexdigest()[:32]
    cache_key = f"ua:{name}:{digest}"
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, value, TIMEOUT)
    return value
