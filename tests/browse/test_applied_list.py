""" "I applied this lesson" in the lesson list, the API and the exports: the "most applied"
and "helped most often" sorts, the "applied at least once" filter with its count (kept for
the unfiltered list, counted for a filtered one), and the counts — published reports only."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Region
from core import services
from core.sectors import Sector
from lessons.models import ApplicationReport, Outcome
from lessons.services import lesson_report_applied
from tests.factories import make_lesson, make_theme
from tests.sizes import list_queries_at_two_sizes

pytestmark = pytest.mark.django_db

LESSONS = reverse("browse:lesson-list")


def applied(lesson, outcome, times=1, note=""):
    for _ in range(times):
        lesson_report_applied(
            lesson=lesson,
            outcome=outcome,
            sector=Sector.GOVERNMENT,
            region=Region.AFRICA,
            note=note,
            address="192.0.2.1",
        )


@pytest.fixture
def reported(settings, trust, curator):
    """Three lessons applied (one with only a pending note) and one never applied."""
    settings.APPLIED_REPORTS_PER_HOUR = 10**6
    often = make_lesson(title="Often applied", themes=[trust])
    helpful = make_lesson(title="Helped most", themes=[trust])
    noted = make_lesson(title="Only a pending note", themes=[trust])
    make_lesson(title="Never applied", themes=[trust])
    applied(often, Outcome.NOT_HELPED, times=4)
    applied(often, Outcome.HELPED)
    applied(helpful, Outcome.HELPED, times=3)
    applied(noted, Outcome.HELPED, times=9, note="Waiting for a curator")
    return often, helpful, noted


def titles(response):
    return [lesson.title for lesson in response.context["object_list"]]


def applied_option(response):
    facet = next(f for f in response.context["facets"] if f.name == "applied")
    return {option.value: option.count for option in facet.options}


def test_most_applied_and_helped_most_often_sort_by_published_reports(client, reported):
    most = client.get(LESSONS, {"sort": "applied"})
    helped = client.get(LESSONS, {"sort": "helped"})

    assert titles(most)[:2] == ["Often applied", "Helped most"]
    assert titles(helped)[:2] == ["Helped most", "Often applied"]
    html = most.content.decode()
    assert "Most applied" in html and "Helped most often" in html
    assert "Waiting for a curator" not in html


def test_applied_at_least_once_filters_and_counts_published_reports_only(client, reported):
    unfiltered = client.get(LESSONS)
    filtered = client.get(LESSONS, {"applied": "yes"})
    narrowed = client.get(LESSONS, {"applied": "yes", "experience": "went_wrong"})

    assert applied_option(unfiltered) == {"yes": 2}
    assert sorted(titles(filtered)) == ["Helped most", "Often applied"]
    assert applied_option(filtered) == {"yes": 2}
    assert titles(narrowed) == []
    assert applied_option(narrowed) == {"yes": 0}


def test_publishing_the_note_moves_the_list_and_its_count(client, reported, curator):
    client.get(LESSONS)  # cached
    services.moderation_publish(items=ApplicationReport.objects.all(), by=curator)

    response = client.get(LESSONS, {"sort": "applied"})

    assert titles(response)[0] == "Only a pending note"
    assert applied_option(client.get(LESSONS)) == {"yes": 3}


def test_the_api_sorts_filters_and_carries_the_counts(client, reported):
    body = client.get("/api/v1/lessons", {"sort": "applied", "applied": "yes"}).json()
    detail = client.get(f"/api/v1/lessons/{reported[0].slug}").json()
    pending = client.get(f"/api/v1/lessons/{reported[2].slug}").json()

    assert [item["title"] for item in body["results"]] == ["Often applied", "Helped most"]
    assert (
        detail["applied_count"],
        detail["applied_helped_count"],
        detail["applied_partly_count"],
        detail["applied_not_helped_count"],
    ) == (5, 1, 0, 4)
    assert pending["applied_count"] == 0
    assert client.get("/api/v1/lessons", {"applied": "no"}).status_code == 422
    assert "Waiting for a curator" not in json.dumps(body)


def test_exports_carry_the_counts(client, reported):
    export = reverse("browse:lesson-export", args=["csv"])
    response = client.get(export, {"sort": "helped"})
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text, newline="")))

    first = rows[0]
    assert first["title"] == "Helped most"
    assert (first["applied_count"], first["applied_helped_count"]) == ("3", "3")
    assert {row["title"]: row["applied_count"] for row in rows}["Only a pending note"] == "0"
    assert "Waiting for a curator" not in text


@pytest.mark.parametrize(
    "params", [{"sort": "applied"}, {"sort": "helped", "applied": "yes"}, {"applied": "yes"}]
)
def test_the_new_sorts_and_filter_cost_the_same_queries_at_two_sizes(client, settings, params):
    settings.APPLIED_REPORTS_PER_HOUR = 10**6
    small, large = list_queries_at_two_sizes(client, LESSONS, params)

    assert small == large
    assert large <= 12


def test_the_api_list_with_the_new_sort_costs_the_same_at_two_sizes(client, settings):
    settings.APPLIED_REPORTS_PER_HOUR = 10**6
    theme = make_theme()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/lessons", {"sort": "helped"}).status_code == 200
        return len(captured)

    for number in range(3):
        applied(make_lesson(themes=[theme]), Outcome.HELPED, times=number + 1)
    small = queries()
    for _ in range(20):
        applied(make_lesson(themes=[theme]), Outcome.PARTLY, times=2)
    assert queries() == small
