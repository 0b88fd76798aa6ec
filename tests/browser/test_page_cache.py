"""A lesson page answered from the page cache still takes a "this helped me" in a browser."""

import re

import pytest
from playwright.sync_api import expect

from lessons.models import Lesson

pytestmark = pytest.mark.browser


def test_a_lesson_page_from_the_cache_counts_this_helped_me(page, site):
    url = f"/lessons/{site.lesson.slug}/"
    first = page.goto(url)
    second = page.goto(url)

    assert (first.headers["x-page-cache"], second.headers["x-page-cache"]) == ("miss", "hit")
    expect(page.locator("#helpful")).to_contain_text("Be the first to say this helped you.")

    page.get_by_role("button", name="This helped me").click()

    expect(page).to_have_url(re.compile(rf"{url}#helpful$"))
    expect(page.locator(".messages")).to_have_text(
        "Thank you — we counted that this lesson helped you."
    )
    expect(page.locator("#helpful")).to_contain_text("1 practitioner found this helpful.")
    assert Lesson.objects.get(pk=site.lesson.pk).helpful_count == 1
