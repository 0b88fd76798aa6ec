"""Everything on a list page can be done from the keyboard, and focus is always visible."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# More than the tab stops between the top of /lessons/ and its "Apply filters" button,
# so a missing control fails the test instead of looping forever.
MAX_TABS = 80

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    id: el.id,
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || "").trim(),
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
  };
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def assert_focus_is_visible(element):
    assert element["outlineStyle"] != "none", f"no focus outline on {element}"
    assert element["outlineWidth"] != "0px", f"no focus outline on {element}"


def tab_to(page, is_target):
    """Press Tab until the focused element is the target; return it."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        element = focused(page)
        if is_target(element):
            return element
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached the element")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, site):
    page.goto("/lessons/")

    page.keyboard.press("Tab")
    skip_link = focused(page)
    assert (skip_link["tag"], skip_link["text"]) == ("a", "Skip to main content")
    assert_focus_is_visible(skip_link)
    expect(page.get_by_role("link", name="Skip to main content")).to_be_in_viewport()

    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/lessons/#main$"))
    assert focused(page)["id"] == "main"


def test_lesson_facet_can_be_ticked_and_applied_with_the_keyboard_alone(page, site):
    page.goto("/lessons/")
    expect(page.locator(".toolbar__count")).to_have_text("17 lessons")

    checkbox = tab_to(page, lambda el: el["id"] == "f-experience-went_wrong")
    assert_focus_is_visible(checkbox)
    page.keyboard.press("Space")
    expect(page.locator("#f-experience-went_wrong")).to_be_checked()

    button = tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Apply filters")
    assert_focus_is_visible(button)
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]experience=went_wrong(&|$)"))
    expect(page.locator(".toolbar__count")).to_have_text("6 lessons match your filters")
    expect(page.locator("#f-experience-went_wrong")).to_be_checked()
    badges = page.locator(".card--lesson .badge")
    expect(badges).to_have_count(6)
    expect(badges).to_have_text(["What went wrong"] * 6)
    expect(page.get_by_role("link", name=site.lesson.title)).to_have_count(0)
