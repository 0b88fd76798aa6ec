"""Slugs: the natural keys fixtures use, and new slugs that never collide."""

from django.db import models
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
