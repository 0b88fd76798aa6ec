"""'Related' items for a detail page, in a fixed handful of indexed queries at any size."""

from collections import Counter

from django.db import connection

from core.moderation import ModerationStatus

# How many of each tag's newest items are candidates: enough to find the items sharing
# most tags, few enough that a tag on half the site costs no more than a rare one.
CANDIDATES_PER_TAG = 60


def _newest_sharing_a_tag(through, tag_ids):
    """Ids of the newest published items carrying each tag, one row per (item, tag), in one
    query. Only published ones are candidates: a pending or rejected item must not take a
    published one's place (nor does it exist in a copy of the public site)."""
    if not tag_ids:
        return []
    table = through._meta.db_table
    items = through._meta.get_field("content_object").related_model._meta.db_table
    part = (
        f"SELECT * FROM (SELECT link.content_object_id FROM {table} link "
        f"JOIN {items} item ON item.id = link.content_object_id "
        f"WHERE link.tag_id = %s AND item.moderation_status = %s "
        f"ORDER BY link.content_object_id DESC LIMIT {CANDIDATES_PER_TAG}) AS newest"
    )
    params = [value for tag_id in tag_ids for value in (tag_id, ModerationStatus.PUBLISHED.value)]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([part] * len(tag_ids)), params)
        return [row[0] for row in cursor.fetchall()]


def related_items(item, *, through, published, fallback, limit):
    """Published items sharing the most tags with `item`, topped up from `fallback`.

    `through` is the tag table of item's model, `published` the queryset to show cards
    from, `fallback` a queryset of other candidates (say, on the same themes), newest first.
    Candidates are the newest items carrying each tag, read from the (tag, item) index.
    """
    tag_ids = sorted(tag.pk for tag in item.tags.all())
    shared = Counter(_newest_sharing_a_tag(through, tag_ids))
    shared.pop(item.pk, None)
    ranked = sorted(shared, key=lambda pk: (-shared[pk], -pk))[: limit * 3]
    ranked += [
        pk
        for pk in fallback.exclude(pk=item.pk).values_list("pk", flat=True)[: limit * 2]
        if pk not in shared
    ]
    cards = published.in_bulk(ranked)
    return [cards[pk] for pk in ranked if pk in cards][:limit]
