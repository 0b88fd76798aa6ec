"""The insights charts, as a visitor sees them: drawn, labelled, with their numbers in tables."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_insights_show_each_chart_with_its_data_table(page, site):
    page.goto("/insights/")

    expect(page.locator("h1")).to_be_visible()
    charts = page.locator('svg[role="img"]')
    assert charts.count() >= 4
    for index in range(charts.count()):
        chart = charts.nth(index)
        expect(chart).to_be_visible()
        assert chart.locator("title").text_content().strip()
        assert chart.locator("desc").text_content().strip()
        box = chart.bounding_box()
        # Really drawn, not collapsed (a chart of one bar, as "lessons that travel" may be,
        # is one row high).
        assert box["width"] > 100 and box["height"] > 30

    tables = page.locator("main table")
    assert tables.count() >= 4
    lessons_per_theme = page.locator("table", has=page.locator("caption", has_text="theme")).first
    expect(lessons_per_theme).to_contain_text("Work to Build Trust")

    # The matrix: a cell with lessons leads to the lesson list with both filters applied.
    cell = page.locator("table.matrix td a").first
    number = int(re.search(r"\d+", cell.inner_text()).group(0))
    cell.click()
    expect(page).to_have_url(re.compile(r"/lessons/\?theme=[\w-]+&sector=\w+"))
    expect(page.locator(".toolbar__count")).to_contain_text(f"{number} lesson")
