"""Time each page type in-process against the database the environment names; print JSON.

Run by bench/run.py once per data size, in a fresh process so settings come from the
environment it is given.
"""

import json
import os
import statistics
import sys
import time

import django

REQUESTS = int(os.environ.get("BENCH_REQUESTS", 30))


def main():
    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alliances.models import Organisation, Partnership
    from lessons.models import Lesson, TaggedLesson, Theme
    from search.query import Search, SearchFilters

    theme = Theme.objects.order_by("number").first()
    partnership = Partnership.objects.published().filter(is_sample=True).order_by("pk").first()
    lesson = Lesson.objects.published().filter(is_sample=True).order_by("pk").first()
    organisation = (
        Organisation.objects.with_published_partnerships()
        .filter(is_sample=True)
        .order_by("pk")
        .first()
    )
    tag = (
        TaggedLesson.objects.values("tag__slug")
        .annotate(total=Count("pk"))
        .order_by("-total")
        .first()["tag__slug"]
    )
    pages = {
        "home": "/",
        "theme": theme.get_absolute_url(),
        "partnership list, two facets": "/partnerships/?region=africa&sector=business",
        "partnership detail": partnership.get_absolute_url(),
        "lesson list": "/lessons/",
        "lesson detail": lesson.get_absolute_url(),
        "tag page": f"/tags/{tag}/",
        "search, one word": "/search/?q=water",
        "search, three words": "/search/?q=local+water+partners",
        # Issue 10: every page type (the render helper's additions).
        "organisation": organisation.get_absolute_url(),
        "themes": "/themes/",
        "tags": "/tags/",
        "insights": "/insights/",
        "lesson list, two facets": "/lessons/?sector=business&experience=worked",
        "lesson feed": "/feeds/lessons/",
        "tag feed": f"/feeds/tags/{tag}/",
    }
    client = Client()
    results = {}
    for name, url in pages.items():
        started = time.perf_counter()
        response = client.get(url)
        cold = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        client.get(url)
        timings = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as warm_queries:
            client.get(url)
        timings.sort()
        results[name] = {
            "url": url,
            "median_ms": statistics.median(timings) * 1000,
            "p95_ms": timings[int(len(timings) * 0.95) - 1] * 1000,
            "cold_ms": cold * 1000,
            "queries": len(warm_queries),
        }

    # Full-text search against a plain icontains scan over the same published lessons: query
    # against query (the count and the ranked top 20, against the scan's matching ids), then
    # the whole search page, rendered, with nothing cached (no counts, facets or page).
    word = os.environ.get("BENCH_WORD", "water")

    def fts():
        cache.clear()  # compare work with work: no cached counts
        search = Search(word, SearchFilters(kind="lesson"))
        return search.count(), [row_id for _, row_id, _ in search.ranked(0, 20)]

    def page():
        cache.clear()
        assert client.get(f"/search/?q={word}").status_code == 200

    def scan():
        matches = Lesson.objects.published().filter(
            Q(title__icontains=word)
            | Q(context__icontains=word)
            | Q(insight__icontains=word)
            | Q(recommendation__icontains=word)
            | Q(evidence__icontains=word)
            | Q(tags__name__icontains=word)
        )
        ids = set(matches.values_list("pk", flat=True))
        return len(ids), ids

    def best_of(function, runs=5):
        times, value = [], None
        for _ in range(runs):
            started = time.perf_counter()
            value = function()
            times.append(time.perf_counter() - started)
        return statistics.median(times), value

    fts_time, (fts_total, fts_top) = best_of(fts)
    page_time, _ = best_of(page)
    scan_time, (scan_total, scan_ids) = best_of(scan, runs=3)
    results["_search_vs_scan"] = {
        "word": word,
        "fts_ms": fts_time * 1000,
        "page_cold_ms": page_time * 1000,
        "scan_ms": scan_time * 1000,
        "fts_matches": fts_total,
        "scan_lesson_matches": scan_total,
        "fts_top_lessons_found_by_scan": sum(pk in scan_ids for pk in fts_top),
        "fts_top_lessons": len(fts_top),
    }
    results["_counts"] = {
        "lessons": Lesson.objects.count(),
        "published_lessons": Lesson.objects.published().count(),
        "partnerships": Partnership.objects.count(),
    }
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
