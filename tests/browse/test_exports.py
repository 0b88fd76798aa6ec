"""Downloads of the lesson and case-study lists: the page's rows, as CSV and JSON, streamed."""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from alliances.models import (
    Outcome,
    Participation,
    Partnership,
    Region,
    Role,
    Sector,
    Status,
    TaggedPartnership,
)
from browse import exports
from core.moderation import ModerationStatus
from lessons.models import Experience, Lesson, Source, TaggedLesson
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

LESSONS = reverse("browse:lesson-list")
PARTNERSHIPS = reverse("browse:partnership-list")
EMAIL = "private.contributor@example.org"
TRICKY_EVIDENCE = 'Costs fell by 40%, "as promised", in two years;\nsee the annex.\r\nAnd more.'


def lesson_export(file_format):
    return reverse("browse:lesson-export", kwargs={"format": file_format})


def partnership_export(file_format):
    return reverse("browse:partnership-export", kwargs={"format": file_format})


def text_of(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(text_of(response), newline="")))


def json_rows(response):
    return json.loads(text_of(response))


def page_count(response):
    return response.context["page_obj"].paginator.count


@pytest.fixture
def content(trust, skills, ministry, water_for_towns, pending_pipeline):
    """Published, pending and rejected lessons and case studies, one of them hiding names."""
    donor = make_organisation(name="Quiet Donor Foundation", sector=Sector.PHILANTHROPY)
    water = water_for_towns
    water.contributor_name = "Ada Okafor"
    water.contributor_organisation = "Wells Trust"
    water.contributor_email = EMAIL
    water.save()
    discreet = make_partnership(
        name="Discreet Schools",
        region=Region.ASIA_PACIFIC,
        start_year=2015,
        hide_partner_names=True,
        partners=[(donor, Role.FUNDER), (ministry, Role.LEAD)],
        tags=["education"],
        contributor_name="Anonymous Person",
        contributor_email=EMAIL,
        publish_anonymously=True,
    )
    make_partnership(name="Rejected Reservoir", moderation=ModerationStatus.REJECTED)
    report = Source.objects.create(title="Uncommon Alliances, 2012", slug="report-2012")
    make_lesson(
        title="Trust the ministry",
        themes=[trust, skills],
        experience=Experience.WENT_WRONG,
        partnership=water,
        source=report,
        tags=["water", "Governance"],
        evidence=TRICKY_EVIDENCE,
        helpful_count=7,
        contributor_name="Ada Okafor",
        contributor_email=EMAIL,
    )
    make_lesson(title="Train the staff", themes=[skills], partnership=discreet, tags=["skills"])
    make_lesson(
        title='=HYPERLINK("http://evil.example", "Click")',
        themes=[trust],
        recommendation="+1 for trying",
        evidence="@SUM(A1:A9)",
        context="-2 partners left",
        insight="\tTabbed",
        contributor_name="Anonymous Person",
        contributor_email=EMAIL,
        publish_anonymously=True,
    )
    make_lesson(title="From a pending case study", themes=[trust], partnership=pending_pipeline)
    make_lesson(title="Pending lesson", themes=[trust], moderation=ModerationStatus.PENDING)
    make_lesson(title="Rejected lesson", themes=[trust], moderation=ModerationStatus.REJECTED)
    return {"trust": trust, "skills": skills, "water": water, "discreet": discreet}


# The same rows as the page ---------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"theme": "work-to-build-trust"},
        {"experience": "went_wrong"},
        {"sector": "government", "sort": "title"},
        {"tag": "water", "theme": "develop-partnership-skills", "sort": "helpful"},
        {"experience": "worked", "sector": "philanthropy"},
        {"tag": "no-such-tag"},
    ],
)
def test_lesson_export_holds_the_rows_of_the_filtered_page_in_its_order(client, content, params):
    page = client.get(LESSONS, params)
    as_csv = csv_rows(client.get(lesson_export("csv"), params))
    as_json = json_rows(client.get(lesson_export("json"), params))

    listed = [lesson.title for lesson in page.context["object_list"]]
    assert len(as_csv) == len(as_json) == page_count(page)
    assert [row["title"] for row in as_json] == listed
    assert [row["title"] for row in as_csv] == [exports.spreadsheet_safe(t) for t in listed]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "africa"},
        {"sector": "philanthropy", "sort": "name"},
        {"theme": "develop-partnership-skills", "sort": "lessons"},
        {"years_from": "2010", "tag": "education"},
        {"outcome": "mixed"},
    ],
)
def test_case_study_export_holds_the_rows_of_the_filtered_page_in_its_order(
    client, content, params
):
    page = client.get(PARTNERSHIPS, params)
    as_csv = csv_rows(client.get(partnership_export("csv"), params))
    as_json = json_rows(client.get(partnership_export("json"), params))

    listed = [partnership.name for partnership in page.context["object_list"]]
    assert len(as_csv) == len(as_json) == page_count(page)
    assert [row["name"] for row in as_csv] == [row["name"] for row in as_json] == listed


