"""Build and write a whole sample: organisations and case studies, then lessons in chunks."""

import random

from django.db import reset_queries
from django.utils import timezone

from alliances.models import Organisation, Partnership
from lessons.models import Lesson
from sampledata.builders.lessons import Themes, build_lesson
from sampledata.builders.partnerships import build_partnership_drafts, build_pool
from sampledata.builders.shared import moderation_plan
from sampledata.distributions import LINKED_LESSON_SHARE
from sampledata.random_draws import zipf
from sampledata.vocabulary.tags import tag_vocabulary
from sampledata.writers import TagStore, reset_sequences, save_lessons, save_partnership_drafts

# Lessons are written a chunk at a time so 100,000 of them, with their texts, never sit in memory
# at once. Chunking does not change the data: random draws happen in the same order either way.
LESSON_CHUNK = 5000


def generate(rng: random.Random, partnership_count: int, lesson_count: int) -> dict[str, int]:
    """Build and write all the sample rows; returns what was created, for the summary."""
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    vocabulary = tag_vocabulary()
    tags = zipf(vocabulary)
    tag_store = TagStore(vocabulary)
    counts = {"organisations": 0, "participations": 0, "tags": 0}
    partnership_drafts = []
    if partnership_count:
        pool = build_pool(rng, max(20, partnership_count // 3))
        partnership_drafts = build_partnership_drafts(rng, partnership_count, pool, tags, today)
        counts.update(save_partnership_drafts(partnership_drafts, tag_store))
    # Lessons quote published case studies only: a public lesson cannot point to a hidden one.
    published = [c for c in partnership_drafts if c.partnership.is_published]
    themes = Themes.load()
    statuses = moderation_plan(rng, lesson_count)
    for start in range(0, lesson_count, LESSON_CHUNK):
        built = []
        for number, status in enumerate(statuses[start : start + LESSON_CHUNK], start=start + 1):
            linked = published and rng.random() < LINKED_LESSON_SHARE
            partnership_draft = rng.choice(published) if linked else None
            built.append(build_lesson(rng, number, status, partnership_draft, themes, tags, today))
        counts["tags"] += save_lessons(built, tag_store)
        # With DEBUG on, Django keeps the SQL of every query, and these are long: let it go.
        reset_queries()
    reset_sequences([Organisation, Partnership, Lesson])
    counts["new tags"] = tag_store.created
    return counts
