"""'Related' items for a detail page, in a fixed handful of indexed queries at any size."""

from django.db.models import Count

from alliances.moderation import ModerationStatus


def related_items(item, *, through, published, fallback, limit):
    """Published items sharing the most tags with `item`, topped up from `fallback`.

    `through` is the tag table of item's model, `published` the queryset to show cards
    from, `fallback` a queryset of other candidates (say, on the same themes), newest first.
    """
    tag_ids = [tag.pk for tag in item.tags.all()]
    shared = (
        through.objects.filter(
            tag_id__in=tag_ids,
            content_object__moderation_status=ModerationStatus.PUBLISHED,
        )
        .exclude(content_object=item)
        .values("content_object")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "-content_object")[:limit]
    )
    chosen = [row["content_object"] for row in shared]
    chosen += [
        pk
        for pk in fallback.exclude(pk=item.pk).values_list("pk", flat=True)[: limit * 2]
        if pk not in chosen
    ]
    chosen = chosen[:limit]
    cards = published.in_bulk(chosen)
    return [cards[pk] for pk in chosen if pk in cards]
