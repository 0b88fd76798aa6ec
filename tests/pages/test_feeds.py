"""What machines read: Atom feeds, the sitemap, robots.txt and the link-preview tags."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliances.models import Role
from core.moderation import ModerationStatus
from pages.sitemaps import LessonSitemap
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

HIDDEN = [ModerationStatus.PENDING, ModerationStatus.REJECTED]
SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://testserver"


@pytest.fixture
def theme():
    return make_theme(title="Work to Build Trust", number=3)


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


class HeadReader(HTMLParser):
    """The <meta> and <link> tags of a page's head, attributes decoded."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.links = []
        self.in_head = True

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.in_head = False
        elif self.in_head and tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif self.in_head and tag == "link":
            self.links.append(attrs)


def read_head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader, response.content.decode()


def feed_links(head):
    return {
        link["href"]: link.get("title")
        for link in head.links
        if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"
    }


def sitemap_entries(client):
    """Every address in the sitemap, through its index, with its lastmod."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    entries = {}
    for loc in ET.fromstring(response.content).findall("sm:sitemap/sm:loc", SITEMAP):
        address = urlsplit(loc.text)
        assert f"{address.scheme}://{address.netloc}" == SITE
        section = client.get(f"{address.path}?{address.query}" if address.query else address.path)
        assert section.status_code == 200
        for url in ET.fromstring(section.content).findall("sm:url", SITEMAP):
            entries[url.findtext("sm:loc", namespaces=SITEMAP)] = url.findtext(
                "sm:lastmod", namespaces=SITEMAP
            )
    return entries


# Feeds


@pytest.mark.parametrize("status", HIDDEN)
def test_lesson_feed_lists_exactly_the_published_lessons_newest_first(client, theme, status):
    make_lesson(title="Older lesson", themes=[theme], published_at=days_ago(3))
    make_lesson(title="Newest lesson", themes=[theme], published_at=days_ago(1))
    make_lesson(title="Middle lesson", themes=[theme], published_at=days_ago(2))
    make_lesson(title="Hidden lesson", themes=[theme], status=status)

    feed, raw = read_feed(client, reverse("pages:lesson-feed"))

    assert [entry.title for entry in feed.entries] == [
        "Newest lesson",
        "Middle lesson",
        "Older lesson",
    ]
    assert feed.entries[0].link == f"{SITE}/lessons/newest-lesson/"
    assert "Hidden lesson" not in raw
    assert "hidden-lesson" not in raw


def test_lesson_feed_entries_carry_dates_summary_and_only_a_public_credit(client, theme):
    make_lesson(
        title="Named lesson",
        themes=[theme],
        insight="Agree **early** what success means.",
        contributor_name="Ada Okafor",
        contributor_organisation="Riverside Trust",
        contributor_email="ada@example.org",
        published_at=days_ago(2),
    )
    make_lesson(
        title="Anonymous lesson",
        themes=[theme],
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


def test_feed_entry_text_with_markup_stays_text(client, theme):
    make_lesson(
        title='Say "no" & mean <it>',
        themes=[theme],
        insight='Partners said "yes" to <script>alert(1)</script> everything.',
    )

    feed, raw = read_feed(client, reverse("pages:lesson-feed"))

    (entry,) = feed.entries
    assert entry.title == 'Say "no" & mean <it>'
    assert "<script" not in entry.summary
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in entry.summary
    assert "<script" not in raw


@pytest.mark.parametrize("status", HIDDEN)
def test_case_study_feed_lists_exactly_the_published_case_studies_newest_first(client, status):
    make_partnership(name="Older Compact", published_at=days_ago(2), contributor_email="a@b.org")
    make_partnership(name="Newer Compact", published_at=days_ago(1))
    make_partnership(name="Hidden Compact", status=status)

    feed, raw = read_feed(client, reverse("pages:partnership-feed"))

    assert [entry.title for entry in feed.entries] == ["Newer Compact", "Older Compact"]
    assert feed.entries[0].link == f"{SITE}/partnerships/newer-compact/"
    assert feed.entries[0].summary == "<p>Summary of Newer Compact</p>"
    assert "Hidden Compact" not in raw
    assert "a@b.org" not in raw


def test_theme_feed_holds_only_that_themes_published_lessons(client, theme):
    other = make_theme(title="Be Transparent", number=6)
    make_lesson(title="Trust lesson", themes=[theme])
    make_lesson(title="Transparency lesson", themes=[other])
    make_lesson(title="Pending trust lesson", themes=[theme], status=ModerationStatus.PENDING)

    feed, raw = read_feed(client, reverse("pages:theme-feed", args=[theme.slug]))

    assert [entry.title for entry in feed.entries] == ["Trust lesson"]
    assert feed.feed.title == "Uncommon Alliances: lessons on Work to Build Trust"
    assert feed.feed.link == f"{SITE}/themes/work-to-build-trust/"
    assert "Transparency lesson" not in raw
    assert "Pending trust lesson" not in raw


def test_tag_feed_holds_only_that_tags_published_lessons(client, theme):
    make_lesson(title="Water lesson", themes=[theme], tags=["water"])
    make_lesson(title="Schools lesson", themes=[theme], tags=["schools"])
    make_lesson(
        title="Pending water lesson",
        themes=[theme],
        tags=["water"],
        status=ModerationStatus.PENDING,
    )

    feed, raw = read_feed(client, reverse("pages:tag-feed", args=["water"]))

    assert [entry.title for entry in feed.entries] == ["Water lesson"]
    assert [tag.term for tag in feed.entries[0].tags] == ["water"]
    assert "Schools lesson" not in raw
    assert "Pending water lesson" not in raw


def test_feeds_for_unknown_themes_and_tags_do_not_exist(client):
    assert client.get(reverse("pages:theme-feed", args=["no-such-theme"])).status_code == 404
    assert client.get(reverse("pages:tag-feed", args=["no-such-tag"])).status_code == 404


@pytest.mark.parametrize("status", HIDDEN)
def test_a_tag_only_unpublished_lessons_carry_has_no_feed(client, theme, status):
    make_lesson(title="Secret lesson", themes=[theme], tags=["secret-plans"], status=status)
    make_lesson(title="Open lesson", themes=[theme], tags=["open"])

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
def test_a_feed_costs_the_same_queries_at_two_sizes(client, theme, feed_url):
    url = feed_url(theme)
    _add_content(theme, 3, start=0)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _add_content(theme, 30, start=3)
    with CaptureQueriesContext(connection) as large:
        feed, _ = read_feed(client, url)

    assert len(feed.entries) == 33
    assert len(small) == len(large)
    assert len(large) <= 5


def test_feeds_hold_the_newest_fifty(client, theme):
    for index in range(52):
        make_lesson(title=f"Lesson {index}", themes=[theme], published_at=days_ago(100 - index))

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


def test_theme_page_head_also_advertises_its_own_feed(client, theme):
    head, _ = read_head(client, theme.get_absolute_url())

    links = feed_links(head)
    assert links["/feeds/themes/work-to-build-trust/"] == (
        "Uncommon Alliances: lessons on Work to Build Trust"
    )
    assert "/feeds/lessons/" in links


def test_tag_page_head_advertises_its_feed_only_when_lessons_carry_the_tag(client, theme):
    make_lesson(title="Water lesson", themes=[theme], tags=["water"])
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


# Sitemap and robots.txt


@pytest.mark.parametrize("status", HIDDEN)
def test_sitemap_lists_every_public_page_and_nothing_unpublished(client, theme, status):
    named = make_organisation(name="Acme Water Ltd")
    hidden_name = make_organisation(name="Quiet Donor")
    unpublished_only = make_organisation(name="Draft Partner")
    partnership = make_partnership(
        name="Clean Water Compact", partners=[(named, Role.LEAD)], tags=["water"]
    )
    make_partnership(
        name="Anonymous Compact", partners=[(hidden_name, Role.FUNDER)], hide_partner_names=True
    )
    make_partnership(
        name="Draft Compact",
        partners=[(unpublished_only, Role.LEAD)],
        tags=["draft-only"],
        status=status,
    )
    lesson = make_lesson(title="Published lesson", themes=[theme], tags=["trust"])
    make_lesson(title="Hidden lesson", themes=[theme], tags=["secret-plans"], status=status)

    entries = sitemap_entries(client)

    expected = [
        "/",
        "/themes/",
        theme.get_absolute_url(),
        "/partnerships/",
        partnership.get_absolute_url(),
        "/partnerships/anonymous-compact/",
        named.get_absolute_url(),
        "/lessons/",
        lesson.get_absolute_url(),
        "/tags/",
        "/tags/trust/",
        "/tags/water/",
        "/insights/",
        "/health-check/",
    ]
    assert sorted(entries) == sorted(SITE + path for path in expected)
    listed = " ".join(entries)
    for absent in [
        "hidden-lesson",
        "draft-compact",
        "secret-plans",
        "draft-only",
        "quiet-donor",
        "draft-partner",
    ]:
        assert absent not in listed


def test_sitemap_gives_each_page_its_last_change(client, theme):
    lesson = make_lesson(title="Published lesson", themes=[theme])
    partnership = make_partnership(name="Clean Water Compact")
    empty_theme = make_theme(title="Be Transparent", number=6)

    entries = sitemap_entries(client)

    lesson.refresh_from_db()
    partnership.refresh_from_db()
    assert entries[SITE + lesson.get_absolute_url()] == f"{lesson.updated_at:%Y-%m-%d}"
    assert entries[SITE + partnership.get_absolute_url()] == f"{partnership.updated_at:%Y-%m-%d}"
    assert entries[SITE + theme.get_absolute_url()] == f"{lesson.updated_at:%Y-%m-%d}"
    assert entries[f"{SITE}/"] == f"{max(lesson.updated_at, partnership.updated_at):%Y-%m-%d}"
    # A theme without published lessons has no change to report.
    assert entries[SITE + empty_theme.get_absolute_url()] is None


def test_sitemap_index_splits_a_long_section_into_pages(client, theme, monkeypatch):
    monkeypatch.setattr(LessonSitemap, "limit", 2)
    lessons = [make_lesson(title=f"Lesson {index}", themes=[theme]) for index in range(5)]

    index = ET.fromstring(client.get("/sitemap.xml").content)
    locations = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP)]

    assert [loc for loc in locations if "lessons" in loc] == [
        f"{SITE}/sitemap-lessons.xml",
        f"{SITE}/sitemap-lessons.xml?p=2",
        f"{SITE}/sitemap-lessons.xml?p=3",
    ]
    entries = sitemap_entries(client)
    assert all(SITE + lesson.get_absolute_url() in entries for lesson in lessons)
    assert client.get("/sitemap-lessons.xml?p=4").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_forms_search_and_admin(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in [
        "/submit/",
        "/search/",
        "/submissions/",
        "/admin/",
        "/lessons/export.",
        "/partnerships/export.",
    ]:
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert "Disallow: /" not in lines


# Link previews


def test_lesson_page_previews_with_escaped_open_graph_tags(client, theme):
    lesson = make_lesson(
        title='Say "no" to <b>scope creep</b>',
        themes=[theme],
        insight='Partners who said "yes" to <script>everything</script> ran out of money.',
    )

    head, page = read_head(client, lesson.get_absolute_url())

    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == 'Say "no" to <b>scope creep</b>'
    expected_description = (
        'Partners who said "yes" to <script>everything</script> ran out of money.'
    )
    assert head.meta["og:description"] == expected_description
    assert head.meta["description"] == expected_description
    assert head.meta["og:url"] == SITE + lesson.get_absolute_url()
    assert head.meta["og:site_name"] == "Uncommon Alliances"
    assert head.meta["twitter:card"] == "summary"
    assert "<script>" not in page
    assert "&quot;no&quot;" in page


def test_case_study_page_previews_as_an_article(client):
    partnership = make_partnership(name="Clean Water Compact", summary='Water "for all" <now>.')

    head, _ = read_head(client, partnership.get_absolute_url())

    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "Clean Water Compact"
    assert head.meta["og:description"] == 'Water "for all" <now>.'
    assert head.meta["og:url"] == SITE + partnership.get_absolute_url()


def test_other_pages_preview_as_the_website(client, theme):
    home, _ = read_head(client, reverse("pages:home"))
    themed, _ = read_head(client, f"{theme.get_absolute_url()}?utm_source=x")
    lessons, _ = read_head(client, reverse("browse:lesson-list"))

    assert home.meta["og:type"] == "website"
    assert home.meta["og:url"] == f"{SITE}/"
    assert themed.meta["og:type"] == "website"
    assert themed.meta["og:title"] == "Theme 3: Work to Build Trust"
    assert themed.meta["og:url"] == SITE + theme.get_absolute_url()
    assert lessons.meta["og:title"] == "Lessons learned"
