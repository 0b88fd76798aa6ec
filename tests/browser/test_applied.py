""" "I applied this lesson" in a real browser: a reader reports applying a lesson without a
note (counted at once) and with one (counted once a curator publishes it in the real
admin); the lesson page's counts and the list's "most applied" sort follow; axe finds no
serious problem on the pages the reader sees."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from lessons.models import Lesson
from tests.core.test_moderation_log import CURATOR_PERMISSIONS

pytestmark = pytest.mark.browser

PASSWORD = "a-curator's-password-2"
NOTE = "We applied it with a *water board*; the glossary settled two disputes."


@pytest.fixture
def curator(django_user_model, settings, transactional_db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(
        "ines", "ines@example.org", PASSWORD, is_staff=True
    )
    codenames = [*CURATOR_PERMISSIONS, "view_applicationreport", "change_applicationreport"]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def assert_no_serious_axe_violations(page):
    violations = Axe().run(page).response["violations"]
    blocking = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert not blocking, f"axe found on {page.url}: {blocking}"


def report(page, *, outcome, sector, region, note=""):
    form = page.locator("form.applied__form")
    form.get_by_label(outcome, exact=True).check()
    form.get_by_label("Your sector").select_option(label=sector)
    form.get_by_label("Where").select_option(label=region)
    if note:
        form.get_by_label("What happened (optional)").fill(note)
    form.get_by_role("button", name="Send my report").click()


def first_card_title(page):
    return page.locator(".card--lesson .card__title").first


def test_a_reader_reports_applying_a_lesson_and_the_counts_and_sort_follow(page, site, curator):
    lesson = Lesson.objects.published().exclude(pk=site.lesson.pk).order_by("title").first()
    counts = page.locator("#applied-counts")

    page.goto(lesson.get_absolute_url())
    expect(page.get_by_role("heading", name="Did you apply this lesson?")).to_be_visible()
    expect(counts).to_have_text("No one has reported applying this lesson yet.")
    assert_no_serious_axe_violations(page)

    # Bad input: the page again, the message, the note kept.
    page.locator("form.applied__form").get_by_label("What happened (optional)").fill("Kept?")
    page.locator("form.applied__form").get_by_role("button", name="Send my report").click()
    expect(page.locator("#error-summary")).to_contain_text("Say how it went")
    expect(page.get_by_label("What happened (optional)")).to_have_value("Kept?")
    assert_no_serious_axe_violations(page)

    # Without a note: counted at once.
    page.goto(lesson.get_absolute_url())
    report(page, outcome="It helped", sector="Government", region="Europe and Central Asia")
    expect(page.locator(".messages, [role=status], .message").first).to_contain_text(
        "your report is counted"
    )
    expect(counts).to_have_text("Applied 1 time — it helped 1, partly helped 0, did not help 0.")

    # With a note: waits for a curator, and nothing of it shows meanwhile.
    report(
        page,
        outcome="It partly helped",
        sector="Civil society",
        region="Sub-Saharan Africa",
        note=NOTE,
    )
    expect(page.locator("body")).to_contain_text("a curator will read your note")
    expect(counts).to_have_text("Applied 1 time — it helped 1, partly helped 0, did not help 0.")
    expect(page.locator("#applied-notes")).to_have_count(0)

    # The curator publishes the note in the admin.
    curator_page = page.context.browser.new_page(base_url=page.url.split("/lessons/")[0])
    curator_page.goto("/admin/login/")
    curator_page.get_by_label("Username:").fill("ines")
    curator_page.get_by_label("Password:").fill(PASSWORD)
    curator_page.get_by_role("button", name="Log in").click()
    expect(curator_page.locator("#moderation-queue-applied")).to_contain_text(
        "1 note from readers who applied a lesson"
    )
    curator_page.locator("#moderation-queue-applied a").click()
    expect(curator_page.locator("#result_list")).to_contain_text("We applied it with a")
    curator_page.locator('input[name="_selected_action"]').first.check()
    curator_page.locator('select[name="action"]').select_option("publish_selected")
    curator_page.get_by_role("button", name="Go").click()
    expect(curator_page.locator(".messagelist")).to_contain_text("1 item was published.")
    curator_page.close()

    # The reader sees it counted, and the note, sanitised Markdown.
    page.goto(lesson.get_absolute_url())
    expect(counts).to_have_text("Applied 2 times — it helped 1, partly helped 1, did not help 0.")
    expect(page.locator("#applied-notes em")).to_have_text("water board")
    assert_no_serious_axe_violations(page)

    # "Most applied" puts it first; the filter keeps it.
    page.goto("/lessons/?sort=applied")
    expect(first_card_title(page)).to_have_text(lesson.title)
    assert_no_serious_axe_violations(page)
    page.goto("/lessons/?applied=yes&sort=helped")
    expect(page.locator(".card--lesson")).to_have_count(2)
