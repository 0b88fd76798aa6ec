"""Following a theme by email in a real browser, with mail really sent: a visitor follows a
theme, confirms through the emailed link, a curator publishes two lessons, the daily digest
lists them, and a mail client's one-click unsubscribe (an RFC 8058 POST, no cookies) ends it.
The web process's own sender thread sends every message."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.moderation import ModerationStatus
from follows.models import State, Subscriber, Subscription
from tests.browser.test_moderation import (
    PASSWORD,
    assert_no_serious_axe_violations,
    choose_action,
    curator,  # noqa: F401 - a fixture
    link_after,
    message_to,
    sender_thread,  # noqa: F401 - a fixture
)
from tests.factories import make_lesson, make_theme
from tests.mail_server import parts

pytestmark = pytest.mark.browser

ADDRESS = "zoe@example.org"


def test_follow_a_theme_confirm_get_a_digest_and_unsubscribe_with_one_click(
    page,
    browser,
    live_server,
    curator,  # noqa: F811 - the imported fixture
    sender_thread,  # noqa: F811 - the imported fixture
    settings,
):
    settings.FOLLOW_DIGEST_SETTLE_SECONDS = 0
    theme = make_theme(number=3, title="Work to Build Trust")
    first = make_lesson(
        title="Trust grows in small steps", themes=[theme], moderation=ModerationStatus.PENDING
    )
    second = make_lesson(
        title="Say early what you cannot do", themes=[theme], moderation=ModerationStatus.PENDING
    )

    # A visitor follows the theme from its page.
    page.goto(theme.get_absolute_url())
    follow = page.get_by_role("region", name="Follow by email")
    follow.get_by_label("Your email address").fill(ADDRESS)
    follow.get_by_label("Daily").check()
    follow.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert_no_serious_axe_violations(page)

    # The confirmation arrives; its link shows a button, which confirms.
    confirmation = message_to(sender_thread, ADDRESS, 1)
    text, _ = parts(confirmation)
    page.goto(link_after(text, "press the button", live_server.url))
    assert Subscription.objects.get().state == State.PENDING
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Confirm and follow").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("You are following")
    assert Subscription.objects.get().state == State.CONFIRMED

    # A curator publishes the two lessons in the admin.
    page.goto("/admin/login/")
    page.get_by_label("Username:").fill("mira")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/admin/lessons/lesson/")
    page.locator(f'input[name="_selected_action"][value="{second.pk}"]').check()
    choose_action(page, first, "publish_selected")
    expect(page.locator(".messagelist")).to_contain_text("2 items were published.")

    # The daily digest lists both, and its links work.
    call_command("send_digests", "--frequency", "daily", "--no-send", stdout=StringIO())
    digest = message_to(sender_thread, ADDRESS, 2)
    assert digest["Subject"].strip() == "2 new lessons: Theme: Work to Build Trust"
    text, html = parts(digest)
    assert "Trust grows in small steps" in text and "Say early what you cannot do" in text
    page.goto(link_after(text, "Manage what you follow:", live_server.url))
    expect(page.get_by_role("link", name="Theme: Work to Build Trust")).to_be_visible()
    assert_no_serious_axe_violations(page)

    # The mail client's one-click unsubscribe: a bare POST, without the visitor's cookies.
    unsubscribe = digest["List-Unsubscribe"].strip().strip("<>")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_client = browser.new_context()
    try:
        answer = mail_client.request.post(
            unsubscribe,
            data="List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert answer.status == 200
    finally:
        mail_client.close()
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
