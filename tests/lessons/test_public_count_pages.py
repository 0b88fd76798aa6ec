"""The pages that show counts read them from the counters: the same queries at two sizes,
none of them counting or grouping the content tables, and the numbers they show exact."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from alliances.models import Partnership
from browse import facets
from core.moderation import ModerationStatus
from lessons.models import Lesson, TaggedLesson
from tests.factories import make_lesson, make_theme
from tests.sizes import grow_case_studies

pytestmark = pytest.mark.django_db

ENTRY_PAGES = ["/", "/themes/", "/lessons/", "/partnerships/", "/tags/"]
CONTENT_TABLES = [
    "lessons_lesson",
    "lessons_lesson_themes",
    "lessons_taggedlesson",
    "alliances_partnership",
    "alliances_participation",
    "alliances_taggedpartnership",
    "alliances_organisation",
]
COUNTING = re.compile(r"GROUP BY|COUNT\(|MIN\(|MAX\(", re.IGNORECASE)


def counting_queries(client, url):
    """The page's queries, and those that count, group or aggregate a content table."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    sql = [query["sql"] for query in queries]
    counting = [
        text
        for text in sql
        if COUNTING.search(text)
        and any(f'"{table}"' in text or f" {table} " in text for table in CONTENT_TABLES)
    ]
    return len(sql), counting


@pytest.mark.parametrize("url", ENTRY_PAGES)
def test_an_entry_page_counts_nothing_and_costs_the_same_queries_at_two_sizes(client, url):
    grow_case_studies(4, start=0)
    make_lesson(themes=[make_theme()], tags=["shared"])
    small, small_counting = counting_queries(client, url)

    grow_case_studies(36, start=4)  # a write: every cached count is stale
    large, large_counting = counting_queries(client, url)

    assert small == large
    assert small_counting == large_counting == []


def test_a_filtered_list_still_counts_what_its_filters_leave(client):
    grow_case_studies(6, start=0)

    _, counting = counting_queries(client, "/partnerships/?region=africa")

    assert counting, "a filtered list's options are counted (and cached), not read from counters"


@pytest.mark.parametrize(
    ("facet_set", "model"),
    [(facets.lesson_facets, Lesson), (facets.partnership_facets, Partnership)],
)
def test_unfiltered_options_from_the_counters_equal_the_counted_ones(facet_set, model):
    grow_case_studies(12, start=0)
    make_lesson(moderation=ModerationStatus.PENDING, tags=["pending-only"], themes=[make_theme()])
    Partnership.objects.filter(pk=Partnership.objects.order_by("pk").first().pk).update(
        moderation_status=ModerationStatus.PENDING
    )
    unfiltered = facet_set(QueryDict())

    stored = unfiltered.stored_options()

    assert stored == unfiltered.options(model.objects.published())
    assert stored["tag"] and all(option.count for option in stored["tag"])
    assert "pending-only" not in {option.value for option in stored["tag"]}
    assert facet_set(QueryDict("tag=shared")).stored_options() is None


def test_the_lists_show_their_totals_from_the_counters(client):
    grow_case_studies(25, start=0)  # more than a page of each
    Lesson.objects.filter(pk=Lesson.objects.order_by("pk").first().pk).update(
        moderation_status=ModerationStatus.REJECTED
    )

    lessons = client.get("/lessons/")
    partnerships = client.get("/partnerships/")

    assert lessons.context["paginator"].count == Lesson.objects.published().count() == 24
    assert lessons.context["paginator"].num_pages == 2
    assert partnerships.context["paginator"].count == Partnership.objects.published().count()
    assert client.get("/lessons/?page=2").context["page_obj"].object_list.__len__() == 4


def test_the_tag_page_total_and_tags_index_count_only_published_lessons(client):
    grow_case_studies(3, start=0)
    make_lesson(moderation=ModerationStatus.PENDING, tags=["shared"], themes=[make_theme()])
    published = TaggedLesson.objects.filter(
        tag__name="shared", content_object__moderation_status=ModerationStatus.PUBLISHED
    ).count()

    page = client.get("/tags/shared/")
    index = client.get("/tags/")

    assert page.context["page_obj"].paginator.count == published == 0
    shared = next(tag for tag in index.context["tags"] if tag.name == "shared")
    assert (shared.lesson_total, shared.partnership_total) == (0, 3)
