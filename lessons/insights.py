"""The insights page's numbers and the geometry of its charts.

Every count comes from one GROUP BY query over published content, and the whole set
is cached per content version, so a warm page reads only the content version.
"""

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from alliances.models import Outcome, Participation, Partnership, Sector
from alliances.moderation import ModerationStatus
from lessons import caching
from lessons.models import Lesson, Theme

# Chart geometry, in viewBox units: the SVG scales to its container's width.
CHART_WIDTH = 640
BAR_HEIGHT = 18
ROW_HEIGHT = 46  # a label line above each bar, then the bar
LABEL_SPACE = 40  # right of the longest bar, for its number
COLUMN_PLOT_HEIGHT = 180
COLUMN_TOP = 24  # room above the tallest column for its number
COLUMN_AXIS = 28  # room below the columns for the year labels
MAX_COLUMN_WIDTH = 60  # a year or two alone would otherwise fill the chart
# Years get a label each up to this many columns; beyond it, every few years.
YEAR_LABELS_SHOWN = 12
# Cells are shaded in this many steps from the lightest to the darkest.
SHADES = 4


def counts():
    """Every count the page shows, as plain data, cached per content version."""
    return caching.cached("insights", "", _count, version=caching.content_version())


def _count():
    themes = (
        Theme.objects.only("number", "slug", "title")
        .annotate(
            total=Count("lessons", filter=Q(lessons__moderation_status=ModerationStatus.PUBLISHED))
        )
        .order_by("number")
    )  # Meta.ordering is not applied to aggregating queries
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
        "themes": [(theme.pk, theme.slug, theme.title, theme.total) for theme in themes],
        "outcomes": {row["outcome"]: row["total"] for row in outcome_rows},
        "sectors": {row["organisation__sector"]: row["total"] for row in sector_rows},
        "years": {row["start_year"]: row["total"] for row in year_rows},
        "cells": {(row["theme"], row[sector_field]): row["total"] for row in cell_rows},
    }


def _filtered(url_name, **params):
    return f"{reverse(url_name)}?{urlencode(params)}"


@dataclass
class Bar:
    label: str
    value: int
    url: str
    # Filled in by the chart: where the bar, its label and its number sit in the SVG.
    y: float = 0
    row_y: float = 0
    width: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0


@dataclass
class BarChart:
    """Horizontal bars, each labelled above itself so long labels never collide."""

    bars: list

    def __post_init__(self):
        largest = max((bar.value for bar in self.bars), default=0) or 1
        for index, bar in enumerate(self.bars):
            bar.row_y = index * ROW_HEIGHT
            bar.y = bar.row_y + 22
            bar.width = round((CHART_WIDTH - LABEL_SPACE) * bar.value / largest, 1)
            bar.label_y = bar.y - 6
            bar.value_x = bar.width + 6
            bar.value_y = bar.y + BAR_HEIGHT - 4

    @property
    def total(self):
        return sum(bar.value for bar in self.bars)

    @property
    def width(self):
        return CHART_WIDTH

    @property
    def height(self):
        return len(self.bars) * ROW_HEIGHT

    @property
    def bar_height(self):
        return BAR_HEIGHT

    @property
    def row_height(self):
        return ROW_HEIGHT


@dataclass
class Column:
    year: int
    value: int
    x: float = 0
    y: float = 0
    height: float = 0
    middle: float = 0
    labelled: bool = True
    value_y: float = 0


@dataclass
class ColumnChart:
    """One column per year from the first to the last, years with none at zero."""

    columns: list

    def __post_init__(self):
        largest = max((column.value for column in self.columns), default=0) or 1
        step = max(1, math.ceil(len(self.columns) / YEAR_LABELS_SHOWN))
        slot = CHART_WIDTH / max(len(self.columns), 1)
        self.column_width = round(min(slot * 0.7, MAX_COLUMN_WIDTH), 1)
        self.slot = slot
        self.baseline = COLUMN_TOP + COLUMN_PLOT_HEIGHT
        for index, column in enumerate(self.columns):
            column.height = round(COLUMN_PLOT_HEIGHT * column.value / largest, 1)
            column.x = round(index * slot + (slot - self.column_width) / 2, 1)
            column.y = round(self.baseline - column.height, 1)
            column.labelled = index % step == 0 or index == len(self.columns) - 1
            column.middle = round(column.x + self.column_width / 2, 1)
            column.value_y = column.y - 6

    @property
    def total(self):
        return sum(column.value for column in self.columns)

    @property
    def width(self):
        return CHART_WIDTH

    @property
    def height(self):
        return self.baseline + COLUMN_AXIS

    @property
    def label_y(self):
        return self.baseline + 18

    @property
    def values_shown(self):
        """Whether columns are wide enough to print their numbers above them."""
        return len(self.columns) <= 2 * YEAR_LABELS_SHOWN


def shade(value, largest):
    """Which of the SHADES steps a matrix cell takes: 0 for none, SHADES for the largest."""
    if not value or not largest:
        return 0
    return max(1, math.ceil(SHADES * value / largest))


def insights(data):
    """The page's charts and matrix, built from counts()."""
    lessons_per_theme = BarChart(
        [
            Bar(title, total, _filtered("lessons:lesson-list", theme=slug))
            for _, slug, title, total in data["themes"]
        ]
    )
    outcomes = BarChart(
        [
            Bar(
                label,
                data["outcomes"].get(value, 0),
                _filtered("lessons:partnership-list", outcome=value),
            )
            for value, label in Outcome.choices
        ]
    )
    sectors = BarChart(
        [
            Bar(
                label,
                data["sectors"].get(value, 0),
                _filtered("lessons:partnership-list", sector=value),
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
                    _filtered("lessons:lesson-list", theme=slug, sector=value),
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
        "matrix_largest": largest,
    }
