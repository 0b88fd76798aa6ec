"""The health check in a real browser: every question answered, a result, then a comparison."""

import re
from io import StringIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from healthcheck.models import HealthCheck
from lessons.models import Theme

pytestmark = pytest.mark.browser


@pytest.fixture
def report(transactional_db):
    call_command("load_report", verbosity=0, stdout=StringIO())
    return list(Theme.objects.all())


def answer_every_question(page, themes, choose):
    """Click one answer per question; choose(theme) names it: Green, Amber or Red."""
    for theme in themes:
        section = page.get_by_role("group", name=f"{theme.number}. {theme.title}", exact=True)
        for question in theme.question_list:
            group = section.get_by_role("group", name=question)
            group.get_by_role("radio", name=re.compile(f"^{choose(theme)}")).check()


def test_a_check_gives_a_result_and_a_later_check_compares_with_it(page, report):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Health check").click()
    expect(page.locator("h1")).to_have_text("Partnership health check")

    # Theme 3 weak, the rest strong.
    answer_every_question(page, report, lambda t: "Red" if t.number == 3 else "Green")
    page.get_by_role("button", name="See the result").click()

    expect(page).to_have_url(re.compile(r"/health-check/[A-Za-z0-9_-]{32}/$"))
    expect(page.locator("h1")).to_have_text("Your partnership health check")
    expect(page.get_by_role("img", name="Health check score per theme, out of 100")).to_be_visible()
    table = page.get_by_role("table", name="Health check score per theme, out of 100")
    expect(table.get_by_role("row", name=re.compile("^3. Work to Build Trust"))).to_contain_text(
        "0"
    )
    expect(table.get_by_role("row", name=re.compile("^1. Understand"))).to_contain_text("100")
    weakest = page.get_by_role("region", name=re.compile(r"Theme 3: Work to Build Trust"))
    expect(weakest.locator(".card--lesson").first).to_be_visible()
    expect(page.get_by_role("heading", name="Keep this link")).to_be_visible()
    first = HealthCheck.objects.get()

    page.get_by_role("link", name="Check again later and compare").click()
    expect(page).to_have_url(re.compile(rf"\?compare={first.token}$"))
    expect(page.get_by_label("Compare with an earlier check")).to_have_value(first.token)

    # Better on trust now, worse on skills.
    answer_every_question(page, report, lambda t: {3: "Amber", 8: "Red"}.get(t.number, "Green"))
    page.get_by_role("button", name="See the result").click()

    expect(page.locator("h1")).to_have_text("Your partnership health check")
    changes = page.get_by_role("table", name=re.compile("^Scores in the earlier check and now"))
    expect(changes.get_by_role("row", name=re.compile("^3. Work to Build Trust"))).to_contain_text(
        "▲ up 50 points"
    )
    expect(changes.get_by_role("row", name=re.compile("^8. Develop"))).to_contain_text(
        "▼ down 100 points"
    )
    expect(changes.get_by_role("row", name=re.compile("^1. Understand"))).to_contain_text(
        "= no change"
    )
    assert HealthCheck.objects.exclude(pk=first.pk).get().compared_with == first

    violations = Axe().run(page).response["violations"]
    blocking = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert not blocking, blocking
