"""Content grown to a size, for the tests that check a page costs the same queries at two.

A page whose queries grow with the rows it shows (one query per card, per tag, per
partner) passes at a handful of rows and fails only here, where the same page is
measured again after tenfold growth.
"""

from alliances.models import Region, Role, Sector
from tests.factories import make_lesson, make_organisation, make_partnership, make_theme
from tests.helpers import page_queries


def grow_case_studies(count, start):
    """`count` published case studies across sectors, with two partners, tags and a lesson."""
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


def grow_lessons_on(theme, count, start):
    """`count` published lessons on `theme` (and one other), each from its own case study."""
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


def list_queries_at_two_sizes(client, url, params):
    """The queries of a list page with 4 case studies, then with 40: (small, large)."""
    grow_case_studies(4, start=0)
    make_lesson(themes=[make_theme()], tags=["shared"])
    small = page_queries(client, url, params)

    grow_case_studies(36, start=4)
    large = page_queries(client, url, params)
    return small, large


def _new_detail_pages():
    """A new published case study, its one partner and a lesson from it."""
    partnership = make_partnership(tags=["shared"], partners=[(make_organisation(), Role.LEAD)])
    organisation = partnership.participations.get().organisation
    lesson = make_lesson(themes=[make_theme()], partnership=partnership, tags=["shared"])
    return partnership, organisation, lesson


def detail_queries_at_two_sizes(client, pages):
    """The queries of the detail pages `pages(partnership, organisation, lesson)` names,
    with 3 case studies around them, then with 33: (small, large), each a list."""
    grow_case_studies(3, start=0)
    make_lesson(themes=[make_theme()], tags=["shared"])  # so related lessons exist at both sizes
    small = [page_queries(client, url) for url in pages(*_new_detail_pages())]
    grow_case_studies(30, start=3)
    large = [page_queries(client, url) for url in pages(*_new_detail_pages())]
    return small, large
