"""Render visitors' Markdown safely: raw HTML off in the parser, then a sanitiser."""

import functools
import html

import nh3
from django import template
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

register = template.Library()

# CommonMark with raw HTML disabled: markup typed by a visitor comes out as text.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_parser.disable("image")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6",
}  # fmt: skip


# Rendering is a pure function of the text, and the same texts come round on every list
# and detail page: each process keeps the latest results (a few MB at most).
RENDERED_KEPT = 1024


@functools.lru_cache(maxsize=RENDERED_KEPT)
def render_markdown(text):
    """Markdown to sanitised HTML: only simple formatting and links survive."""
    html = _parser.render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer ugc",
    )


@register.filter(name="markdown")
def markdown_filter(text):
    return mark_safe(render_markdown(text))


@register.filter(name="markdown_text")
@functools.lru_cache(maxsize=RENDERED_KEPT)
def markdown_text_filter(text):
    """The words of some Markdown as plain, unsafe text, for cards and attributes.

    Deliberately not marked safe: the template escapes it like any other text. (Chaining
    ``markdown|striptags`` would keep the result marked safe, with the sanitiser's
    entities decoded, and let a quote break out of an attribute.)
    """
    return " ".join(html.unescape(strip_tags(render_markdown(text))).split())
