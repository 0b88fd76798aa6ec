"""Build sample lessons: their text, themes and tags, about a case study or on their own."""

import random
from dataclasses import dataclass
from datetime import datetime

from lessons.models import Experience, Lesson, Theme
from sampledata.builders.partnerships import PartnershipDraft
from sampledata.builders.shared import capitalise, in_prose, moderation_fields, sample_slug
from sampledata.distributions import TAG_COUNTS, THEME_COUNTS, WENT_WRONG_SHARE
from sampledata.random_draws import Weighted
from sampledata.vocabulary.lessons import (
    CONCEPTS,
    CONTEXT_DETAILS,
    CONTEXT_OPENINGS,
    EVIDENCE,
    INSIGHTS,
    LESSON_TITLES,
    RECOMMENDATIONS,
    REVIEW_MOMENTS,
    TITLE_ENDINGS,
    TRIGGERS,
)
from sampledata.vocabulary.organisations import SECTOR_ADJECTIVES
from sampledata.vocabulary.partnerships import NUMBER_WORDS
from sampledata.vocabulary.places import COUNTRIES
from sampledata.vocabulary.topics import TOPICS


@dataclass
class Themes:
    """The report's themes to file lessons under: any of them equally, or one by its number."""

    all_themes: Weighted[Theme]
    by_number: dict[int, Theme]

    @classmethod
    def load(cls) -> "Themes":
        """The themes in the database, in their report order."""
        all_themes = list(Theme.objects.order_by("number"))
        return cls(
            all_themes=Weighted(dict.fromkeys(all_themes, 1)),
            by_number={theme.number: theme for theme in all_themes},
        )


def _lesson_texts(
    rng: random.Random,
    experience: Experience,
    concept: tuple[str, str, int],
    partnership_draft: PartnershipDraft | None,
    themes_words: dict[str, object],
) -> dict[str, str]:
    """Title and the four parts of a lesson, from its concept and, if any, its case study."""
    _tag, phrase, _theme = concept
    words = {"phrase": phrase, "Phrase": capitalise(phrase), **themes_words}
    title = rng.choice(LESSON_TITLES[experience]).format(**words)
    title += rng.choice(TITLE_ENDINGS).format(**words)
    opening = CONTEXT_OPENINGS["linked" if partnership_draft else "unlinked"].format(**words)
    detail = rng.choice(CONTEXT_DETAILS[experience]).format(trigger=rng.choice(TRIGGERS), **words)
    evidence = ""
    if rng.random() < 0.9:
        evidence = rng.choice(EVIDENCE[experience]).format(
            pct=rng.randint(55, 95) if experience == Experience.WORKED else rng.randint(20, 60),
            low_pct=rng.randint(20, 50),
            score=rng.choice(["3.8", "4.1", "4.4"]),
            low_score=rng.choice(["2.6", "2.9", "3.1"]),
            **words,
        )
    return {
        "title": title,
        "context": f"{opening} {detail}",
        "insight": rng.choice(INSIGHTS).format(**words),
        "recommendation": rng.choice(RECOMMENDATIONS).format(
            when=rng.choice(REVIEW_MOMENTS), **words
        ),
        "evidence": evidence,
    }


def _lesson_words(
    rng: random.Random, partnership_draft: PartnershipDraft | None
) -> dict[str, object]:
    """The facts a lesson's sentences refer to: its case study's, or made up for it."""
    if partnership_draft:
        partnership = partnership_draft.partnership
        topic = partnership_draft.topic
        place = partnership_draft.place
        # Sample case studies always have a start year (_years_and_status draws one).
        assert partnership.start_year is not None
        first_year = partnership.start_year + 1
        words: dict[str, object] = {
            "partnership": partnership.name,
            "count": NUMBER_WORDS[len(partnership_draft.partners)],
        }
    else:
        topic = rng.choice(list(TOPICS))
        region = rng.choice(list(COUNTRIES))
        place = in_prose(rng.choice(list(COUNTRIES[region])))
        first_year = rng.randint(2000, 2024)
        sector, other_sector = rng.sample(list(SECTOR_ADJECTIVES.values()), 2)
        words = {"sector": sector, "other_sector": other_sector}
    facts = TOPICS[topic]
    words.update(
        topic=topic,
        place=place,
        activity=rng.choice(facts["activities"]),
        impact=rng.choice(facts["impacts"]).format(n=rng.randrange(200, 60000, 50)),
        year=rng.randint(min(first_year, 2025), 2025),
    )
    return words


def build_lesson(
    rng: random.Random,
    number: int,
    status: str,
    partnership_draft: PartnershipDraft | None,
    themes: Themes,
    tags: Weighted,
    today: datetime,
) -> tuple[Lesson, list[Theme], list[str]]:
    """One lesson, in memory, with the themes and tag names to link it to."""
    outcome = partnership_draft.partnership.outcome if partnership_draft else None
    went_wrong = rng.random() < WENT_WRONG_SHARE[outcome]
    experience = Experience.WENT_WRONG if went_wrong else Experience.WORKED
    concept = rng.choice(CONCEPTS)
    texts = _lesson_texts(
        rng, experience, concept, partnership_draft, _lesson_words(rng, partnership_draft)
    )
    lesson = Lesson(
        slug=sample_slug(texts["title"], number),
        experience=experience,
        partnership=partnership_draft.partnership if partnership_draft else None,
        is_sample=True,
        **texts,
        **moderation_fields(rng, status, today),
    )
    # The concept's own theme first, when the report's themes are there to file it under.
    primary = themes.by_number.get(concept[2]) or themes.all_themes.draw(rng)
    lesson_themes = themes.all_themes.draw_distinct(rng, THEME_COUNTS.draw(rng), first=[primary])
    # Most lessons carry their concept's tag; the rest of the tags follow the long tail.
    first_tags = [concept[0]] if rng.random() < 0.6 else []
    tag_names = tags.draw_distinct(rng, TAG_COUNTS.draw(rng), first=first_tags)
    return lesson, lesson_themes, tag_names
