"""Asking a contributor for changes, in a real browser, with mail really sent: a curator asks in
the admin, the contributor follows the emailed link, edits and sends the lesson back, the
curator finds it marked revised and publishes it, and the published email arrives, its link
opening the lesson. The web process's own sender thread sends every message."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from core import mail
from core.moderation import ModerationStatus
from lessons.models import Lesson
from submissions.services import lesson_submit
from tests.core.test_moderation_log import CURATOR_PERMISSIONS
from tests.factories import make_theme
from tests.mail_server import parts

pytestmark = pytest.mark.browser

PASSWORD = "a-curator's-password-1"
WORDS = "Please say which partner used which meaning of “partner”."


@pytest.fixture
def curator(django_user_model, settings, transactional_db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(
        "mira", "mira@example.org", PASSWORD, is_staff=True
    )
    user.user_permissions.set(Permission.objects.filter(codename__in=CURATOR_PERMISSIONS))
    return user


@pytest.fixture
def sender_thread(settings, live_server, smtp_inbox):
    """Mail sent as `make run` sends it: by the web process's thread, after each commit."""
    settings.SITE_URL = live_server.url
    settings.MAIL_SENDER_THREAD = True
    yield smtp_inbox
    settings.MAIL_SENDER_THREAD = False
    mail.stop_sender()


def message_to(inbox, address, count):
    """The newest message to `address`, once `count` have arrived for it."""
    assert inbox.wait_for_to(address, count)
    return [m for m in inbox.messages if address in str(m["To"])][-1]


def link_after(text, marker, base):
    """The first of the site's links after `marker` in a plain-text body, as a path."""
    found = re.search(re.escape(base) + r"(/\S*)", text.split(marker, 1)[1])
    assert found, text
    return found.group(1)


def assert_no_serious_axe_violations(page):
    violations = Axe().run(page).response["violations"]
    blocking = [v["id"] for v in violations if v["impact"] in {"serious", "critical"}]
    assert not blocking, f"axe found on {page.url}: {blocking}"


def choose_action(page, lesson, action):
    page.locator(f'input[name="_selected_action"][value="{lesson.pk}"]').check()
    page.locator('select[name="action"]').select_option(action)
    page.get_by_role("button", name="Go").click()


def test_changes_asked_made_and_published_with_every_email_delivered(
    page, browser, live_server, curator, sender_thread
):
    theme = make_theme(number=3, title="Work to Build Trust")
    lesson = lesson_submit(
        data={
            "title": "Agree what words mean early",
            "context": "Two partners used *partner* to mean different things.",
            "insight": "Shared words hide different meanings.",
            "recommendation": "Write a short glossary in the first month.",
            "experience": "went_wrong",
            "contributor_name": "Zoë Ångström",
            "contributor_email": "zoe@example.org",
        },
        themes=[theme],
        tags=["trust"],
        address="192.0.2.1",
    )

    # The curator asks for changes in the admin.
    page.goto("/admin/login/")
    page.get_by_label("Username:").fill("mira")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#moderation-queue")).to_contain_text("1 lesson")
    expect(page.locator("#moderation-queue-age")).to_contain_text("The oldest has waited")
    page.goto("/admin/lessons/lesson/")
    choose_action(page, lesson, "request_changes")
    expect(page.locator("h1")).to_have_text("Ask the contributor for changes")
    page.get_by_label("What should the contributor change?").fill(WORDS)
    page.get_by_role("button", name="Send 1 item back").click()
    expect(page.locator(".messagelist")).to_contain_text("1 item was sent back to its contributor.")

    # The contributor follows the emailed link, edits and sends it back.
    asked = message_to(sender_thread, "zoe@example.org", 1)
    text, html = parts(asked)
    assert WORDS in text
    status_path = link_after(text, "private link", live_server.url)
    contributor = browser.new_context(base_url=live_server.url)
    visitor = contributor.new_page()
    visitor.goto(status_path)
    expect(visitor.locator("#submission-status")).to_have_text("Changes requested")
    expect(visitor.locator("#curator-words")).to_contain_text(WORDS)
    assert_no_serious_axe_violations(visitor)
    visitor.get_by_role("link", name="Edit your submission").click()
    expect(visitor.get_by_label("Title")).to_have_value("Agree what words mean early")
    assert_no_serious_axe_violations(visitor)
    visitor.get_by_label("The lesson").fill("")
    visitor.get_by_role("button", name="Send the changed lesson for review").click()
    expect(visitor.locator("#error-summary")).to_contain_text("Say what the lesson is.")
    assert_no_serious_axe_violations(visitor)
    expect(visitor.get_by_label("Title")).to_have_value("Agree what words mean early")
    visitor.get_by_label("The lesson").fill("The ministry meant funder; the pump maker, client.")
    visitor.get_by_role("button", name="Send the changed lesson for review").click()
    expect(visitor.locator("#submission-status")).to_have_text("Pending review (revised)")
    expect(visitor.get_by_role("link", name="Edit your submission")).to_have_count(0)

    # The curator finds it revised in the queue and publishes it.
    page.goto("/admin/lessons/lesson/?revised=yes")
    expect(page.locator("#result_list")).to_contain_text("Agree what words mean early")
    page.goto(f"/admin/lessons/lesson/{lesson.pk}/change/")
    log = page.locator(".moderation-log")
    expect(log).to_contain_text("Resubmitted by the contributor")
    expect(log).to_contain_text("Changes requested by mira")
    page.goto("/admin/lessons/lesson/?revised=yes")
    choose_action(page, lesson, "publish_selected")
    expect(page.locator(".messagelist")).to_contain_text("1 item was published.")
    assert Lesson.objects.get().moderation_status == ModerationStatus.PUBLISHED

    # The published email arrives and its link opens the lesson.
    published = message_to(sender_thread, "zoe@example.org", 2)
    assert published["Subject"] == "Your lesson is published: Agree what words mean early"
    text, html = parts(published)
    visitor.goto(link_after(text, "for everyone to read", live_server.url))
    expect(visitor.locator("h1")).to_have_text("Agree what words mean early")
    expect(visitor.locator("main")).to_contain_text("the pump maker, client.")
    contributor.close()
