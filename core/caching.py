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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.db import connections, router

from core.models import ContentVersion

TIMEOUT = 60 * 60
VERSION_SQL = f"SELECT number, changed_at FROM {ContentVersion._meta.db_table} WHERE id = 1"
T = TypeVar("T")


# The version a public page's request read first (core/page_cache.py), reused by every read
# of it while that page renders: one query per page.
_read_for_this_page: ContextVar[tuple[str | None] | None] = ContextVar(
    "content_version", default=None
)


def content_version() -> str | None:
    """The current content version, or None when there is none (nothing is then cached)."""
    known = _read_for_this_page.get()
    if known is not None:
        return known[0]
    # Plain SQL: every cached page reads it, and building the ORM's query cost more than
    # running it.
    with connections[router.db_for_read(ContentVersion)].cursor() as cursor:
        cursor.execute(VERSION_SQL)
        row = cursor.fetchone()
    return f"{row[0]}-{row[1]}" if row else None


@contextmanager
def content_version_for_page() -> Iterator[str | None]:
    """Read the content version once for a page that only reads, and reuse it within."""
    version = content_version()
    token = _read_for_this_page.set((version,))
    try:
        yield version
    finally:
        _read_for_this_page.reset(token)


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
