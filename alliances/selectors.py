"""Public reads of case studies and organisations, each written once.

Pages, the API, feeds, exports and sitemaps all read through these and the querysets'
own methods (``Partnership.objects.published().newest_first().for_cards()``).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from taggit.models import Tag

from alliances.models import (
    Organisation,
    Participation,
    Partnership,
    PartnershipQuerySet,
    SignoffAnswer,
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


@dataclass(frozen=True)
class SignoffSummary:
    """What visitors are told of a case study's partner sign-off: how many of its partners
    confirmed it, which (by their public names), whether one sees it differently, and the
    comments a curator approved. Never a contact or a link."""

    total: int
    confirmed: list[str]
    disputed: bool
    comments: list[tuple[str, str, str]]  # (public name, answer's label, comment)

    @property
    def answered(self) -> bool:
        return bool(self.confirmed or self.disputed)

    @property
    def all_confirmed(self) -> bool:
        return self.total > 0 and len(self.confirmed) == self.total


def partnership_signoff_summary(partnership: Partnership) -> SignoffSummary:
    """Its sign-off, read from its participations as ``for_cards`` prefetches them."""
    parts = list(partnership.participations.all())
    answers = [(part, getattr(part, "signoff", None)) for part in parts]
    confirmed = [part.public_name for part, signoff in answers if signoff and signoff.confirms]
    disputed = any(s and s.answer == SignoffAnswer.DISPUTED for _, s in answers)
    comments = [
        (part.public_name, signoff.get_answer_display(), signoff.comment_shown)
        for part, signoff in answers
        if signoff and signoff.comment_shown
    ]
    return SignoffSummary(len(parts), confirmed, disputed, comments)
