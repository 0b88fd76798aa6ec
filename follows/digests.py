"""The digests: each confirmed subscriber's new items, sent exactly once.

A run fixes a moment (``until``), a little before now so that a publication stamped earlier
but committed late is not missed. Each distinct followed list is read once, for the whole
run: what was published on it after the oldest watermark among its subscribers, up to that
moment. Subscriptions are then taken in batches; in one transaction per batch, each gets
an email of what is newer than its own watermark (queued in the outbox, core/mail.py), and
the batch's watermarks move to ``until``. A run killed halfway leaves every batch either
done (mails queued and watermarks moved) or untouched; run again, it sends what was left
and nothing twice. Concurrent runs take a batch's rows in turn (row locks on PostgreSQL,
SQLite's one writer), and each re-reads the watermarks once it has them.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Min
from django.urls import reverse
from django.utils import timezone

from core import mail
from follows import targets
from follows.models import Subscription
from follows.services import absolute, unsubscribe_headers

BATCH = 500
# At most this many items listed in one email; the rest are a link to the list away.
MOST_ITEMS = 50


@dataclass
class FollowedList:
    """One distinct followed list in a run: its new items and how it is named."""

    since: datetime
    items: list[targets.Item]
    name: str = ""
    url: str = ""


@dataclass
class DigestRun:
    until: datetime
    lists: int = 0
    subscriptions: int = 0
    sent: int = 0
    batches: int = 0
    counts: dict = field(default_factory=dict)


def settle() -> timedelta:
    return timedelta(seconds=settings.FOLLOW_DIGEST_SETTLE_SECONDS)


def _followed_lists(frequency: str, until: datetime) -> dict[tuple[str, str], FollowedList]:
    """Every list followed at this frequency, read once: what is new on it since the
    oldest watermark among its subscribers. Named only if it has something new."""
    lists = {}
    rows = (
        Subscription.objects.due(frequency)
        .order_by()
        .values("kind", "query")
        .annotate(since=Min("sent_up_to"))
    )
    rows = list(rows)
    names = targets.Names(row["query"] for row in rows)
    for row in rows:
        kind, query, since = row["kind"], row["query"], row["since"]
        if since is None:  # confirmed subscriptions always have a watermark
            continue
        items = targets.new_items(kind, query, since=since, until=until, names=names)
        followed = FollowedList(since=since, items=items)
        if items:
            followed.name = targets.describe(kind, query, names)
            followed.url = absolute(targets.page_url(kind, query, names))
        lists[(row["kind"], row["query"])] = followed
    return lists


def _digest(subscription: Subscription, followed: FollowedList, items, frequency: str):
    groups = defaultdict(list)
    for item in items[:MOST_ITEMS]:
        groups[item.noun].append(
            {"title": item.title, "summary": item.summary, "url": absolute(item.url)}
        )
    count = len(items)
    noun = items[0].noun if len({item.noun for item in items}) == 1 else "item"
    plural = {"lesson": "lessons", "case study": "case studies", "item": "items"}[noun]
    return mail.compose(
        to=[subscription.subscriber.email],
        subject=f"{count} new {noun if count == 1 else plural}: {followed.name}",
        template="follow_digest",
        context={
            "followed": followed.name,
            "followed_url": followed.url,
            "frequency": frequency,
            "groups": [
                (("Lessons" if noun == "lesson" else "Case studies"), rows)
                for noun, rows in groups.items()
            ],
            "count": count,
            "more": max(0, count - MOST_ITEMS),
            "unsubscribe_url": absolute(reverse("follows:unsubscribe", args=[subscription.token])),
            "manage_url": absolute(reverse("follows:manage", args=[subscription.subscriber.token])),
        },
        headers=unsubscribe_headers(subscription),
    )


def _batch(frequency: str, after_pk: int, size: int):
    rows = (
        Subscription.objects.due(frequency)
        .filter(pk__gt=after_pk)
        .select_related("subscriber")
        .order_by("pk")
    )
    if connection.vendor == "postgresql":
        rows = rows.select_for_update(of=("self",))
    return list(rows[:size])


def send_digests(*, frequency: str, now: datetime | None = None, batch: int = BATCH) -> DigestRun:
    """Queue every due digest of this frequency; see the module's docstring."""
    until = (now or timezone.now()) - settle()
    run = DigestRun(until=until)
    lists = _followed_lists(frequency, until)
    run.lists = len(lists)
    after_pk = 0
    while True:
        with transaction.atomic():
            subscriptions = _batch(frequency, after_pk, batch)
            if not subscriptions:
                break
            after_pk = subscriptions[-1].pk
            run.batches += 1
            advanced, mails = [], []
            for subscription in subscriptions:
                followed = lists.get((subscription.kind, subscription.query))
                watermark = subscription.sent_up_to
                # Confirmed, or moved to this frequency, after the lists were read: next run.
                if followed is None or watermark is None or watermark < followed.since:
                    continue
                if watermark >= until:
                    continue
                advanced.append(subscription.pk)
                items = [item for item in followed.items if item.published_at > watermark]
                if items:
                    mails.append(_digest(subscription, followed, items, frequency))
            mail.queue_all([each for each in mails if each is not None])
            Subscription.objects.filter(pk__in=advanced).update(sent_up_to=until)
            run.subscriptions += len(advanced)
            run.sent += len(mails)
    return run
