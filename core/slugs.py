"""Slugs: the natural keys fixtures use, new slugs that never collide, and their pages' URLs."""

import functools
import re

from django.conf import settings
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.text import slugify


class SlugNaturalKeyManager(models.Manager):
    """For models whose fixtures name them by slug."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class TaggedBySlugManager(models.Manager):
    """For a tag's link to an item named by slug: fixtures name it (item slug, tag name)."""

    def get_by_natural_key(self, item_slug, tag_name):
        return self.get(content_object__slug=item_slug, tag__name=tag_name)


def unique_slug(model: type[models.Model], text: str, *, max_length: int = 180) -> str:
    """A slug for `text` not yet used by `model`, numbered when it needs to be."""
    base = slugify(text)[:max_length].strip("-") or "untitled"
    slug, number = base, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


# What reverse() puts into a path unchanged: every slug the site makes is written so.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SLUG_MARK = "0slug0"


@functools.lru_cache(maxsize=64)
def _slug_url_parts(url_name: str, urlconf: str, prefix: str) -> tuple[str, str]:
    before, after = reverse(url_name, kwargs={"slug": SLUG_MARK}, urlconf=urlconf).split(SLUG_MARK)
    return before, after


def slug_url(url_name: str, slug: str) -> str:
    """``reverse(url_name, kwargs={"slug": slug})``, at the cost of joining three strings.

    A page of cards links every lesson, case study, theme and tag on it, and reverse()
    resolves the pattern afresh for each; the path around a plain slug is the same every
    time, so it is reversed once per URLconf and script prefix (both part of the key).
    A slug reverse() might quote or refuse goes through reverse() itself.
    """
    if not PLAIN_SLUG.fullmatch(slug):
        return reverse(url_name, kwargs={"slug": slug})
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    before, after = _slug_url_parts(url_name, urlconf, get_script_prefix())
    return before + slug + after
