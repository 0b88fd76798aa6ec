"""Build and write a whole sample: organisations and case studies, then lessons in chunks."""

import random

from django.db import reset_queries
from django.utils import timezone

from alliances.models import Partnership
from lessons.models import Lesson
from sampledata.builders.lessons import Themes, build_lesson
from sampledata.builders.partnerships import build_case_studies, build_pool
from sampledata.builders.shared import moderation_plan
from sampledata.distributions import LINKED_LESSON_SHARE
from sampledata.random_draws import zipf
from sampledata.vocabulary.tags import tag_vocabulary
from sampledata.writers import TagStore, reset_sequences, save_case_studies, save_lessons

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
    case_studies = []
    if partnership_count:
        pool = build_pool(rng, max(20, partnership_count // 3))
        case_studies = build_case_studies(rng, partnership_count, pool, tags, today)
        counts.update(save_case_studies(case_studies, tag_store))
    # Lessons quote published case studies only: a public lesson cannot point to a hidden one.
    published = [c for c in case_studies if c.partnership.is_published]
    themes = Themes.load()
    statuses = moderation_plan(rng, lesson_count)
    for start in range(0, lesson_count, LESSON_CHUNK):
        built = []
        for number, status in enumerate(statuses[start : start + LESSON_CHUNK], start=start + 1):
            linked = published and rng.random() < LINKED_LESSON_SHARE
            case_study = rng.choice(published) if linked else None
            built.append(build_lesson(rng, number, status, case_study, themes, tags, today))
        counts["tags"] += save_lessons(built, tag_store)
        # With DEBUG on, Django keeps the SQL of every query, and these are long: let it go.
        reset_queries()
    reset_sequences([Partnership, Lesson])
    counts["new tags"] = tag_store.created
    return counts
