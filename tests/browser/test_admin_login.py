"""A curator who mistypes their password too often sees, in a real browser, why they cannot
sign in and what to do, on a page axe-core finds no serious problem with."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.test_admin_login import LIMIT, LOCKOUT_MESSAGE

pytestmark = pytest.mark.browser

PASSWORD = "a-curator's-password-1"


@pytest.fixture
def curator(django_user_model, settings, transactional_db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return django_user_model.objects.create_superuser("curator", "c@example.org", PASSWORD)


def submit_login(page, password):
    page.get_by_label("Username:").fill("curator")
    page.get_by_label("Password:").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_locked_out_curator_is_told_why_and_whom_to_ask(page, curator):
    page.goto("/admin/login/")
    for attempt in range(LIMIT - 1):
        submit_login(page, f"mistyped-{attempt}")
        expect(page.locator(".errornote")).to_contain_text("Please enter the correct username")

    submit_login(page, "mistyped-once-more")
    expect(page.locator("h1")).to_have_text("Sign-in locked")
    page.get_by_role("link", name="Back to the sign-in page").click()
    submit_login(page, PASSWORD)

    expect(page).to_have_url(re.compile(r"/admin/login/$"))
    expect(page.locator("h1")).to_have_text("Sign-in locked")
    expect(page.locator("#lockout-message")).to_have_text(LOCKOUT_MESSAGE)
    expect(page.get_by_text("ask a site administrator to unlock your account")).to_be_visible()
    expect(page.get_by_label("Password:")).to_have_count(0)
    violations = Axe().run(page).response["violations"]
    assert not [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
