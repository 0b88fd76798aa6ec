"""The insights page's numbers, and the charts built from them.

Every count comes from one GROUP BY query over published content, and the whole set
is cached per content version, so a warm page reads only the content version.
"""

from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from alliances.models import Outcome, Participation, Partnership
from core import caching
from core.charts import Bar, BarChart, Column, ColumnChart, shade
from core.moderation import ModerationStatus
from core.sectors import Sector
from lessons.models import ApplicationReport, Lesson, Theme
from lessons.models import Outcome as Applied

# "Lessons that travel": the lessons shown, most often helpful elsewhere first.
TRAVELLERS_SHOWN = 10


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
        "travellers": _travellers(),
        "themes": [(theme.pk, theme.slug, theme.title, theme.lesson_total) for theme in themes],
        "outcomes": {row["outcome"]: row["total"] for row in outcome_rows},
        "sectors": {row["organisation__sector"]: row["total"] for row in sector_rows},
        "years": {row["start_year"]: row["total"] for row in year_rows},
        "cells": {(row["theme"], row[sector_field]): row["total"] for row in cell_rows},
    }


def _travellers() -> list[tuple]:
    """Lessons that travel: published lessons that published reports say helped in a sector
    none of their case study's partners is from. A lesson's sectors are those of its
    published case study's partners, as in the themes-and-sectors table (a lesson with no
    published case study has no sector to leave). Three queries, whatever the data size:
    [(slug, title, helped elsewhere, [origin sector, ...], {sector: helped}), ...]."""
    elsewhere = (
        ApplicationReport.objects.published()
        .filter(
            outcome=Applied.HELPED,
            lesson__moderation_status=ModerationStatus.PUBLISHED,
            lesson__partnership__moderation_status=ModerationStatus.PUBLISHED,
        )
        .exclude(
            Exists(
                Participation.objects.filter(
                    partnership=OuterRef("lesson__partnership"),
                    organisation__sector=OuterRef("sector"),
                )
            )
        )
        .order_by()
        .values("lesson", "sector")
        .annotate(total=Count("pk"))
    )
    by_lesson: dict[int, dict[str, int]] = {}
    for row in elsewhere:
        by_lesson.setdefault(row["lesson"], {})[row["sector"]] = row["total"]
    lessons = {
        lesson.pk: lesson
        for lesson in Lesson.objects.filter(pk__in=by_lesson).only("slug", "title", "partnership")
    }
    ranked = sorted(
        by_lesson, key=lambda pk: (-sum(by_lesson[pk].values()), lessons[pk].title, pk)
    )[:TRAVELLERS_SHOWN]
    origins: dict[int, set[str]] = {}
    partnerships = [lessons[pk].partnership_id for pk in ranked]
    for partnership, sector in Participation.objects.filter(
        partnership__in=partnerships
    ).values_list("partnership", "organisation__sector"):
        origins.setdefault(partnership, set()).add(sector)
    order = list(Sector.values)
    return [
        (
            lessons[pk].slug,
            lessons[pk].title,
            sum(by_lesson[pk].values()),
            sorted(origins.get(lessons[pk].partnership_id, ()), key=order.index),
            dict(sorted(by_lesson[pk].items(), key=lambda item: order.index(item[0]))),
        )
        for pk in ranked
    ]


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
    labels = dict(Sector.choices)
    travellers = BarChart(
        [
            Bar(title, total, reverse("lessons:lesson-detail", args=[slug]))
            for slug, title, total, _, _ in data["travellers"]
        ]
    )
    travel_rows = [
        (
            title,
            reverse("lessons:lesson-detail", args=[slug]),
            [labels[sector] for sector in origins],
            [(labels[sector], helped) for sector, helped in elsewhere.items()],
        )
        for slug, title, _, origins, elsewhere in data["travellers"]
    ]
    return {
        "travellers": travellers,
        "travel_rows": travel_rows,
        "lessons_per_theme": lessons_per_theme,
        "outcomes": outcomes,
        "sectors": sectors,
        "per_year": per_year,
        "sector_choices": Sector.choices,
        "matrix": matrix,
        "matrix_total": sum(cells.values()),
    }