def test_an_export_is_every_page_not_only_the_first(client):
    theme = make_theme()
    for index in range(25):
        make_lesson(title=f"Lesson {index:02}", themes=[theme])

    page = client.get(LESSONS, {"sort": "title", "page": 2})
    rows = json_rows(client.get(lesson_export("json"), {"sort": "title", "page": 2}))

    assert page_count(page) == len(rows) == 25
    assert rows[0]["title"] == "Lesson 00" and rows[-1]["title"] == "Lesson 24"


# Formats ---------------------------------------------------------------------------


def test_exports_are_streamed_downloads_with_dated_names(client, content):
    today = timezone.localdate().isoformat()
    expected = {
        lesson_export("csv"): ("text/csv; charset=utf-8", f"lessons-{today}.csv"),
        lesson_export("json"): ("application/json", f"lessons-{today}.json"),
        partnership_export("csv"): ("text/csv; charset=utf-8", f"case-studies-{today}.csv"),
        partnership_export("json"): ("application/json", f"case-studies-{today}.json"),
    }
    for url, (content_type, filename) in expected.items():
        response = client.get(url)

        assert response.status_code == 200
        assert isinstance(response, StreamingHttpResponse)
        assert response["Content-Type"] == content_type
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="uncommon-alliances-{filename}"'
        )


def test_unknown_export_formats_are_not_found(client, content):
    assert client.get("/lessons/export.xlsx").status_code == 404
    assert client.get("/partnerships/export.xml").status_code == 404


def test_lesson_csv_round_trips_with_commas_quotes_and_newlines_intact(client, content):
    response = client.get(lesson_export("csv"), {"tag": "water"})
    text = text_of(response)

    header, *rows = list(csv.reader(io.StringIO(text, newline="")))
    assert header == list(exports.LessonExportView.columns)
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    lesson = Lesson.objects.get(title="Trust the ministry")
    assert row == {
        "url": f"http://testserver{lesson.get_absolute_url()}",
        "title": "Trust the ministry",
        "experience": "What went wrong",
        "themes": "Work to Build Trust; Develop Partnership Skills",
        "partnership": "Water for Towns",
        "source": "Uncommon Alliances, 2012",
        "tags": "Governance; water",
        "what_happened": lesson.context,
        "lesson": lesson.insight,
        "recommendation": lesson.recommendation,
        "evidence": TRICKY_EVIDENCE,
        "published_at": lesson.published_at.isoformat(),
        "helpful_count": "7",
        "applied_count": "0",
        "applied_helped_count": "0",
        "applied_partly_count": "0",
        "applied_not_helped_count": "0",
        "credit": "Ada Okafor",
    }


def test_lesson_json_round_trips_with_lists_for_themes_and_tags(client, content):
    rows = json_rows(client.get(lesson_export("json"), {"tag": "water"}))

    assert len(rows) == 1
    row = rows[0]
    assert list(row) == list(exports.LessonExportView.columns)
    assert row["themes"] == ["Work to Build Trust", "Develop Partnership Skills"]
    assert row["tags"] == ["Governance", "water"]
    assert row["evidence"] == TRICKY_EVIDENCE
    assert row["helpful_count"] == 7
    assert row["url"].startswith("http://testserver/lessons/")


def test_case_study_csv_and_json_carry_partners_ratings_and_years(client, content):
    Partnership.objects.filter(pk=content["water"].pk).update(
        partnership_success_rating=3, partnership_success="Trust grew, slowly."
    )

    [as_csv] = csv_rows(client.get(partnership_export("csv"), {"region": "africa"}))
    [as_json] = json_rows(client.get(partnership_export("json"), {"region": "africa"}))

    assert list(as_csv) == list(as_json) == list(exports.PartnershipExportView.columns)
    # In the case-study page's order: by sector, then name.
    assert as_csv["partners"] == (
        "Pumps plc (Business, Funder); Ministry of Water (Government, Convener)"
    )
    assert as_json["partners"] == [
        "Pumps plc (Business, Funder)",
        "Ministry of Water (Government, Convener)",
    ]
    assert as_csv["region"] == as_json["region"] == "Sub-Saharan Africa"
    assert as_csv["outcome"] == "Did not work out as planned"
    assert as_csv["start_year"] == "2005" and as_json["end_year"] == 2009
    assert as_json["partnership_success_rating"] == "Largely achieved"
    assert as_json["partnership_success"] == "Trust grew, slowly."
    assert as_json["intervention_impact_rating"] is None
    assert as_csv["intervention_impact_rating"] == ""
    assert as_json["tags"] == ["water"]
    assert as_json["credit"] == "Ada Okafor, Wells Trust"


