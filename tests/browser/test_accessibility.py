"""axe-core finds no serious or critical accessibility problem on any page type."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.site_content import PAGE_TYPES

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_page_type_has_no_serious_axe_violations(page, site, axe, page_type):
    path_for, heading = PAGE_TYPES[page_type]
    path = path_for(site)
    response = page.goto(path)
    assert response.status == (404 if page_type == "not-found" else 200)
    expect(page.locator("h1")).to_have_text(re.compile("^" + re.escape(heading)))

    violations = axe.run(page).response["violations"]

    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{v['impact']} {v['id']} ({v['help']}) on {path}: "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in blocking
    )
    assert not blocking, f"axe found on {page_type} ({path}):\n{report}"
