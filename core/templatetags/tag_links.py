"""Template filters for tags: ``tag|tag_url`` (its page, empty when none can be made) and
``tags|by_name``."""

from django import template

from core.tags import tag_url as tag_page_url
from core.tags import tags_by_name

register = template.Library()


@register.filter
def tag_url(tag) -> str:
    return tag_page_url(tag.slug) or ""


@register.filter
def by_name(tags) -> list:
    """Tags in name order (core.tags.tags_by_name)."""
    return tags_by_name(tags)
