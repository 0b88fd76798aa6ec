"""Every count the triggers keep, counted afresh with the GROUP BY queries the pages used
before (browse/facets.py's counting functions, the site counts and the tag totals), to
compare with what ``core.models.PublicCount`` holds."""

from django.db.models import Count, F
from django.db.models.functions import Coalesce

from alliances.models import Organisation, Partnership, TaggedPartnership
from browse import facets
from core.models import PublicCount
from core.moderation import ModerationStatus
from lessons import public_counts as scopes
from lessons.models import Lesson, TaggedLesson, Theme


def _tag_totals(through):
    rows = (
        through.objects.filter(content_object__moderation_status=ModerationStatus.PUBLISHED)
        .values("tag")
        .annotate(total=Count("content_object", distinct=True))
    )
    return {str(row["tag"]): row["total"] for row in rows}


def _by_year(partnerships, expression):
    rows = partnerships.annotate(year=expression).exclude(year=None).values("year")
    return {str(row["year"]): row["total"] for row in rows.annotate(total=Count("pk"))}


def recount() -> dict[tuple[str, str], int]:
    """{(scope, value): total} for every non-zero count, from the content tables."""
    lessons = Lesson.objects.published()
    partnerships = Partnership.objects.published()
    theme_slugs = dict(Theme.objects.values_list("slug", "pk"))
    by_scope = {
        scopes.LESSONS: {"": lessons.count()},
        scopes.PARTNERSHIPS: {"": partnerships.count()},
        scopes.ORGANISATIONS: {"": Organisation.objects.with_published_partnerships().count()},
        scopes.LESSON_THEME: {
            str(theme.pk): theme.lesson_total for theme in Theme.objects.with_lesson_counts()
        },
        scopes.LESSON_EXPERIENCE: facets.count_by("experience")(lessons),
        scopes.LESSON_SECTOR: facets._lesson_sector_counts(lessons),
        scopes.LESSON_TAG: _tag_totals(TaggedLesson),
        # Applied at least once: from the published reports themselves.
        scopes.LESSON_APPLIED: {
            "yes": lessons.filter(application_reports__moderation_status=ModerationStatus.PUBLISHED)
            .distinct()
            .count()
        },
        scopes.PARTNERSHIP_SECTOR: facets._partnership_sector_counts(partnerships),
        scopes.PARTNERSHIP_REGION: facets.count_by("region")(partnerships),
        scopes.PARTNERSHIP_STATUS: facets.count_by("status")(partnerships),
        scopes.PARTNERSHIP_OUTCOME: facets.count_by("outcome")(partnerships),
        scopes.PARTNERSHIP_THEME: {
            str(theme_slugs[slug]): total
            for slug, _, total in facets._partnership_theme_options(partnerships, set())
        },
        scopes.PARTNERSHIP_TAG: _tag_totals(TaggedPartnership),
        scopes.PARTNERSHIP_START: _by_year(partnerships, F("start_year")),
        scopes.PARTNERSHIP_END: _by_year(partnerships, Coalesce("end_year", "start_year")),
        scopes.PARTNERSHIP_CONFIRMED: facets._confirmed_counts(partnerships),
    }
    return {
        (scope, str(value)): total
        for scope, counts in by_scope.items()
        for value, total in counts.items()
        if total
    }


def stored() -> dict[tuple[str, str], int]:
    """{(scope, value): total} for every non-zero counter the triggers keep."""
    rows = PublicCount.objects.exclude(scope=scopes.BUILT).exclude(total=0)
    return {(row.scope, row.value): row.total for row in rows}


def assert_counts_exact():
    expected, kept = recount(), stored()
    wrong = {
        key: (kept.get(key), expected.get(key))
        for key in expected.keys() | kept.keys()
        if kept.get(key) != expected.get(key)
    }
    assert not wrong, f"(scope, value): (kept, recounted): {wrong}"
    negative = PublicCount.objects.filter(total__lt=0).values_list("scope", "value", "total")
    assert not negative, f"counters below zero: {list(negative)}"
