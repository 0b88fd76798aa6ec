"""What crawlers read: the sitemap, through its index, and robots.txt."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from alliances.models import Role
from core.moderation import ModerationStatus
from pages.sitemaps import LessonSitemap
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.helpers import SITE

pytestmark = pytest.mark.django_db

HIDDEN = [status for status in ModerationStatus if status != ModerationStatus.PUBLISHED]


SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


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


@pytest.mark.parametrize("moderation", HIDDEN)
def test_sitemap_lists_every_public_page_and_nothing_unpublished(client, trust, moderation):
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
        moderation=moderation,
    )
    lesson = make_lesson(title="Published lesson", themes=[trust], tags=["trust"])
    make_lesson(title="Hidden lesson", themes=[trust], tags=["secret-plans"], moderation=moderation)

    entries = sitemap_entries(client)

    expected = [
        "/",
        "/themes/",
        trust.get_absolute_url(),
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
        "/privacy/",
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


def test_sitemap_gives_each_page_its_last_change(client, trust):
    lesson = make_lesson(title="Published lesson", themes=[trust])
    partnership = make_partnership(name="Clean Water Compact")
    empty_theme = make_theme(title="Be Transparent", number=6)

    entries = sitemap_entries(client)

    lesson.refresh_from_db()
    partnership.refresh_from_db()
    assert entries[SITE + lesson.get_absolute_url()] == f"{lesson.updated_at:%Y-%m-%d}"
    assert entries[SITE + partnership.get_absolute_url()] == f"{partnership.updated_at:%Y-%m-%d}"
    assert entries[SITE + trust.get_absolute_url()] == f"{lesson.updated_at:%Y-%m-%d}"
    assert entries[f"{SITE}/"] == f"{max(lesson.updated_at, partnership.updated_at):%Y-%m-%d}"
    # A theme without published lessons has no change to report, nor has the privacy page,
    # whose text does not follow the content.
    assert entries[SITE + empty_theme.get_absolute_url()] is None
    assert entries[f"{SITE}/privacy/"] is None


def test_sitemap_index_splits_a_long_section_into_pages(client, trust, monkeypatch):
    monkeypatch.setattr(LessonSitemap, "limit", 2)
    lessons = [make_lesson(title=f"Lesson {index}", themes=[trust]) for index in range(5)]

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
