"""The insights page's numbers, and the charts built from them.

Every count comes from one GROUP BY query over published content, and the whole set
is cached per content version, so a warm page reads only the content version.
"""

from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from alliances.models import Outcome, Participation, Partnership
from core import caching
from core.charts import Bar, BarChart, Column, ColumnChart, shade
from core.moderation import ModerationStatus
from core.sectors import Sector
from lessons.models import Lesson, Theme


def counts() -> dict:
    """Every count the page shows, as plain data, cached per content version."""
    return caching.cached("insights", "", _count, version=caching.content_version())


def _count():
    themes = Theme.objects.only("number", "slug", "title").with_lesson_counts()
    published = Partnership.objects.published().order_by()
    outcome_rows = published.values("outcome").annotate(total=Count("pk"))
    # Hidden partner names still count here: the sector is shown, never the name.
    sector_rows = (
        Participation.objects.filter(partnership__in=published.values("pk"))
        .order_by()
        .values("organisation__sector")
        .annotate(total=Count("partnership", distinct=True))
    )
    year_rows = (
        published.filter(start_year__isnull=False).values("start_year").annotate(total=Count("pk"))
    )
    # Counted the way the lesson list filters ?theme=…&sector=…, so a cell's number is
    # the number of lessons its link shows.
    sector_field = "lesson__partnership__participations__organisation__sector"
    cell_rows = (
        Lesson.themes.through.objects.filter(
            lesson__moderation_status=ModerationStatus.PUBLISHED,
            lesson__partnership__moderation_status=ModerationStatus.PUBLISHED,
            **{f"{sector_field}__isnull": False},
        )
        .order_by()
        .values("theme", sector_field)
        .annotate(total=Count("lesson", distinct=True))
    )
    return {
        "themes": [(theme.pk, theme.slug, theme.title, theme.lesson_total) for theme in themes],
        "outcomes": {row["outcome"]: row["total"] for row in outcome_rows},
        "sectors": {row["organisation__sector"]: row["total"] for row in sector_rows},
        "years": {row["start_year"]: row["total"] for row in year_rows},
        "cells": {(row["theme"], row[sector_field]): row["total"] for row in cell_rows},
    }


def _filtered(url_name, **params):
    return f"{reverse(url_name)}?{urlencode(params)}"


def charts(data: dict) -> dict:
    """The page's charts and matrix, built from counts()."""
    lessons_per_theme = BarChart(
        [
            Bar(title, total, _filtered("browse:lesson-list", theme=slug))
            for _, slug, title, total in data["themes"]
        ]
    )
    outcomes = BarChart(
        [
            Bar(
                label,
                data["outcomes"].get(value, 0),
                _filtered("browse:partnership-list", outcome=value),
            )
            for value, label in Outcome.choices
        ]
    )
    sectors = BarChart(
        [
            Bar(
                label,
                data["sectors"].get(value, 0),
                _filtered("browse:partnership-list", sector=value),
            )
            for value, label in Sector.choices
        ]
    )
    years = data["years"]
    per_year = ColumnChart(
        [Column(year, years.get(year, 0)) for year in range(min(years), max(years) + 1)]
        if years
        else []
    )
    cells = data["cells"]
    largest = max(cells.values(), default=0)
    matrix = [
        (
            title,
            slug,
            [
                (
                    value,
                    cells.get((pk, value), 0),
                    shade(cells.get((pk, value), 0), largest),
                    _filtered("browse:lesson-list", theme=slug, sector=value),
                )
                for value, _ in Sector.choices
            ],
        )
        for pk, slug, title, _ in data["themes"]
    ]
    return {
        "lessons_per_theme": lessons_per_theme,
        "outcomes": outcomes,
        "sectors": sectors,
        "per_year": per_year,
        "sector_choices": Sector.choices,
        "matrix": matrix,
        "matrix_total": sum(cells.values()),
    }
