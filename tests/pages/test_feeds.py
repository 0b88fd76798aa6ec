"""The Atom feeds, and the links that let feed readers find them."""

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.moderation import ModerationStatus
from tests.factories import make_lesson, make_partnership, make_theme
from tests.helpers import SITE, read_head

pytestmark = pytest.mark.django_db

HIDDEN = [status for status in ModerationStatus if status != ModerationStatus.PUBLISHED]


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed, response.content.decode()


def feed_links(head):
    return {
        link["href"]: link.get("title")
        for link in head.links
        if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
    }


# Feeds


@pytest.mark.parametrize("moderation", HIDDEN)
def test_lesson_feed_lists_exactly_the_published_lessons_newest_first(client, trust, moderation):
    make_lesson(title="Older lesson", themes=[trust], published_at=days_ago(3))
    make_lesson(title="Newest lesson", themes=[trust], published_at=days_ago(1))
    make_lesson(title="Middle lesson", themes=[trust], published_at=days_ago(2))
    make_lesson(title="Hidden lesson", themes=[trust], moderation=moderation)

    feed, raw = read_feed(client, reverse("pages:lesson-feed"))

    assert [entry.title for entry in feed.entries] == [
        "Newest lesson",
        "Middle lesson",
        "Older lesson",
    ]
    assert feed.entries[0].link == f"{SITE}/lessons/newest-lesson/"
    assert "Hidden lesson" not in raw
    assert "hidden-lesson" not in raw


def test_lesson_feed_entries_carry_dates_summary_and_only_a_public_credit(client, trust):
    make_lesson(
        title="Named lesson",
        themes=[trust],
        insight="Agree **early** what success means.",
        contributor_name="Ada Okafor",
        contributor_organisation="Riverside Trust",
        contributor_email="ada@example.org",
        published_at=days_ago(2),
    )
    make_lesson(
        title="Anonymous lesson",
        themes=[trust],
        contributor_name="Quiet Contributor",
        contributor_email="quiet@example.org",
        publish_anonymously=True,
        published_at=days_ago(1),
    )

    feed, raw = read_feed(client, reverse("pages:lesson-feed"))

    anonymous, named = feed.entries
    assert named.author == "Ada Okafor, Riverside Trust"
    assert named.published_parsed is not None
    assert named.updated_parsed is not None
    assert "<strong>early</strong>" in named.summary
    assert anonymous.get("author") != "Quiet Contributor"
    assert "Quiet Contributor" not in raw
    assert "@example.org" not in raw


def test_feed_entry_text_with_markup_stays_text(client, trust):
    make_lesson(
        title='Say "no" & mean <it>',
        themes=[trust],
        insight='Partners said "yes" to <script>alert(1)</script> everything.',
    )

    feed, raw = read_feed(client, reverse("pages:lesson-feed"))

    (entry,) = feed.entries
    assert entry.title == 'Say "no" & mean <it>'
    assert "<script" not in entry.summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry.summary
    assert "<script" not in raw


@pytest.mark.parametrize("moderation", HIDDEN)
def test_case_study_feed_lists_exactly_the_published_case_studies_newest_first(client, moderation):
    make_partnership(name="Older Compact", published_at=days_ago(2), contributor_email="a@b.org")
    make_partnership(name="Newer Compact", published_at=days_ago(1))
    make_partnership(name="Hidden Compact", moderation=moderation)

    feed, raw = read_feed(client, reverse("pages:partnership-feed"))

    assert [entry.title for entry in feed.entries] == ["Newer Compact", "Older Compact"]
    assert feed.entries[0].link == f"{SITE}/partnerships/newer-compact/"
    assert feed.entries[0].summary == "<p>Summary of Newer Compact</p>"
    assert "Hidden Compact" not in raw
    assert "a@b.org" not in raw


def test_theme_feed_holds_only_that_themes_published_lessons(client, trust):
    other = make_theme(title="Be Transparent", number=6)
    make_lesson(title="Trust lesson", themes=[trust])
    make_lesson(title="Transparency lesson", themes=[other])
    make_lesson(title="Pending trust lesson", themes=[trust], moderation=ModerationStatus.PENDING)

    feed, raw = read_feed(client, reverse("pages:theme-feed", args=[trust.slug]))

    assert [entry.title for entry in feed.entries] == ["Trust lesson"]
    assert feed.feed.title == "Uncommon Alliances: lessons on Work to Build Trust"
    assert feed.feed.link == f"{SITE}/themes/work-to-build-trust/"
    assert "Transparency lesson" not in raw
    assert "Pending trust lesson" not in raw


