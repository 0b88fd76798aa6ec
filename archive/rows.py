"""What each table of the open archive reads, and how a few of its values are written.

Every reader starts from the public selectors (``published()``, ``tags_in_use``,
``with_published_partnerships``), so a table holds only what a visitor can see; the
tables themselves, with their columns, are declared in resources.py.
"""

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.db.models import Model, Prefetch, QuerySet

from alliances.models import Organisation, Participation, Partnership, TaggedPartnership
from core.moderation import ModerationStatus
from lessons.models import ApplicationReport, Lesson, Quote, Source, TaggedLesson, Theme
from lessons.selectors import tags_in_use

PUBLISHED = ModerationStatus.PUBLISHED


def page_url(item: Model) -> str:
    return f"{settings.SITE_URL}{item.get_absolute_url()}"  # type: ignore[attr-defined]


def utc(moment) -> str | None:
    """A moment as Table Schema's default datetime: UTC, ``Z``, microseconds kept."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def published_or_none(partnership_id, partnership):
    """A case study's id where it is published: one still in moderation is not public."""
    if partnership_id is None or partnership is None or not partnership.is_published:
        return None
    return partnership_id


def themes() -> QuerySet:
    return Theme.objects.order_by("number")


def sources() -> QuerySet:
    return Source.objects.order_by("pk")


def quotes() -> QuerySet:
    return Quote.objects.order_by("pk")


def organisations() -> QuerySet:
    # Named in a published case study that shows its partners' names: the others are
    # not public, even by name.
    return Organisation.objects.with_published_partnerships().order_by("pk")


def case_studies() -> QuerySet:
    # Partners prefetched for the credit, which must name none a case study hides.
    # (Joined, not a second prefetch: an IN list of a chunk's every organisation is too deep
    # an expression for SQLite at scale.)
    parts = Participation.objects.select_related("organisation")
    return (
        Partnership.objects.published()
        .prefetch_related(Prefetch("participations", queryset=parts))
        .order_by("pk")
    )


def partners() -> QuerySet:
    # Each case study's partners in the order its page lists them (by name), so a mirror can
    # keep that order for partners the archive does not name.
    return (
        Participation.objects.filter(partnership__moderation_status=PUBLISHED)
        .select_related("partnership", "organisation", "signoff")
        .order_by("partnership_id", "organisation__name", "pk")
    )


def signoff_of(part: Participation):
    """The partner's sign-off, if it was asked for one."""
    return getattr(part, "signoff", None)


def signoff_answer(part: Participation) -> str | None:
    signoff = signoff_of(part)
    return signoff.answer if signoff is not None else None


def signoff_comment(part: Participation) -> str | None:
    # Shown, and so archived, only once a curator approved it.
    signoff = signoff_of(part)
    return signoff.comment_shown if signoff is not None else None


def applications() -> QuerySet:
    return (
        ApplicationReport.objects.published()
        .filter(lesson__moderation_status=PUBLISHED)
        .order_by("pk")
    )


def lessons() -> QuerySet:
    return Lesson.objects.published().for_credit().order_by("pk")


def lesson_themes() -> QuerySet:
    return (
        Lesson.themes.through.objects.filter(lesson__moderation_status=PUBLISHED)
        .values_list("lesson_id", "theme_id", named=True)
        .order_by("lesson_id", "theme_id")
    )


def tags() -> QuerySet:
    return tags_in_use().order_by("pk")


def lesson_taggings() -> QuerySet:
    return TaggedLesson.objects.filter(content_object__moderation_status=PUBLISHED)


def case_study_taggings() -> QuerySet:
    return TaggedPartnership.objects.filter(content_object__moderation_status=PUBLISHED)


class Tagging:
    """One tag link, on a lesson or on a case study, as one row of ``taggings``."""

    def __init__(self, kind: str, item_id: int, tag_id: int):
        self.kind = kind
        self.tag_id = tag_id
        self.lesson_id = item_id if kind == "lesson" else None
        self.case_study_id = item_id if kind == "case-study" else None


class TaggingRows:
    """Both kinds of tag link, read one after the other: a queryset-like ``iterator``."""

    def iterator(self, chunk_size: int = 2000) -> Iterable[Tagging]:
        for kind, links in (("lesson", lesson_taggings()), ("case-study", case_study_taggings())):
            pairs = links.values_list("content_object_id", "tag_id").order_by("pk")
            for item_id, tag_id in pairs.iterator(chunk_size=chunk_size):
                yield Tagging(kind, item_id, tag_id)
