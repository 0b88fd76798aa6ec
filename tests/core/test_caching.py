"""Cached facet and tag counts: never stale, never showing anything unpublished."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Region, Role
from core.caching import content_version
from lessons.models import Lesson
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

PARTNERSHIPS = reverse("browse:partnership-list")
LESSONS = reverse("browse:lesson-list")
TAGS = reverse("pages:tag-list")


def region_counts(client):
    response = client.get(PARTNERSHIPS)
    facet = next(f for f in response.context["facets"] if f.name == "region")
    return {option.value: option.count for option in facet.options}


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params or {})
    return len(captured)


def test_a_second_visit_reads_facet_counts_from_the_cache(client):
    make_partnership(region=Region.AFRICA, tags=["water"])

    first = queries(client, PARTNERSHIPS, {"region": "africa"})
    second = queries(client, PARTNERSHIPS, {"region": "africa"})

    assert second < first
    assert second <= 6


def test_publishing_shows_at_once_in_cached_counts(client):
    make_partnership(region=Region.AFRICA)
    pending = make_partnership(region=Region.EUROPE, moderation="pending")
    assert region_counts(client) == {"africa": 1}

    from alliances.models import Partnership

    Partnership.objects.filter(pk=pending.pk).publish()

    assert region_counts(client) == {"africa": 1, "europe": 1}


def test_withdrawing_and_editing_show_at_once_in_cached_counts(client):
    from alliances.models import Partnership

    shown = make_partnership(region=Region.AFRICA)
    other = make_partnership(region=Region.AFRICA)
    assert region_counts(client) == {"africa": 2}

    Partnership.objects.filter(pk=shown.pk).reject()
    assert region_counts(client) == {"africa": 1}

    other.region = Region.EUROPE
    other.save()
    assert region_counts(client) == {"europe": 1}


def test_tag_index_follows_tags_added_and_lessons_withdrawn(client):
    lesson = make_lesson(themes=[make_theme()], tags=["trust"])
    assert [tag.name for tag in client.get(TAGS).context["tags"]] == ["trust"]

    lesson.tags.add("water")
    assert [tag.name for tag in client.get(TAGS).context["tags"]] == ["trust", "water"]

    Lesson.objects.filter(pk=lesson.pk).reject()
    page = client.get(TAGS)
    assert list(page.context["tags"]) == []
    assert "trust" not in page.content.decode()


def test_a_pending_submission_never_shows_through_the_cache(client):
    theme = make_theme()
    make_lesson(themes=[theme], tags=["visible"])
    client.get(LESSONS)
    client.get(TAGS)

    make_lesson(themes=[theme], tags=["secret"], moderation="pending")

    assert "secret" not in client.get(LESSONS).content.decode()
    assert "secret" not in client.get(TAGS).content.decode()


def test_this_helped_me_leaves_the_cached_counts_alone(client):
    lesson = make_lesson(themes=[make_theme()])
    before = content_version()

    client.post(reverse("lessons:lesson-helpful", args=[lesson.slug]))

    assert content_version() == before


def test_every_write_path_changes_the_content_version():
    theme = make_theme()
    versions = [content_version()]
    lesson = make_lesson(themes=[theme], moderation="pending")
    versions.append(content_version())
    lesson.tags.add("trust")
    versions.append(content_version())
    Lesson.objects.filter(pk=lesson.pk).publish()
    versions.append(content_version())
    make_partnership(partners=[(make_organisation(), Role.LEAD)])
    versions.append(content_version())
    lesson.themes.clear()
    versions.append(content_version())

    assert len(set(versions)) == len(versions)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="about SQLite's triggers")
def test_every_content_version_trigger_survives_the_migrations():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' "
            "AND name LIKE 'content_version_%'"
        )
        assert cursor.fetchone()[0] == 11 * 3
