"""What both kinds of builder use: wording helpers, sample slugs and moderation states."""

import random
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils.text import slugify

from core.moderation import ModerationStatus
from sampledata.distributions import PENDING_SHARE, PUBLISHED_SHARE, PUBLISHED_SPAN
from sampledata.random_draws import quota_shuffle
from sampledata.vocabulary.moderation import REJECTION_REASONS
from sampledata.vocabulary.places import NAMES_WITH_THE

SAMPLE_PREFIX = "sample-"


def capitalise(text: str) -> str:
    """The text with its first letter in upper case and the rest left alone."""
    return text[:1].upper() + text[1:]


def join_words(words: Sequence[str]) -> str:
    """Join words as English does: "a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def in_prose(place: str) -> str:
    """The place as a sentence names it: "the Philippines", but "Kenya"."""
    return f"the {place}" if place in NAMES_WITH_THE else place


def sample_slug(text: str, number: int) -> str:
    """A unique slug that marks the row as sample data: ``sample-<text>-<number>``."""
    # Leave room for the prefix and the number within the 200 characters a slug may have.
    return f"{SAMPLE_PREFIX}{slugify(text)[:150].rstrip('-')}-{number}"


def moderation_plan(rng: random.Random, count: int) -> list[str]:
    """The moderation status of each of ``count`` rows: about 90% published, 6% pending."""
    rejected_share = 1 - PUBLISHED_SHARE - PENDING_SHARE
    shares = [
        (ModerationStatus.PUBLISHED, PUBLISHED_SHARE),
        (ModerationStatus.PENDING, PENDING_SHARE),
        (ModerationStatus.REJECTED, rejected_share),
    ]
    return quota_shuffle(rng, count, shares)


def moderation_fields(rng: random.Random, status: str, today: datetime) -> dict[str, object]:
    """Status, dates and reason for one row; pending rows are recent, published ones spread."""
    if status == ModerationStatus.PENDING:
        created_at = today - timedelta(minutes=rng.randrange(60 * 24 * 60))
        return {"moderation_status": status, "created_at": created_at}
    created_at = today - timedelta(minutes=rng.randrange(int(PUBLISHED_SPAN.total_seconds() // 60)))
    fields: dict[str, object] = {"moderation_status": status, "created_at": created_at}
    if status == ModerationStatus.PUBLISHED:
        published_at = created_at + timedelta(minutes=rng.randrange(60 * 24 * 14))
        fields["published_at"] = min(published_at, today)
    else:
        fields["rejection_reason"] = rng.choice(REJECTION_REASONS)
    return fields
