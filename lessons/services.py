"""Writes that touch several models: submitting a lesson, marking one helpful."""

from django.db import transaction
from django.db.models import F

from alliances.services import submission_finish, submission_store
from lessons.models import Lesson

HELPFUL_SESSION_KEY = "helpful_lessons"


def lesson_submit(*, data, themes, tags, address):
    """Store a visitor's lesson, pending review, with its themes and tags.

    Stored whole or not at all; curators are emailed once it is stored.
    """
    with transaction.atomic():
        lesson = submission_store(Lesson, data=data, title=data["title"], address=address)
        lesson.themes.set(themes)
        submission_finish(lesson, tags=tags, kind="lesson", address=address)
    return lesson


def lesson_mark_helpful(*, lesson, session):
    """Count this visitor's "this helped me" once per session; True if it was counted."""
    marked = session.get(HELPFUL_SESSION_KEY, [])
    if lesson.pk in marked:
        return False
    Lesson.objects.filter(pk=lesson.pk).update(helpful_count=F("helpful_count") + 1)
    session[HELPFUL_SESSION_KEY] = [*marked, lesson.pk]
    return True
