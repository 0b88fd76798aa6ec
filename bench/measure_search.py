"""Full-text search against a plain icontains scan, query against query, in-process.

Called by bench/measure_pages.py (task ``search``). Every search is timed with Django's
cache cleared, as for a word searched for the first time: counts and hits computed, not
read back. Three measures:

- the search's queries (count and top 10 with snippets) against the scan's query (every
  published lesson whose text or tags contain the word);
- the whole search page, rendered, with nothing cached (run with the page cache off);
- the top 10 compared with the scan's matches, and with a reference ranking that ranks
  every match (the engine's own rank over all published matches, no shortcut).
"""

import os
import statistics
import time

WORD = os.environ.get("BENCH_WORD", "water")
RUNS = int(os.environ.get("BENCH_SEARCH_RUNS", 5))


def best_of(function, runs):
    """Median seconds of ``runs`` calls, and the last call's value."""
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), value


def reference_ranking(word, limit=10):
    """The top lessons when every published match is ranked, as search/query.py ranks them
    (SQLite: bm25 with the declared weights; PostgreSQL: ts_rank); ties by id."""
    from django.db import connection

    from core.moderation import ModerationStatus
    from search.index import LESSONS

    published = ModerationStatus.PUBLISHED.value
    if connection.vendor == "sqlite":
        fts = LESSONS.fts_table
        weights = ", ".join(str(weight) for weight in LESSONS.weights)
        sql = (
            f"SELECT l.id FROM {fts} CROSS JOIN {LESSONS.table} l ON l.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND l.moderation_status = %s "
            f"ORDER BY bm25({fts}, {weights}), l.id LIMIT %s"
        )
        params = [f'"{word}"', published, limit]
    else:
        query = "websearch_to_tsquery('english'::regconfig, %s)"
        sql = (
            f"SELECT l.id FROM {LESSONS.table} l WHERE l.search_vector @@ {query} "
            f"AND l.moderation_status = %s ORDER BY ts_rank(l.search_vector, {query}) DESC, "
            "l.id LIMIT %s"
        )
        params = [word, published, word, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def measure_search():
    from django.core.cache import cache
    from django.db.models import Q
    from django.test import Client

    from lessons.models import Lesson
    from search.query import Search, SearchFilters

    def search():
        cache.clear()
        found = Search(WORD, SearchFilters(kind="lesson"))
        return found.count(), [hit.object.pk for hit in found[0:10]]

    def scan():
        text = Q(tags__name__icontains=WORD)
        for column in ("title", "context", "insight", "recommendation", "evidence"):
            text |= Q(**{f"{column}__icontains": WORD})
        return set(Lesson.objects.published().filter(text).values_list("pk", flat=True))

    client = Client()

    def page():
        cache.clear()
        response = client.get("/search/", {"q": WORD})
        assert response.status_code == 200
        return response

    search()  # the first query pays for opening the index, as no visitor's would
    search_seconds, (total, top) = best_of(search, RUNS)
    scan_seconds, scan_ids = best_of(scan, max(RUNS // 2, 1))
    page()
    page_seconds, _ = best_of(page, RUNS)
    try:
        reference = reference_ranking(WORD)
    except Exception as error:  # an engine this bench does not know: say so, carry on
        reference = f"n/a ({type(error).__name__})"
    return {
        "word": WORD,
        "search_ms": search_seconds * 1000,
        "scan_ms": scan_seconds * 1000,
        "page_ms": page_seconds * 1000,
        "matches": total,
        "scan_matches": len(scan_ids),
        "top": top,
        "top_found_by_scan": sum(pk in scan_ids for pk in top),
        "reference": reference,
        "same_top_as_reference": top == reference,
    }
