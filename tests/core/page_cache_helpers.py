"""What the page-cache tests share: the pages that opt in, and what the cache holds."""

import re

from django.core.cache import caches

from core.page_cache import CACHE_ALIAS, CachedPage

TOKEN_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def stored_pages() -> list[CachedPage]:
    """Every page in the page cache (LocMem keeps pickles in a dict)."""
    pages = caches[CACHE_ALIAS]
    return [pages.get(key.split(":", 2)[-1]) for key in list(pages._cache)]  # type: ignore[attr-defined]


def token_of(response) -> str:
    found = TOKEN_FIELD.search(response.content)
    assert found, "no CSRF token field on the page"
    return found.group(1).decode()


def without_token(content: bytes) -> bytes:
    return TOKEN_FIELD.sub(b'name="csrfmiddlewaretoken" value=""', content)


PAGE_NAMES = [
    "home",
    "themes",
    "theme",
    "lesson list",
    "lesson list, faceted",
    "case-study list",
    "lesson",
    "case study",
    "organisation",
    "tags",
    "tag",
    "tag suggestions",
    "search",
    "insights",
    "privacy",
    "lesson feed",
    "theme feed",
    "tag feed",
    "case-study feed",
    "sitemap",
    "sitemap section",
    "robots",
]