# What must never be in an export ----------------------------------------------------


def test_exports_leave_out_pending_and_rejected_content(client, content):
    lessons = text_of(client.get(lesson_export("csv"))) + text_of(client.get(lesson_export("json")))
    partnerships = text_of(client.get(partnership_export("csv"))) + text_of(
        client.get(partnership_export("json"))
    )

    assert "Trust the ministry" in lessons
    assert "Pending lesson" not in lessons and "Rejected lesson" not in lessons
    assert "Water for Towns" in partnerships
    assert "Pending Pipeline" not in partnerships and "Rejected Reservoir" not in partnerships


def test_a_lesson_from_an_unpublished_case_study_does_not_name_it(client, content):
    rows = json_rows(client.get(lesson_export("json")))

    [row] = [row for row in rows if row["title"] == "From a pending case study"]
    assert row["partnership"] == ""
    assert "Pending Pipeline" not in json.dumps(rows)


def test_exports_never_show_contributor_emails_and_respect_anonymity(client, content):
    for url in [lesson_export("csv"), lesson_export("json")]:
        text = text_of(client.get(url))
        assert EMAIL not in text
        assert "Anonymous Person" not in text
        assert "Ada Okafor" in text
    for url in [partnership_export("csv"), partnership_export("json")]:
        text = text_of(client.get(url))
        assert EMAIL not in text
        assert "Anonymous Person" not in text


def test_case_study_exports_keep_hidden_partner_names_hidden(client, content):
    rows = json_rows(client.get(partnership_export("json"), {"region": "asia_pacific"}))
    text = text_of(client.get(partnership_export("csv"))) + text_of(
        client.get(partnership_export("json"))
    )

    assert rows[0]["name"] == "Discreet Schools"
    assert rows[0]["partners"] == [
        "A partner from government (Government, Lead partner)",
        "A partner from philanthropy (Philanthropy, Funder)",
    ]
    assert "Quiet Donor Foundation" not in text
    # The same ministry is named where its case study does not hide names.
    assert "Ministry of Water (Government, Convener)" in text


@pytest.mark.parametrize(
    "cell", ["=1+1", "+1", "-2", "@SUM(A1)", "\tTabbed", "\rReturned", ["=A1", "b"]]
)
def test_spreadsheet_formulas_are_quoted_away(cell):
    safe = exports.spreadsheet_safe(cell)

    assert safe.startswith("'")
    assert safe[1:] == (cell if isinstance(cell, str) else "=A1; b")


@pytest.mark.parametrize("cell", ["Plain", "1+1", "a=b", "", 7, None])
def test_ordinary_cells_are_left_as_they_are(cell):
    assert exports.spreadsheet_safe(cell) == ("" if cell is None else cell)


def test_csv_export_neutralises_formula_cells_but_json_keeps_the_text(client, content):
    rows = {row["recommendation"]: row for row in csv_rows(client.get(lesson_export("csv")))}
    raw = {row["recommendation"]: row for row in json_rows(client.get(lesson_export("json")))}

    formula = rows["'+1 for trying"]
    assert formula["title"] == '\'=HYPERLINK("http://evil.example", "Click")'
    assert formula["evidence"] == "'@SUM(A1:A9)"
    assert formula["what_happened"] == "'-2 partners left"
    assert formula["lesson"] == "'\tTabbed"
    assert not any(
        value.startswith(tuple("=+-@\t\r")) for row in rows.values() for value in row.values()
    )
    assert raw["+1 for trying"]["title"] == '=HYPERLINK("http://evil.example", "Click")'


# The links on the list pages ----------------------------------------------------------


def export_links(response):
    html = response.content.decode()
    links = re.findall(r'href="([^"]*/export\.(?:csv|json)[^"]*)"', html)
    return [unescape(link) for link in links]


def test_list_pages_link_to_exports_of_the_current_filters(client, content):
    params = {"theme": content["trust"].slug, "experience": "worked", "sort": "title"}
    lessons = client.get(LESSONS, {**params, "page": "1"})
    partnerships = client.get(PARTNERSHIPS, {"region": "africa", "sort": "name"})

    query = f"?theme={content['trust'].slug}&experience=worked&sort=title"
    assert export_links(lessons) == [lesson_export("csv") + query, lesson_export("json") + query]
    assert export_links(partnerships) == [
        partnership_export("csv") + "?region=africa&sort=name",
        partnership_export("json") + "?region=africa&sort=name",
    ]
    downloaded = csv_rows(client.get(export_links(lessons)[0]))
    assert len(downloaded) == page_count(lessons) == 2


