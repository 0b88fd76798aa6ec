"""Curators' reads of partners' answers."""

from django.db.models import Q, QuerySet

from alliances.models import PartnerSignoff, SignoffAnswer


def signoffs_waiting() -> QuerySet[PartnerSignoff]:
    """Answers a curator has still to act on: a dispute, or a comment not yet approved."""
    return (
        PartnerSignoff.objects.filter(participation__partnership__moderation_status="published")
        .filter(
            Q(answer=SignoffAnswer.DISPUTED, comment_approved=False)
            | Q(~Q(comment=""), ~Q(answer=""), comment_approved=False)
        )
        .distinct()
    )
