"""The home page and the site's own 404: what they show, never show, and cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Role
from core.moderation import ModerationStatus
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.sizes import grow_lessons_on

pytestmark = pytest.mark.django_db

HIDDEN = [ModerationStatus.PENDING, ModerationStatus.REJECTED]


def test_home_lists_the_themes_in_order_with_published_lesson_counts(client, trust):
    first = make_theme(title="Understand Partnership Motivations", number=1)
    make_lesson(title="Published trust lesson", themes=[trust])
    make_lesson(title="Pending trust lesson", themes=[trust], moderation=ModerationStatus.PENDING)

    response = client.get(reverse("pages:home"))

    assert response.status_code == 200
    assert list(response.context["themes"]) == [first, trust]
    html = response.content.decode()
    assert html.index("Understand Partnership Motivations") < html.index("Work to Build Trust")
    assert response.context["themes"][1].lesson_total == 1
    assert "Published trust lesson" in html
    assert "Pending trust lesson" not in html
    assert response.context["lesson_total"] == 1


@pytest.mark.parametrize("moderation", HIDDEN)
def test_home_counts_and_lists_nothing_unpublished(client, trust, moderation):
    organisation = make_organisation(name="Hidden Org")
    make_partnership(
        name="Hidden case study",
        moderation=moderation,
        featured=True,
        partners=[(organisation, Role.LEAD)],
    )
    make_lesson(title="Hidden lesson", themes=[trust], moderation=moderation)

    response = client.get(reverse("pages:home"))

    html = response.content.decode()
    assert "Hidden lesson" not in html
    assert "Hidden case study" not in html
    assert response.context["lesson_total"] == 0
    assert response.context["partnership_total"] == 0
    assert response.context["organisation_total"] == 0
    assert response.context["themes"][0].lesson_total == 0


def test_home_page_costs_the_same_queries_at_two_sizes(client, trust):
    grow_lessons_on(trust, 3, start=0)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("pages:home"))
    grow_lessons_on(trust, 30, start=3)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("pages:home"))

    assert len(small) == len(large)


def test_unknown_pages_get_the_sites_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
