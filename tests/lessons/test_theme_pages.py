"""Public pages: what they show, what they must never show, and what they cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.models import Role
from core.moderation import ModerationStatus
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme

pytestmark = pytest.mark.django_db

HIDDEN = [ModerationStatus.PENDING, ModerationStatus.REJECTED]


@pytest.fixture
def theme():
    return make_theme(title="Work to Build Trust", number=3)


def test_home_lists_the_themes_in_order_with_published_lesson_counts(client, theme):
    first = make_theme(title="Understand Partnership Motivations", number=1)
    make_lesson(title="Published trust lesson", themes=[theme])
    make_lesson(title="Pending trust lesson", themes=[theme], status=ModerationStatus.PENDING)

    response = client.get(reverse("pages:home"))

    assert response.status_code == 200
    assert list(response.context["themes"]) == [first, theme]
    html = response.content.decode()
    assert html.index("Understand Partnership Motivations") < html.index("Work to Build Trust")
    assert response.context["themes"][1].lesson_total == 1
    assert "Published trust lesson" in html
    assert "Pending trust lesson" not in html
    assert response.context["lesson_total"] == 1


@pytest.mark.parametrize("status", HIDDEN)
def test_home_counts_and_lists_nothing_unpublished(client, theme, status):
    organisation = make_organisation(name="Hidden Org")
    make_partnership(
        name="Hidden case study",
        status=status,
        featured=True,
        partners=[(organisation, Role.LEAD)],
    )
    make_lesson(title="Hidden lesson", themes=[theme], status=status)

    response = client.get(reverse("pages:home"))

    html = response.content.decode()
    assert "Hidden lesson" not in html
    assert "Hidden case study" not in html
    assert response.context["lesson_total"] == 0
    assert response.context["partnership_total"] == 0
    assert response.context["organisation_total"] == 0
    assert response.context["themes"][0].lesson_total == 0


def test_theme_page_shows_report_text_quotes_and_published_lessons(client, theme):
    from lessons.models import Quote, Source

    source = Source.objects.create(title="The report", slug="the-report")
    Quote.objects.create(
        slug="q", text="Trust is earned.", speaker="A Speaker", source=source, theme=theme
    )
    make_lesson(title="Visible lesson", themes=[theme])

    response = client.get(theme.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert theme.text in html
    assert "Trust is earned." in html and "A Speaker" in html
    assert "Visible lesson" in html
    assert "No lessons on this theme yet" not in html


@pytest.mark.parametrize("status", HIDDEN)
def test_theme_page_hides_unpublished_lessons_and_case_studies(client, theme, status):
    partnership = make_partnership(name="Unpublished case study", status=status)
    make_lesson(title="Unpublished lesson", themes=[theme], status=status)
    make_lesson(title="Published lesson of hidden case", themes=[theme], partnership=partnership)

    response = client.get(theme.get_absolute_url())

    html = response.content.decode()
    assert "Unpublished lesson" not in html
    assert "Unpublished case study" not in html
    assert "Published lesson of hidden case" in html
    assert list(response.context["partnerships"]) == []


def test_theme_page_says_so_when_it_has_no_lessons(client, theme):
    make_lesson(title="Only pending", themes=[theme], status=ModerationStatus.PENDING)

    response = client.get(theme.get_absolute_url())

    assert "No lessons on this theme yet" in response.content.decode()
    assert "Only pending" not in response.content.decode()


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublished_lesson_and_case_study_pages_do_not_exist(client, theme, status):
    lesson = make_lesson(themes=[theme], status=status)
    organisation = make_organisation()
    partnership = make_partnership(status=status, partners=[(organisation, Role.LEAD)])

    assert client.get(lesson.get_absolute_url()).status_code == 404
    assert client.get(partnership.get_absolute_url()).status_code == 404
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_published_lesson_page_shows_its_four_parts(client, theme):
    lesson = make_lesson(themes=[theme], evidence="Hard data from the pilot", tags=["trust"])

    response = client.get(lesson.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    for part in (lesson.context, lesson.insight, lesson.recommendation, lesson.evidence):
        assert part in html
    assert theme.title in html and "trust" in html


def test_published_case_study_and_its_organisation_have_pages(client):
    organisation = make_organisation(name="Ministry of Partnerships")
    partnership = make_partnership(
        name="Clean Water Alliance", partners=[(organisation, Role.CONVENER)]
    )
    make_partnership(
        name="Pending alliance", partners=[(organisation, Role.FUNDER)], status="pending"
    )

    page = client.get(partnership.get_absolute_url())
    org_page = client.get(organisation.get_absolute_url())

    assert page.status_code == 200
    assert "Ministry of Partnerships" in page.content.decode()
    assert "Convener" in page.content.decode()
    assert org_page.status_code == 200
    assert "Clean Water Alliance" in org_page.content.decode()
    assert "Pending alliance" not in org_page.content.decode()


def test_markup_in_content_is_shown_as_text(client, theme):
    make_lesson(title="<script>alert(1)</script>", themes=[theme])

    html = client.get(theme.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def _theme_page_queries(client, theme):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(theme.get_absolute_url())
    assert response.status_code == 200
    return len(queries), response


def _add_lessons(theme, count, start):
    other = make_theme()
    for index in range(start, start + count):
        organisation = make_organisation()
        partnership = make_partnership(partners=[(organisation, Role.LEAD)], tags=[f"p{index}"])
        make_lesson(
            title=f"Lesson number {index}",
            themes=[theme, other],
            tags=[f"tag-{index}", "shared"],
            partnership=partnership,
        )


def test_theme_page_costs_the_same_queries_with_5_and_50_lessons(client, theme):
    _add_lessons(theme, 5, start=0)
    small, response = _theme_page_queries(client, theme)
    assert len(response.context["lessons"]) == 5

    _add_lessons(theme, 45, start=5)
    large, response = _theme_page_queries(client, theme)
    # The latest dozen, the total, and a link to all of them with filters.
    assert len(response.context["lessons"]) == 12
    assert response.context["lesson_total"] == 50
    assert "All 50 lessons on this theme" in response.content.decode()

    assert small == large
    assert large <= 12


def test_home_page_costs_the_same_queries_at_two_sizes(client, theme):
    _add_lessons(theme, 3, start=0)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("pages:home"))
    _add_lessons(theme, 30, start=3)
    with CaptureQueriesContext(connection) as large:
        client.get(reverse("pages:home"))

    assert len(small) == len(large)


def test_unknown_pages_get_the_sites_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