def test_unfiltered_list_links_to_the_whole_export(client, content):
    response = client.get(LESSONS)

    assert export_links(response) == [lesson_export("csv"), lesson_export("json")]
    assert 'rel="nofollow"' in response.content.decode()


def test_a_list_with_no_results_offers_no_download(client, content):
    response = client.get(LESSONS, {"tag": "no-such-tag"})

    assert page_count(response) == 0
    assert export_links(response) == []
    assert "Download these results" not in response.content.decode()


# What an export costs -------------------------------------------------------------------


def _grow(count, *, start):
    """`count` published case studies, each with two partners, tags and one lesson."""
    theme = make_theme()
    government = make_organisation(sector=Sector.GOVERNMENT)
    business = make_organisation(sector=Sector.BUSINESS)
    tags = [Tag.objects.get_or_create(name=f"tag-{n}", slug=f"tag-{n}")[0] for n in range(3)]
    now = timezone.now()
    numbers = range(start, start + count)
    partnerships = Partnership.objects.bulk_create(
        Partnership(
            name=f"Grown partnership {n}",
            slug=f"grown-partnership-{n}",
            summary="Grown for a test.",
            status=Status.ACTIVE,
            outcome=Outcome.ON_TRACK,
            region=Region.AFRICA,
            moderation_status=ModerationStatus.PUBLISHED,
            published_at=now,
        )
        for n in numbers
    )
    Participation.objects.bulk_create(
        Participation(partnership=partnership, organisation=organisation, role=Role.LEAD)
        for partnership in partnerships
        for organisation in (government, business)
    )
    TaggedPartnership.objects.bulk_create(
        TaggedPartnership(content_object=partnership, tag=tag)
        for partnership in partnerships
        for tag in tags[:2]
    )
    lessons = Lesson.objects.bulk_create(
        Lesson(
            title=f"Grown lesson {n}",
            slug=f"grown-lesson-{n}",
            context="What happened.",
            insight="What was learned.",
            recommendation="What to do.",
            experience=Experience.WORKED,
            partnership=partnership,
            moderation_status=ModerationStatus.PUBLISHED,
            published_at=now,
        )
        for n, partnership in zip(numbers, partnerships, strict=True)
    )
    Lesson.themes.through.objects.bulk_create(
        Lesson.themes.through(lesson=lesson, theme=theme) for lesson in lessons
    )
    TaggedLesson.objects.bulk_create(
        TaggedLesson(content_object=lesson, tag=tag) for lesson in lessons for tag in tags[1:]
    )


def _export_queries(client, url, params):
    """The queries an export costs, and how many rows it holds."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        rows = csv_rows(response) if url.endswith(".csv") else json_rows(response)
    return len(queries), len(rows)


# Each with how many prefetches a chunk of rows costs: a lesson's themes, tags and its
# case study's partners (whose hidden names its credit keeps back); a case study's tags
# and partners.
EXPORTS = [
    (lesson_export("csv"), {}, 3),
    (lesson_export("json"), {"tag": "tag-1", "sector": "business", "sort": "helpful"}, 3),
    (partnership_export("csv"), {"region": "africa", "sort": "lessons"}, 2),
    (partnership_export("json"), {"sector": "government", "years_from": "2000"}, 2),
]


@pytest.mark.parametrize("url, params, prefetches", EXPORTS)
def test_an_export_costs_the_same_queries_at_30_and_300_rows(
    client, monkeypatch, url, params, prefetches
):
    # Three chunks at both sizes, so the rows per chunk, not the chunks, grow tenfold.
    _grow(30, start=0)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)
    small, small_rows = _export_queries(client, url, params)

    _grow(270, start=30)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    large, large_rows = _export_queries(client, url, params)

    assert (small_rows, large_rows) == (30, 300)
    # One query for the rows, then one per prefetch for each of the three chunks.
    assert small == large == 1 + prefetches * 3


@pytest.mark.parametrize("url, params, prefetches", EXPORTS)
def test_an_export_reads_its_rows_a_chunk_at_a_time(client, monkeypatch, url, params, prefetches):
    _grow(300, start=0)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 25)

    response = client.get(url, params)
    with CaptureQueriesContext(connection) as queries:
        lines = iter(response.streaming_content)
        next(lines)  # the CSV header or the JSON "["
        before_rows = len(queries)
        next(lines)  # the first row
        first_row = len(queries)
        rest = b"".join(lines)

    assert before_rows == 0
    # Only the first chunk has been read, with its prefetches, when the first row goes out.
    assert first_row == 1 + prefetches
    assert len(queries) == 1 + prefetches * (300 // 25)
    assert rest
