"""Writes on lessons that are not submissions: a reader's "this helped me"."""

from django.db import transaction
from django.db.models import F

from core.models import LimitedWrite
from core.ratelimit import address_hash, rate_take
from lessons.models import HelpfulVote, Lesson


def lesson_mark_helpful(*, lesson: Lesson, address: str) -> bool:
    """Count a visitor's "this helped me" on a lesson once; True if it was counted now.

    A visitor is their address. The unique vote decides: a repeat finds the vote already
    there and writes nothing. A new vote is one of the address's hourly votes (raises
    RateLimited, storing nothing, when they are used up) and adds one to the lesson's
    count, all in one transaction. Nothing is written to the visitor's session.
    """
    with transaction.atomic():
        _vote, counted = HelpfulVote.objects.get_or_create(
            lesson=lesson, voter=address_hash(address)
        )
        if counted:
            rate_take(kind=LimitedWrite.VOTE, address=address)
            Lesson.objects.filter(pk=lesson.pk).update(helpful_count=F("helpful_count") + 1)
    return counted
