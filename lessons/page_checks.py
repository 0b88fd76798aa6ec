"""What lesson pages show that the content version does not cover, read again on each hit.

A "this helped me" vote changes a lesson's count without moving the content version (it
changes no count or facet), so a lesson page in the page cache records the count it
showed and is rendered again once the count has moved (core/page_cache.py).
"""

from django.db import connections, router

from lessons.models import Lesson

HELPFUL_COUNT = "lessons.helpful-count"
# Plain SQL, as for the content version: on a cached page, building the ORM's query would
# cost more than the rest of the answer.
HELPFUL_COUNT_SQL = f"SELECT helpful_count FROM {Lesson._meta.db_table} WHERE id = %s"


def helpful_count(lesson_id: int) -> int | None:
    """The lesson's "this helped me" count now (None once it is gone): one primary-key query."""
    with connections[router.db_for_read(Lesson)].cursor() as cursor:
        cursor.execute(HELPFUL_COUNT_SQL, [lesson_id])
        row = cursor.fetchone()
    return row[0] if row else None
