"""What the admin index shows curators first: the moderation queue."""

from django import template
from django.db.models import Count, Min, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from alliances.models import Partnership
from core.moderation import ModerationStatus
from lessons.models import ApplicationReport, Lesson

register = template.Library()
PENDING = ModerationStatus.PENDING


def _queue(model) -> dict:
    """One query: how many wait for review (of them, how many revised), how many are back
    with their contributors, and when the one waiting longest entered the queue."""
    return model.objects.aggregate(
        pending=Count("pk", filter=Q(moderation_status=PENDING)),
        revised=Count("pk", filter=Q(moderation_status=PENDING, revised_at__isnull=False)),
        changes=Count("pk", filter=Q(moderation_status=ModerationStatus.CHANGES_REQUESTED)),
        oldest=Min(Coalesce("revised_at", "created_at"), filter=Q(moderation_status=PENDING)),
    )


@register.simple_tag
def pending_submissions():
    """How many lessons and case studies wait for review, and since when the oldest has."""
    lessons, partnerships = _queue(Lesson), _queue(Partnership)
    waiting_since = [when for when in (lessons["oldest"], partnerships["oldest"]) if when]
    oldest = min(waiting_since) if waiting_since else None
    return {
        "lessons": lessons["pending"],
        "partnerships": partnerships["pending"],
        "total": lessons["pending"] + partnerships["pending"],
        "revised": lessons["revised"] + partnerships["revised"],
        "with_contributors": lessons["changes"] + partnerships["changes"],
        "oldest": oldest,
        "oldest_age": timezone.now() - oldest if oldest else None,
    }


@register.simple_tag
def pending_applied_notes() -> int:
    """How many readers' notes on applying a lesson wait for review (only noted reports do)."""
    return ApplicationReport.objects.pending().count()
