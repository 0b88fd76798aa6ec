"""Every page works in a real browser under the Content Security Policy, which blocks nothing.

Each page is watched for ``securitypolicyviolation`` events (recorded from before the
page's own scripts run) and for the console messages Chromium writes when it blocks
something or ignores a header. The site's own script, the admin's widgets and the API's
Swagger UI are then used, not only loaded, since a blocked script shows only when
what it does is missing.
"""

import logging
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from lessons.models import Theme
from tests.browser.site_content import PAGE_TYPES
from tests.browser.test_submissions import curator, log_in_to_admin  # noqa: F401

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  const what = `${event.effectiveDirective} blocked ${event.blockedURI}`;
  window.__cspViolations.push(`${what} at ${where}`);
});
"""
# What Chromium's console says when a policy blocks something or a header is not understood.
POLICY_CONSOLE_MESSAGE = re.compile(
    r"Content[ -]Security[ -]Policy|Permissions-Policy|Reporting-Endpoints|Refused to", re.I
)


@pytest.fixture
def watched_page(page):
    """A page that records every policy violation and every policy message in the console."""
    messages = []
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda message: messages.append(message.text))
    page.on("pageerror", lambda error: messages.append(f"uncaught: {error}"))
    page.policy_messages = messages
    return page


def violations_on(page):
    """The violations this document and the console have seen so far, as text."""
    found = page.evaluate("window.__cspViolations || []")
    found += [
        text
        for text in page.policy_messages
        if POLICY_CONSOLE_MESSAGE.search(text) or text.startswith("uncaught:")
    ]
    return found


def visit(page, path, *, status=200):
    response = page.goto(path)
    assert response.status == status, path
    assert "frame-ancestors 'none'" in response.header_value("Content-Security-Policy"), path
    return response


def test_every_page_type_shows_with_no_violation(watched_page, site):
    page = watched_page
    for page_type, (path_for, heading) in PAGE_TYPES.items():
        path = path_for(site)
        visit(page, path, status=404 if page_type == "not-found" else 200)
        expect(page.locator("h1")).to_have_text(re.compile("^" + re.escape(heading)))
        assert violations_on(page) == [], path
    # A page reached by sending a form: the lesson form back with its errors.
    visit(page, reverse("submissions:lesson-submit"))
    page.get_by_role("button", name="Send the lesson for review").click()
    expect(page.locator("h2").first).to_have_text("There are problems with what you sent")
    assert violations_on(page) == []


def test_site_stylesheet_is_applied_under_the_policy(watched_page, site):
    page = watched_page
    visit(page, "/")
    # site.css puts the skip link above the page until it has focus.
    skip_link_top = page.locator("a.skip-link").evaluate(
        "(link) => link.getBoundingClientRect().top"
    )
    assert skip_link_top < 0
    assert violations_on(page) == []


def test_tag_suggestions_still_appear_and_are_chosen(watched_page, site):
    page = watched_page
    visit(page, reverse("submissions:lesson-submit"))
    tags = page.get_by_role("textbox", name="Tags", exact=True)
    tags.press_sequentially("tru")
    suggestions = page.locator("#id_tags-suggestions")
    expect(suggestions.get_by_role("button")).to_have_text(["trust"])
    suggestions.get_by_role("button", name="trust").click()
    expect(tags).to_have_value("trust, ")
    assert violations_on(page) == []


def test_api_docs_render_every_operation_and_try_one_out(watched_page, site):
    page = watched_page
    visit(page, "/api/v1/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/themes" in summaries
    assert "/api/v1/lessons/{slug}" in summaries
    assert len(summaries) >= 9

    # Try it out: Swagger UI fetches from the API itself, which connect-src must allow.
    page.locator(".opblock-summary-path").get_by_text("/api/v1/themes", exact=True).click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    response = page.locator(".live-responses-table tbody .response-col_status")
    expect(response).to_have_text("200")
    expect(page.locator(".live-responses-table")).to_contain_text("Work to Build Trust")
    assert violations_on(page) == []


def test_admin_pages_and_widgets_work_with_no_violation(watched_page, site, curator):  # noqa: F811
    page = watched_page
    log_in_to_admin(page, curator)
    assert violations_on(page) == []
    expect(page.locator("#moderation-queue")).to_contain_text("is pending")
    # The moderation queue's counts keep their padding, now from a stylesheet.
    padding = page.locator("#moderation-queue p.moderation-queue__counts").evaluate(
        "(p) => getComputedStyle(p).paddingLeft"
    )
    assert padding == "10px"

    # A new lesson: the slug follows the title (prepopulated fields), a theme moves
    # across (filter_horizontal), and a case study is looked up (autocomplete).
    visit(page, reverse("admin:lessons_lesson_add"))
    page.locator("#id_title").press_sequentially("Budgets Need Owners")
    expect(page.locator("#id_slug")).to_have_value("budgets-need-owners")
    trust = Theme.objects.get(number=3)
    page.locator("#id_themes_from").select_option(str(trust.pk))
    page.locator("#id_themes_add").click()
    expect(page.locator("#id_themes_to option")).to_have_text([str(trust)])
    page.locator("#id_themes_input").press_sequentially("skills")
    expect(page.locator("#id_themes_from option")).to_have_count(1)
    page.locator(".field-partnership .select2-selection").click()
    page.locator(".select2-search__field").fill("Clean")
    expect(page.locator(".select2-results__option")).to_have_text(["Clean Water Compact"])
    page.locator(".select2-results__option").click()
    expect(page.locator(".field-partnership .select2-selection__rendered")).to_have_text(
        re.compile("Clean Water Compact")
    )
    assert violations_on(page) == []

    # An existing lesson's change form.
    lesson = site.lesson
    visit(page, reverse("admin:lessons_lesson_change", args=[lesson.pk]))
    expect(page.locator("#id_title")).to_have_value(lesson.title)
    assert violations_on(page) == []

    # The date widget's shortcuts and calendar on a source.
    visit(page, reverse("admin:lessons_source_add"))
    page.locator(".datetimeshortcuts a", has_text="Today").click()
    expect(page.locator("#id_published_on")).to_have_value(re.compile(r"\d"))
    page.locator("#calendarlink0").click()
    expect(page.locator(".calendarbox").first).to_be_visible()
    assert violations_on(page) == []

    # A case study's change form, whose partner rows look organisations up.
    visit(page, reverse("admin:alliances_partnership_change", args=[site.partnership.pk]))
    expect(page.locator(".select2-selection").first).to_be_visible()
    assert violations_on(page) == []

    # Rejecting with a reason goes through the intermediate page.
    visit(page, reverse("admin:lessons_lesson_changelist") + "?moderation_status__exact=pending")
    pending = site.pending_lesson
    page.get_by_role("checkbox", name=f"Select this object for an action - {pending.title}").check()
    page.locator("select[name=action]").select_option("reject_selected")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("#content")).to_contain_text("will be rejected")
    assert violations_on(page) == []
    page.locator("textarea[name=reason], input[name=reason]").fill("Too close to lesson 3.")
    page.get_by_role("button", name=re.compile(r"^Reject 1 item")).click()
    expect(page.locator(".messagelist")).to_contain_text("rejected")
    assert violations_on(page) == []
    pending.refresh_from_db()
    assert pending.moderation_status == "rejected"

    # The changelist with date drill-down (health checks) and a plain one with filters.
    visit(page, reverse("admin:healthcheck_healthcheck_changelist"))
    visit(page, reverse("admin:lessons_lesson_changelist") + "?experience__exact=worked")
    expect(page.locator("#changelist-filter")).to_be_visible()
    assert violations_on(page) == []


def test_a_violation_is_posted_by_the_browser_and_logged(watched_page, site, settings, caplog):
    """The endpoint takes what Chromium really sends, with report-uri (report-to batches
    its posts a minute apart, too slow to wait for here; its format is tested without
    a browser)."""
    directives = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
    directives.pop("report-to")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": directives}
    page = watched_page
    caplog.set_level(logging.WARNING, logger="security.csp")
    visit(page, reverse("lessons:theme-list"))
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__ran = true";
          document.body.append(script);
        }"""
    )
    assert page.evaluate("window.__ran === true") is False
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_function("window.__cspViolations.length > 0")
    for _ in range(50):
        if caplog.records:
            break
        page.wait_for_timeout(100)
    [record] = [r for r in caplog.records if r.name == "security.csp"]
    assert record.levelno == logging.WARNING
    assert '"directive": "script-src-elem"' in record.getMessage()
    assert '"blocked": "inline"' in record.getMessage()
    assert "/themes/" in record.getMessage()


def test_permissions_policy_turns_off_each_feature_it_names(page, site, settings):
    page.goto("/")
    policy = "document.featurePolicy"  # Chromium's name for the page's Permissions-Policy
    known = set(page.evaluate(f"{policy}.features()"))
    allowed = set(page.evaluate(f"{policy}.allowedFeatures()"))
    denied = set(settings.PERMISSIONS_POLICY_DENIED)
    # Each is a feature Chromium knows (a misspelt one would be ignored), now off.
    assert denied <= known, denied - known
    assert denied & allowed == set()
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= denied
