"""Browser tests: the system Chromium, started once per session, driven by Playwright.

Pages are served by pytest-django's ``live_server``, which runs in another thread, so
test data must be committed: every test here uses ``transactional_db`` through it.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.site_content import build_site_content

# Playwright's sync API runs an event loop in the test thread, and Django refuses ORM
# calls from a thread with a running loop unless told the calls are safe (they are:
# nothing here is async).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("UA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}
# Fail in seconds rather than Playwright's default 30 when an element never shows up.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        message = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("UA_REQUIRE_BROWSER") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport=VIEWPORT, base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site(transactional_db):
    """The report plus six case studies, committed so the live server sees them."""
    return build_site_content()
