"""The case-study and lesson lists: facets, sorting, pagination, tags, and what they cost."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Outcome, Region, Role, Sector
from core.moderation import ModerationStatus
from lessons.models import Experience
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

PARTNERSHIPS = reverse("browse:partnership-list")
LESSONS = reverse("browse:lesson-list")


def names(response):
    return [partnership.name for partnership in response.context["object_list"]]


def titles(response):
    return [lesson.title for lesson in response.context["object_list"]]


def options(response, facet_name):
    facet = next(f for f in response.context["facets"] if f.name == facet_name)
    return {option.value: option.count for option in facet.options}


@pytest.fixture
def case_studies():
    """Three published case studies and one pending, across sectors, regions and outcomes."""
    ministry = make_organisation(name="Ministry of Water", sector=Sector.GOVERNMENT)
    company = make_organisation(name="Pumps plc", sector=Sector.BUSINESS)
    ngo = make_organisation(name="Wells Trust", sector=Sector.CIVIL_SOCIETY)
    water = make_partnership(
        name="Water for Towns",
        region=Region.AFRICA,
        outcome=Outcome.NOT_AS_PLANNED,
        start_year=2005,
        end_year=2009,
        partners=[(ministry, Role.CONVENER), (company, Role.FUNDER)],
        tags=["water"],
    )
    schools = make_partnership(
        name="Schools Online",
        region=Region.ASIA_PACIFIC,
        outcome=Outcome.ON_TRACK,
        start_year=2015,
        partners=[(company, Role.LEAD), (ngo, Role.IMPLEMENTER)],
        tags=["education", "digital"],
    )
    clinics = make_partnership(
        name="Clinic Network",
        region=Region.AFRICA,
        outcome=Outcome.ON_TRACK,
        start_year=2011,
        end_year=2014,
        partners=[(ngo, Role.LEAD)],
        tags=["health", "water"],
    )
    make_partnership(
        name="Pending Pipeline",
        status=ModerationStatus.PENDING,
        region=Region.AFRICA,
        outcome=Outcome.ON_TRACK,
        partners=[(ministry, Role.LEAD)],
        tags=["water", "secret-tag"],
    )
    return {"water": water, "schools": schools, "clinics": clinics}


def test_partnership_list_shows_published_case_studies_only(client, case_studies):
    response = client.get(PARTNERSHIPS)

    assert response.status_code == 200
    assert sorted(names(response)) == ["Clinic Network", "Schools Online", "Water for Towns"]
    html = response.content.decode()
    assert "Pending Pipeline" not in html
    assert "secret-tag" not in html
    assert "3 case studies" in html


def test_partnership_facets_count_published_rows_only(client, case_studies):
    response = client.get(PARTNERSHIPS)

    assert options(response, "region") == {"africa": 2, "asia_pacific": 1}
    assert options(response, "sector") == {"government": 1, "business": 2, "civil_society": 2}
    assert options(response, "outcome") == {"not_as_planned": 1, "on_track": 2}
    assert options(response, "tag") == {"water": 2, "education": 1, "digital": 1, "health": 1}


def test_two_facets_combine_and_each_counts_against_the_other(client, case_studies):
    response = client.get(PARTNERSHIPS, {"region": "africa", "sector": "business"})

    assert names(response) == ["Water for Towns"]
    # Region options are counted among business case studies, sector options among African ones.
    assert options(response, "region") == {"africa": 1, "asia_pacific": 1}
    assert options(response, "sector") == {"government": 1, "business": 1, "civil_society": 1}
    assert "1 case study match your filters" not in response.content.decode()
    assert "1 case study matches your filters" in response.content.decode()


def test_several_values_of_one_facet_match_any_of_them(client, case_studies):
    response = client.get(PARTNERSHIPS, [("outcome", "not_as_planned"), ("outcome", "on_track")])

    assert len(names(response)) == 3


def test_each_active_filter_links_to_the_page_without_it(client, case_studies):
    response = client.get(PARTNERSHIPS, {"region": "africa", "tag": "water", "sort": "name"})

    active = {item["label"]: item["remove_url"] for item in response.context["active_filters"]}
    assert set(active) == {"Sub-Saharan Africa", "water"}
    without_region = dict(parse_qsl(urlsplit(active["Sub-Saharan Africa"]).query))
    assert without_region == {"tag": "water", "sort": "name"}

    widened = client.get(PARTNERSHIPS + active["Sub-Saharan Africa"])
    assert names(widened) == ["Clinic Network", "Water for Towns"]


def test_theme_facet_reaches_case_studies_through_published_lessons(client, case_studies):
    trust = make_theme(title="Work to Build Trust", number=3)
    make_lesson(themes=[trust], partnership=case_studies["schools"])
    make_lesson(themes=[trust], partnership=case_studies["water"], status="pending")

    response = client.get(PARTNERSHIPS, {"theme": trust.slug})

    assert names(response) == ["Schools Online"]
    assert options(client.get(PARTNERSHIPS), "theme") == {trust.slug: 1}


def test_year_range_keeps_case_studies_active_in_it(client, case_studies):
    response = client.get(PARTNERSHIPS, {"years_from": "2010", "years_to": "2012"})

    assert names(response) == ["Clinic Network"]
    labels = [item["label"] for item in response.context["active_filters"]]
    assert labels == ["from 2010", "until 2012"]


def test_unknown_facet_values_and_sorts_are_ignored(client, case_studies):
    response = client.get(
        PARTNERSHIPS, {"region": "atlantis", "sort": "drop table", "years_from": "abc"}
    )

    assert response.status_code == 200
    assert len(names(response)) == 3
    assert response.context["active_filters"] == []


def test_partnerships_sort_by_name_and_by_most_lessons(client, case_studies):
    theme = make_theme()
    for _ in range(2):
        make_lesson(themes=[theme], partnership=case_studies["schools"])
    make_lesson(themes=[theme], partnership=case_studies["clinics"])
    for _ in range(3):
        make_lesson(themes=[theme], partnership=case_studies["water"], status="rejected")

    by_name = client.get(PARTNERSHIPS, {"sort": "name"})
    by_lessons = client.get(PARTNERSHIPS, {"sort": "lessons"})

    assert names(by_name) == ["Clinic Network", "Schools Online", "Water for Towns"]
    assert names(by_lessons) == ["Schools Online", "Clinic Network", "Water for Towns"]


def test_filtered_list_with_no_match_says_what_to_do(client, case_studies):
    response = client.get(PARTNERSHIPS, {"region": "europe"})

    html = response.content.decode()
    assert "No case studies match all of these filters" in html
    assert names(response) == []


def test_lists_paginate_and_keep_the_filters_in_page_links(client):
    theme = make_theme()
    for index in range(25):
        make_lesson(title=f"Lesson {index:02}", themes=[theme], experience=Experience.WORKED)

    first = client.get(LESSONS, {"experience": "worked", "sort": "title"})
    second = client.get(LESSONS, {"experience": "worked", "sort": "title", "page": 2})

    assert len(titles(first)) == 20 and len(titles(second)) == 5
    assert titles(second)[0] == "Lesson 20"
    assert "?experience=worked&amp;sort=title&amp;page=2" in first.content.decode()


def test_lesson_list_facets_narrow_by_theme_experience_sector_and_tag(client, case_studies):
    trust = make_theme(title="Work to Build Trust", number=3)
    skills = make_theme(title="Develop Partnership Skills", number=8)
    make_lesson(
        title="Trust the ministry",
        themes=[trust],
        experience=Experience.WENT_WRONG,
        partnership=case_studies["water"],
        tags=["water"],
    )
    make_lesson(title="Train the staff", themes=[skills], partnership=case_studies["schools"])
    make_lesson(title="Hidden trust lesson", themes=[trust], status="pending", tags=["water"])

    everything = client.get(LESSONS)
    by_theme = client.get(LESSONS, {"theme": trust.slug})
    by_sector = client.get(LESSONS, {"sector": "government"})
    by_tag_and_experience = client.get(LESSONS, {"tag": "water", "experience": "went_wrong"})

    assert sorted(titles(everything)) == ["Train the staff", "Trust the ministry"]
    assert "Hidden trust lesson" not in everything.content.decode()
    assert titles(by_theme) == ["Trust the ministry"]
    assert titles(by_sector) == ["Trust the ministry"]
    assert titles(by_tag_and_experience) == ["Trust the ministry"]
    assert options(everything, "theme") == {trust.slug: 1, skills.slug: 1}
    assert options(everything, "sector") == {"government": 1, "business": 2, "civil_society": 1}
    assert options(everything, "tag") == {"water": 1}


def test_tag_index_lists_only_tags_on_published_content(client, case_studies):
    make_lesson(themes=[make_theme()], tags=["Trust"])
    make_lesson(themes=[make_theme()], tags=["only-pending"], status="pending")

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
        title="Pending water lesson", themes=[make_theme()], tags=["water"], status="pending"
    )

    response = client.get(reverse("pages:tag-detail", args=["water"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Water lesson" in html and "Water for Towns" in html and "Clinic Network" in html
    assert "Pending water lesson" not in html and "Pending Pipeline" not in html
    assert client.get(reverse("pages:tag-detail", args=["secret-tag"])).status_code == 404
    assert client.get(reverse("pages:tag-detail", args=["no-such-tag"])).status_code == 404


def test_case_study_page_groups_partners_by_sector_and_relates_others(client, case_studies):
    theme = make_theme()
    make_lesson(title="Lesson from water", themes=[theme], partnership=case_studies["water"])
    make_lesson(
        title="Unpublished water",
        themes=[theme],
        partnership=case_studies["water"],
        status="pending",
    )

    response = client.get(case_studies["water"].get_absolute_url())

    groups = dict(response.context["partners_by_sector"])
    assert [p.organisation.name for p in groups["Government"]] == ["Ministry of Water"]
    assert [p.organisation.name for p in groups["Business"]] == ["Pumps plc"]
    html = response.content.decode()
    assert "Lesson from water" in html and "Unpublished water" not in html
    related = [p.name for p in response.context["related_partnerships"]]
    assert related == ["Clinic Network"]  # shares the tag "water"; Schools Online shares nothing
    assert "Pending Pipeline" not in html


def test_lesson_page_shows_related_published_lessons(client):
    theme = make_theme()
    lesson = make_lesson(themes=[theme], tags=["trust"])
    by_tag = make_lesson(title="Shares the tag", themes=[make_theme()], tags=["trust"])
    by_theme = make_lesson(title="Shares the theme", themes=[theme])
    make_lesson(title="Pending relative", themes=[theme], tags=["trust"], status="pending")
    make_lesson(title="Unrelated", themes=[make_theme()])

    response = client.get(lesson.get_absolute_url())

    assert list(response.context["related_lessons"]) == [by_tag, by_theme]
    assert "Pending relative" not in response.content.decode()


def _grow(count, start):
    theme = make_theme()
    sectors = list(Sector.values)
    for index in range(start, start + count):
        organisations = [
            make_organisation(sector=sectors[index % len(sectors)]),
            make_organisation(sector=sectors[(index + 1) % len(sectors)]),
        ]
        partnership = make_partnership(
            region=Region.AFRICA,
            start_year=2000 + index % 20,
            partners=[(organisations[0], Role.LEAD), (organisations[1], Role.FUNDER)],
            tags=[f"tag-{index % 7}", "shared"],
        )
        make_lesson(themes=[theme], partnership=partnership, tags=[f"tag-{index % 5}"])


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url, params",
    [
        (PARTNERSHIPS, {}),
        (PARTNERSHIPS, {"region": "africa", "sector": "business", "sort": "lessons"}),
        (LESSONS, {}),
        (LESSONS, {"tag": "shared", "sector": "government"}),
        (reverse("pages:tag-list"), {}),
        (reverse("pages:tag-detail", args=["shared"]), {}),
        (reverse("lessons:theme-list"), {}),
    ],
)
def test_list_pages_cost_the_same_queries_at_two_sizes(client, url, params):
    _grow(4, start=0)
    make_lesson(themes=[make_theme()], tags=["shared"])
    small = _queries(client, url, params)

    _grow(36, start=4)
    large = _queries(client, url, params)

    assert small == large
    assert large <= 12


def test_detail_pages_cost_the_same_queries_at_two_sizes(client):
    def detail_queries():
        partnership = make_partnership(tags=["shared"], partners=[(make_organisation(), Role.LEAD)])
        organisation = partnership.participations.get().organisation
        lesson = make_lesson(themes=[make_theme()], partnership=partnership, tags=["shared"])
        return [
            _queries(client, partnership.get_absolute_url()),
            _queries(client, organisation.get_absolute_url()),
            _queries(client, lesson.get_absolute_url()),
        ]

    _grow(3, start=0)
    make_lesson(themes=[make_theme()], tags=["shared"])  # so related lessons exist at both sizes
    small = detail_queries()
    _grow(30, start=3)
    large = detail_queries()

    assert small == large
    assert max(large) <= 12


def test_a_common_tag_lists_the_same_lessons_in_the_same_order(client, monkeypatch):
    from lessons import selectors

    theme = make_theme()
    for index in range(5):
        make_lesson(title=f"Tagged {index}", themes=[theme], tags=["common"])
    make_lesson(title="Pending tagged", themes=[theme], tags=["common"], status="pending")
    url = reverse("pages:tag-detail", args=["common"])

    rare_path = titles_on(client.get(url))
    monkeypatch.setattr(selectors, "COMMON_TAG_LESSONS", 2)
    from django.core.cache import cache

    cache.clear()
    common_path = titles_on(client.get(url))

    assert rare_path == common_path == [f"Tagged {index}" for index in reversed(range(5))]


def titles_on(response):
    assert response.context["page_obj"].paginator.count == 5
    return [lesson.title for lesson in response.context["lessons"]]


def test_an_unpublished_case_study_gives_its_lessons_no_sector(client):
    ministry = make_organisation(sector=Sector.GOVERNMENT)
    hidden = make_partnership(status="pending", partners=[(ministry, Role.LEAD)])
    make_lesson(title="Published, from a pending case", themes=[make_theme()], partnership=hidden)

    everything = client.get(LESSONS)
    by_sector = client.get(LESSONS, {"sector": "government"})

    assert titles(everything) == ["Published, from a pending case"]
    assert options(everything, "sector") == {}
    assert titles(by_sector) == []
