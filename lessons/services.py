"""Writes on lessons that are not submissions: a reader's "this helped me" and "I applied this
lesson", and curators' merging of tags (which moves lessons' and case studies' tag links alike)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag

from alliances.models import Partnership, TaggedPartnership
from core import history, renames
from core.models import LimitedWrite
from core.moderation import ModerationStatus
from core.moderation_mail import curators_notify
from core.ratelimit import address_hash, rate_take
from core.tags import tag_slug, tag_slug_free
from lessons.models import ApplicationReport, HelpfulVote, Lesson, TaggedLesson


def lesson_mark_helpful(*, lesson: Lesson, address: str) -> bool:
    """Count a visitor's "this helped me" on a lesson once; True if it was counted now.

    A visitor is their address. The unique vote decides: a repeat finds the vote already
    there and writes nothing. A new vote is one of the address's hourly votes (raises
    RateLimited, storing nothing, when they are used up) and adds one to the lesson's
    count, all in one transaction. Nothing is written to the visitor's session.
    """
    with transaction.atomic():
        _vote, counted = HelpfulVote.objects.get_or_create(
            lesson=lesson, voter=address_hash(address)
        )
        if counted:
            rate_take(kind=LimitedWrite.VOTE, address=address)
            Lesson.objects.filter(pk=lesson.pk).update(helpful_count=F("helpful_count") + 1)
    return counted


def lesson_report_applied(
    *, lesson: Lesson, outcome: str, sector: str, region: str, note: str, address: str
) -> ApplicationReport:
    """Store a reader's "I applied this lesson", taking one of the address's hourly reports
    (raises RateLimited, storing nothing, when they are used up).

    Without a note it is published at once, and the lesson's counts move in the same
    transaction (the database's triggers: lessons/applied_counts.py). With a note it waits
    for a curator and counts only once published. Its first version is the contributor's.
    """
    note = note.strip()
    status = ModerationStatus.PENDING if note else ModerationStatus.PUBLISHED
    with history.revision(by_contributor=True, comment="Reported on the lesson's page."):
        rate_take(kind=LimitedWrite.APPLIED, address=address)
        report = ApplicationReport(
            lesson=lesson,
            outcome=outcome,
            sector=sector,
            region=region,
            note=note,
            moderation_status=status,
            published_at=None if note else timezone.now(),
        )
        report.full_clean()
        report.save()
        if note:
            curators_notify(item=report)
    return report


@dataclass(frozen=True)
class TagMerge:
    """What a merge did: the tag kept, the names merged into it, the items that moved."""

    keep: Tag
    merged: list[str]
    lessons: int
    partnerships: int


def _move_tag_links(through: type[models.Model], *, keep: Tag, merge_ids: list[int]) -> list[int]:
    """Give every item carrying a merged tag the kept one instead, once: returns their ids."""
    links = through._default_manager
    moved = set(links.filter(tag_id__in=merge_ids).values_list("content_object_id", flat=True))
    has_keep = set(
        links.filter(tag=keep, content_object_id__in=moved).values_list(
            "content_object_id", flat=True
        )
    )
    links.filter(tag_id__in=merge_ids).delete()
    links.bulk_create(
        [through(content_object_id=item, tag=keep) for item in sorted(moved - has_keep)]
    )
    return sorted(moved)


def _tag_rename(tag: Tag, name: str) -> None:
    """Give the kept tag a new name and the slug made from it (its old slug then redirects)."""
    if Tag.objects.exclude(pk=tag.pk).filter(name=name).exists():
        raise ValueError(f"A tag named “{name}” already exists: select it too to merge it in.")
    others = Tag.objects.exclude(pk=tag.pk).filter(slug__startswith=tag_slug(name))
    tag.name = name
    tag.slug = tag_slug_free(name, set(others.values_list("slug", flat=True)))
    tag.save()


def tags_merge(*, keep: Tag, merge: Iterable[Tag], by: Any, name: str = "") -> TagMerge:
    """Merge tags into ``keep`` in one transaction: every lesson and case study carrying one
    carries ``keep`` instead (once, if it had both), the merged tags are deleted and their
    addresses (and any they had before) lead to ``keep``'s; ``name`` renames ``keep`` if
    given. Recorded in the admin log and as a new version of every item that moved.

    Raises ValueError when no other tag is given, or a tag is gone (merged meanwhile).
    """
    merging = {tag.pk: tag for tag in merge if tag.pk != keep.pk}
    merge_ids = sorted(merging)
    if not merge_ids:
        raise ValueError("Choose at least one other tag to merge into the kept one.")
    quoted = ", ".join(f"“{merging[pk].name}”" for pk in merge_ids)
    with history.revision(by=by, comment=f"Merged the tags {quoted} into “{keep.name}”."):
        locked = {
            tag.pk: tag
            for tag in Tag.objects.select_for_update().filter(pk__in=[keep.pk, *merge_ids])
        }
        if set(locked) != {keep.pk, *merge_ids}:
            raise ValueError(
                "A selected tag no longer exists: another curator merged or deleted it."
            )
        keep, merged = locked[keep.pk], [locked[pk] for pk in merge_ids]
        lesson_ids = _move_tag_links(TaggedLesson, keep=keep, merge_ids=merge_ids)
        partnership_ids = _move_tag_links(TaggedPartnership, keep=keep, merge_ids=merge_ids)
        renames.slug_redirects_move(model=Tag, from_ids=merge_ids, to_id=keep.pk)
        for tag in merged:
            renames.slug_redirect_record(model=Tag, old_slug=tag.slug, item_id=keep.pk)
        names = [tag.name for tag in merged]
        LogEntry.objects.log_actions(
            by.pk, merged, DELETION, change_message=f"Merged into “{keep.name}”."
        )
        Tag.objects.filter(pk__in=merge_ids).delete()
        if name and name != keep.name:
            _tag_rename(keep, name)
        LogEntry.objects.log_actions(
            by.pk,
            [keep],
            CHANGE,
            change_message="Merged " + ", ".join(f"“{n}”" for n in names) + " into this tag.",
        )
        history.record(Lesson.objects.filter(pk__in=lesson_ids))
        history.record(Partnership.objects.filter(pk__in=partnership_ids))
    return TagMerge(
        keep=keep, merged=names, lessons=len(lesson_ids), partnerships=len(partnership_ids)
    )
