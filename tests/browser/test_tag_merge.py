"""A curator merges two tags in the real admin; a visitor holding a page with the old tag's
link follows it and lands on the kept tag's page, with the lessons of both."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, VIEWPORT
from tests.factories import make_lesson, make_theme

pytestmark = pytest.mark.browser

PASSWORD = "a-curator's-password-1"


@pytest.fixture
def shore(django_user_model, settings, transactional_db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)
    theme = make_theme(title="Work to Build Trust", number=3)
    return {
        "tidal": make_lesson(title="Tidal planning", themes=[theme], tags=["estuary"]),
        "dunes": make_lesson(title="Dune fencing", themes=[theme], tags=["coastline"]),
        "both": make_lesson(
            title="Sediment budgets", themes=[theme], tags=["estuary", "coastline"]
        ),
    }


@pytest.fixture
def visitor(browser, live_server):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_a_curator_merges_two_tags_and_the_old_tag_link_leads_to_the_kept_one(page, visitor, shore):
    # A visitor reads a lesson whose tag is about to be merged away.
    visitor.goto(shore["tidal"].get_absolute_url())
    old_link = visitor.get_by_role("complementary", name="About this lesson").get_by_role(
        "link", name="estuary", exact=True
    )
    expect(old_link).to_have_attribute("href", "/tags/estuary/")

    # The curator merges "estuary" into "coastline" in the admin.
    page.goto("/admin/taggit/tag/")
    page.get_by_label("Username:").fill("curator")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Select tag to change")
    for name in ("coastline", "estuary"):
        page.get_by_role(
            "row", name=re.compile(rf"^\s*Select this object.*\b{name}\b")
        ).get_by_role("checkbox").check()
    page.locator("select[name=action]").select_option("merge_tags")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("h1")).to_have_text("Merge tags")
    violations = Axe().run(page).response["violations"]
    assert not [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    page.get_by_label(re.compile(r"coastline \(/tags/coastline/\): 2 lessons")).check()
    page.get_by_role("button", name="Merge 2 tags").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Merged “estuary” into “coastline”: 2 lessons and 0 case studies moved to it."
    )
    expect(page.get_by_role("link", name="estuary", exact=True)).to_have_count(0)

    # The visitor follows the link they still have, and lands on the kept tag's page.
    old_link.click()
    expect(visitor).to_have_url(re.compile(r"/tags/coastline/$"))
    expect(visitor.locator("h1")).to_contain_text("coastline")
    main = visitor.locator("main")
    for title in ("Tidal planning", "Dune fencing", "Sediment budgets"):
        expect(main.get_by_role("link", name=title, exact=True)).to_have_count(1)
