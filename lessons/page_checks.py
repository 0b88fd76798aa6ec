"""What lesson pages show that the content version does not cover, read again on each hit.

A "this helped me" vote changes a lesson's count without moving the content version (it
changes no count or facet), so a lesson page in the page cache records the count it
showed and is rendered again once the count has moved (core/page_cache.py).
"""

from lessons.models import Lesson

HELPFUL_COUNT = "lessons.helpful-count"


def helpful_count(lesson_id: int) -> int | None:
    """The lesson's "this helped me" count now: one primary-key query."""
    return Lesson.objects.filter(pk=lesson_id).values_list("helpful_count", flat=True).first()