def test_tag_feed_holds_only_that_tags_published_lessons(client, trust):
    make_lesson(title="Water lesson", themes=[trust], tags=["water"])
    make_lesson(title="Schools lesson", themes=[trust], tags=["schools"])
    make_lesson(
        title="Pending water lesson",
        themes=[trust],
        tags=["water"],
        moderation=ModerationStatus.PENDING,
    )

    feed, raw = read_feed(client, reverse("pages:tag-feed", args=["water"]))

    assert [entry.title for entry in feed.entries] == ["Water lesson"]
    assert [tag.term for tag in feed.entries[0].tags] == ["water"]
    assert "Schools lesson" not in raw
    assert "Pending water lesson" not in raw


def test_feeds_for_unknown_themes_and_tags_do_not_exist(client):
    assert client.get(reverse("pages:theme-feed", args=["no-such-theme"])).status_code == 404
    assert client.get(reverse("pages:tag-feed", args=["no-such-tag"])).status_code == 404


@pytest.mark.parametrize("moderation", HIDDEN)
def test_a_tag_only_unpublished_lessons_carry_has_no_feed(client, trust, moderation):
    make_lesson(title="Secret lesson", themes=[trust], tags=["secret-plans"], moderation=moderation)
    make_lesson(title="Open lesson", themes=[trust], tags=["open"])

    response = client.get(reverse("pages:tag-feed", args=["secret-plans"]))

    assert response.status_code == 404
    assert "Secret lesson" not in response.content.decode()


def _add_content(theme, count, start):
    for index in range(start, start + count):
        partnership = make_partnership(
            name=f"Sized case study {index}", tags=[f"tag-{index}", "shared"]
        )
        make_lesson(
            title=f"Sized lesson {index}",
            themes=[theme],
            tags=[f"tag-{index}", "shared"],
            partnership=partnership,
            contributor_name=f"Contributor {index}",
        )


@pytest.mark.parametrize(
    "feed_url",
    [
        lambda theme: reverse("pages:lesson-feed"),
        lambda theme: reverse("pages:theme-feed", args=[theme.slug]),
        lambda theme: reverse("pages:tag-feed", args=["shared"]),
        lambda theme: reverse("pages:partnership-feed"),
    ],
    ids=["lessons", "theme", "tag", "case-studies"],
)
def test_a_feed_costs_the_same_queries_at_two_sizes(client, trust, feed_url):
    url = feed_url(trust)
    _add_content(trust, 3, start=0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_content(trust, 30, start=3)
    with CaptureQueriesContext(connection) as large:
        feed, _ = read_feed(client, url)

    assert len(feed.entries) == 33
    assert len(small) == len(large)
    # Up to 6 with the tag feed's own reads and the partners of the lessons' case studies,
    # whose hidden names the credit keeps back.
    assert len(large) <= 6


def test_feeds_hold_the_newest_fifty(client, trust):
    for index in range(52):
        make_lesson(title=f"Lesson {index}", themes=[trust], published_at=days_ago(100 - index))

    feed, raw = read_feed(client, reverse("pages:lesson-feed"))

    assert len(feed.entries) == 50
    assert feed.entries[0].title == "Lesson 51"
    assert "Lesson 1<" not in raw
    assert "Lesson 0<" not in raw


# Autodiscovery


def test_every_page_head_advertises_the_lesson_and_case_study_feeds(client):
    head, _ = read_head(client, reverse("pages:home"))

    assert feed_links(head) == {
        "/feeds/lessons/": "Uncommon Alliances: latest lessons learned",
        "/feeds/partnerships/": "Uncommon Alliances: latest case studies",
    }


def test_theme_page_head_also_advertises_its_own_feed(client, trust):
    head, _ = read_head(client, trust.get_absolute_url())

    links = feed_links(head)
    assert links["/feeds/themes/work-to-build-trust/"] == (
        "Uncommon Alliances: lessons on Work to Build Trust"
    )
    assert "/feeds/lessons/" in links


def test_tag_page_head_advertises_its_feed_only_when_lessons_carry_the_tag(client, trust):
    make_lesson(title="Water lesson", themes=[trust], tags=["water"])
    make_partnership(name="Schools Compact", tags=["schools"])

    water, _ = read_head(client, reverse("pages:tag-detail", args=["water"]))
    schools, _ = read_head(client, reverse("pages:tag-detail", args=["schools"]))

    assert "/feeds/tags/water/" in feed_links(water)
    assert not any(href.startswith("/feeds/tags/") for href in feed_links(schools))


def test_footer_links_to_the_feeds(client):
    page = client.get(reverse("pages:home")).content.decode()
    footer = page[page.index('<nav aria-label="Footer">') :]

    assert 'href="/feeds/lessons/"' in footer
    assert 'href="/feeds/partnerships/"' in footer
