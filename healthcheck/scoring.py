"""The partnership health check: questions, scores, the weakest themes and what to read.

Each theme's guiding questions are answered green, amber or red. Scoring is pure
arithmetic on those answers; the reads and the one write sit at the bottom.
"""

from dataclasses import dataclass

from django.db import models, transaction
from django.urls import reverse

from core.charts import CHART_WIDTH, LABEL_SPACE, Bar, BarChart
from core.models import LimitedWrite
from core.privacy import new_private_token
from core.ratelimit import rate_take
from healthcheck.models import HealthCheck
from lessons.models import Lesson, Theme
from lessons.selectors import partnerships_with_lesson_on

WEAKEST_SHOWN = 3
RECOMMENDATIONS_SHOWN = 3


class Answer(models.TextChoices):
    GREEN = "green", "Green: going well"
    AMBER = "amber", "Amber: needs attention"
    RED = "red", "Red: a real problem"


POINTS = {Answer.GREEN: 2, Answer.AMBER: 1, Answer.RED: 0}
MAX_POINTS = 2


def question_key(theme_slug, index):
    """A question's stable key: its theme's slug and its place in the list, from 1."""
    return f"{theme_slug}-{index}"


def theme_questions(themes):
    """(theme, [(key, question), …]) for each theme that has guiding questions."""
    return [
        (theme, [(question_key(theme.slug, i), q) for i, q in enumerate(theme.question_list, 1)])
        for theme in themes
        if theme.question_list
    ]


def theme_scores(questions, answers):
    """Each theme's score, 0 to 100: the mean of its answers' points as a percentage.

    questions: [(theme slug, [question key, …]), …]; answers: {question key: answer}.
    A theme none of whose questions was answered gets no score.
    """
    scores = {}
    for slug, keys in questions:
        points = [POINTS[answers[key]] for key in keys if answers.get(key) in POINTS]
        if points:
            scores[slug] = round(100 * sum(points) / (MAX_POINTS * len(points)), 1)
    return scores


def overall_score(scores):
    """The mean of the themes' scores, or None when there are none."""
    if not scores:
        return None
    return round(sum(scores.values()) / len(scores), 1)


def weakest_themes(scores, themes, limit=WEAKEST_SHOWN):
    """The lowest-scoring themes below 100, at most `limit`, ties broken by theme number."""
    scored = [theme for theme in themes if scores.get(theme.slug, 100) < 100]
    return sorted(scored, key=lambda theme: (scores[theme.slug], theme.number))[:limit]


@dataclass
class Change:
    """One theme's score in an earlier check and now."""

    theme: object
    earlier: float | None
    now: float | None

    @property
    def difference(self):
        if self.earlier is None or self.now is None:
            return None
        return round(self.now - self.earlier, 1)

    @property
    def size(self):
        """How far the score moved, without its sign."""
        return abs(self.difference) if self.difference is not None else None

    @property
    def direction(self):
        difference = self.difference
        if difference is None:
            return "none"
        if difference > 0:
            return "up"
        if difference < 0:
            return "down"
        return "same"


def changes(earlier_scores, scores, themes):
    """Theme by theme, the earlier score and the score now."""
    return [
        Change(theme, earlier_scores.get(theme.slug), scores.get(theme.slug))
        for theme in themes
        if theme.slug in earlier_scores or theme.slug in scores
    ]


def shown(score):
    """A score as it reads: 50 rather than 50.0."""
    return int(score) if float(score).is_integer() else score


class ScoreChart(BarChart):
    """Bars measured against 100, not against the largest score."""

    def __post_init__(self):
        super().__post_init__()
        for bar in self.bars:
            bar.width = round((CHART_WIDTH - LABEL_SPACE) * bar.value / 100, 1)
            bar.value_x = bar.width + 6


def score_chart(scores, themes):
    """The themes' scores as a bar chart, each bar leading to the theme's lessons."""
    lessons_url = reverse("browse:lesson-list")
    return ScoreChart(
        [
            Bar(
                f"{theme.number}. {theme.title}",
                shown(scores[theme.slug]),
                f"{lessons_url}?theme={theme.slug}",
            )
            for theme in themes
            if theme.slug in scores
        ]
    )


def recommendations(theme: Theme, score: float) -> dict:
    """The most helpful published lessons on a theme, and published case studies with
    lessons on it."""
    lessons = Lesson.objects.published().for_theme(theme)
    return {
        "theme": theme,
        "score": score,
        "lessons": lessons.most_helpful().for_cards()[:RECOMMENDATIONS_SHOWN],
        "partnerships": partnerships_with_lesson_on(theme).for_cards()[:RECOMMENDATIONS_SHOWN],
    }


def health_check_create(
    *, answers: dict, scores: dict, address: str, compared_with: HealthCheck | None = None
) -> HealthCheck:
    """Store a scored check under a new private token, as one of the address's hourly checks.

    Raises RateLimited, storing nothing, when the address has used up its hourly checks.
    """
    with transaction.atomic():
        rate_take(kind=LimitedWrite.HEALTH_CHECK, address=address)
        check = HealthCheck(
            token=new_private_token(), answers=answers, scores=scores, compared_with=compared_with
        )
        check.full_clean()
        check.save()
    return check
