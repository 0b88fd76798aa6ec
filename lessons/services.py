"""Writes that touch several models: submitting a lesson, marking one helpful."""

from django.db import transaction
from django.db.models import F

from alliances.moderation import ModerationStatus, new_status_token
from alliances.services import (
    curators_notify,
    submission_check_rate,
    submission_record,
    tags_resolve,
    unique_slug,
)
from lessons.models import Lesson

HELPFUL_SESSION_KEY = "helpful_lessons"


def lesson_submit(*, data, themes, tags, address):
    """Store a visitor's lesson, pending review, with its themes and tags.

    Stored whole or not at all; curators are emailed once it is stored.
    """
    with transaction.atomic():
        submission_check_rate(address=address)
        lesson = Lesson(
            **data,
            slug=unique_slug(Lesson, data["title"]),
            moderation_status=ModerationStatus.PENDING,
            status_token=new_status_token(),
        )
        lesson.full_clean()
        lesson.save()
        lesson.themes.set(themes)
        if tags:
            lesson.tags.add(*tags_resolve(tags))
        submission_record(address=address)
        transaction.on_commit(lambda: curators_notify(item=lesson, kind="lesson"))
    return lesson


def lesson_mark_helpful(*, lesson, session):
    """Count this visitor's "this helped me" once per session; True if it was counted."""
    marked = session.get(HELPFUL_SESSION_KEY, [])
    if lesson.pk in marked:
        return False
    Lesson.objects.filter(pk=lesson.pk).update(helpful_count=F("helpful_count") + 1)
    session[HELPFUL_SESSION_KEY] = [*marked, lesson.pk]
    return True
