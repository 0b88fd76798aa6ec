"""Public reads of case studies and organisations, each written once.

Pages, the API, feeds, exports and sitemaps all read through these and the querysets'
own methods (``Partnership.objects.published().newest_first().for_cards()``).
"""

from django.db.models import Exists, OuterRef, QuerySet
from taggit.models import Tag

from alliances.models import (
    Organisation,
    Participation,
    Partnership,
    PartnershipQuerySet,
    TaggedPartnership,
)

# Above this many case studies a tag is common: the first of them by name are found
# faster by walking the published case studies in name order than by sorting them all.
COMMON_TAG_PARTNERSHIPS = 200


def organisation_named_participations(organisation: Organisation) -> QuerySet[Participation]:
    """Its parts in published case studies that show their partners' names, by case study."""
    return (
        organisation.participations.named_in_published()
        .select_related("partnership")
        .order_by("partnership__name", "role")
    )


def tagged_partnerships(tag: Tag, *, total: int) -> PartnershipQuerySet:
    """Published case studies carrying ``tag`` (of which there are ``total``), by name."""
    if total > COMMON_TAG_PARTNERSHIPS:
        carries_tag = TaggedPartnership.objects.filter(tag=tag, content_object=OuterRef("pk"))
        found = Partnership.objects.published().filter(Exists(carries_tag))
    else:
        found = Partnership.objects.published().filter(tags=tag)
    return found.order_by("name", "pk")


def partnership_lessons(partnership: Partnership) -> list:
    """Its published lessons, newest first, with what a lesson card shows.

    A case study has a handful of lessons: they are sorted here, so the database looks
    them up by case study rather than walking every published lesson by date. (Lessons
    are reached through the reverse relation: this app never imports the lessons app.)
    """
    lessons = (
        partnership.lessons.published()
        .order_by()
        .select_related("source")
        .prefetch_related("themes", "tags")
    )
    return sorted(lessons, key=lambda lesson: (lesson.published_at, lesson.pk), reverse=True)
