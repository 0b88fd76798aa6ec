"""The case-study and lesson lists: facets, sorting, pagination, and what they cost."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse

from alliances.models import Role, Sector
from lessons.models import Experience
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.sizes import list_queries_at_two_sizes

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


def test_theme_facet_reaches_case_studies_through_published_lessons(client, case_studies, trust):
    make_lesson(themes=[trust], partnership=case_studies["schools"])
    make_lesson(themes=[trust], partnership=case_studies["water"], moderation="pending")

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
        make_lesson(themes=[theme], partnership=case_studies["water"], moderation="rejected")

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


def test_lesson_list_facets_narrow_by_theme_experience_sector_and_tag(
    client, case_studies, trust, skills
):
    make_lesson(
        title="Trust the ministry",
        themes=[trust],
        experience=Experience.WENT_WRONG,
        partnership=case_studies["water"],
        tags=["water"],
    )
    make_lesson(title="Train the staff", themes=[skills], partnership=case_studies["schools"])
    make_lesson(title="Hidden trust lesson", themes=[trust], moderation="pending", tags=["water"])

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


def test_an_unpublished_case_study_gives_its_lessons_no_sector(client):
    ministry = make_organisation(sector=Sector.GOVERNMENT)
    hidden = make_partnership(moderation="pending", partners=[(ministry, Role.LEAD)])
    make_lesson(title="Published, from a pending case", themes=[make_theme()], partnership=hidden)

    everything = client.get(LESSONS)
    by_sector = client.get(LESSONS, {"sector": "government"})

    assert titles(everything) == ["Published, from a pending case"]
    assert options(everything, "sector") == {}
    assert titles(by_sector) == []


@pytest.mark.parametrize(
    "url, params",
    [
        (PARTNERSHIPS, {}),
        (PARTNERSHIPS, {"region": "africa", "sector": "business", "sort": "lessons"}),
        (LESSONS, {}),
        (LESSONS, {"tag": "shared", "sector": "government"}),
        (PARTNERSHIPS, {"region": "africa", "sector": "business"}),
        (PARTNERSHIPS, {"sort": "name"}),
        (LESSONS, {"experience": "worked", "sector": "government"}),
    ],
)
def test_list_pages_cost_the_same_queries_at_two_sizes(client, url, params):
    small, large = list_queries_at_two_sizes(client, url, params)

    assert small == large
    assert large <= 12


def test_lessons_sort_by_most_helpful(client, trust):
    make_lesson(title="Rarely helpful", themes=[trust], helpful_count=1)
    make_lesson(title="Most helpful", themes=[trust], helpful_count=9)

    response = client.get(reverse("browse:lesson-list"), {"sort": "helpful"})

    assert [lesson.title for lesson in response.context["object_list"]] == [
        "Most helpful",
        "Rarely helpful",
    ]
