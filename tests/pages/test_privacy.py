"""The privacy page: what personal data is kept and why, written from the code and settings,
linked from every page's footer."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from core.moderation import CONTRIBUTOR_FIELDS

pytestmark = pytest.mark.django_db

PRIVACY = reverse("pages:privacy")


def text_of(response):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_privacy_page_says_what_is_kept_for_how_long_with_the_settings_in_force(client, settings):
    settings.RATE_RECORDS_KEPT_HOURS = 36
    settings.SUBMISSIONS_PER_HOUR = 7
    settings.HEALTH_CHECKS_PER_HOUR = 11
    settings.VOTES_PER_HOUR = 13
    settings.LOGIN_COOLOFF_MINUTES = 45
    settings.SESSION_COOKIE_AGE = 3 * 24 * 60 * 60

    response = client.get(PRIVACY)

    text = text_of(response)
    assert response.status_code == 200
    assert "<h1>Privacy</h1>" in response.content.decode()
    assert "deleted after 36 hours" in text
    assert "7 submissions, 11 health checks and 13 “this helped me” votes an hour" in text
    assert "Failed curator logins" in text and "refused for 45 minutes" in text
    assert "expires after 3 days" in text
    assert "24 hours" not in text
    for kept in ["keyed hash", "HMAC-SHA256", "health-check", "Server logs", "[redacted]"]:
        assert kept in text


def test_privacy_page_names_every_contributor_field_and_cookie_the_site_keeps(client):
    text = text_of(client.get(PRIVACY))

    for field in CONTRIBUTOR_FIELDS:
        assert field.removeprefix("contributor_") in text
    for cookie in [settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"]:
        assert cookie in text


def test_privacy_page_gives_the_contact_for_erasure_when_one_is_set(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = "privacy@alliances.example"

    page = client.get(PRIVACY).content.decode()

    assert '<a href="mailto:privacy@alliances.example">privacy@alliances.example</a>' in page
    assert "erase your name, organisation, sector and email" in page


def test_privacy_page_without_a_contact_sends_visitors_to_the_curators(client, settings):
    settings.PRIVACY_CONTACT_EMAIL = ""

    page = client.get(PRIVACY).content.decode()

    assert "mailto:" not in page
    assert "Ask the curators who run this site" in page


@pytest.mark.parametrize("url", ["/", "/themes/", "/no-such-page/"])
def test_every_page_links_to_the_privacy_page_from_its_footer(client, url):
    page = client.get(url).content.decode()

    footer = page[page.index('<footer class="site-footer">') :]
    assert f'<li><a href="{PRIVACY}">Privacy</a></li>' in footer
