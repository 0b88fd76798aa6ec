"""A case study's page and its organisations' pages: what they show, hide and cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliances.models import Role
from core.moderation import ModerationStatus
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.helpers import SITE, read_head
from tests.sizes import detail_queries_at_two_sizes

pytestmark = pytest.mark.django_db

HIDDEN = [ModerationStatus.PENDING, ModerationStatus.REJECTED]


@pytest.mark.parametrize("moderation", HIDDEN)
def test_an_unpublished_case_study_and_its_only_partner_have_no_pages(client, moderation):
    organisation = make_organisation()
    partnership = make_partnership(moderation=moderation, partners=[(organisation, Role.LEAD)])

    assert client.get(partnership.get_absolute_url()).status_code == 404
    assert client.get(organisation.get_absolute_url()).status_code == 404


def test_published_case_study_and_its_organisation_have_pages(client):
    organisation = make_organisation(name="Ministry of Partnerships")
    partnership = make_partnership(
        name="Clean Water Alliance", partners=[(organisation, Role.CONVENER)]
    )
    make_partnership(
        name="Pending alliance", partners=[(organisation, Role.FUNDER)], moderation="pending"
    )

    page = client.get(partnership.get_absolute_url())
    org_page = client.get(organisation.get_absolute_url())

    assert page.status_code == 200
    assert "Ministry of Partnerships" in page.content.decode()
    assert "Convener" in page.content.decode()
    assert org_page.status_code == 200
    assert "Clean Water Alliance" in org_page.content.decode()
    assert "Pending alliance" not in org_page.content.decode()


def test_case_study_page_previews_as_an_article(client):
    partnership = make_partnership(name="Clean Water Compact", summary='Water "for all" <now>.')

    head, _ = read_head(client, partnership.get_absolute_url())

    assert head.meta["og:type"] == "article"
    assert head.meta["og:title"] == "Clean Water Compact"
    assert head.meta["og:description"] == 'Water "for all" <now>.'
    assert head.meta["og:url"] == SITE + partnership.get_absolute_url()


def test_case_study_page_groups_partners_by_sector_and_relates_others(client, case_studies):
    theme = make_theme()
    make_lesson(title="Lesson from water", themes=[theme], partnership=case_studies["water"])
    make_lesson(
        title="Unpublished water",
        themes=[theme],
        partnership=case_studies["water"],
        moderation="pending",
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


def test_case_study_and_organisation_pages_cost_the_same_queries_at_two_sizes(client):
    small, large = detail_queries_at_two_sizes(
        client,
        lambda partnership, organisation, lesson: [
            partnership.get_absolute_url(),
            organisation.get_absolute_url(),
        ],
    )

    assert small == large
    assert max(large) <= 12


def test_an_organisation_page_checks_its_own_parts_not_every_case_study(client):
    """EXISTS through the organisation's parts: an IN list of every published case study's
    parts grows with the site (59 ms at 10,000 case studies) where this does not."""
    organisation = make_organisation()
    make_partnership(partners=[(organisation, Role.LEAD)])

    with CaptureQueriesContext(connection) as queries:
        response = client.get(organisation.get_absolute_url())

    assert response.status_code == 200
    # The organisation's own lookup (the page cache reads the content version before it).
    lookup = next(q["sql"] for q in queries if 'FROM "alliances_organisation"' in q["sql"])
    assert "EXISTS" in lookup and "IN (SELECT" not in lookup
