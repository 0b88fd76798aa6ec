"""A curator, in a real browser and the real admin: edits a lesson twice, compares the first
and last versions, reverts to the first and sees the public page follow; then publishes two
pending lessons in bulk and finds the new versions in their history."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from core.moderation import ModerationStatus
from lessons.models import Lesson
from tests.core.history_helpers import CURATOR_PERMISSIONS, staff_with
from tests.factories import make_lesson, make_theme

pytestmark = pytest.mark.browser

PASSWORD = "pw-staff-1"


@pytest.fixture
def curator(django_user_model, settings, transactional_db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return staff_with(django_user_model, "ana", *CURATOR_PERMISSIONS, first_name="Ana")


def sign_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Username:").fill("ana")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def assert_no_serious_axe_findings(page):
    violations = Axe().run(page).response["violations"]
    blocking = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert blocking == [], blocking


def save_lesson(page, lesson, **fields):
    page.goto(f"/admin/lessons/lesson/{lesson.pk}/change/")
    for label, value in fields.items():
        page.locator(f"#id_{label}").fill(value)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def test_edit_twice_compare_revert_and_the_public_page_follows(page, curator):
    theme = make_theme(title="Work to Build Trust", number=3)
    lesson = make_lesson(
        title="Agree what words mean",
        themes=[theme],
        context="The partners used the same words for different things.",
    )
    sign_in(page)

    save_lesson(page, lesson, title="Agree on the words")
    save_lesson(page, lesson, context="The partners meant very different things by one word.")

    page.goto(f"/admin/lessons/lesson/{lesson.pk}/change/")
    page.get_by_role("link", name="History").click()
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Ana")
    expect(rows.nth(2)).to_contain_text("before its history was kept")
    assert_no_serious_axe_findings(page)

    # Compare the first version with the last.
    rows.nth(2).get_by_label(re.compile("Compare from")).check()
    rows.nth(0).get_by_label(re.compile("Compare to")).check()
    page.get_by_role("button", name="Compare the chosen versions").click()
    diff = page.locator("table.history-diff")
    expect(diff.get_by_role("row", name=re.compile("^Title"))).to_contain_text(
        "Agree what words mean"
    )
    expect(diff.get_by_role("row", name=re.compile("^Title"))).to_contain_text("Agree on the words")
    expect(diff.locator("ins").first).to_contain_text("added:")
    expect(diff.locator("del").first).to_be_visible()
    assert_no_serious_axe_findings(page)

    # Revert to the first version: asked first, then done, then a new version.
    page.get_by_role("link", name="Back to the history").click()
    page.get_by_role("link", name=re.compile("Revert to this version")).last.click()
    expect(page.get_by_role("heading", name=re.compile("Revert"))).to_be_visible()
    assert_no_serious_axe_findings(page)
    page.get_by_role("button", name="Yes, revert to this version").click()
    expect(page.locator(".messagelist")).to_contain_text("It is a new version in its history")
    page.get_by_role("link", name="History").click()
    expect(page.locator("#change-history tbody tr")).to_have_count(4)
    expect(page.locator("#change-history tbody tr").first).to_contain_text("Reverted to")

    # The public page follows at once (its cached copy is keyed by the content version).
    page.goto(lesson.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Agree what words mean")
    expect(page.get_by_text("used the same words for different things")).to_be_visible()
    expect(page.locator("dd time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\d"))
    assert "Agree on the words" not in page.content()


def test_bulk_publish_from_the_list_leaves_a_version_on_each_item(page, curator):
    theme = make_theme(title="Work to Build Trust", number=3)
    waiting = [
        make_lesson(title=f"Waiting lesson {n}", themes=[theme], moderation="pending")
        for n in (1, 2)
    ]
    sign_in(page)

    page.goto("/admin/lessons/lesson/?moderation_status__exact=pending")
    for lesson in waiting:
        page.get_by_role("row", name=re.compile(lesson.title)).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("publish_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("2 items were published.")

    for lesson in waiting:
        assert Lesson.objects.get(pk=lesson.pk).moderation_status == ModerationStatus.PUBLISHED
        page.goto(f"/admin/lessons/lesson/{lesson.pk}/history/")
        newest = page.locator("#change-history tbody tr").first
        expect(newest).to_contain_text("Ana")
        # The publishing service names its own revision (core/services.py).
        expect(newest).to_contain_text("Published.")
        expect(page.locator("#admin-log")).to_contain_text("Published.")
