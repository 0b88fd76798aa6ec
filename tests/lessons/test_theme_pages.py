"""The themes' pages: what they show, what they must never show, and what they cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.moderation import ModerationStatus
from tests.factories import make_lesson, make_partnership
from tests.sizes import grow_lessons_on, list_queries_at_two_sizes

pytestmark = pytest.mark.django_db

HIDDEN = [ModerationStatus.PENDING, ModerationStatus.REJECTED]


def test_theme_page_shows_report_text_quotes_and_published_lessons(client, trust):
    from lessons.models import Quote, Source

    source = Source.objects.create(title="The report", slug="the-report")
    Quote.objects.create(
        slug="q", text="Trust is earned.", speaker="A Speaker", source=source, theme=trust
    )
    make_lesson(title="Visible lesson", themes=[trust])

    response = client.get(trust.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert trust.text in html
    assert "Trust is earned." in html and "A Speaker" in html
    assert "Visible lesson" in html
    assert "No lessons on this theme yet" not in html


@pytest.mark.parametrize("moderation", HIDDEN)
def test_theme_page_hides_unpublished_lessons_and_case_studies(client, trust, moderation):
    partnership = make_partnership(name="Unpublished case study", moderation=moderation)
    make_lesson(title="Unpublished lesson", themes=[trust], moderation=moderation)
    make_lesson(title="Published lesson of hidden case", themes=[trust], partnership=partnership)

    response = client.get(trust.get_absolute_url())

    html = response.content.decode()
    assert "Unpublished lesson" not in html
    assert "Unpublished case study" not in html
    assert "Published lesson of hidden case" in html
    assert list(response.context["partnerships"]) == []


def test_theme_page_says_so_when_it_has_no_lessons(client, trust):
    make_lesson(title="Only pending", themes=[trust], moderation=ModerationStatus.PENDING)

    response = client.get(trust.get_absolute_url())

    assert "No lessons on this theme yet" in response.content.decode()
    assert "Only pending" not in response.content.decode()


def test_markup_in_content_is_shown_as_text(client, trust):
    make_lesson(title="<script>alert(1)</script>", themes=[trust])

    html = client.get(trust.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _theme_page_queries(client, theme):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(theme.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response


def test_theme_page_costs_the_same_queries_with_5_and_50_lessons(client, trust):
    grow_lessons_on(trust, 5, start=0)
    small, response = _theme_page_queries(client, trust)
    assert len(response.context["lessons"]) == 5

    grow_lessons_on(trust, 45, start=5)
    large, response = _theme_page_queries(client, trust)
    # The latest dozen, the total, and a link to all of them with filters.
    assert len(response.context["lessons"]) == 12
    assert response.context["lesson_total"] == 50
    assert "All 50 lessons on this theme" in response.content.decode()

    assert small == large
    assert large <= 12


def test_theme_list_costs_the_same_queries_at_two_sizes(client):
    small, large = list_queries_at_two_sizes(client, reverse("lessons:theme-list"), {})

    assert small == large
    assert large <= 12
