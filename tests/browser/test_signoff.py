"""Partner sign-off in a real browser, with mail really sent: a contributor shares a case
study with two partner contacts, a curator publishes it in the admin, both partners open
their links from the emails that arrive at a real SMTP server, one confirms and one disputes;
the page says so, and shows the dispute's words once a curator approves them. axe runs on
every page of the journey."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from alliances.models import Partnership
from tests.browser.test_moderation import (
    PASSWORD,
    assert_no_serious_axe_violations,
    link_after,
    message_to,
    sender_thread,  # noqa: F401 - a fixture
)
from tests.browser.test_submissions import (
    fill_case_study_form,
    run_admin_action,
    send_and_follow_status_link,
)
from tests.core.test_moderation_log import CURATOR_PERMISSIONS
from tests.mail_server import parts

pytestmark = pytest.mark.browser

NAME = "Riverside Pumps Compact"
DISPUTE = "We paid for the pumps; the story says the ministry did."


@pytest.fixture
def curator(django_user_model, settings, transactional_db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(
        "mira", "mira@example.org", PASSWORD, is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=[*CURATOR_PERMISSIONS, "view_partnersignoff", "change_partnersignoff"]
        )
    )
    return user


def test_partners_confirm_and_dispute_from_their_emails(
    page,
    browser,
    live_server,
    curator,
    sender_thread,  # noqa: F811 - the imported fixture
):
    # A contributor shares the case study with a contact for each partner.
    page.goto(reverse("submissions:partnership-submit"))
    assert_no_serious_axe_violations(page)
    fill_case_study_form(
        page,
        {
            "Name of the partnership (required)": NAME,
            "Summary (required)": "A water ministry and a pump maker kept rural pumps working.",
        },
        partners=[
            ("Ministry of Rivers", "Government", "Convener"),
            ("Pumpwell Ltd", "Business", "Funder"),
        ],
    )
    page.get_by_label("Partner 1: Contact email (optional, never shown)").fill("ana@rivers.example")
    page.get_by_label("Partner 2: Contact email (optional, never shown)").fill(
        "bo@pumpwell.example"
    )
    send_and_follow_status_link(page, "Send the case study for review")
    partnership = Partnership.objects.get(name=NAME)

    # A curator publishes it in the admin.
    page.goto("/admin/login/")
    page.get_by_label("Username:").fill("mira")
    page.get_by_label("Password:").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    run_admin_action(
        page,
        changelist=reverse("admin:alliances_partnership_changelist"),
        titles=[NAME],
        action="publish_selected",
    )
    expect(page.locator(".messagelist")).to_contain_text("1 item was published.")

    # Each partner's email arrives once; its link opens their private page.
    links = {}
    for address in ("ana@rivers.example", "bo@pumpwell.example"):
        text, _ = parts(message_to(sender_thread, address, 1))
        links[address] = link_after(text, "private link", live_server.url)
        assert re.fullmatch(r"/signoff/[\w-]{20,}/", links[address])
    partner = browser.new_context(base_url=live_server.url)
    ana = partner.new_page()
    ana.goto(links["ana@rivers.example"])
    expect(ana.get_by_role("heading", level=1)).to_contain_text(NAME)
    assert_no_serious_axe_violations(ana)
    ana.get_by_label("Confirmed", exact=True).check()
    ana.get_by_role("button", name="Save my answer").click()
    expect(ana.get_by_role("status")).to_contain_text("your answer is saved")
    assert_no_serious_axe_violations(ana)

    bo = browser.new_context(base_url=live_server.url).new_page()
    bo.goto(links["bo@pumpwell.example"])
    bo.get_by_label("Sees it differently").check()
    bo.get_by_role("button", name="Save my answer").click()
    # Without words the dispute is refused, the choice kept, and the error named.
    expect(bo.locator(".error-summary")).to_contain_text("Say what you see differently")
    assert_no_serious_axe_violations(bo)
    bo.get_by_label("Your comment, or what you see differently").fill(DISPUTE)
    bo.get_by_role("button", name="Save my answer").click()
    expect(bo.get_by_role("status")).to_contain_text("your answer is saved")

    # Any reader sees who confirmed, in words, and that a partner disagrees.
    reader = browser.new_context(base_url=live_server.url).new_page()
    reader.goto(partnership.get_absolute_url())
    agreement = reader.get_by_role("region", name="Do the partners agree with this account?")
    expect(agreement).to_contain_text("Confirmed by 1 of 2 partners: Ministry of Rivers.")
    expect(agreement).to_contain_text("a partner sees this account differently")
    expect(reader.locator("main")).not_to_contain_text(DISPUTE)
    assert_no_serious_axe_violations(reader)

    # The curator sees the dispute waiting, and approves its words.
    page.goto("/admin/")
    expect(page.locator("#partner-responses")).to_contain_text("1 partner response")
    page.goto(reverse("admin:alliances_partnersignoff_changelist"))
    page.get_by_role("checkbox", name=re.compile("Select this object for an action")).first.check()
    page.locator("select[name=action]").select_option("approve_comments")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved 1 comment")

    reader.reload()
    expect(agreement).to_contain_text(DISPUTE)
    expect(agreement).to_contain_text("Pumpwell Ltd (sees it differently):")
    assert_no_serious_axe_violations(reader)
