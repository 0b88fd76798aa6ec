"""The insights page: its charts count published content only, and cost a fixed few queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Outcome, Region, Role, Sector
from core.moderation import ModerationStatus
from lessons.models import ApplicationReport
from lessons.models import Outcome as Applied
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

INSIGHTS = reverse("insights:insights")
PUBLISHED, PENDING, REJECTED = (
    ModerationStatus.PUBLISHED,
    ModerationStatus.PENDING,
    ModerationStatus.REJECTED,
)


@pytest.fixture
def content(trust, skills, pumps, wells, water_for_towns, pending_pipeline):
    """Three published case studies, one pending, one rejected; lessons in every state.

    Published: Water for Towns (government and business, 2005, not as planned), Quiet Deal
    (business, names hidden, 2008, on track) and Clinic Network (civil society, on track).
    """
    college = make_organisation(name="Hill College", sector=Sector.ACADEMIA)
    secret = make_partnership(
        name="Quiet Deal",
        outcome=Outcome.ON_TRACK,
        start_year=2008,
        hide_partner_names=True,
        partners=[(pumps, Role.LEAD)],
    )
    make_partnership(name="Clinic Network", outcome=Outcome.ON_TRACK, partners=[(wells, Role.LEAD)])
    make_partnership(
        name="Rejected Campus",
        moderation=REJECTED,
        outcome=Outcome.MIXED,
        start_year=2020,
        partners=[(college, Role.LEAD)],
    )
    towns = water_for_towns
    make_lesson(title="Agree the words", themes=[trust], partnership=towns)
    make_lesson(title="Say what you want", themes=[trust, skills], partnership=secret)
    make_lesson(title="Train the conveners", themes=[skills])
    make_lesson(title="Meet often", themes=[trust])
    make_lesson(
        title="Pending lesson", themes=[trust, skills], partnership=towns, moderation=PENDING
    )
    make_lesson(title="Rejected lesson", themes=[skills], partnership=secret, moderation=REJECTED)
    return {"trust": trust, "skills": skills}


def bars(response, chart):
    return {bar.label: bar.value for bar in response.context[chart].bars}


def test_lessons_per_theme_counts_published_lessons(client, content):
    response = client.get(INSIGHTS)

    assert response.status_code == 200
    assert bars(response, "lessons_per_theme") == {
        "Work to Build Trust": 3,
        "Develop Partnership Skills": 2,
    }
    page = response.content.decode()
    assert f'href="/lessons/?theme={content["trust"].slug}"' in page
    assert "Pending lesson" not in page and "Rejected lesson" not in page


def test_case_studies_by_outcome_count_published_case_studies(client, content):
    response = client.get(INSIGHTS)

    assert bars(response, "outcomes") == {
        "On track": 2,
        "Mixed": 0,  # the only mixed one was rejected
        "Did not work out as planned": 1,
        "Too early to say": 0,  # the only one was pending
    }
    assert 'href="/partnerships/?outcome=not_as_planned"' in response.content.decode()


def test_sector_mix_counts_hidden_partners_but_never_names_them(client, content):
    response = client.get(INSIGHTS)

    assert bars(response, "sectors") == {
        "Government": 1,  # the pending case study's ministry is not counted
        "Business": 2,  # the one with hidden names counts
        "Civil society": 1,
        "Philanthropy": 0,
        "Academia": 0,  # rejected
        "Multilateral institution": 0,
    }
    page = response.content.decode()
    assert 'href="/partnerships/?sector=business"' in page
    for name in ("Pumps plc", "Ministry of Water", "Quiet Deal", "Pending Pipeline"):
        assert name not in page


def test_years_run_from_first_to_last_start_with_empty_years_at_zero(client, content):
    response = client.get(INSIGHTS)

    columns = response.context["per_year"].columns
    # 2001 (pending) and 2020 (rejected) would widen the range if they counted.
    assert [(column.year, column.value) for column in columns] == [
        (2005, 1),
        (2006, 0),
        (2007, 0),
        (2008, 1),
    ]
    page = response.content.decode()
    assert "2001" not in page and "2020" not in page


def test_chart_links_show_as_many_items_as_their_bars_count(client, content):
    response = client.get(INSIGHTS)

    for chart in ("lessons_per_theme", "outcomes", "sectors"):
        for bar in response.context[chart].bars:
            listed = client.get(bar.url).context["page_obj"].paginator.count
            assert listed == bar.value, (chart, bar.label)


def test_matrix_counts_published_lessons_by_theme_and_partner_sector(client, content):
    response = client.get(INSIGHTS)

    matrix = {
        (title, sector): total
        for title, _, cells in response.context["matrix"]
        for sector, total, _, _ in cells
    }
    assert {key: total for key, total in matrix.items() if total} == {
        ("Work to Build Trust", Sector.GOVERNMENT): 1,
        ("Work to Build Trust", Sector.BUSINESS): 2,
        ("Develop Partnership Skills", Sector.BUSINESS): 1,
    }
    page = response.content.decode()
    assert '<table class="data-table matrix">' in page
    assert '<th scope="col" class="number">Government</th>' in page
    assert '<th scope="row">Work to Build Trust</th>' in page


def test_matrix_cell_links_carry_its_filters_and_lead_to_its_count(client, content):
    response = client.get(INSIGHTS)
    page = response.content.decode()

    for _, slug, cells in response.context["matrix"]:
        for sector, total, _, url in cells:
            assert url == f"/lessons/?theme={slug}&sector={sector}"
            assert client.get(url).context["page_obj"].paginator.count == total, url
            linked = f'href="{url.replace("&", "&amp;")}"'
            assert (linked in page) == bool(total), url


def test_matrix_cells_are_shaded_by_value_with_the_number_printed(client, content):
    page = client.get(INSIGHTS).content.decode()

    trust = content["trust"].slug
    darkest = rf'<td class="number heat heat--4"><a href="/lessons/\?theme={trust}&amp;sector='
    assert re.search(darkest + r'business">2<', page)
    assert re.search(r'<td class="number heat heat--2"><a [^>]+>1<', page)
    assert '<td class="number heat heat--0">0</td>' in page


def test_every_chart_is_an_svg_image_with_a_title_a_description_and_a_data_table(client, content):
    page = client.get(INSIGHTS).content.decode()

    svgs = re.findall(r'<svg\b[^>]*\brole="img".*?</svg>', page, flags=re.S)
    assert len(svgs) == 4
    for svg in svgs:
        assert 'role="img"' in svg and "viewBox=" in svg
        assert re.search(r"<title id=[^>]+>[^<]+</title>", svg)
        assert re.search(r"<desc id=[^>]+>[^<]+</desc>", svg)
        assert "<rect " in svg and "<text " in svg
        assert "<script" not in svg
    assert "Work to Build Trust: 3; Develop Partnership Skills: 2." in page
    assert page.count("<caption") == 5  # four charts' data, and the matrix
    assert page.count('class="table-scroll" tabindex="0" role="region"') == 5
    assert "Show the data" in page


def test_bars_link_to_their_lists_for_pointers_and_the_tables_for_everyone(client, content):
    page = client.get(INSIGHTS).content.decode()

    link = 'href="/partnerships/?outcome=on_track"'
    overlays = re.findall(r'<g aria-hidden="true">.*?</g>', page, flags=re.S)
    assert len(overlays) == 3
    assert f'<a {link} tabindex="-1" class="chart__link">' in overlays[1]
    assert f'<th scope="row"><a {link}>On track</a></th>' in page


@pytest.mark.usefixtures("trust", "pending_pipeline")
def test_empty_site_says_what_to_share_next(client):
    make_lesson(title="Pending lesson", moderation=PENDING)

    response = client.get(INSIGHTS)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" not in page and "<table" not in page
    assert 'No case studies yet — <a href="/submit/partnership/">share one</a>' in page
    assert 'No lessons yet — <a href="/submit/lesson/">share one</a>' in page


def test_publishing_a_lesson_changes_the_counts(client, content):
    assert bars(client.get(INSIGHTS), "lessons_per_theme")["Develop Partnership Skills"] == 2

    make_lesson(title="Late arrival", themes=[content["skills"]])

    assert bars(client.get(INSIGHTS), "lessons_per_theme")["Develop Partnership Skills"] == 3


def test_nav_and_footer_link_to_insights(client, content):
    page = client.get(INSIGHTS).content.decode()

    assert f'<a href="{INSIGHTS}" aria-current="page">Insights</a>' in page
    footer = page[page.index('<nav aria-label="Footer">') :]
    assert f'<a href="{INSIGHTS}">Insights</a>' in footer


def _grow(count, *, start):
    sectors = list(Sector)
    outcomes = list(Outcome)
    themes = [make_theme() for _ in range(2)]
    for index in range(start, start + count):
        partners = [
            (make_organisation(sector=sectors[index % len(sectors)]), Role.LEAD),
            (make_organisation(sector=sectors[(index + 1) % len(sectors)]), Role.FUNDER),
        ]
        partnership = make_partnership(
            outcome=outcomes[index % len(outcomes)],
            start_year=1990 + index,
            partners=partners,
            hide_partner_names=index % 3 == 0,
        )
        lesson = make_lesson(themes=themes, partnership=partnership)
        make_lesson(themes=themes[:1], moderation=PENDING, partnership=partnership)
        # Lessons that travel: helped in a sector neither partner is from.
        ApplicationReport.objects.create(
            lesson=lesson,
            outcome=Applied.HELPED,
            sector=sectors[(index + 3) % len(sectors)],
            region=Region.EUROPE,
            moderation_status=PUBLISHED,
        )


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INSIGHTS)
    assert response.status_code == 200
    return len(queries)


def test_page_costs_the_same_queries_at_two_sizes_and_fewer_when_warm(client, settings):
    _grow(3, start=0)
    small_cold = _queries(client)
    small_warm = _queries(client)

    _grow(30, start=3)  # a new content version: the cache is cold again
    large_cold = _queries(client)
    large_warm = _queries(client)

    assert small_cold == large_cold
    assert small_warm == large_warm
    assert large_warm < large_cold
    assert large_warm <= 2


def _report(lesson, sector, outcome=Applied.HELPED, moderation=PUBLISHED):
    return ApplicationReport.objects.create(
        lesson=lesson,
        outcome=outcome,
        sector=sector,
        region=Region.AFRICA,
        note="" if moderation == PUBLISHED else "A note",
        moderation_status=moderation,
    )


def test_lessons_that_travel_count_help_in_sectors_outside_the_lessons_own(client, trust):
    government = make_organisation(sector=Sector.GOVERNMENT)
    business = make_organisation(sector=Sector.BUSINESS)
    partnership = make_partnership(partners=[(government, Role.LEAD), (business, Role.FUNDER)])
    pending_case = make_partnership(
        partners=[(government, Role.LEAD)], moderation=ModerationStatus.PENDING
    )
    traveller = make_lesson(title="Travels far", themes=[trust], partnership=partnership)
    stay_at_home = make_lesson(title="Stays home", themes=[trust], partnership=partnership)
    from_pending = make_lesson(
        title="From a pending case", themes=[trust], partnership=pending_case
    )
    no_case = make_lesson(title="From no case study", themes=[trust])
    _report(traveller, Sector.ACADEMIA)
    _report(traveller, Sector.ACADEMIA)
    _report(traveller, Sector.PHILANTHROPY)
    _report(traveller, Sector.ACADEMIA, outcome=Applied.PARTLY)  # not "helped"
    _report(traveller, Sector.CIVIL_SOCIETY, moderation=PENDING)  # not published
    _report(stay_at_home, Sector.GOVERNMENT)  # its own sector
    _report(from_pending, Sector.ACADEMIA)
    _report(no_case, Sector.ACADEMIA)

    html = client.get(INSIGHTS).content.decode()
    section = html[html.index('id="travel"') :]

    assert "Travels far: 3." in section  # the chart's description
    assert "Government, Business" in section
    assert "Philanthropy (1), Academia (2)" in section  # in the sectors' order
    assert "Civil society" not in section
    for absent in ("Stays home", "From a pending case", "From no case study"):
        assert absent not in section


def test_no_lesson_that_travels_says_so(client, trust):
    html = client.get(INSIGHTS).content.decode()

    assert "No lesson has yet been reported to help in a sector other than its own." in html
