"""Tags: names cleaned once, slugs every tag page can be reached by, and which names match.

Tags are taggit's ``Tag`` rows. taggit makes a new tag's slug with ``Tag.slugify`` and
numbers it when it is taken; this module gives that method the site's rule (see
``install``), so every way a tag is created (the submission forms, the admin's tag
fields and Tag admin, taggit's own API) gets an ASCII slug that is never empty.
"""

import hashlib
import re
import unicodedata

from anyascii import anyascii
from django.urls import NoReverseMatch

from core.slugs import slug_url

# Tag.slug holds 100 characters; a base slug leaves room for a "-<number>" suffix.
SLUG_LENGTH = 100
BASE_SLUG_LENGTH = 90
FALLBACK_PREFIX = "tag-"

# Everything that is not an ASCII letter or digit separates the words of a slug.
NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
# Case, spaces, hyphens and underscores never tell two tags apart: "Local context" is
# "local-context". Any other character does: "c++" is not "c".
SEPARATORS = re.compile(r"[\s_-]+")
# Characters that show nothing on their own: controls, format characters, separators.
INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"}


def tag_name_clean(name: str) -> str:
    """A typed tag name as it is stored: spaces collapsed, invisible ends trimmed.

    Empty when nothing visible is left (such a name makes no tag). Control characters
    (tabs, NUL) count as spaces; a joiner inside an emoji sequence is kept.
    """
    name = "".join(" " if unicodedata.category(char) == "Cc" else char for char in name)
    name = " ".join(name.split())
    start, end = 0, len(name)
    while start < end and unicodedata.category(name[start]) in INVISIBLE:
        start += 1
    while end > start and unicodedata.category(name[end - 1]) in INVISIBLE:
        end -= 1
    return name[start:end]


def tag_key(name: str) -> str:
    """What two names must share to be the same tag: the same words in any case."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(SEPARATORS.split(folded)).strip()


def tag_slug(name: str, number: int | None = None) -> str:
    """A tag's slug: its name in ASCII (any script, emoji included), words joined by hyphens.

    A name with nothing to spell ("!!!") gets "tag-" and a short hash of the name, the
    same for the same name every time. ``number`` (2, 3, …) numbers a taken slug.
    """
    words = NOT_ALPHANUMERIC.sub("-", anyascii(name).lower())
    base = words[:BASE_SLUG_LENGTH].strip("-")
    if not base:
        digest = hashlib.sha256(unicodedata.normalize("NFC", name).encode()).hexdigest()
        base = FALLBACK_PREFIX + digest[:10]
    return f"{base}-{number}" if number else base


def tag_slug_free(name: str, taken: set[str]) -> str:
    """The first of ``tag_slug(name)``, then numbered, that is not in ``taken``."""
    slug, number = tag_slug(name), 1
    while slug in taken:
        number += 1
        slug = tag_slug(name, number)
    return slug


def _taggit_slugify(self, tag: str, i: int | None = None) -> str:
    # taggit's TagBase.save asks for slugify(name), then slugify(name, 1), (name, 2), …
    # until one is free: numbered from 2 here, like the site's other slugs.
    return tag_slug(tag, i + 1 if i else None)


def install() -> None:
    """Give taggit's Tag the site's slugs (called once, from CoreConfig.ready).

    taggit's own hook for this is a custom tag model, which would move every tag and
    tagged row to a new table; its ``slugify`` method is what every path calls, so the
    rule is set there instead.
    """
    from taggit.models import Tag

    Tag.slugify = _taggit_slugify


def tags_by_name(tags) -> list:
    """An item's tags as every page and the API list them: by name, whatever order the
    database read them in (which its query plan decides, and a restored copy may not share)."""
    return sorted(tags, key=lambda tag: (tag.name.casefold(), tag.name, tag.pk))


def tag_url(slug: str) -> str | None:
    """The address of a tag's page (served by pages), or None when ``slug`` cannot make one.

    Every slug the site makes can; only a raw write to the database could store one that
    cannot, and then a page shows that tag's name unlinked instead of failing.
    """
    try:
        return slug_url("pages:tag-detail", slug)
    except NoReverseMatch:
        return None
