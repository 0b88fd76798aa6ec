"""Renames at scale: any sequence of renames between two lessons, what a redirect costs, and
the curators' list of old addresses at two sizes."""

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from core.models import SlugRedirect
from tests.factories import make_lesson
from tests.helpers import rename

pytestmark = pytest.mark.django_db


def url(url_name, slug):
    return reverse(url_name, kwargs={"slug": slug})


# Any sequence of renames ------------------------------------------------------------------

SLUG_POOL = ["north", "south", "east", "west", "centre"]


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(renames=st.lists(st.tuples(st.sampled_from([0, 1]), st.sampled_from(SLUG_POOL)), max_size=8))
def test_after_any_renames_each_current_slug_answers_and_every_old_one_leads_to_its_item(
    client, trust, renames
):
    for cache in caches.all():  # examples roll back, so content versions repeat
        cache.clear()
    with transaction.atomic():
        lessons = [
            make_lesson(title="First", slug="first", themes=[trust]),
            make_lesson(title="Second", slug="second", themes=[trust]),
        ]
        last_left: dict[str, int] = {}  # an old slug: the lesson that left it last
        for index, slug in renames:
            lesson = lessons[index]
            if slug == lesson.slug or slug in {other.slug for other in lessons}:
                continue  # taken by the other lesson: a rename the unique slug refuses
            last_left[lesson.slug] = index
            rename(lesson, slug)

        for lesson in lessons:
            page = client.get(url("lessons:lesson-detail", lesson.slug))
            assert page.status_code == 200
            assert f"<h1>{lesson.title}</h1>" in page.content.decode()
        for old, index in last_left.items():
            if old in {lesson.slug for lesson in lessons}:
                continue  # reused: its live lesson answers, as checked above
            response = client.get(url("api:lesson-detail", old))
            assert response.status_code == 301
            assert response["Location"] == url("api:lesson-detail", lessons[index].slug)
        transaction.set_rollback(True)


# What a redirect costs --------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 25])
def test_a_redirect_costs_the_same_queries_whatever_the_number_of_renames(
    client, trust, size, django_assert_num_queries
):
    lessons = [make_lesson(themes=[trust]) for _ in range(size)]
    for lesson in lessons:
        for step in range(3):
            rename(lesson, f"{lesson.slug}-{step}")
    old = lessons[0].slug.rsplit("-", 3)[0]

    # The content version, the view's lookup, then the resolver's three reads.
    with django_assert_num_queries(5):
        response = client.get(url("lessons:lesson-detail", old))
    assert response["Location"] == url("lessons:lesson-detail", lessons[0].slug)


# The curators' list of old addresses -------------------------------------------------------


def test_curators_see_each_old_address_and_where_it_leads_at_a_fixed_cost(curator_client, trust):
    changelist = reverse("admin:core_slugredirect_changelist")
    costs = []
    for size in (1, 20):
        for _ in range(size):
            rename(make_lesson(themes=[trust]), f"renamed-{SlugRedirect.objects.count()}")
        with CaptureQueriesContext(connection) as queries:
            page = curator_client.get(changelist)
        costs.append(len(queries))
    assert page.status_code == 200
    row = SlugRedirect.objects.first()
    edit = reverse("admin:lessons_lesson_change", args=[row.object_id])
    assert f'<a href="{edit}">lesson #{row.object_id}</a>' in page.content.decode()
    assert row.old_slug in page.content.decode()
    assert costs[0] == costs[1]
    assert curator_client.get(f"{changelist}add/").status_code == 403
