"""The tag index, a tag's page and the tag suggestions: published content only, fixed cost."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from alliances import selectors as alliances_selectors
from lessons import selectors
from tests.factories import make_lesson, make_partnership, make_theme
from tests.helpers import page_queries
from tests.sizes import list_queries_at_two_sizes

pytestmark = pytest.mark.django_db


def test_tag_index_lists_only_tags_on_published_content(client, case_studies):
    make_lesson(themes=[make_theme()], tags=["Trust"])
    make_lesson(themes=[make_theme()], tags=["only-pending"], moderation="pending")

    response = client.get(reverse("pages:tag-list"))

    listed = {
        tag.name: (tag.lesson_total, tag.partnership_total) for tag in response.context["tags"]
    }
    assert listed["water"] == (0, 2)
    assert listed["Trust"] == (1, 0)
    assert "only-pending" not in listed and "secret-tag" not in listed
    assert "only-pending" not in response.content.decode()


def test_tag_page_shows_what_carries_the_tag_and_nothing_unpublished(client, case_studies):
    make_lesson(title="Water lesson", themes=[make_theme()], tags=["water"])
    make_lesson(
        title="Pending water lesson", themes=[make_theme()], tags=["water"], moderation="pending"
    )

    response = client.get(reverse("pages:tag-detail", args=["water"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Water lesson" in html and "Water for Towns" in html and "Clinic Network" in html
    assert "Pending water lesson" not in html and "Pending Pipeline" not in html
    assert client.get(reverse("pages:tag-detail", args=["secret-tag"])).status_code == 404
    assert client.get(reverse("pages:tag-detail", args=["no-such-tag"])).status_code == 404


def test_a_common_tag_lists_the_same_lessons_in_the_same_order(client, monkeypatch):
    theme = make_theme()
    for index in range(5):
        make_lesson(title=f"Tagged {index}", themes=[theme], tags=["common"])
    make_lesson(title="Pending tagged", themes=[theme], tags=["common"], moderation="pending")
    url = reverse("pages:tag-detail", args=["common"])

    rare_path = titles_on(client.get(url))
    monkeypatch.setattr(selectors, "COMMON_TAG_LESSONS", 2)
    for each in caches.all():  # the counts, and the page itself
        each.clear()
    common_path = titles_on(client.get(url))

    assert rare_path == common_path == [f"Tagged {index}" for index in reversed(range(5))]


def test_a_common_tag_lists_the_same_case_studies_in_the_same_order(client, monkeypatch):
    for number, name in enumerate(["Delta", "alpha", "Charlie", "Bravo", "Bravo"]):
        make_partnership(name=name, slug=f"common-{number}", tags=["common"])
    make_partnership(name="Aardvark pending", tags=["common"], moderation="pending")
    make_partnership(name="Abacus untagged", tags=["other"])
    url = reverse("pages:tag-detail", args=["common"])

    rare_path = case_studies_on(client.get(url))
    monkeypatch.setattr(alliances_selectors, "COMMON_TAG_PARTNERSHIPS", 2)
    for each in caches.all():  # the counts, and the page itself
        each.clear()
    common_path = case_studies_on(client.get(url))

    assert rare_path == common_path
    assert [name for name, _ in common_path] == ["Bravo", "Bravo", "Charlie", "Delta", "alpha"]
    assert "Aardvark pending" not in client.get(url).content.decode()


@pytest.mark.parametrize("kind", ["lessons", "case studies"])
def test_a_tag_on_one_kind_costs_the_same_queries_at_two_sizes(client, kind):
    def grow(count):
        for _ in range(count):
            if kind == "lessons":
                make_lesson(themes=[make_theme()], tags=["one-kind"])
            else:
                make_partnership(tags=["one-kind"])
        for each in caches.all():  # the counts, and the page itself
            each.clear()
        return page_queries(client, reverse("pages:tag-detail", args=["one-kind"]))

    assert grow(3) == grow(30)


def case_studies_on(response):
    assert response.status_code == 200
    return [(p.name, p.pk) for p in response.context["partnerships"]]


def titles_on(response):
    assert response.context["page_obj"].paginator.count == 5
    return [lesson.title for lesson in response.context["lessons"]]


@pytest.mark.parametrize(
    "url",
    [
        reverse("pages:tag-list"),
        reverse("pages:tag-detail", args=["shared"]),
    ],
)
def test_tag_pages_cost_the_same_queries_at_two_sizes(client, url):
    small, large = list_queries_at_two_sizes(client, url, {})

    assert small == large
    assert large <= 12


def test_tag_suggestions_offer_published_tags_only(client, trust):
    make_lesson(themes=[trust], tags=["water governance", "Water"])
    make_lesson(themes=[trust], tags=["watershed-secret"], moderation="pending")

    response = client.get(reverse("pages:tag-suggestions"), {"q": "wat"})

    assert response.status_code == 200
    assert sorted(response.json()["tags"]) == ["Water", "water governance"]
