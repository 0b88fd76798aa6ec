"""The geometry of the site's SVG charts: horizontal bars, year columns, shaded cells.

Pure arithmetic on numbers, in viewBox units, so the templates only place what is
computed here and every chart scales to its container's width.
"""

import math
from dataclasses import dataclass

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
