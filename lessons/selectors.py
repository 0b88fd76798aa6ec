"""Public reads that join lessons to themes, tags and case studies, each written once.

Pages, the API, feeds, exports, insights and sitemaps all read through these and the
querysets' own methods (``Lesson.objects.published().for_theme(theme).newest_first()``).
"""

from django.db.models import CharField, Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce
from taggit.models import Tag

from alliances.models import Partnership, PartnershipQuerySet
from core.models import PublicCount
from lessons import public_counts as scopes
from lessons.models import ApplicationReport, Lesson, LessonQuerySet, TaggedLesson, Theme

# Above this many lessons a tag is common: its newest lessons are found faster by walking
# all published lessons newest first than by sorting every lesson that carries it.
COMMON_TAG_LESSONS = 2000


def public_counts(*names: str) -> dict[str, dict[str, int]]:
    """{scope: {value: total}} of published content, from the counters the database keeps
    current (lessons/public_counts.py): one indexed read, whatever the data size."""
    counts: dict[str, dict[str, int]] = {name: {} for name in names}
    rows = PublicCount.objects.filter(scope__in=names, total__gt=0)
    for scope, value, total in rows.values_list("scope", "value", "total"):
        counts[scope][value] = total
    return counts


def site_counts() -> dict:
    """Published lessons per theme id and the site's totals."""
    counts = public_counts(
        scopes.LESSON_THEME, scopes.LESSONS, scopes.PARTNERSHIPS, scopes.ORGANISATIONS
    )
    return {
        "themes": {int(pk): total for pk, total in counts[scopes.LESSON_THEME].items()},
        "lessons": counts[scopes.LESSONS].get("", 0),
        "partnerships": counts[scopes.PARTNERSHIPS].get("", 0),
        "organisations": counts[scopes.ORGANISATIONS].get("", 0),
    }


def themes_with_cached_counts(counts: dict) -> list[Theme]:
    """The eight themes in order, each with ``lesson_total`` from ``site_counts()``."""
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.lesson_total = counts["themes"].get(theme.pk, 0)
    return themes


def theme_lesson_total(theme: Theme) -> int:
    """How many published lessons are filed under the theme."""
    counter = PublicCount.objects.filter(scope=scopes.LESSON_THEME, value=str(theme.pk))
    return counter.values_list("total", flat=True).first() or 0


def partnerships_with_lesson_on(theme: Theme) -> PartnershipQuerySet:
    """Published case studies with a published lesson on this theme, newest first.

    Each case study is checked for such a lesson (EXISTS), so a slice stops early
    instead of collecting every lesson's case study.
    """
    on_theme = Lesson.objects.published().for_theme(theme).filter(partnership=OuterRef("pk"))
    return Partnership.objects.published().filter(Exists(on_theme)).newest_first()


def tagged_lessons(tag: Tag, *, total: int) -> LessonQuerySet:
    """Published lessons carrying ``tag`` (of which there are ``total``), to read newest first.

    A common tag's lessons are read by walking the published lessons in index order and
    checking each for the tag; a rarer tag's are looked up by the tag and sorted.
    """
    if total > COMMON_TAG_LESSONS:
        carries_tag = TaggedLesson.objects.filter(tag=tag, content_object=OuterRef("pk"))
        return Lesson.objects.published().filter(Exists(carries_tag))
    return Lesson.objects.published().filter(tags=tag)


def _stored_total(scope: str) -> Coalesce:
    """The counter of ``scope`` for the tag of the outer query, 0 if it has none."""
    counter = PublicCount.objects.filter(
        scope=scope, value=Cast(OuterRef("pk"), output_field=CharField())
    )
    return Coalesce(Subquery(counter.values("total")[:1]), 0)


def tags_in_use() -> QuerySet[Tag]:
    """Tags on published content, by name, each with how many published lessons
    (``lesson_total``) and case studies (``partnership_total``) carry it, and ``total``."""
    return (
        Tag.objects.annotate(
            lesson_total=_stored_total(scopes.LESSON_TAG),
            partnership_total=_stored_total(scopes.PARTNERSHIP_TAG),
        )
        .annotate(total=F("lesson_total") + F("partnership_total"))
        .filter(total__gt=0)
        .order_by("name")
    )


def most_used_tags(limit: int, *, containing: str = "") -> QuerySet[Tag]:
    """The tags in use most often, optionally only those whose name contains some text."""
    tags = tags_in_use()
    if containing:
        tags = tags.filter(name__icontains=containing)
    return tags.order_by("-total", "name")[:limit]


def tag_totals(tag: Tag) -> dict[str, int]:
    """How many published lessons and case studies carry the tag."""
    rows = PublicCount.objects.filter(
        scope__in=[scopes.LESSON_TAG, scopes.PARTNERSHIP_TAG], value=str(tag.pk)
    )
    totals = dict(rows.values_list("scope", "total"))
    return {
        "lessons": totals.get(scopes.LESSON_TAG, 0),
        "partnerships": totals.get(scopes.PARTNERSHIP_TAG, 0),
    }


def top_tags(scope: str, limit: int) -> list[tuple[str, str, int]]:
    """(slug, name, total) of the ``limit`` tags with the highest counter in ``scope``,
    ties by name: a list's tag facet before anything is chosen."""
    tags = Tag.objects.annotate(total=_stored_total(scope)).filter(total__gt=0)
    rows = tags.order_by("-total", "name").values_list("slug", "name", "total")[:limit]
    return list(rows)


def application_notes(lesson: Lesson, *, limit: int) -> list[ApplicationReport]:
    """The newest published notes of readers who applied the lesson (a report without a note
    is only counted), straight from their index."""
    return list(
        ApplicationReport.objects.published()
        .with_note()
        .filter(lesson=lesson)
        .order_by("-published_at", "-pk")[:limit]
    )
