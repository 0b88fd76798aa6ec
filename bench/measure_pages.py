"""Time pages in-process against the database the environment names; print JSON.

    python -m bench.measure_pages pages publish search

Run by bench/run.py once per data size and page-cache setting (DJANGO_PAGE_CACHE), in
a fresh process so settings come from the environment it is given. Tasks:

- ``pages``: each page type, median and 95th percentile of repeated requests after one
  warm-up, the queries a warm request makes, and the very first request ("cold");
- ``publish``: the first request to each list page after a publication, made through the
  moderation service as a curator's click makes it (rounds, then the median);
- ``search``: bench/measure_search.py.

Only URLs, the moderation service and the models are used, so the bench keeps working
whatever the pages do inside (page cache, counters, search engine).
"""

import json
import os
import statistics
import sys
import time

import django

REQUESTS = int(os.environ.get("BENCH_REQUESTS", 30))
COLD_ROUNDS = int(os.environ.get("BENCH_COLD_ROUNDS", 3))


def percentile_95(timings):
    ordered = sorted(timings)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def page_urls():
    """Every page type, by name, at an address that exists at any data size."""
    from django.db.models import Count

    from alliances.models import Organisation, Partnership
    from lessons.models import Lesson, TaggedLesson, Theme

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
    return {
        "home": "/",
        "theme list": "/themes/",
        "theme": theme.get_absolute_url(),
        "lesson list": "/lessons/",
        "lesson list, one facet": f"/lessons/?theme={theme.slug}",
        "lesson detail": lesson.get_absolute_url(),
        "partnership list": "/partnerships/",
        "partnership list, two facets": "/partnerships/?region=africa&sector=business",
        "partnership detail": partnership.get_absolute_url(),
        "tag list": "/tags/",
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


# The lists a publication changes, whose first request afterwards is timed.
LISTS = ["home", "theme list", "lesson list", "partnership list", "tag list"]
LISTS += ["lesson list, one facet"]


def timed_get(client, url):
    """One request: (seconds, queries), after checking it answered 200."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        seconds = time.perf_counter() - started
    assert response.status_code == 200, (url, response.status_code)
    return seconds, len(queries)


def measure_pages(urls):
    from django.test import Client

    client = Client()
    results = {}
    for name, url in urls.items():
        cold, _ = timed_get(client, url)
        client.get(url)
        timings = []
        for _ in range(REQUESTS):
            started = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - started)
        _, queries = timed_get(client, url)
        results[name] = {
            "url": url,
            "median_ms": statistics.median(timings) * 1000,
            "p95_ms": percentile_95(timings) * 1000,
            "cold_ms": cold * 1000,
            "queries": queries,
        }
    return results


def measure_after_publish(urls):
    """Per list page: publish a lesson and a case study, time the page's first request.

    Each round publishes through core.services.moderation_publish (what the admin's
    "publish" does), then puts the two back to pending, so a small sample never runs out.
    """
    from django.contrib.auth import get_user_model
    from django.test import Client

    from alliances.models import Partnership
    from core.moderation import ModerationStatus
    from core.services import moderation_publish
    from lessons.models import Lesson

    curator, _ = get_user_model().objects.get_or_create(
        username="bench-curator", defaults={"is_staff": True, "is_superuser": True}
    )
    pending = [
        model.objects.filter(is_sample=True, moderation_status=ModerationStatus.PENDING)
        .order_by("pk")
        .first()
        for model in (Lesson, Partnership)
    ]
    client = Client()
    for name in LISTS:  # compiled templates and warm code paths: only the data is cold
        client.get(urls[name])
    results = {}
    for name in LISTS:
        timings, queries = [], []
        for _ in range(COLD_ROUNDS):
            for item in pending:
                items = type(item).objects.filter(pk=item.pk)
                assert moderation_publish(items=items, by=curator) == 1
            seconds, count = timed_get(client, urls[name])
            timings.append(seconds)
            queries.append(count)
            for item in pending:
                type(item).objects.filter(pk=item.pk).update(
                    moderation_status=ModerationStatus.PENDING, published_at=None
                )
        results[name] = {
            "url": urls[name],
            "first_ms": statistics.median(timings) * 1000,
            "queries": max(queries),
        }
    return results


def main(tasks):
    django.setup()
    from bench.measure_search import measure_search

    urls = page_urls()
    results = {}
    if "pages" in tasks:
        results["pages"] = measure_pages(urls)
    if "search" in tasks:
        results["search"] = measure_search()
    if "publish" in tasks:  # last: it writes
        results["publish"] = measure_after_publish(urls)
    from alliances.models import Partnership
    from lessons.models import Lesson

    results["counts"] = {
        "lessons": Lesson.objects.count(),
        "published_lessons": Lesson.objects.published().count(),
        "partnerships": Partnership.objects.count(),
    }
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:] or ["pages"])
