"""The lists' two query shapes agree: the sorted page's (EXISTS per row) and the count's
(IN lists), and the total read from the facet counts is the number of rows that match."""

import itertools

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Outcome, Partnership, Region, Role, Sector, Status
from browse import facets
from lessons.models import Experience, Lesson
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied():
    """Case studies across sectors, regions, statuses and outcomes, with lessons on themes."""
    themes = [make_theme(), make_theme()]
    sectors, regions = list(Sector.values), list(Region.values)
    statuses, outcomes = list(Status.values), list(Outcome.values)
    for index in range(14):
        partners = [
            (make_organisation(sector=sectors[index % len(sectors)]), Role.LEAD),
            (make_organisation(sector=sectors[(index * 3 + 1) % len(sectors)]), Role.FUNDER),
        ]
        partnership = make_partnership(
            region=regions[index % len(regions)],
            status=statuses[index % len(statuses)],
            outcome=outcomes[(index // 2) % len(outcomes)],
            partners=partners[: 1 + index % 2],
            tags=[f"tag-{index % 3}"],
            moderation="pending" if index % 5 == 4 else "published",
        )
        for number in range(index % 3):
            make_lesson(
                themes=[themes[(index + number) % 2]],
                partnership=partnership,
                experience=list(Experience.values)[(index + number) % 2],
                tags=[f"tag-{number}"],
                moderation="pending" if number == 2 else "published",
            )
    make_lesson(themes=themes, tags=["tag-0"])  # from no case study
    return themes


def choices(facet_values):
    """Every query string choosing at most one value of each facet named, or none."""
    names = list(facet_values)
    for picked in itertools.product(*[[None, *facet_values[name]] for name in names]):
        query = QueryDict(mutable=True)
        for name, value in zip(names, picked, strict=True):
            if value is not None:
                query.setlist(name, value if isinstance(value, list) else [value])
        yield query


def check(facet_set, base):
    everything = set(facet_set.filter(base).values_list("pk", flat=True))
    assert set(facet_set.filter(base, page=True).values_list("pk", flat=True)) == everything
    total = facet_set.total(facet_set.options(base))
    assert total is None or total == len(everything)
    return total


def test_partnership_pages_and_counts_agree_for_every_choice(varied):
    values = {
        "sector": ["business", list(Sector.values)],
        "region": ["africa", ["europe", "global"]],
        "outcome": ["mixed"],
        "theme": [varied[0].slug],
        "tag": ["tag-1"],
    }
    totals = [
        check(facets.partnership_facets(query), Partnership.objects.published())
        for query in choices(values)
    ]
    assert any(totals) and None in totals  # both ways of knowing the total were checked


def test_lesson_pages_and_counts_agree_for_every_choice(varied):
    values = {
        "sector": ["business", list(Sector.values)],  # every sector: a pending case study's too
        "experience": ["worked", ["worked", "went_wrong"]],
        "theme": [varied[1].slug, [varied[0].slug, varied[1].slug]],
        "tag": ["tag-0"],
    }
    totals = [
        check(facets.lesson_facets(query), Lesson.objects.published()) for query in choices(values)
    ]
    assert any(totals) and None in totals


@pytest.mark.parametrize(
    "url, params",
    [
        (reverse("browse:partnership-list"), {"region": "africa", "sector": "business"}),
        (reverse("browse:lesson-list"), {"experience": "worked", "sector": "government"}),
    ],
)
def test_a_list_narrowed_by_a_column_needs_no_count_query(client, varied, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)

    assert response.status_code == 200
    assert not [q for q in queries if q["sql"].startswith("SELECT COUNT(")]
    shown = len(response.context["object_list"])
    assert response.context["paginator"].count == shown  # fewer than a page: all shown
