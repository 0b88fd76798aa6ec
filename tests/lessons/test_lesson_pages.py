"""A lesson's page: its four parts, its related lessons, its link preview, "this helped me"."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from core.moderation import ModerationStatus
from lessons.models import Lesson
from tests.factories import make_lesson, make_theme
from tests.helpers import SITE, read_head
from tests.sizes import detail_queries_at_two_sizes

pytestmark = pytest.mark.django_db

HIDDEN = [ModerationStatus.PENDING, ModerationStatus.REJECTED]


@pytest.mark.parametrize("moderation", HIDDEN)
def test_an_unpublished_lesson_has_no_page(client, trust, moderation):
    lesson = make_lesson(themes=[trust], moderation=moderation)

    assert client.get(lesson.get_absolute_url()).status_code == 404


def test_published_lesson_page_shows_its_four_parts(client, trust):
    lesson = make_lesson(themes=[trust], evidence="Hard data from the pilot", tags=["trust"])

    response = client.get(lesson.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    for part in (lesson.context, lesson.insight, lesson.recommendation, lesson.evidence):
        assert part in html
    assert trust.title in html and "trust" in html


def test_lesson_page_previews_with_escaped_open_graph_tags(client, trust):
    lesson = make_lesson(
        title='Say "no" to <b>scope creep</b>',
        themes=[trust],
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


def test_lesson_page_shows_related_published_lessons(client):
    theme = make_theme()
    lesson = make_lesson(themes=[theme], tags=["trust"])
    by_tag = make_lesson(title="Shares the tag", themes=[make_theme()], tags=["trust"])
    by_theme = make_lesson(title="Shares the theme", themes=[theme])
    make_lesson(title="Pending relative", themes=[theme], tags=["trust"], moderation="pending")
    make_lesson(title="Unrelated", themes=[make_theme()])

    response = client.get(lesson.get_absolute_url())

    assert list(response.context["related_lessons"]) == [by_tag, by_theme]
    assert "Pending relative" not in response.content.decode()


def test_lesson_page_costs_the_same_queries_at_two_sizes(client):
    small, large = detail_queries_at_two_sizes(
        client, lambda partnership, organisation, lesson: [lesson.get_absolute_url()]
    )

    assert small == large
    assert max(large) <= 12


def test_this_helped_me_counts_once_per_visitor(client, trust):
    lesson = make_lesson(themes=[trust])
    url = reverse("lessons:lesson-helpful", args=[lesson.slug])

    first = client.post(url, follow=True)
    client.post(url)
    other_visitor = type(client)(REMOTE_ADDR="192.0.2.77")
    other_visitor.post(url)

    lesson.refresh_from_db()
    assert lesson.helpful_count == 2
    assert "we counted that this lesson helped you" in first.content.decode()
    page = client.get(lesson.get_absolute_url()).content.decode()
    assert "<strong>2</strong> practitioners found this helpful" in page


def test_this_helped_me_needs_a_post_with_a_csrf_token(trust):
    lesson = make_lesson(themes=[trust])
    url = reverse("lessons:lesson-helpful", args=[lesson.slug])
    strict = Client(enforce_csrf_checks=True)

    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403
    lesson.refresh_from_db()
    assert lesson.helpful_count == 0


def test_unpublished_lessons_cannot_be_marked_helpful(client, trust):
    lesson = make_lesson(themes=[trust], moderation="pending")

    response = client.post(reverse("lessons:lesson-helpful", args=[lesson.slug]))

    assert response.status_code == 404


def test_a_quote_in_a_lesson_cannot_break_out_of_the_page_description(client, trust):
    make_lesson(title="Quoted", themes=[trust], insight='Say "hi" x" http-equiv="refresh')

    html = client.get(Lesson.objects.get(title="Quoted").get_absolute_url()).content.decode()

    meta = re.search(r'<meta name="description" content="[^"]*">', html).group(0)
    assert "Say &quot;hi&quot; x&quot; http-equiv=&quot;refresh" in meta
    assert "<meta http-equiv" not in html and ' http-equiv="refresh"' not in html
