"""``tag|tag_url``: a tag page's address for templates, empty when none can be made."""

from django import template

from core.tags import tag_url as tag_page_url

register = template.Library()


@register.filter
def tag_url(tag) -> str:
    return tag_page_url(tag.slug) or ""
