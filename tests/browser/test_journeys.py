"""What a visitor does with a mouse: following links, filtering case studies, searching."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.site_content import PAGE_TYPES

pytestmark = pytest.mark.browser


def query_of(page):
    return parse_qs(urlsplit(page.url).query)


def card_titles(page, kind):
    return set(page.locator(f".card--{kind} .card__title").all_inner_texts())


def test_home_to_theme_to_lesson_to_case_study_to_organisation(page, site):
    page.goto("/")
    expect(page.locator("h1")).to_have_text(re.compile("^Learn from partnerships"))

    page.get_by_role("link", name="Theme 3: Work to Build Trust").click()
    expect(page).to_have_url(re.compile(r"/themes/work-to-build-trust/$"))
    expect(page.locator("h1")).to_have_text("Work to Build Trust")

    page.locator("main").get_by_role("link", name=site.lesson.title).click()
    expect(page).to_have_url(re.compile(rf"/lessons/{site.lesson.slug}/$"))
    expect(page.locator("h1")).to_have_text(site.lesson.title)

    page.get_by_role("complementary", name="About this lesson").get_by_role(
        "link", name="Clean Water Compact"
    ).click()
    expect(page).to_have_url(re.compile(r"/partnerships/clean-water-compact/$"))
    expect(page.locator("h1")).to_have_text("Clean Water Compact")

    partners = page.get_by_role("region", name="Partners", exact=True)
    partners.get_by_role("link", name="Acme Water Ltd").click()
    expect(page).to_have_url(re.compile(r"/organisations/acme-water-ltd/$"))
    expect(page.locator("h1")).to_have_text("Acme Water Ltd")
    partnerships = page.get_by_role("region", name=re.compile("^Partnerships"))
    expect(partnerships.get_by_role("link")).to_have_text(
        ["Clean Water Compact", "Health Data Commons", "Market Access Pilot"]
    )


def test_partnership_facets_narrow_the_list_and_remove_one_filter_at_a_time(page, site):
    page.goto("/partnerships/")
    expect(page.locator(".toolbar__count")).to_have_text("6 case studies")

    page.get_by_role("group", name="Partner sector").get_by_role(
        "checkbox", name=re.compile("^Business")
    ).check()
    page.get_by_role("group", name="How it turned out").get_by_role(
        "checkbox", name=re.compile("^On track")
    ).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"outcome=on_track"))
    query = query_of(page)
    assert query["sector"] == ["business"]
    assert query["outcome"] == ["on_track"]
    expect(page.locator(".toolbar__count")).to_have_text("2 case studies match your filters")
    # Market Access Pilot is a business case study that did not work out as planned;
    # City Schools Alliance is on track but has no business partner.
    assert card_titles(page, "partnership") == {"Clean Water Compact", "Health Data Commons"}
    expect(page.get_by_role("link", name="Market Access Pilot")).to_have_count(0)
    expect(page.get_by_role("link", name="City Schools Alliance")).to_have_count(0)

    active = page.locator(".active-filters")
    active.get_by_role("link", name=re.compile("^How it turned out: On track")).click()

    expect(page).not_to_have_url(re.compile(r"outcome="))
    query = query_of(page)
    assert query["sector"] == ["business"]
    assert "outcome" not in query
    expect(page.locator(".toolbar__count")).to_have_text("3 case studies match your filters")
    assert card_titles(page, "partnership") == {
        "Clean Water Compact",
        "Health Data Commons",
        "Market Access Pilot",
    }
    expect(active.get_by_role("link")).to_have_count(1)
    expect(active.get_by_role("link")).to_contain_text("Partner sector: Business")


def test_header_search_finds_the_published_lesson_and_highlights_the_word(page, site):
    page.goto("/")
    page.locator("#site-search-q").fill("suspicion")
    page.locator("#site-search-q").press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=suspicion$"))
    expect(page.locator("h1")).to_have_text("Search results for “suspicion”")
    expect(page.locator(".browse__results").get_by_role("status")).to_have_text("1 result")
    results = page.locator(".search-result")
    expect(results).to_have_count(1)
    expect(results.get_by_role("link")).to_have_text(
        "Suspicion of motives does not go away on its own: manage the partnership even-handedly"
    )
    expect(results.locator("mark").first).to_have_text(re.compile("^suspicion$", re.I))
    expect(page.get_by_text(site.pending_lesson.title)).to_have_count(0)
    # The header keeps the query, so it can be refined from any page.
    expect(page.locator("#site-search-q")).to_have_value("suspicion")


@pytest.mark.parametrize("page_type", ["home", "partnership-detail"])
def test_page_does_not_scroll_sideways_on_a_375px_phone(page, site, page_type):
    page.set_viewport_size({"width": 375, "height": 800})
    path, heading = PAGE_TYPES[page_type]
    page.goto(path(site))
    expect(page.locator("h1")).to_have_text(re.compile("^" + re.escape(heading)))
    expect(page.locator("h1")).to_be_in_viewport()

    widths = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth,"
        " client: document.documentElement.clientWidth})"
    )

    assert widths["scroll"] <= widths["client"] + 1, widths
