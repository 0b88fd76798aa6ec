"""The follow-by-email digest at scale, in-process: ``python -m bench.measure_digests``.

On the database the environment names (built by bench/run.py), it adds BENCH_SUBSCRIBERS
(10,000) confirmed daily subscribers spread over every theme, the most used tags, and
filtered lesson and case-study lists, then makes BENCH_NEW_LESSONS (1,000) published lessons
new since their last digest, and times ``send_digests --frequency daily`` with its query
count and how many batches it took; then again, when it must send nothing. Prints JSON.
"""

import json
import os
import sys
import time
from datetime import timedelta

SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", 10_000))
NEW_LESSONS = int(os.environ.get("BENCH_NEW_LESSONS", 1_000))


def followed_lists():
    """(kind, query) for every list the subscribers follow."""
    from taggit.models import Tag

    from lessons.models import Theme

    themes = list(Theme.objects.order_by("number").values_list("slug", flat=True))
    tags = list(Tag.objects.order_by("pk").values_list("slug", flat=True)[:20])
    return [
        *[("theme", f"theme={slug}") for slug in themes],
        *[("tag", f"tag={slug}") for slug in tags],
        *[("lessons", f"experience=went_wrong&theme={slug}") for slug in themes],
        ("lessons", ""),
        ("partnerships", "sector=government"),
        ("partnerships", "region=africa"),
    ]


def prepare(since):
    from django.db import transaction

    from core.moderation import ModerationStatus
    from follows.models import State, Subscriber, Subscription
    from lessons.models import Lesson

    lists = followed_lists()
    with transaction.atomic():
        subscribers = Subscriber.objects.bulk_create(
            [Subscriber(email=f"reader{n}@example.org") for n in range(SUBSCRIBERS)],
            batch_size=1000,
        )
        Subscription.objects.bulk_create(
            [
                Subscription(
                    subscriber=subscriber,
                    kind=lists[n % len(lists)][0],
                    query=lists[n % len(lists)][1],
                    frequency="daily",
                    state=State.CONFIRMED,
                    requested_at=since,
                    confirmation_sent_at=since,
                    confirmed_at=since,
                    sent_up_to=since,
                )
                for n, subscriber in enumerate(subscribers)
            ],
            batch_size=1000,
        )
        new = list(
            Lesson.objects.filter(moderation_status=ModerationStatus.PUBLISHED)
            .order_by("pk")
            .values_list("pk", flat=True)[:NEW_LESSONS]
        )
        for start in range(0, len(new), 500):
            Lesson.objects.filter(pk__in=new[start : start + 500]).update(
                published_at=since + timedelta(minutes=1)
            )
        Lesson.objects.filter(
            moderation_status=ModerationStatus.PUBLISHED, published_at__gt=since
        ).exclude(pk__in=new).update(published_at=since - timedelta(days=1))
    return len(lists), len(new)


def timed_run(now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from follows.digests import send_digests

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run = send_digests(frequency="daily", now=now)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "queries": len(queries),
        "sent": run.sent,
        "subscriptions": run.subscriptions,
        "lists": run.lists,
        "batches": run.batches,
    }


def main():
    import django

    django.setup()
    from django.utils import timezone

    now = timezone.now()
    lists, new = prepare(now - timedelta(hours=2))
    first = timed_run(now)
    again = timed_run(now + timedelta(minutes=1))
    json.dump(
        {
            "subscribers": SUBSCRIBERS,
            "new_lessons": new,
            "lists": lists,
            "first": first,
            "again": again,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
