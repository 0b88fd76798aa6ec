"""Fixtures for the page-cache tests: a published lesson and every page that opts in."""

import pytest
from django.urls import reverse

from tests.factories import make_lesson


@pytest.fixture
def words_lesson(trust, water_for_towns):
    """Published, on trust, tagged "water", from Water for Towns."""
    return make_lesson(
        title="Agree what words mean",
        themes=[trust],
        tags=["water"],
        partnership=water_for_towns,
    )


@pytest.fixture
def public_pages(words_lesson, trust, water_for_towns, ministry):
    """Every kind of page that opts in, by a name for the test's id."""
    return {
        "home": "/",
        "themes": reverse("lessons:theme-list"),
        "theme": trust.get_absolute_url(),
        "lesson list": reverse("browse:lesson-list"),
        "lesson list, faceted": f"{reverse('browse:lesson-list')}?theme={trust.slug}&sort=title",
        "case-study list": reverse("browse:partnership-list"),
        "lesson": words_lesson.get_absolute_url(),
        "case study": water_for_towns.get_absolute_url(),
        "organisation": ministry.get_absolute_url(),
        "tags": reverse("pages:tag-list"),
        "tag": reverse("pages:tag-detail", args=["water"]),
        "tag suggestions": f"{reverse('pages:tag-suggestions')}?q=wat",
        "search": f"{reverse('search:search')}?q=words",
        "insights": reverse("insights:insights"),
        "privacy": reverse("pages:privacy"),
        "lesson feed": reverse("pages:lesson-feed"),
        "theme feed": reverse("pages:theme-feed", args=[trust.slug]),
        "tag feed": reverse("pages:tag-feed", args=["water"]),
        "case-study feed": reverse("pages:partnership-feed"),
        "sitemap": reverse("pages:sitemap"),
        "sitemap section": reverse("pages:sitemap-section", args=["lessons"]),
        "robots": reverse("pages:robots"),
    }
