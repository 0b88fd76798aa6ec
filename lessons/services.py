"""Writes on lessons that are not submissions: a reader's "this helped me"."""

from django.contrib.sessions.backends.base import SessionBase
from django.db.models import F

from lessons.models import Lesson

HELPFUL_SESSION_KEY = "helpful_lessons"


def lesson_mark_helpful(*, lesson: Lesson, session: SessionBase) -> bool:
    """Count this visitor's "this helped me" once per session; True if it was counted."""
    marked = session.get(HELPFUL_SESSION_KEY, [])
    if lesson.pk in marked:
        return False
    Lesson.objects.filter(pk=lesson.pk).update(helpful_count=F("helpful_count") + 1)
    session[HELPFUL_SESSION_KEY] = [*marked, lesson.pk]
    return True
