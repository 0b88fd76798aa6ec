"""Public reads that join lessons to themes, tags and case studies, each written once.

Pages, the API, feeds, exports, insights and sitemaps all read through these and the
querysets' own methods (``Lesson.objects.published().for_theme(theme).newest_first()``).
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from taggit.models import Tag

from alliances.models import Organisation, Partnership, PartnershipQuerySet, TaggedPartnership
from core import caching
from core.moderation import ModerationStatus
from lessons.models import Lesson, LessonQuerySet, TaggedLesson, Theme

# Above this many lessons a tag is common: its newest lessons are found faster by walking
# all published lessons newest first than by sorting every lesson that carries it.
COMMON_TAG_LESSONS = 2000


def site_counts(version: str | None = None) -> dict:
    """Published lessons per theme id and the site's totals, cached per content version."""

    def compute():
        themes = Theme.objects.with_lesson_counts()
        return {
            "themes": {theme.pk: theme.lesson_total for theme in themes},
            "lessons": Lesson.objects.published().count(),
            "partnerships": Partnership.objects.published().count(),
            "organisations": Organisation.objects.with_published_partnerships().count(),
        }

    return caching.cached("site-counts", "", compute, version=version or caching.content_version())


def themes_with_cached_counts(counts: dict) -> list[Theme]:
    """The eight themes in order, each with ``lesson_total`` from ``site_counts()``."""
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.lesson_total = counts["themes"].get(theme.pk, 0)
    return themes


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


def tags_in_use() -> QuerySet[Tag]:
    """Tags on published content, by name, each with how many published lessons
    (``lesson_total``) and case studies (``partnership_total``) carry it, and ``total``."""

    def usage(through):
        return Coalesce(
            Subquery(
                through.objects.filter(
                    tag=OuterRef("pk"),
                    content_object__moderation_status=ModerationStatus.PUBLISHED,
                )
                .order_by()
                .values("tag")
                .annotate(total=Count("pk"))
                .values("total"),
                output_field=IntegerField(),
            ),
            0,
        )

    return (
        Tag.objects.annotate(
            lesson_total=usage(TaggedLesson), partnership_total=usage(TaggedPartnership)
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
